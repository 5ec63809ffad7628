// tests/tir/passes/simplify_stmt.test.ts — the statement simplifier's own decisions, case by case:
// how a guard narrows its variable (each comparison, `and`, `or`, guards that narrow nothing),
// which statements it rebuilds or keeps, loops that run once or never, and the results of every
// case against plain JS (the guards evaluated directly on the loop indices).
import { describe, expect, it } from 'vitest';
import * as t from '../../../tir/nodes.js';
import { interpret } from '../../../tir/interpreter.js';
import { simplify, simplifyStmt } from '../../../tir/passes/simplify.js';
import { c, expectIR, vars } from '../helpers.js';

const N = 64;
const A = t.buffer('A', [N], 'float32');
const fn = (body: t.Stmt, params: t.Buffer[] = [A]): t.PrimFunc =>
  t.primFunc('f', params, body, { argShapes: params.map((p) => p.shape.map((d) => (d as t.IntImm).value)) });

/** How many IfThenElse statements `s` holds (the guards the simplifier kept). */
function ifs(s: t.Stmt): number {
  switch (s.kind) {
    case 'IfThenElse': return 1 + ifs(s.thenCase) + (s.elseCase ? ifs(s.elseCase) : 0);
    case 'For': case 'LetStmt': case 'Allocate': return ifs(s.body);
    case 'SeqStmt': return s.seq.reduce((n, k) => n + ifs(k), 0);
    default: return 0;
  }
}

/** Interprets `f` with A zeroed (and the other buffers as given) and returns A. */
function runA(f: t.PrimFunc, others: (Float32Array | Int32Array)[] = []): number[] {
  const a = new Float32Array(N);
  interpret(f, [a, ...others]);
  return Array.from(a);
}

type Cmp = (i: number) => boolean;

