// ops/anchor.ts — anchor ops (dense, matmul, convolutions) inside a fused graph: which tunable task
// schedules each one, and scheduling it with that task's config (from the dispatch context's tuning
// records, else the template's fallback). Minimal first version (dense/matmul through the gemm
// templates; other anchors get the generic reduction schedule); the ops-nn engineer owns and replaces it.

import { applyTemplate } from '../autotune/apply_template.js';
import { FallbackConfigEntity, type ConfigSpace } from '../autotune/space.js';
import { listTemplates } from '../autotune/template.js';
import { tensorArg } from '../autotune/task.js';
import { parseTarget, type Target } from '../target/target.js';
import type { Schedule } from '../schedule/schedule.js';
import { inputTensors, type Tensor } from '../schedule/tensor.js';
import type { WorkloadArg } from '../tuning-logs/workload_key.js';
import { scheduleGemmWasm } from './templates/gemm_wasm.js';
import { scheduleMatmulWebGPU } from './templates/matmul_webgpu.js';
import { scheduleInjectiveWasm, scheduleReduceWasm } from './schedule_wasm.js';
import { scheduleInjectiveWebGPU, scheduleReduceWebGPU } from './schedule_webgpu.js';
import { isAnchorTag } from './tags.js';

/** The tunable task of an anchor: template name `<op>.<target kind>` and its workload args. */
export interface AnchorTask {
  readonly template: string;
  readonly args: WorkloadArg[];
}

/** The task whose config schedules `anchor` on `target`, or undefined when no template covers it. */
export function taskOf(anchor: Tensor, target: string | Target): AnchorTask | undefined {
  const t = parseTarget(target);
  const op = anchor.op;
  if (op.kind !== 'compute' || !isAnchorTag(op.tag)) return undefined;
  const ins = inputTensors(op);
  if ((op.tag === 'dense' || op.tag === 'matmul') && ins.length === 2 && anchor.ndim === 2) {
    const template = `${op.tag}.${t.kind}`;
    if (!listTemplates().includes(template)) return undefined;
    return { template, args: ins.map((x) => tensorArg(x.dims, x.dtype)) };
  }
  return undefined;
}

/** The config a build uses for `task`: a fresh copy of the dispatch context's record, else the fallback. */
function chosenConfig(task: AnchorTask, target: Target): ConfigSpace {
  const applied = applyTemplate(task.template, task.args, target.str);
  return applied.source === 'log' ? applied.task.space.entityFromData(applied.config.toData()) : new FallbackConfigEntity();
}

/**
 * Schedules `anchor` in `s` with its template's config and its injective epilogue (the outputs among
 * `outs` it reaches through injective stages, already inlined by defaultSchedule) as root stages.
 */
export function scheduleAnchor(s: Schedule, anchor: Tensor, outs: readonly Tensor[], target: string | Target): void {
  const t = parseTarget(target);
  const task = taskOf(anchor, t);
  const st = s.stage(anchor);
  if (task) {
    const cfg = chosenConfig(task, t);
    const [A, B] = inputTensors(st.op);
    if (t.kind === 'wasm') scheduleGemmWasm(cfg, anchor, s);
    else scheduleMatmulWebGPU(cfg, anchor, A!, B!, s);
  } else if (t.kind === 'wasm') {
    scheduleReduceWasm(st);
  } else {
    scheduleReduceWebGPU(s, st);
  }
  for (const out of outs) {
    if (out.op === anchor.op) continue;
    const os = s.stage(out);
    if (t.kind === 'wasm') scheduleInjectiveWasm(os);
    else scheduleInjectiveWebGPU(os);
  }
}
