// tests/tir/passes/remove_no_op_cases.test.ts — removeNoOp cases found by mutation testing (fresh
// sample, seed 51): a self-store differing in one index, lets whose variable is read, no-ops under a
// let, an if without else whose branch is empty; results checked against plain JS.
import { describe, expect, it } from 'vitest';
import * as t from '../../../tir/nodes.js';
import { interpret } from '../../../tir/interpreter.js';
import { removeNoOp } from '../../../tir/passes/remove_no_op.js';
import { c, expectIR, seeded, vars } from '../helpers.js';

const A = t.buffer('A', [16], 'float32');
const fn = (body: t.Stmt): t.PrimFunc => t.primFunc('f', [A], body, { argShapes: [[16]] });
const store = (i: t.PrimExpr, v: t.PrimExpr = t.floatImm(1)): t.Stmt => t.bufferStore(A, v, [i]);

describe('removeNoOp (mutation-testing cases)', () => {
  it('keeps M[i, j] = M[i, 0]: a load of the same buffer at another place is not a no-op', () => {
    for (const [rows, cols] of [[4, 4], [3, 5], [1, 7]] as const) {
      const M = t.buffer('M', [rows, cols], 'float32');
      const [i, j] = vars('i', 'j');
      const f = t.primFunc('f', [M], t.forLoop(i!, 0, rows, 'serial', t.forLoop(j!, 0, cols, 'serial',
        t.bufferStore(M, t.bufferLoad(M, [i!, c(0)]), [i!, j!]))), { argShapes: [[rows, cols]] });
      const after = removeNoOp(f);
      expect(after).toBe(f);
      const m = seeded(rows * cols, rows + cols);
      const want = Array.from(m, (_, k) => m[Math.floor(k / cols) * cols]!); // plain JS: each row its first element
      interpret(after, [m]);
      expect(Array.from(m)).toEqual(want);
    }
  });

  it('still removes M[i, j] = M[i, j] (every index the same)', () => {
    const M = t.buffer('M', [3, 5], 'float32');
    const [i, j] = vars('i', 'j');
    const f = t.primFunc('f', [M], t.forLoop(i!, 0, 3, 'serial', t.forLoop(j!, 0, 5, 'serial',
      t.bufferStore(M, t.bufferLoad(M, [i!, j!]), [i!, j!]))), { argShapes: [[3, 5]] });
    expectIR(removeNoOp(f), t.primFunc('f', [M], t.noOp(), { argShapes: [[3, 5]] }));
  });

  it('keeps a let whose variable the body reads (a pure value is no reason to drop it)', () => {
    const [i, v] = vars('i', 'v');
    // for i in 0..8: let v = 2i in A[v] = i
    const f = fn(t.forLoop(i!, 0, 8, 'serial', t.letStmt(v!, t.mul(i!, c(2)), store(v!, t.cast('float32', i!)))));
    const after = removeNoOp(f);
    expect(after).toBe(f);
    const a = new Float32Array(16);
    interpret(after, [a]);
    const want = new Float32Array(16);
    for (let k = 0; k < 8; k++) want[2 * k] = k;
    expect(Array.from(a)).toEqual(Array.from(want));
  });

  it('removes the no-ops inside a kept let, and keeps the let around what is left', () => {
    const [i, v] = vars('i', 'v');
    const before = fn(t.forLoop(i!, 0, 8, 'serial', t.letStmt(v!, t.add(i!, c(8)), t.seq([t.noOp(), store(v!), t.evaluate(c(0))]))));
    const after = removeNoOp(before);
    expectIR(after, fn(t.forLoop(i!, 0, 8, 'serial', t.letStmt(v!, t.add(i!, c(8)), store(v!)))));
    const a = new Float32Array(16);
    interpret(after, [a]);
    expect(Array.from(a)).toEqual(Array.from({ length: 16 }, (_, k) => (k >= 8 ? 1 : 0)));
  });

  it('removes an if without else whose then branch does nothing, and one whose both branches do nothing', () => {
    const [i] = vars('i');
    const selfStore = t.bufferStore(A, t.bufferLoad(A, [i!]), [i!]);
    expectIR(removeNoOp(fn(t.forLoop(i!, 0, 16, 'serial', t.ifThenElse(t.lt(i!, c(4)), selfStore)))), fn(t.noOp()));
    expectIR(removeNoOp(fn(t.forLoop(i!, 0, 16, 'serial', t.seq([t.ifThenElse(t.lt(i!, c(4)), t.noOp(), t.noOp()), store(i!)])))),
      fn(t.forLoop(i!, 0, 16, 'serial', store(i!))));
  });
});