describe('simplify: a guard narrows its variable in the then-branch', () => {
  const [i] = vars('i') as [t.Var];
  /** for i in [0, 64): if g { if h { A[i] = 1 } else { A[i] = 2 } } */
  const nested = (g: t.PrimExpr, h: t.PrimExpr): t.PrimFunc => fn(t.forLoop(i, 0, N, 'serial',
    t.ifThenElse(g, t.ifThenElse(h, t.bufferStore(A, t.floatImm(1), [i]), t.bufferStore(A, t.floatImm(2), [i])))));
  const want = (g: Cmp, h: Cmp): number[] => Array.from({ length: N }, (_, k) => (g(k) ? (h(k) ? 1 : 2) : 0));

  // [outer guard, inner guard, whether the outer one proves the inner one, both in plain JS]
  const cases: [string, t.PrimExpr, t.PrimExpr, boolean, Cmp, Cmp][] = [
    ['i < 10 proves i <= 9', t.lt(i, c(10)), t.le(i, c(9)), true, (k) => k < 10, (k) => k <= 9],
    ['i < 10 does not prove i < 9', t.lt(i, c(10)), t.lt(i, c(9)), false, (k) => k < 10, (k) => k < 9],
    ['i <= 9 proves i < 10', t.le(i, c(9)), t.lt(i, c(10)), true, (k) => k <= 9, (k) => k < 10],
    ['i <= 9 does not prove i < 9', t.le(i, c(9)), t.lt(i, c(9)), false, (k) => k <= 9, (k) => k < 9],
    ['i > 9 proves i >= 10', t.gt(i, c(9)), t.ge(i, c(10)), true, (k) => k > 9, (k) => k >= 10],
    ['i > 9 does not prove i > 10', t.gt(i, c(9)), t.gt(i, c(10)), false, (k) => k > 9, (k) => k > 10],
    ['i >= 10 proves i > 9', t.ge(i, c(10)), t.gt(i, c(9)), true, (k) => k >= 10, (k) => k > 9],
    ['i >= 10 does not prove i > 10', t.ge(i, c(10)), t.gt(i, c(10)), false, (k) => k >= 10, (k) => k > 10],
    // The narrowed range keeps the side the guard does not bound: i in [10, 63], not [10, 73].
    ['i >= 10 still proves i <= 63', t.ge(i, c(10)), t.le(i, c(63)), true, (k) => k >= 10, (k) => k <= 63],
    ['i > 20 still proves i < 64', t.gt(i, c(20)), t.lt(i, c(64)), true, (k) => k > 20, (k) => k < 64],
    ['i == 5 proves i < 6', t.eq(i, c(5)), t.lt(i, c(6)), true, (k) => k === 5, (k) => k < 6],
    ['i == 5 proves i > 4', t.eq(i, c(5)), t.gt(i, c(4)), true, (k) => k === 5, (k) => k > 4],
    ['i != 5 narrows nothing', t.ne(i, c(5)), t.lt(i, c(63)), false, (k) => k !== 5, (k) => k < 63],
    // Both conjuncts narrow i to [10, 19], so each inner bound is proven.
    ['i >= 10 && i < 20 proves i > 9', t.and(t.ge(i, c(10)), t.lt(i, c(20))), t.gt(i, c(9)), true, (k) => k >= 10 && k < 20, (k) => k > 9],
    ['i >= 10 && i < 20 proves i <= 19', t.and(t.ge(i, c(10)), t.lt(i, c(20))), t.le(i, c(19)), true, (k) => k >= 10 && k < 20, (k) => k <= 19],
    ['i < 20 && i >= 10 proves i > 9 && i <= 19', t.and(t.lt(i, c(20)), t.ge(i, c(10))), t.and(t.gt(i, c(9)), t.le(i, c(19))), true, (k) => k >= 10 && k < 20, () => true],
    ['i >= 10 && i < 20 does not prove i > 10', t.and(t.ge(i, c(10)), t.lt(i, c(20))), t.gt(i, c(10)), false, (k) => k >= 10 && k < 20, (k) => k > 10],
    // An `or` narrows nothing: i < 10 does not hold in the then-branch.
    ['i < 10 || i > 50 does not prove i < 10', t.or(t.lt(i, c(10)), t.gt(i, c(50))), t.lt(i, c(10)), false, (k) => k < 10 || k > 50, (k) => k < 10],
    // …even when the two sides overlap (joining them as for `and` would give [21, 29]).
    ['i < 30 || i > 20 does not prove i < 30', t.or(t.lt(i, c(30)), t.gt(i, c(20))), t.lt(i, c(30)), false, () => true, (k) => k < 30],
    ['i > 20 || i < 30 does not prove i > 20', t.or(t.gt(i, c(20)), t.lt(i, c(30))), t.gt(i, c(20)), false, () => true, (k) => k > 20],
    ['i > 50 || i < 10 does not prove i > 50', t.or(t.gt(i, c(50)), t.lt(i, c(10))), t.gt(i, c(50)), false, (k) => k > 50 || k < 10, (k) => k > 50],
  ];

  for (const [name, g, h, proven, gj, hj] of cases) {
    it(name, () => {
      const before = nested(g, h);
      const after = simplify(before);
      expect(ifs(after.body), 'guards left').toBe(proven ? 1 : 2);
      expect(runA(after)).toEqual(want(gj, hj));
      expect(runA(before)).toEqual(want(gj, hj));
    });
  }

  it('an `and` whose conjuncts contradict each other narrows nothing (its then-branch never runs)', () => {
    for (const [g, gj] of [
      [t.and(t.ge(i, c(20)), t.lt(i, c(10))), (k: number) => k >= 20 && k < 10],
      [t.and(t.lt(i, c(10)), t.and(t.gt(i, c(3)), t.gt(i, c(12)))), (k: number) => k < 10 && k > 3 && k > 12],
    ] as const) {
      const before = nested(g, t.lt(i, c(5)));
      expect(runA(simplify(before))).toEqual(want(gj, (k) => k < 5));
    }
  });

  it('i == 5 makes i the constant 5 inside the guard', () => {
    const store = (idx: t.PrimExpr): t.Stmt => t.bufferStore(A, t.floatImm(1), [idx]);
    const before = fn(t.forLoop(i, 0, N, 'serial', t.ifThenElse(t.eq(i, c(5)), store(i))));
    expectIR(simplify(before), fn(t.forLoop(i, 0, N, 'serial', t.ifThenElse(t.eq(i, c(5)), store(c(5))))));
  });

  it('narrows only the then-branch: the else-branch keeps the whole loop range', () => {
    const before = fn(t.forLoop(i, 0, N, 'serial', t.ifThenElse(t.lt(i, c(10)),
      t.bufferStore(A, t.floatImm(1), [i]),
      t.ifThenElse(t.lt(i, c(30)), t.bufferStore(A, t.floatImm(2), [i]), t.bufferStore(A, t.floatImm(3), [i])))));
    const after = simplify(before);
    expect(ifs(after.body)).toBe(2);
    expect(runA(after)).toEqual(Array.from({ length: N }, (_, k) => (k < 10 ? 1 : k < 30 ? 2 : 3)));
  });

  it('a guard on a value with no known bounds (a load) narrows nothing, and results stay right', () => {
    // n = Idx[i] is unbounded: `n < 10` gives no finite range, so `n < 20` is kept (and evaluated).
    const Idx = t.buffer('Idx', [N], 'int32');
    const n = t.variable('n');
    const idx = Int32Array.from({ length: N }, (_, k) => ((k * 37) % 61) - 20);
    for (const [g, gj] of [[t.lt(n, c(10)), (v: number) => v < 10], [t.gt(n, c(-5)), (v: number) => v > -5], [t.ne(n, c(3)), (v: number) => v !== 3]] as const) {
      const before = fn(t.forLoop(i, 0, N, 'serial', t.letStmt(n, t.bufferLoad(Idx, [i]),
        t.ifThenElse(g, t.ifThenElse(t.lt(n, c(20)), t.bufferStore(A, t.floatImm(1), [i]), t.bufferStore(A, t.floatImm(2), [i]))))), [A, Idx]);
      const after = simplify(before);
      expect(ifs(after.body)).toBe(2);
      expect(runA(after, [idx])).toEqual(Array.from(idx, (v) => (gj(v) ? (v < 20 ? 1 : 2) : 0)));
    }
  });

  it('a let of an int32 value gets the bounds of its value', () => {
    // v = 8i + 3 with i in [0, 8): v in [3, 59], so v < 60 and v >= 3 hold and v < 59 does not.
    const v = t.variable('v');
    const mk = (h: t.PrimExpr): t.PrimFunc => fn(t.forLoop(i, 0, 8, 'serial', t.letStmt(v, t.add(t.mul(i, c(8)), c(3)),
      t.ifThenElse(h, t.bufferStore(A, t.floatImm(1), [v]), t.bufferStore(A, t.floatImm(2), [v])))));
    const v8 = Array.from({ length: 8 }, (_, k) => 8 * k + 3);
    for (const [h, proven, hj] of [[t.lt(v, c(60)), true, (x: number) => x < 60], [t.ge(v, c(3)), true, (x: number) => x >= 3],
      [t.lt(v, c(59)), false, (x: number) => x < 59]] as const) {
      const after = simplify(mk(h));
      expect(ifs(after.body)).toBe(proven ? 0 : 1);
      expect(runA(after)).toEqual(Array.from({ length: N }, (_, k) => (v8.includes(k) ? (hj(k) ? 1 : 2) : 0)));
    }
  });

  it('a let whose value has one infinite bound narrows nothing', () => {
    // w = min(Idx[i], 5): at most 5 but no lower bound, which a Range cannot hold, so w gets no
    // range at all and neither guard is decided (both kept, results right).
    const Idx = t.buffer('Idx', [N], 'int32');
    const w = t.variable('w');
    const idx = Int32Array.from({ length: N }, (_, k) => ((k * 29) % 23) - 11);
    const before = fn(t.forLoop(i, 0, N, 'serial', t.letStmt(w, t.min(t.bufferLoad(Idx, [i]), c(5)),
      t.ifThenElse(t.gt(w, c(-3)), t.ifThenElse(t.lt(w, c(6)), t.bufferStore(A, t.cast('float32', w), [i]), t.bufferStore(A, t.floatImm(99), [i]))))), [A, Idx]);
    const after = simplify(before);
    expect(ifs(after.body)).toBe(2);
    expect(runA(after, [idx])).toEqual(Array.from(idx, (x) => { const m = Math.min(x, 5); return m > -3 ? m : 0; }));
  });

  it('a guard that is a bool variable, a negation or a lazy if_then_else call narrows nothing', () => {
    const flag = t.variable('flag', 'bool');
    const mk = (g: t.PrimExpr): t.PrimFunc => fn(t.forLoop(i, 0, N, 'serial', t.letStmt(flag, t.lt(i, c(7)),
      t.ifThenElse(g, t.ifThenElse(t.lt(i, c(7)), t.bufferStore(A, t.floatImm(1), [i]), t.bufferStore(A, t.floatImm(2), [i]))))));
    const guards: [t.PrimExpr, Cmp][] = [
      [flag, (k) => k < 7],
      [t.not(t.ge(i, c(7))), (k) => k < 7],
      [t.eq(flag, t.intImm(1, 'bool')), (k) => k < 7],
      [t.ifThenElseExpr(t.lt(i, c(3)), t.intImm(1, 'bool'), flag), (k) => k < 7],
    ];
    for (const [g, gj] of guards) {
      const after = simplify(mk(g));
      expect(runA(after)).toEqual(Array.from({ length: N }, (_, k) => (gj(k) ? (k < 7 ? 1 : 2) : 0)));
    }
  });
});

