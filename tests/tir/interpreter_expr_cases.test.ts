// tests/tir/interpreter_expr_cases.test.ts — the interpreter's expression paths that lowering of
// te programs rarely produces, on hand-built functions: a scalar lazy if_then_else (the arm not
// taken reads out of bounds), scalar and vector Let (shadowing too), a vector let variable, a
// vector if_then_else and select with a scalar condition, and the clear errors for nodes that
// cannot run (a Ramp in a scalar slot, a vector constant, a ProducerLoad or Reduce left unlowered).
// Answers are computed in plain JS.

import { describe, expect, it } from 'vitest';
import * as t from '../../tir/nodes.js';
import { interpret } from '../../tir/interpreter.js';

const N = 8;
const A = t.buffer('A', [N], 'int32');
const B = t.buffer('B', [N], 'int32');
const a0 = Int32Array.from({ length: N }, (_, i) => (i * 7 - 20) | 0);

function run(body: (i: t.Var) => t.Stmt, extent = N, vec = false): Int32Array {
  const i = t.variable('i');
  const out = new Int32Array(N).fill(-99);
  interpret(t.primFunc('f', [A, B], t.forLoop(i, 0, extent, vec ? 'serial' : 'serial', body(i))), [a0.slice(), out]);
  return out;
}

describe('interpreter: scalar expressions', () => {
  it('if_then_else evaluates only the arm taken (the other is out of bounds)', () => {
    const out = run((i) => t.bufferStore(B, t.ifThenElseExpr(t.lt(i, t.intImm(5)), t.bufferLoad(A, [i]),
      t.bufferLoad(A, [t.sub(i, t.intImm(100))])), [i]), 5);
    expect([...out]).toEqual([...a0.slice(0, 5), -99, -99, -99]);
    const out2 = run((i) => t.bufferStore(B, t.ifThenElseExpr(t.ge(i, t.intImm(3)), t.bufferLoad(A, [t.sub(i, t.intImm(3))]),
      t.mul(i, t.intImm(-1))), [i]));
    expect([...out2]).toEqual(Array.from({ length: N }, (_, i) => (i >= 3 ? a0[i - 3]! : -i | 0)));
  });

  it('Let binds its value for the body; an inner Let of the same variable shadows it and is undone', () => {
    const y = t.variable('y');
    // B[i] = let y = A[i] * 2 in (let y = y + 1 in y * 10) + y
    const out = run((i) => t.bufferStore(B, t.letExpr(y, t.mul(t.bufferLoad(A, [i]), t.intImm(2)),
      t.add(t.letExpr(y, t.add(y, t.intImm(1)), t.mul(y, t.intImm(10))), y)), [i]));
    expect([...out]).toEqual([...a0].map((v) => (v * 2 + 1) * 10 + v * 2));
  });

  it('a Ramp or Broadcast where a scalar is needed, a ProducerLoad and a Reduce are refused clearly', () => {
    const i = t.variable('i');
    const bad: t.PrimExpr = { kind: 'BinaryOp', dtype: 'int32', op: 'add', a: t.ramp(i, t.intImm(1), 4), b: t.intImm(1) };
    expect(() => run(() => t.bufferStore(B, bad, [i]))).toThrow('interpret: expected a scalar, got Ramp of int32x4');
    const badB: t.PrimExpr = { kind: 'BinaryOp', dtype: 'int32', op: 'add', a: t.broadcast(i, 4), b: t.intImm(1) };
    expect(() => run(() => t.bufferStore(B, badB, [i]))).toThrow('interpret: expected a scalar, got Broadcast of int32x4');
    // a hand-spread Ramp / Broadcast that claims a scalar dtype
    for (const kind of ['Ramp', 'Broadcast'] as const) {
      const node = { ...(kind === 'Ramp' ? t.ramp(i, t.intImm(1), 4) : t.broadcast(i, 4)), dtype: 'int32' } as t.PrimExpr;
      expect(() => run((j) => t.bufferStore(B, t.add(node, j), [j]))).toThrow(`interpret: ${kind} with dtype int32 is not scalar`);
    }
    const P = { kind: 'Tensor', name: 'P', shape: [t.intImm(N)], dtype: 'int32' } as unknown as t.DataProducer;
    const pl = t.producerLoad(P, [t.intImm(0)]);
    expect(() => run((j) => t.bufferStore(B, pl, [j]))).toThrow(/ProducerLoad cannot be executed; lower the function first \(te\.lower\)/);
    const k = t.iterVar(t.range(0, 4), 'k', 'reduce');
    const red = t.reduce('sum', k.variable, [k]);
    expect(() => run((j) => t.bufferStore(B, red, [j]))).toThrow(/Reduce cannot be executed; lower the function first/);
  });
});

