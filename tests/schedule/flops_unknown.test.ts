// tests/schedule/flops_unknown.test.ts — the FLOP counter (schedule/flops.ts) refuses a node kind
// it does not know (a statement or a hand-built node inside an op's body) with an error naming it,
// instead of returning NaN or undefined counts that would turn every GFLOP/s report into NaN.

import { describe, expect, it } from 'vitest';
import * as te from '../../schedule/index.js';
import * as tir from '../../tir/nodes.js';

describe('opFlops on a node kind it does not know', () => {
  const A = te.placeholder([4], 'float32', 'A');
  const real = te.compute([4], (i) => A.at(i).mul(2).add(1), 'B').op as te.ComputeOp;

  it('names the unexpected expression kind, also below a known node', () => {
    const evaluate = tir.evaluate(tir.intImm(0)) as unknown as tir.PrimExpr;
    const top = { ...real, body: evaluate } as te.Operation;
    expect(() => te.opFlops(top)).toThrow(/^unexpected expression: "Evaluate"$/);
    const below = { ...real, body: { ...(real.body as tir.BinaryOp), b: evaluate } } as te.Operation;
    expect(() => te.opFlops(below)).toThrow(/^unexpected expression: "Evaluate"$/);
  });

  it('the same op with its real body counts 2 per element', () => {
    expect(te.opFlops(real)).toBe(4 * 2);
  });
});
