// tests/tir/passes/remove_no_op_ifs.test.ts — removeNoOp on an if whose branches survive: an else
// that does something is kept (values vs plain JS), an else that only evaluates pure values goes,
// no-ops inside a kept branch go, and an if with nothing to remove is returned as the same object.

import { describe, expect, it } from 'vitest';
import * as t from '../../../tir/nodes.js';
import { removeNoOp } from '../../../tir/passes/remove_no_op.js';
import { interpret } from '../../../tir/interpreter.js';
import { print } from '../../../tir/printer.js';

const N = 10;
const A = t.buffer('A', [N], 'float32');
const B = t.buffer('B', [N], 'float32');
const i = t.variable('i');
const c = (n: number): t.IntImm => t.intImm(n);
const fn = (body: t.Stmt): t.PrimFunc => t.primFunc('f', [A, B], body);
const loop = (body: t.Stmt): t.Stmt => t.forLoop(i, 0, N, 'serial', body);
const store = (scale: number): t.Stmt => t.bufferStore(B, t.mul(t.bufferLoad(A, [i]), t.floatImm(scale)), [i]);
const pureEval = (): t.Stmt => t.evaluate(t.add(i, c(1)));
const a = Float32Array.from({ length: N }, (_, k) => k * 1.25 - 3);

function run(f: t.PrimFunc): number[] {
  const b = new Float32Array(N).fill(-1);
  interpret(f, [a, b]);
  return [...b];
}

describe('removeNoOp: if statements that stay', () => {
  it('keeps an else that does something (B[i] = A[i]·2 when i < 4, else A[i]·3)', () => {
    const before = fn(loop(t.ifThenElse(t.lt(i, c(4)), store(2), store(3))));
    const after = removeNoOp(before);
    expect(after.body).toBe(before.body);
    expect(run(after)).toEqual([...a].map((x, k) => Math.fround(x * (k < 4 ? 2 : 3))));
  });

  it('keeps an else that does something when the then branch loses a no-op', () => {
    const before = fn(loop(t.ifThenElse(t.lt(i, c(4)), t.seq([store(2), pureEval()]), store(3))));
    const after = removeNoOp(before);
    expect(print(after)).toBe(print(fn(loop(t.ifThenElse(t.lt(i, c(4)), store(2), store(3))))));
    expect(run(after)).toEqual([...a].map((x, k) => Math.fround(x * (k < 4 ? 2 : 3))));
  });

  it('drops an else that only evaluates pure values, keeping the then branch as it is', () => {
    const then = store(2);
    const before = fn(loop(t.ifThenElse(t.lt(i, c(4)), then, t.seq([pureEval(), pureEval()]))));
    const after = removeNoOp(before);
    const s = (after.body as t.For).body as t.IfThenElse;
    expect(s.kind).toBe('IfThenElse');
    expect(s.elseCase).toBeUndefined();
    expect(s.thenCase).toBe(then);
    expect(run(after)).toEqual([...a].map((x, k) => (k < 4 ? Math.fround(x * 2) : -1)));
  });

  it('drops a no-op inside the then branch of an if without else', () => {
    const before = fn(loop(t.ifThenElse(t.lt(i, c(4)), t.seq([pureEval(), store(2)]))));
    const after = removeNoOp(before);
    expect(print(after)).toBe(print(fn(loop(t.ifThenElse(t.lt(i, c(4)), store(2))))));
    expect(((after.body as t.For).body as t.IfThenElse).elseCase).toBeUndefined();
  });

  it('returns an if without else and nothing to remove as the same object', () => {
    const body = loop(t.ifThenElse(t.lt(i, c(4)), store(2)));
    const before = fn(body);
    expect(removeNoOp(before).body).toBe(body);
  });
});
