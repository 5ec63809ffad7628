// relay/transform/div_to_mul.ts — DivToMul: a float division by a constant becomes a multiplication by the
// constant's reciprocal, computed once at build time (TVM's relay.transform.DivToMul, src/relay/transforms/
// div_to_mul.cc). On wasm an f32x4.div costs several multiplies (a long-latency, unpipelined instruction):
// PaddleOCR cls's hard-swish, x·clip(x+3, 0, 6)/6 fused after every conv, divided 18 conv outputs per run.
// The product differs from the quotient by at most about one ulp (exactly equal where the reciprocal is a
// power of two). Kept as a division: int32 (integer division truncates), and divisors whose reciprocal is
// not a finite normal float (0, ±∞, NaN, subnormals and values so large that 1/c is subnormal).

import { ExprMutator } from '../functor.js';
import { call, constant, irModule, type Call, type Expr, type IRModule } from '../nodes.js';
import { InferType } from './infer_type.js';
import type { Pass } from './pass.js';

/** 1/c for every value of a float32 constant, or undefined when one reciprocal is not a finite normal float32. */
function reciprocals(values: Float32Array): Float32Array | undefined {
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const r = Math.fround(1 / values[i]!);
    if (!Number.isFinite(r) || Math.abs(r) < 1.1754943508222875e-38) return undefined;
    out[i] = r;
  }
  return out;
}

class DivToMulRewriter extends ExprMutator {
  protected override visitCall(c0: Call): Expr {
    const c = super.visitCall(c0) as Call;
    if (c.op !== 'divide') return c;
    const d = c.args[1]!;
    if (d.kind !== 'Constant' || !(d.data.values instanceof Float32Array)) return c;
    const r = reciprocals(d.data.values);
    return r === undefined ? c : call('multiply', [c.args[0]!, constant(r, d.data.shape)], {}, c.span);
  }
}

/** relay.transform.DivToMul: divide(x, constant c) → multiply(x, 1/c) for float32 c (see the file comment). */
export const DivToMul: Pass = {
  name: 'DivToMul',
  run(mod: IRModule): IRModule {
    const main = new DivToMulRewriter().mutate(mod.main);
    return main === mod.main ? mod : InferType.run(irModule(main as typeof mod.main));
  },
};
