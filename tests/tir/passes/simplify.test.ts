// tests/tir/passes/simplify.test.ts — the simplify pass with loop ranges in scope.
import { describe, expect, it } from 'vitest';
import * as t from '../../../tir/nodes.js';
import { simplify } from '../../../tir/passes/simplify.js';
import { c, expectIR, expectSameResults, vars } from '../helpers.js';

const A = t.buffer('A', [64], 'float32');
const fn = (body: t.Stmt): t.PrimFunc => t.primFunc('f', [A], body, { argShapes: [[64]] });

describe('simplify', () => {
  it('replaces a tir.if_then_else whose condition the loop ranges decide by its arm', () => {
    const [i] = vars('i');
    const B = t.buffer('B', [64], 'float32');
    const g = (body: t.Stmt): t.PrimFunc => t.primFunc('g', [A, B], body, { argShapes: [[64], [64]] });
    // i in [1, 64): i - 1 >= 0 always holds, so the load A[i - 1] is the value.
    const load = t.bufferLoad(A, [t.sub(i!, c(1))]);
    const before = g(t.forLoop(i!, 1, 63, 'serial',
      t.bufferStore(B, t.ifThenElseExpr(t.ge(t.sub(i!, c(1)), c(0)), load, t.floatImm(0)), [i!])));
    const after = simplify(before);
    expect(JSON.stringify(after)).not.toContain('if_then_else');
    expectSameResults(before, after);
  });

  it('removes a guard that the loop ranges prove true', () => {
    const [yo, yi] = vars('yo', 'yi');
    const y = t.add(t.mul(yo!, c(8)), yi!);
    const before = fn(t.forLoop(yo!, 0, 8, 'serial', t.forLoop(yi!, 0, 8, 'serial',
      t.ifThenElse(t.lt(y, c(64)), t.bufferStore(A, t.floatImm(1), [y])))));
    const expected = fn(t.forLoop(yo!, 0, 8, 'serial', t.forLoop(yi!, 0, 8, 'serial', t.bufferStore(A, t.floatImm(1), [y]))));
    expectIR(simplify(before), expected);
  });

  it('keeps a guard that is not always true, in canonical form', () => {
    const [yo, yi] = vars('yo', 'yi');
    const before = fn(t.forLoop(yo!, 0, 8, 'serial', t.forLoop(yi!, 0, 8, 'serial',
      t.ifThenElse(t.lt(t.add(yi!, t.mul(c(8), yo!)), c(60)), t.bufferStore(A, t.floatImm(1), [yi!])))));
    const expected = fn(t.forLoop(yo!, 0, 8, 'serial', t.forLoop(yi!, 0, 8, 'serial',
      t.ifThenElse(t.lt(t.add(t.mul(yo!, c(8)), yi!), c(60)), t.bufferStore(A, t.floatImm(1), [yi!])))));
    expectIR(simplify(before), expected);
  });

  it('replaces an if proven false by its else branch', () => {
    const [i] = vars('i');
    const before = fn(t.forLoop(i!, 0, 8, 'serial', t.ifThenElse(t.ge(i!, c(8)),
      t.bufferStore(A, t.floatImm(1), [i!]), t.bufferStore(A, t.floatImm(2), [i!]))));
    expectIR(simplify(before), fn(t.forLoop(i!, 0, 8, 'serial', t.bufferStore(A, t.floatImm(2), [i!]))));
  });

  it('folds constants and canonicalizes index arithmetic in loads and stores', () => {
    const [i, j] = vars('i', 'j');
    const before = fn(t.forLoop(i!, 0, 8, 'serial', t.forLoop(j!, 0, 8, 'serial', t.bufferStore(A,
      t.bufferLoad(A, [t.add(t.mul(t.add(c(2), c(2)), j!), t.mul(i!, t.add(c(1), c(3))))]),
      [t.add(t.floormod(t.add(t.mul(i!, c(8)), j!), c(8)), t.mul(t.floordiv(t.add(t.mul(i!, c(8)), j!), c(8)), c(8)))]))));
    const expected = fn(t.forLoop(i!, 0, 8, 'serial', t.forLoop(j!, 0, 8, 'serial', t.bufferStore(A,
      t.bufferLoad(A, [t.add(t.mul(i!, c(4)), t.mul(j!, c(4)))]), [t.add(t.mul(i!, c(8)), j!)]))));
    expectIR(simplify(before), expected);
    expectSameResults(before, simplify(before));
  });

  it('replaces a loop that runs once by its body at the loop minimum', () => {
    const [i] = vars('i');
    const before = fn(t.forLoop(i!, 5, 1, 'serial', t.bufferStore(A, t.floatImm(1), [t.mul(i!, c(2))])));
    expectIR(simplify(before), fn(t.bufferStore(A, t.floatImm(1), [c(10)])));
  });

  it('removes a loop that never runs', () => {
    const [i] = vars('i');
    const before = fn(t.forLoop(i!, 0, t.sub(c(3), c(3)), 'serial', t.bufferStore(A, t.floatImm(1), [i!])));
    expectIR(simplify(before), fn(t.noOp()));
  });

  it('narrows a variable inside a guard so a nested guard on it folds', () => {
    const [i] = vars('i');
    const store = t.bufferStore(A, t.floatImm(1), [i!]);
    const before = fn(t.forLoop(i!, 0, 64, 'serial', t.ifThenElse(t.lt(i!, c(10)), t.ifThenElse(t.lt(i!, c(20)), store))));
    expectIR(simplify(before), fn(t.forLoop(i!, 0, 64, 'serial', t.ifThenElse(t.lt(i!, c(10)), store))));
  });

  it('uses the bounds of a let value to decide guards on the let variable', () => {
    const [i, v] = vars('i', 'v');
    const store = t.bufferStore(A, t.floatImm(1), [v!]);
    const before = fn(t.forLoop(i!, 0, 8, 'serial', t.letStmt(v!, t.add(t.mul(i!, c(8)), c(7)),
      t.ifThenElse(t.lt(v!, c(64)), store))));
    expectIR(simplify(before), fn(t.forLoop(i!, 0, 8, 'serial', t.letStmt(v!, t.add(t.mul(i!, c(8)), c(7)), store))));
  });

  it('returns the same function when there is nothing to simplify', () => {
    const [i] = vars('i');
    const f = fn(t.forLoop(i!, 0, 8, 'serial', t.bufferStore(A, t.floatImm(1), [t.add(t.mul(i!, c(8)), c(1))])));
    expect(simplify(f)).toBe(f);
  });
});
