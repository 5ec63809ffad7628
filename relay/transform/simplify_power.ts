// relay/transform/simplify_power.ts — SimplifyPower: power(x, C) whose float32 constant exponent C has every
// element equal (an ONNX Pow exponent stored as shape [1], or [1, 1], …) gets the scalar constant C[0] instead,
// when that leaves the output shape unchanged (C broadcasts to x's shape). FuseOps inlines scalar constants into
// the kernel as numbers, and ops.pow computes a number exponent 0, ±1, 2, 3 or ±0.5 without the general pow
// (ops/pow_scalar.ts: x·x for Pow(x, 2), as onnxruntime does). A shape-[] exponent needs no rewrite; an exponent
// whose shape widens the output (x [768], C [1, 1]) or whose elements differ stays as it is.

import { ExprMutator } from '../functor.js';
import { call, constant, irModule, typeOf, type Call, type Expr, type IRModule } from '../nodes.js';
import { typeEqual } from '../ty.js';
import { InferType } from './infer_type.js';
import type { Pass } from './pass.js';

function allEqual(v: Float32Array): boolean {
  // +0 and −0 count as equal (x ** ±0 = 1), and NaN as equal to NaN (Object.is).
  return v.length > 0 && v.every((e) => Object.is(e, v[0]) || e === v[0]);
}

class SimplifyPowerRewriter extends ExprMutator {
  protected override visitCall(c0: Call): Expr {
    const c = super.visitCall(c0) as Call;
    if (c.op !== 'power') return c;
    const e = c.args[1]!;
    if (e.kind !== 'Constant' || e.data.shape.length === 0 || !(e.data.values instanceof Float32Array)) return c;
    // The output must keep x's shape: otherwise C's extra dimensions are what broadcasting adds.
    if (!typeEqual(typeOf(c0.args[0]!), typeOf(c0)) || !allEqual(e.data.values)) return c;
    return call('power', [c.args[0]!, constant(Float32Array.of(e.data.values[0]!), [])], c.attrs, c.span);
  }
}

/** SimplifyPower: power(x, C) with C an all-equal float32 constant that broadcasts to x's shape → power(x, scalar C[0]). */
export const SimplifyPower: Pass = {
  name: 'SimplifyPower',
  run(mod: IRModule): IRModule {
    const main = new SimplifyPowerRewriter().mutate(mod.main);
    return main === mod.main ? mod : InferType.run(irModule(main as typeof mod.main));
  },
};
