// bench/ops_prepacked.ts — a dense/matmul workload built as a model runs it (bench/ops.ts's 'prepacked' rows): the
// weight is a constant, so the product is the prepacked task (`dense_prepacked.wasm` / `matmul_prepacked.wasm`,
// docs/relay.md "Products on constant weights"), its weight packed once on the host into panels where the config
// packs (AlterDenseLayout + FoldConstant: ops.prepackWidth, ops.densePack, ops.packProductWeight) and read as it is
// where it does not (vec_k, a GEMV). onnxruntime-web, the peer, also gets its weight as an initializer and prepacks
// it at session creation (MLAS's packed B), so this is the like-for-like row.

import { createTask } from '../autotune/task.js';
import { scheduleAnchor, taskOf } from '../ops/anchor.js';
import { densePack, packProductWeight, prepackWidth, type PackSource } from '../ops/dense_pack.js';
import { dense, matmul } from '../ops/matmul.js';
import { scheduleRootInjective } from '../ops/templates/anchor_templates.js';
import { build } from '../runtime/build.js';
import type { BuiltModule } from '../runtime/module.js';
import { array, type NDArray } from '../runtime/ndarray.js';
import { lower } from '../schedule/lower.js';
import { createSchedule } from '../schedule/schedule.js';
import { placeholder } from '../schedule/tensor.js';
import { parseTarget } from '../target/target.js';
import { loadTophub } from '../tuning-logs/apply_history_best.js';
import { withDispatchContext } from '../tuning-logs/dispatch_context.js';
import { seeded, type Workload } from './ops_kernels.js';

/**
 * `w` (op dense or matmul) on a constant weight for `target` (wasm), untuned (the template's fallback) or tuned (the
 * shipped TopHub logs: the prepacked task's record, else the plain task's, as a build looks them up; 'no log' when
 * neither exists), built, with seeded arrays (the weight packed on the host where the config packs). Also says how
 * the weight is read: 'panels of <bn>' or 'as it is'. Throws RangeError for another op or target.
 */
export async function buildPrepacked(w: Workload, target: string, tuned: boolean): Promise<{ mod: BuiltModule; arrays: NDArray[]; weight: string } | 'no log'> {
  if (w.op !== 'dense' && w.op !== 'matmul') throw new RangeError(`bench: ${w.id}: only dense and matmul have a prepacked form, not ${w.op}`);
  if (parseTarget(target).kind !== 'wasm') throw new RangeError(`bench: ${w.id}: products are prepacked on wasm only, not on '${target}'`);
  const source: PackSource = w.op;
  const [M, K, N] = [w.M!, w.K!, w.N!];
  const wShape = source === 'dense' ? [N, K] : [K, N];
  const ctx = tuned ? loadTophub(target) : undefined;
  const X = placeholder([M, K], 'float32', 'X');
  const make = () => {
    // The same lookup AlterDenseLayout makes, under the same dispatch context as the schedule below.
    const bn = prepackWidth(M, K, wShape, source, target);
    const B = placeholder(bn === undefined ? wShape : [Math.ceil(N / bn), K, bn], 'float32', bn === undefined ? 'W' : 'Wp');
    const out = bn !== undefined ? densePack(X, B, N, source)
      : source === 'dense' ? dense(X, B, undefined, 'Y', { constB: true }) : matmul(X, B, 'C', { constB: true });
    const s = createSchedule([out]);
    scheduleAnchor(s, out, [out], target);
    scheduleRootInjective(s);
    return { bn, B, out, s };
  };
  if (ctx) {
    const task = taskOf(source === 'dense' ? dense(X, placeholder(wShape, 'float32', 'W'), undefined, 'Y', { constB: true }) : matmul(X, placeholder(wShape, 'float32', 'W'), 'C', { constB: true }), target)!;
    const t = parseTarget(target).str;
    const has = [task.template, `${source}.wasm`].some((name) => ctx.query(t, createTask(name, task.args, target).workloadKey));
    if (!has) return 'no log';
  }
  const { bn, B, out, s } = ctx ? await withDispatchContext(ctx, make) : make();
  const mod = await build(lower(s, [X, B, out], { name: `${w.id.replace(/\W/g, '_')}_prepacked` }), target);
  const wv = seeded(N * K, 2);
  const arrays = [
    array(seeded(M * K, 1), [M, K]),
    bn === undefined ? array(wv, wShape) : array(packProductWeight(wv, wShape, bn, source).values, [...B.dims]),
    array(new Float32Array(M * N), [M, N]),
  ];
  return { mod, arrays, weight: bn === undefined ? 'as it is' : `panels of ${bn}` };
}
