// ops/dense_pack.ts — matrix products on a weight packed once at build time (TVM x86 `dense_pack` with a
// pre-packed weight, topi/x86/dense_alter_op.py `_alter_dense_layout`): the weight W [N, K] (dense) or B [K, N]
// (matmul) laid out as panels Wp [⌈N/bn⌉, K, bn] on the host, and a product compute that reads the panels, so the
// kernel has no packing stage. The panel width bn is the wasm gemm template's tile_x of the config that schedules
// the original workload (its record, else its fallback), so tuning (on the original shapes) and build agree.

import { applyTemplate } from '../autotune/apply_template.js';
import { sum } from '../schedule/reduce.js';
import { compute, placeholder, reduceAxis, type Tensor } from '../schedule/tensor.js';
import { parseTarget, type Target } from '../target/target.js';
import { taskOf } from './anchor.js';
import { dense, matmul } from './matmul.js';
import type { PackSource } from './pack_weight.js';
import { registerAll } from './register.js';

export { packProductWeight, type PackSource } from './pack_weight.js';

/**
 * Y[i, j] = Σ_k X[i, k] · Wp[⌊j / bn⌋, k, j mod bn] for X [M, K] and a packed weight Wp [⌈N/bn⌉, K, bn]
 * (packProductWeight), Y [M, N] with N = `units`. The op keeps the original product's tag ('dense' or 'matmul')
 * and workload attrs (a_shape, b_shape of the unpacked weight), so taskOf gives the original task and its record
 * schedules it; `packed_bn` tells the wasm gemm template that B is already in panels. RangeError for shapes that
 * do not fit (K differs, ⌈N/bn⌉ panels expected), TypeError for mixed dtypes.
 */
export function densePack(X: Tensor, Wp: Tensor, units: number, source: PackSource = 'dense', name = 'Y'): Tensor {
  if (X.ndim !== 2 || Wp.ndim !== 3) throw new RangeError(`densePack: needs X [M, K] and a packed weight [N/bn, K, bn], got [${X.dims.join(', ')}] and [${Wp.dims.join(', ')}]`);
  if (X.dtype !== Wp.dtype) throw new TypeError(`densePack: dtypes differ: X is ${X.dtype}, the weight is ${Wp.dtype}`);
  const [M, K] = X.dims as [number, number];
  const [P, K2, bn] = Wp.dims as [number, number, number];
  if (K !== K2) throw new RangeError(`densePack: reduction dimensions differ: X is [${M}, ${K}], the packed weight is [${P}, ${K2}, ${bn}]`);
  if (!Number.isInteger(units) || units < 1 || Math.ceil(units / bn) !== P) {
    throw new RangeError(`densePack: ${units} units need ${Math.ceil(units / bn)} panels of ${bn}, the packed weight has ${P}`);
  }
  const k = reduceAxis(K, 'k');
  const b_shape = source === 'dense' ? [units, K] : [K, units];
  return compute([M, units], (i, j) => sum(X.at(i, k).mul(Wp.at(j.floordiv(bn), k, j.floormod(bn))), [k]), name,
    { tag: source, attrs: { a_shape: [M, K], b_shape, packed_bn: bn } });
}

/**
 * The panel width the build's config packs B with for a product of X [M, K] and a weight of `wShape` (dense:
 * [N, K]; matmul: [K, N]) on `target`: tile_x's inner size when the config — the current dispatch context's
 * record for the prepacked task ('dense_prepacked.wasm'), else for the plain one ('dense.wasm') on the original
 * shapes, else the template's fallback — has pack_b on; undefined when it does not
 * pack (vec_k, a GEMV default) or the target is not wasm (WebGPU keeps B as it is). Instantiates the template
 * once (the same lookup scheduleAnchor makes, so the same warning, once).
 */
export function prepackWidth(M: number, K: number, wShape: readonly number[], source: PackSource, target: string | Target): number | undefined {
  const t = parseTarget(target);
  if (t.kind !== 'wasm') return undefined;
  registerAll();
  const X = placeholder([M, K], 'float32', 'X');
  const W = placeholder(wShape, 'float32', 'W');
  // Marked as on a constant weight: the prepacked task's record first, then the plain task's (as scheduleAnchor).
  const task = taskOf(source === 'dense' ? dense(X, W, undefined, 'Y', { constB: true }) : matmul(X, W, 'C', { constB: true }), t);
  if (task === undefined) return undefined;
  const { config } = applyTemplate(task.template, task.args, t.str);
  if (config.getKnob('pack_b').val !== true) return undefined;
  return config.getSplit('tile_x').size[1]!;
}
