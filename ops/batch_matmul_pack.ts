// ops/batch_matmul_pack.ts — a batched product on a constant 3-D weight packed once at build time (session 15;
// the batched form of ops/dense_pack.ts, TVM's x86 `_alter_dense_layout` applied per batch): B [b, K, N] laid out on
// the host as panels Bp [b, ⌈N/bn⌉, K, bn] (the layout the wasm gemm template's pack_b copies B into on every call),
// and a product compute that reads them, so the kernel has no packing stage. bn is the tile_x of the config that
// schedules the workload — session 16: the record of the prepacked task 'batch_matmul_prepacked.wasm' (timed with B
// already in panels, ops/templates/gemm_const_b.ts), else of the plain 'batch_matmul.wasm', else the fallback — so
// tuning and build agree.

import { applyTemplate } from '../autotune/apply_template.js';
import { sum } from '../schedule/reduce.js';
import { compute, placeholder, reduceAxis, type Tensor } from '../schedule/tensor.js';
import { parseTarget, type Target } from '../target/target.js';
import { batchMatmul } from './matmul.js';
import { taskOf } from './anchor.js';
import { registerAll } from './register.js';

export { packBatchedWeight } from './pack_weight.js';

/**
 * C[t, i, j] = Σ_k A[t, i, k] · Bp[t, ⌊j / bn⌋, k, j mod bn] for A [b, M, K] and a packed weight Bp [b, ⌈N/bn⌉, K, bn]
 * (packBatchedWeight), C [b, M, N] with N = `units`. Tagged 'batch_matmul' with the original workload attrs (a_shape,
 * b_shape of the unpacked B) and `packed_bn`, so taskOf names the prepacked task `batch_matmul_prepacked.wasm` on the
 * original shapes and its record (else the plain task's) schedules the kernel, minus the pack stage. RangeError for
 * shapes that do not fit, TypeError for mixed dtypes.
 */
export function batchMatmulPack(A: Tensor, Bp: Tensor, units: number, name = 'C'): Tensor {
  if (A.ndim !== 3 || Bp.ndim !== 4) throw new RangeError(`batchMatmulPack: needs A [b, M, K] and a packed weight [b, N/bn, K, bn], got [${A.dims.join(', ')}] and [${Bp.dims.join(', ')}]`);
  if (A.dtype !== Bp.dtype) throw new TypeError(`batchMatmulPack: dtypes differ: A is ${A.dtype}, the weight is ${Bp.dtype}`);
  const [b, M, K] = A.dims as [number, number, number];
  const [b2, P, K2, bn] = Bp.dims as [number, number, number, number];
  if (b !== b2 || K !== K2) throw new RangeError(`batchMatmulPack: A [${b}, ${M}, ${K}] and the packed weight [${b2}, ${P}, ${K2}, ${bn}] differ in the batch or the reduced dimension`);
  if (!Number.isInteger(units) || units < 1 || Math.ceil(units / bn) !== P) {
    throw new RangeError(`batchMatmulPack: ${units} units need ${Math.ceil(units / bn)} panels of ${bn}, the packed weight has ${P}`);
  }
  const k = reduceAxis(K, 'k');
  return compute([b, M, units], (t, i, j) => sum(A.at(t, i, k).mul(Bp.at(t, j.floordiv(bn), k, j.floormod(bn))), [k]), name,
    { tag: 'batch_matmul', attrs: { a_shape: [b, M, K], b_shape: [b, K, units], packed_bn: bn } });
}

/**
 * The panel width the build's config packs B with for A `aShape` [b, M, K] × a constant B `bShape` [b, K, N] on
 * `target`: tile_x's inner size when the config — the current dispatch context's record for the prepacked task
 * ('batch_matmul_prepacked.wasm'), else for the plain one ('batch_matmul.wasm') on the same shapes, else the
 * template's fallback — has pack_b on; undefined when it does not, or the target is not wasm (the lookup
 * scheduleAnchor makes for the kernel, so both take the same config).
 */
export function batchPrepackWidth(aShape: readonly number[], bShape: readonly number[], target: string | Target): number | undefined {
  const t = parseTarget(target);
  if (t.kind !== 'wasm') return undefined;
  registerAll();
  const task = taskOf(batchMatmul(placeholder(aShape, 'float32', 'A'), placeholder(bShape, 'float32', 'B'), 'C', { constB: true }), t);
  if (task === undefined) return undefined;
  const { config } = applyTemplate(task.template, task.args, t.str);
  if (config.getKnob('pack_b').val !== true) return undefined;
  return config.getSplit('tile_x').size[1]!;
}