describe('simplify: stores', () => {
  it('rebuilds a store when only one of its indices simplifies', () => {
    const [i, j] = vars('i', 'j') as [t.Var, t.Var];
    const B = t.buffer('B', [4, 8], 'float32');
    const body = (jx: t.PrimExpr): t.Stmt => t.forLoop(i, 0, 4, 'serial', t.forLoop(j, 0, 8, 'serial',
      t.bufferStore(B, t.floatImm(1), [i, jx])));
    expectIR(simplify(fn(body(t.add(j, c(0))), [B])), fn(body(j), [B]));
    expectIR(simplify(fn(body(t.add(t.mul(c(2), c(0)), j)), [B])), fn(body(j), [B]));
  });
});

describe('simplify: what is kept, rebuilt or dropped', () => {
  const [i, j, v] = vars('i', 'j', 'v') as [t.Var, t.Var, t.Var];
  const store = (val: number, idx: t.PrimExpr = i): t.Stmt => t.bufferStore(A, t.floatImm(val), [idx]);
  const plus0 = (e: t.PrimExpr): t.PrimExpr => t.add(e, c(0));
  const T = t.buffer('T', [4], 'float32', 'local');
  const sync = t.evaluate(t.call('tir.storage_sync', [], 'int32'));

  const Idx = t.buffer('Idx', [1], 'int32');

  it('returns every kind of statement itself when nothing in it simplifies', () => {
    const m = t.variable('m');
    const stmts: t.Stmt[] = [
      t.forLoop(i, 0, 8, 'serial', store(1)),
      t.forLoop(i, 0, 8, 'serial', t.letStmt(v, t.mul(i, c(2)), store(1, v))),
      t.forLoop(i, 0, 8, 'serial', t.ifThenElse(t.lt(i, c(3)), store(1), store(2))),
      t.forLoop(i, 0, 8, 'serial', t.ifThenElse(t.lt(i, c(3)), store(1))),
      t.forLoop(i, 0, 8, 'serial', t.seq([store(1), store(2, t.add(i, c(8)))])),
      t.allocate(T, t.forLoop(i, 0, 4, 'serial', t.bufferStore(T, t.floatImm(1), [i]))),
      t.seq([sync, store(3, c(0))]),
      t.forLoop(i, 0, 4, 'threadBinding', store(1), { threadTag: 'threadIdx.x' }),
      t.forLoop(i, 0, 1, 'threadBinding', store(1, c(0)), { threadTag: 'threadIdx.x' }),
      t.letStmt(m, t.bufferLoad(Idx, [c(0)]), t.forLoop(i, m, 3, 'serial', store(1))),
    ];
    for (const s of stmts) {
      expect(simplifyStmt(s)).toBe(s);
      const f = fn(s);
      expect(simplify(f)).toBe(f);
    }
  });

  it('rebuilds a statement when any one part of it simplifies, keeping the others', () => {
    const m = t.variable('m');
    const pairs: [t.Stmt, t.Stmt][] = [
      // for: min, extent, body
      [t.letStmt(m, t.bufferLoad(Idx, [c(0)]), t.forLoop(i, plus0(m), 3, 'serial', store(1))), t.letStmt(m, t.bufferLoad(Idx, [c(0)]), t.forLoop(i, m, 3, 'serial', store(1)))],
      [t.forLoop(i, 0, t.add(c(4), c(4)), 'serial', store(1)), t.forLoop(i, 0, 8, 'serial', store(1))],
      [t.forLoop(i, 0, 8, 'serial', store(1, plus0(i))), t.forLoop(i, 0, 8, 'serial', store(1))],
      // let: value, body
      [t.forLoop(i, 0, 8, 'serial', t.letStmt(v, plus0(i), store(1, v))), t.forLoop(i, 0, 8, 'serial', t.letStmt(v, i, store(1, v)))],
      [t.forLoop(i, 0, 8, 'serial', t.letStmt(v, i, store(1, plus0(v)))), t.forLoop(i, 0, 8, 'serial', t.letStmt(v, i, store(1, v)))],
      // if: condition, then, else
      [t.forLoop(i, 0, 8, 'serial', t.ifThenElse(t.lt(plus0(i), c(3)), store(1), store(2))), t.forLoop(i, 0, 8, 'serial', t.ifThenElse(t.lt(i, c(3)), store(1), store(2)))],
      [t.forLoop(i, 0, 8, 'serial', t.ifThenElse(t.lt(i, c(3)), store(1, plus0(i)), store(2))), t.forLoop(i, 0, 8, 'serial', t.ifThenElse(t.lt(i, c(3)), store(1), store(2)))],
      [t.forLoop(i, 0, 8, 'serial', t.ifThenElse(t.lt(i, c(3)), store(1), store(2, plus0(i)))), t.forLoop(i, 0, 8, 'serial', t.ifThenElse(t.lt(i, c(3)), store(1), store(2)))],
      // seq: one statement of several; allocate: its body; evaluate: its value
      [t.forLoop(i, 0, 8, 'serial', t.seq([store(1), store(2, plus0(t.add(i, c(8))))])), t.forLoop(i, 0, 8, 'serial', t.seq([store(1), store(2, t.add(i, c(8)))]))],
      [t.allocate(T, t.forLoop(i, 0, 4, 'serial', t.bufferStore(T, t.floatImm(1), [plus0(i)]))), t.allocate(T, t.forLoop(i, 0, 4, 'serial', t.bufferStore(T, t.floatImm(1), [i])))],
      [t.seq([t.evaluate(t.add(t.call('tir.storage_sync', [], 'int32'), c(0))), store(3, c(0))]), t.seq([sync, store(3, c(0))])],
      // a store whose value alone simplifies
      [t.forLoop(i, 0, 8, 'serial', t.bufferStore(A, t.add(t.floatImm(1), t.floatImm(2)), [i])), t.forLoop(i, 0, 8, 'serial', store(3))],
    ];
    for (const [before, want] of pairs) expectIR(simplifyStmt(before), want);
  });

  it('keeps the loop kind, thread tag and annotations of a rebuilt loop', () => {
    const loop = (idx: t.PrimExpr): t.Stmt => t.forLoop(i, 0, 4, 'threadBinding', store(1, idx), { threadTag: 'threadIdx.x', annotations: { pragma_unroll: 1 } });
    const after = simplifyStmt(loop(plus0(i)));
    expectIR(after, loop(i));
    expect(after).toMatchObject({ forKind: 'threadBinding', threadTag: 'threadIdx.x', annotations: { pragma_unroll: 1 } });
    const par = t.forLoop(i, 0, 4, 'parallel', store(1, plus0(i)), { annotations: { a: 2 } });
    expect(simplifyStmt(par)).toMatchObject({ kind: 'For', forKind: 'parallel', annotations: { a: 2 } });
  });

  it('an if proven true becomes its then-branch, proven false its else-branch or nothing', () => {
    const loop = (s: t.Stmt): t.PrimFunc => fn(t.forLoop(i, 0, 8, 'serial', s));
    expectIR(simplify(loop(t.ifThenElse(t.lt(i, c(8)), store(1)))), loop(store(1)));
    expectIR(simplify(loop(t.ifThenElse(t.lt(i, c(8)), store(1), store(2)))), loop(store(1)));
    expectIR(simplify(loop(t.ifThenElse(t.ge(i, c(8)), store(1), store(2)))), loop(store(2)));
    // false without an else: nothing is left, not even the loop.
    expectIR(simplify(loop(t.ifThenElse(t.ge(i, c(8)), store(1)))), fn(t.noOp()));
    // …and inside a sequence only that statement goes.
    expectIR(simplify(loop(t.seq([store(5), t.ifThenElse(t.ge(i, c(8)), store(1))]))), loop(store(5)));
  });

  it('drops the statements of a sequence that simplify to nothing, and the sequence when all do', () => {
    const dead = (k: number): t.Stmt => t.ifThenElse(t.ge(i, c(8 + k)), store(k));
    const loop = (s: t.Stmt): t.PrimFunc => fn(t.forLoop(i, 0, 8, 'serial', s));
    expectIR(simplify(loop(t.seq([dead(0), store(1), dead(1), store(2)]))), loop(t.seq([store(1), store(2)])));
    expectIR(simplify(loop(t.seq([dead(0), dead(1)]))), fn(t.noOp()));
    expectIR(simplify(fn(t.seq([store(4, c(0)), t.forLoop(i, 0, 0, 'serial', store(1))]))), fn(store(4, c(0))));
    expect(runA(simplify(loop(t.seq([dead(0), store(1), dead(1), store(2, t.add(i, c(8)))]))))).toEqual(
      Array.from({ length: N }, (_, k) => (k < 8 ? 1 : k < 16 ? 2 : 0)));
  });

  it('removes loops that never run (extent 0 or negative) and loops whose body is nothing', () => {
    for (const ext of [0, -1, -7]) expectIR(simplify(fn(t.forLoop(i, 0, ext, 'serial', store(1)))), fn(t.noOp()));
    expectIR(simplify(fn(t.forLoop(i, 0, t.sub(c(2), c(5)), 'serial', store(1)))), fn(t.noOp()));
    expectIR(simplify(fn(t.forLoop(i, 0, 8, 'serial', t.forLoop(j, 0, 0, 'serial', store(1))))), fn(t.noOp()));
    expectIR(simplify(fn(t.forLoop(i, 0, 8, 'threadBinding', t.ifThenElse(t.ge(i, c(8)), store(1)), { threadTag: 'threadIdx.x' }))), fn(t.noOp()));
    // extent 2 or 3 is a loop, even when the body does not read its variable.
    expectIR(simplify(fn(t.forLoop(i, 0, 2, 'serial', store(1)))), fn(t.forLoop(i, 0, 2, 'serial', store(1))));
    for (const ext of [2, 3]) {
      const acc = fn(t.forLoop(i, 0, ext, 'serial', t.bufferStore(A, t.add(t.bufferLoad(A, [c(0)]), t.floatImm(1)), [c(0)])));
      expect(simplify(acc)).toBe(acc);
      expect(runA(simplify(acc))[0]).toBe(ext);
    }
  });

  it('replaces a loop that runs once by its body, except a thread loop or one whose body still needs its variable', () => {
    expectIR(simplify(fn(t.forLoop(i, 3, 1, 'serial', store(1)))), fn(store(1, c(3))));
    expectIR(simplify(fn(t.forLoop(i, 3, 1, 'unrolled', store(1, t.add(i, c(2)))))), fn(store(1, c(5))));
    // A threadIdx loop of extent 1 is a launch dimension: kept (its variable is 0 inside).
    const th = (idx: t.PrimExpr): t.PrimFunc => fn(t.forLoop(i, 0, 1, 'threadBinding', store(1, idx), { threadTag: 'threadIdx.x' }));
    expectIR(simplify(th(i)), th(c(0)));
    // An allocation's shape is not an expression the simplifier rewrites, so a body whose
    // buffer is sized by the loop variable still needs it: that loop stays.
    const T = t.buffer('T', [t.add(i, c(2))], 'float32', 'local');
    const sized = fn(t.forLoop(i, 0, 1, 'serial', t.allocate(T, t.seq([
      t.bufferStore(T, t.floatImm(7), [c(1)]), t.bufferStore(A, t.bufferLoad(T, [c(1)]), [c(0)])]))));
    const kept = simplify(sized);
    expect(kept.body.kind).toBe('For');
    expect(runA(kept)).toEqual(Array.from({ length: N }, (_, k) => (k === 0 ? 7 : 0)));
    // A symbolic minimum: the body reads m.
    const m = t.variable('m');
    const sym = fn(t.letStmt(m, t.bufferLoad(Idx, [c(0)]), t.forLoop(i, m, 1, 'serial', store(1))), [A, Idx]);
    const after = simplify(sym);
    expect(runA(after, [Int32Array.of(6)])).toEqual(Array.from({ length: N }, (_, k) => (k === 6 ? 1 : 0)));
    expect(runA(after, [Int32Array.of(41)])).toEqual(Array.from({ length: N }, (_, k) => (k === 41 ? 1 : 0)));
  });
});

describe('simplifyStmt with the ranges of enclosing loops', () => {
  it('uses the ranges it is given, and only those', () => {
    const [i] = vars('i') as [t.Var];
    const guarded = t.ifThenElse(t.lt(i, c(10)), t.bufferStore(A, t.floatImm(1), [i]));
    // i in [0, 8): the guard always holds.
    expectIR(simplifyStmt(guarded, new Map([[i, t.range(0, 8)]])), t.bufferStore(A, t.floatImm(1), [i]));
    // i in [10, 14): it never holds.
    expectIR(simplifyStmt(guarded, new Map([[i, t.range(10, 4)]])), t.noOp());
    // no ranges (or i's missing): kept.
    expect(simplifyStmt(guarded)).toBe(guarded);
    expect(simplifyStmt(guarded, new Map([[t.variable('j'), t.range(0, 8)]]))).toBe(guarded);
  });
});