describe('interpreter: vector expressions', () => {
  const L = 4;
  const vloop = (body: (base: t.PrimExpr, i: t.Var) => t.Stmt): Int32Array => run((i) => body(t.mul(i, t.intImm(L)), i), N / L);

  it('a vector Let variable (int32x4) is read back as a whole vector', () => {
    const v = t.variable('v', 'int32x4');
    const out = vloop((base) => t.bufferStore(B, t.letExpr(v, t.mul(t.bufferLoad(A, [t.ramp(base, t.intImm(1), L)]), t.broadcast(t.intImm(3), L)),
      t.add(v, t.ramp(t.intImm(0), t.intImm(1), L))), [t.ramp(base, t.intImm(1), L)]));
    expect([...out]).toEqual([...a0].map((x, j) => x * 3 + (j % L)));
  });

  it('a vector-typed Let of a scalar variable binds the scalar', () => {
    const s = t.variable('s');
    const out = vloop((base, i) => t.bufferStore(B, t.letExpr(s, t.add(t.mul(i, t.intImm(100)), t.intImm(7)),
      t.add(t.broadcast(s, L), t.bufferLoad(A, [t.ramp(base, t.intImm(1), L)]))), [t.ramp(base, t.intImm(1), L)]));
    expect([...out]).toEqual([...a0].map((x, j) => x + Math.floor(j / L) * 100 + 7));
  });

  it('if_then_else with a scalar condition picks a whole vector arm', () => {
    const out = vloop((base, i) => t.bufferStore(B, t.ifThenElseExpr(t.lt(i, t.intImm(1)), t.bufferLoad(A, [t.ramp(base, t.intImm(1), L)]),
      t.broadcast(t.intImm(-1), L)), [t.ramp(base, t.intImm(1), L)]));
    expect([...out]).toEqual([...a0].map((x, j) => (j < L ? x : -1)));
    // the arm not taken may be out of bounds
    const out2 = vloop((base, i) => t.bufferStore(B, t.ifThenElseExpr(t.ge(i, t.intImm(1)), t.bufferLoad(A, [t.ramp(t.sub(base, t.intImm(4)), t.intImm(1), L)]),
      t.bufferLoad(A, [t.ramp(t.add(base, t.intImm(4)), t.intImm(1), L)])), [t.ramp(base, t.intImm(1), L)]));
    expect([...out2]).toEqual([...a0.slice(4, 8), ...a0.slice(0, 4)]);
  });

  it('select with a scalar condition broadcasts it', () => {
    const out = vloop((base, i) => t.bufferStore(B, t.select(t.eq(i, t.intImm(1)), t.bufferLoad(A, [t.ramp(base, t.intImm(1), L)]),
      t.ramp(t.intImm(50), t.intImm(2), L)), [t.ramp(base, t.intImm(1), L)]));
    expect([...out]).toEqual([...a0].map((x, j) => (j >= L ? x : 50 + 2 * j)));
  });

  it('a vector constant and an unlowered vector node are refused clearly', () => {
    const vc = { kind: 'IntImm', dtype: 'int32x4', value: 1 } as unknown as t.PrimExpr;
    expect(() => vloop((base) => t.bufferStore(B, vc, [t.ramp(base, t.intImm(1), L)]))).toThrow(/constant with vector dtype int32x4/);
    const k = t.iterVar(t.range(0, 4), 'k', 'reduce');
    const red = { ...t.reduce('sum', k.variable, [k]), dtype: 'int32x4' } as t.PrimExpr;
    expect(() => vloop((base) => t.bufferStore(B, red, [t.ramp(base, t.intImm(1), L)]))).toThrow(/Reduce cannot be executed; lower the function first/);
  });
});
