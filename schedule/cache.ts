// schedule/cache.ts — cacheRead and cacheWrite: graph rewrites that add a copy stage in a
// given storage scope (shared/local memory on GPUs, a packed buffer on CPUs).

import * as tir from '../tir/nodes.js';
import type { StorageScope } from '../tir/nodes.js';
import { redirectReads } from './redirect.js';
import type { ScheduleGraph } from './schedule_graph.js';
import { Stage } from './stage.js';
import { inputTensors, makeComputeOp, tensorOf, type ComputeOp, type Tensor } from './tensor.js';

function uniqueName(s: ScheduleGraph, base: string): string {
  const taken = new Set(s.stages.map((st) => st.name));
  if (!taken.has(base)) return base;
  let k = 1;
  while (taken.has(`${base}${k}`)) k++;
  return `${base}${k}`;
}

function copyAxes(op: { readonly shape: readonly number[] }, prefix: string): tir.IterVar[] {
  return op.shape.map((d, i) => tir.iterVar(tir.range(0, d), `${prefix}${i}`, 'data'));
}

export function cacheRead(s: ScheduleGraph, t: Tensor, scope: StorageScope, readers: readonly Tensor[]): Tensor {
  const producer = s.stage(t);
  if (readers.length === 0) throw new Error(`cacheRead: tensor ${t.name}: needs at least one reader`);
  const readerStages = readers.map((r) => {
    const st = s.stage(r);
    if (!inputTensors(st.op).some((x) => x.op === producer.op)) {
      throw new Error(`cacheRead: tensor ${r.name} does not read tensor ${t.name}`);
    }
    return st;
  });
  const src = tensorOf(producer.op);
  const name = uniqueName(s, `${t.name}_${scope}`);
  const axis = copyAxes(producer.op, 'ax');
  const op = makeComputeOp(name, producer.op.shape, axis, tir.producerLoad(src, axis.map((a) => a.variable)), { tag: 'cache_read' });
  const cache = tensorOf(op);
  const stage = new Stage(op, false);
  stage.scope = scope;
  s.addStage(stage, readerStages[0]);
  for (const r of readerStages) {
    const op = r.op as ComputeOp;
    s.replaceOp(r, makeComputeOp(op.name, op.shape, op.axis, redirectReads(op.body, producer.op, cache), { tag: op.tag, attrs: op.attrs }));
  }
  s.recordStep('cacheRead', { tensor: t.name, scope, readers: readers.map((r) => r.name) });
  return cache;
}

export function cacheWrite(s: ScheduleGraph, t: Tensor, scope: StorageScope): Tensor {
  const stage = s.stage(t);
  const old = stage.op;
  if (old.kind !== 'compute') throw new Error(`cacheWrite: tensor ${t.name} is a placeholder; only computed tensors can be cached on write`);
  if (stage.relations.length > 0 || stage.iterAttrs.size > 0 || stage.attach.type !== 'root') {
    throw new Error(`cacheWrite: stage ${t.name} already has schedule steps; call cacheWrite before scheduling it`);
  }
  // The cache stage takes over the original body and axes; the tensor becomes a copy out of it.
  const cacheOp = makeComputeOp(uniqueName(s, `${t.name}_${scope}`), old.shape, old.axis, old.body, { tag: old.tag, attrs: old.attrs });
  const cache = tensorOf(cacheOp);
  const axis = copyAxes(old, `${t.name}_ax`);
  const copy = makeComputeOp(old.name, old.shape, axis, tir.producerLoad(cache, axis.map((a) => a.variable)), { tag: old.tag, attrs: old.attrs });
  const cacheStage = new Stage(cacheOp, false);
  cacheStage.scope = scope;
  s.addStage(cacheStage, stage);
  s.replaceOp(stage, copy, { reset: true });
  s.recordStep('cacheWrite', { tensor: t.name, scope });
  return cache;
}
