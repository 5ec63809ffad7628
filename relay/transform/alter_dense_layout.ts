// relay/transform/alter_dense_layout.ts — AlterOpLayout for products on wasm (TVM's x86 _alter_dense_layout,
// topi/x86/dense_alter_op.py): an nn.dense whose weight W [N, K] is a constant, or an nn.matmul whose B [K, N] is,
// becomes nn.contrib_dense_pack on panels [⌈N/bn⌉, K, bn] made once at build time (the following FoldConstant
// evaluates nn.contrib_dense_weight_pack), when the config that schedules the original workload packs B (pack_b):
// its tile_x is the panel width. As in TVM, the task is tuned on the original shapes (`dense.wasm` / `matmul.wasm`
// [X, W]); the packed op keeps that workload, so the same record schedules the packed kernel (minus its pack stage).
// Session 14: the record is that of the prepacked task ('dense_prepacked.wasm', timed with B already in panels, as
// TVM tunes dense_pack.x86 on a placeholder), else the plain task's; an unpacked candidate is marked const_weight so
// its kernel is looked up the same way. Session 15: an nn.batch_matmul on a constant 3-D B likewise becomes
// nn.contrib_batch_matmul_pack on panels [b, ⌈N/bn⌉, K, bn] when its config packs; session 16: that config is the
// prepacked task's ('batch_matmul_prepacked.wasm'), else the plain one's, and an unpacked one is marked const_weight.

import * as ops from '../../ops/index.js';
import { parseTarget, type Target } from '../../target/index.js';
import type { ApplyHistoryBest } from '../../tuning-logs/apply_history_best.js';
import { pushDispatchContext } from '../../tuning-logs/dispatch_context.js';
import { ExprMutator } from '../functor.js';
import { call, irModule, typeOf, type Call, type Expr, type IRModule, type RelayFunction } from '../nodes.js';
import { BATCH_MATMUL_PACK, BATCH_MATMUL_WEIGHT_PACK } from '../op/batch_matmul_pack.js';
import { CONST_WEIGHT, DENSE_PACK, DENSE_WEIGHT_PACK } from '../op/dense_pack.js';
import { asTensor } from '../ty.js';
import { InferType } from './infer_type.js';
import type { Pass } from './pass.js';

export interface AlterDenseLayoutOptions {
  /** The build's tuning records (its dispatch context): their config's pack_b and tile_x decide; default: the current context. */
  readonly records?: ApplyHistoryBest;
  /** Only mark every candidate `const_weight`, packing none (extractTasks: the tasks, without a config lookup). */
  readonly markOnly?: boolean;
}

/** The product `c` as a prepack candidate: an nn.dense / nn.matmul with a float32 constant 2-D weight and a typed 2-D input. */
function candidate(c: Call): { source: ops.PackSource; M: number; K: number; wShape: readonly number[] } | undefined {
  const source = c.op === 'nn.dense' ? 'dense' : c.op === 'nn.matmul' ? 'matmul' : undefined;
  const w = c.args[1];
  if (source === undefined || w?.kind !== 'Constant' || w.data.dtype !== 'float32' || w.data.shape.length !== 2) return undefined;
  const x = asTensor(typeOf(c.args[0]!), 'AlterDenseLayout');
  if (x.shape.length !== 2 || x.dtype !== 'float32') return undefined;
  return { source, M: x.shape[0]!, K: x.shape[1]!, wShape: w.data.shape };
}

/**
 * An nn.batch_matmul on a float32 constant 3-D B [b, K, N] with a typed 3-D input [b, M, K] of the same batch (no
 * broadcasting): an ONNX MatMul on a rank-3 initializer (session 15). Undefined otherwise.
 */
function batchCandidate(c: Call): { aShape: readonly number[]; bShape: readonly number[] } | undefined {
  const w = c.args[1];
  if (c.op !== 'nn.batch_matmul' || w?.kind !== 'Constant' || w.data.dtype !== 'float32' || w.data.shape.length !== 3) return undefined;
  const x = asTensor(typeOf(c.args[0]!), 'AlterDenseLayout');
  if (x.shape.length !== 3 || x.dtype !== 'float32' || x.shape[0] !== w.data.shape[0]) return undefined;
  return { aShape: x.shape, bShape: w.data.shape };
}

/** Left unpacked, still on a constant weight: attr const_weight, so the prepacked task's record (then the plain one's) schedules it. */
function markConstWeight(c: Call): Call {
  return c.attrs[CONST_WEIGHT] === true ? c : call(c.op as string, c.args, { ...c.attrs, [CONST_WEIGHT]: true }, c.span);
}

class DensePacker extends ExprMutator {
  constructor(private readonly target: Target, private readonly markOnly: boolean) {
    super();
  }

  protected override visitCall(c0: Call): Expr {
    const c = super.visitCall(c0) as Call;
    if (typeof c.op !== 'string') return c;
    const batched = batchCandidate(c0);
    if (batched !== undefined) {
      const bn = this.markOnly ? undefined : ops.batchPrepackWidth(batched.aShape, batched.bShape, this.target);
      if (bn === undefined) return markConstWeight(c);
      const layout = `NC${bn}n`;
      const packed = call(BATCH_MATMUL_WEIGHT_PACK, [c.args[1]!], { weight_layout: layout });
      return call(BATCH_MATMUL_PACK, [c.args[0]!, packed], { units: batched.bShape[2]!, weight_layout: layout }, c.span);
    }
    const cand = candidate(c0);
    if (cand === undefined) return c;
    const bn = this.markOnly ? undefined : ops.prepackWidth(cand.M, cand.K, cand.wShape, cand.source, this.target);
    if (bn === undefined) return markConstWeight(c);
    const units = cand.source === 'dense' ? cand.wShape[0]! : cand.wShape[1]!;
    const layout = `NC${bn}n`;
    const packed = call(DENSE_WEIGHT_PACK, [c.args[1]!], { weight_layout: layout, source: cand.source });
    return call(DENSE_PACK, [c.args[0]!, packed], { units, weight_layout: layout, source: cand.source }, c.span);
  }

  /** Fused (primitive) functions are kernels: their bodies are left alone. */
  protected override visitFunction(f: RelayFunction): Expr {
    return f.attrs.primitive ? f : super.visitFunction(f);
  }
}

/**
 * relay.transform.AlterDenseLayout(target, opts): on wasm, products on constant weights whose config packs B
 * become nn.contrib_dense_pack on a weight packed at build time (run FoldConstant after it to evaluate the
 * packing), the other products on constant weights get attr `const_weight`; other targets (WebGPU) and products on
 * runtime weights are left unchanged. The configs come from `opts.records` (else the current dispatch context):
 * the prepacked task's record, else the plain task's, else the template's fallback.
 */
export function AlterDenseLayout(target: string | Target, opts: AlterDenseLayoutOptions = {}): Pass {
  const t = parseTarget(target);
  return {
    name: 'AlterDenseLayout',
    run(mod: IRModule): IRModule {
      if (t.kind !== 'wasm') return mod;
      const pop = opts.records !== undefined ? pushDispatchContext(opts.records) : undefined;
      try {
        const main = new DensePacker(t, opts.markOnly === true).mutate(mod.main) as RelayFunction;
        return main === mod.main ? mod : InferType.run(irModule(main));
      } finally {
        pop?.();
      }
    },
  };
}
