// tests/tir/passes/unroll_loops.test.ts — explicit unrolling and pragma_auto_unroll_max_step.
import { describe, expect, it } from 'vitest';
import * as t from '../../../tir/nodes.js';
import { interpret } from '../../../tir/interpreter.js';
import { MAX_EXPLICIT_UNROLL_STEPS, UNROLL_SKIPPED, unrollLoops } from '../../../tir/passes/unroll_loops.js';
import { c, expectIR, expectSameResults, vars } from '../helpers.js';

const A = t.buffer('A', [64], 'float32');
const B = t.buffer('B', [64], 'float32');
const fn = (body: t.Stmt): t.PrimFunc => t.primFunc('f', [A, B], body, { argShapes: [[64], [64]] });
const copy = (ix: t.PrimExpr): t.Stmt => t.bufferStore(B, t.bufferLoad(A, [ix]), [ix]);

describe('unrollLoops', () => {
  it('keeps an unrolled loop past the step cap a serial loop, with the reason naming the axis', () => {
    const big = t.buffer('Big', [MAX_EXPLICIT_UNROLL_STEPS * 2], 'float32');
    const [i, j] = vars('i', 'j');
    const f = t.primFunc('f', [big], t.forLoop(i!, 0, MAX_EXPLICIT_UNROLL_STEPS * 2, 'unrolled', t.bufferStore(big, t.floatImm(1), [i!])));
    const after = unrollLoops(f);
    expect(after.body.kind).toBe('For');
    const loop = after.body as t.For;
    expect(loop.forKind).toBe('serial');
    expect(String(loop.annotations[UNROLL_SKIPPED])).toMatch(/^unrolling i would copy its body 8192 times .* split the axis/);
    // Nested: 64 × 128 stores is over the cap too; the inner loop (128) alone is not.
    const nested = fn(t.forLoop(i!, 0, 64, 'unrolled', t.forLoop(j!, 0, 128, 'unrolled', copy(c(0)))));
    const out = unrollLoops(nested).body as t.For;
    expect([out.kind, out.forKind, out.body.kind]).toEqual(['For', 'serial', 'SeqStmt']);
  });

  it('caps a pragma_auto_unroll_max_step above the explicit cap at the cap', () => {
    const big = t.buffer('Big', [MAX_EXPLICIT_UNROLL_STEPS * 2], 'float32');
    const [i] = vars('i');
    const f = t.primFunc('f', [big], t.forLoop(i!, 0, MAX_EXPLICIT_UNROLL_STEPS * 2, 'serial', t.bufferStore(big, t.floatImm(1), [i!]),
      { annotations: { pragma_auto_unroll_max_step: 1_000_000 } }));
    const after = unrollLoops(f);
    expect([after.body.kind, (after.body as t.For).forKind]).toEqual(['For', 'serial']);
  });

  it('replaces an unrolled loop by one copy of its body per iteration', () => {
    const [i, k] = vars('i', 'k');
    const before = fn(t.forLoop(i!, 0, 16, 'serial', t.forLoop(k!, 1, 3, 'unrolled', copy(t.add(t.mul(i!, c(4)), k!)))));
    const expected = fn(t.forLoop(i!, 0, 16, 'serial', t.seq([1, 2, 3].map((v) => copy(t.add(t.mul(i!, c(4)), c(v)))))));
    const after = unrollLoops(before);
    expectIR(after, expected);
    expectSameResults(before, after);
  });

  it('auto-unrolls inner serial loops whose step count fits the pragma, and drops the pragma', () => {
    const [o, i, j] = vars('o', 'i', 'j');
    const ix = t.add(t.add(t.mul(o!, c(16)), t.mul(i!, c(4))), j!);
    const before = fn(t.forLoop(o!, 0, 4, 'parallel', t.forLoop(i!, 0, 4, 'serial', t.forLoop(j!, 0, 4, 'serial', copy(ix))),
      { annotations: { pragma_auto_unroll_max_step: 16 } }));
    const copies: t.Stmt[] = [];
    for (let a = 0; a < 4; a++) {
      for (let b = 0; b < 4; b++) copies.push(copy(t.add(t.add(t.mul(o!, c(16)), t.mul(c(a), c(4))), c(b))));
    }
    const after = unrollLoops(before);
    expectIR(after, fn(t.forLoop(o!, 0, 4, 'parallel', t.seq(copies))));
    expectSameResults(before, after);
  });

  it('unrolls only the inner loop when the whole nest exceeds the step limit', () => {
    const [i, j] = vars('i', 'j');
    const ix = t.add(t.mul(i!, c(4)), j!);
    const before = fn(t.forLoop(i!, 0, 16, 'serial', t.forLoop(j!, 0, 4, 'serial', copy(ix)), { annotations: { pragma_auto_unroll_max_step: 8 } }));
    const expected = fn(t.forLoop(i!, 0, 16, 'serial', t.seq([0, 1, 2, 3].map((v) => copy(t.add(t.mul(i!, c(4)), c(v)))))));
    expectIR(unrollLoops(before), expected);
  });

  it('does not auto-unroll a loop around a loop that stays (a thread-bound one)', () => {
    const [i, tx] = vars('i', 'tx');
    const inner = t.forLoop(tx!, 0, 4, 'threadBinding', copy(t.add(t.mul(i!, c(4)), tx!)), { threadTag: 'threadIdx.x' });
    const before = fn(t.forLoop(i!, 0, 2, 'serial', inner, { annotations: { pragma_auto_unroll_max_step: 64 } }));
    expectIR(unrollLoops(before), fn(t.forLoop(i!, 0, 2, 'serial', inner)));
  });

  it('keeps an unrolled loop of non-constant extent, as a serial loop', () => {
    const [n, i] = vars('n', 'i');
    const before = fn(t.forLoop(n!, 0, 4, 'serial', t.forLoop(i!, 0, n!, 'unrolled', copy(i!))));
    expectIR(unrollLoops(before), fn(t.forLoop(n!, 0, 4, 'serial', t.forLoop(i!, 0, n!, 'serial', copy(i!)))));
  });

  it('rejects a pragma value that is not a non-negative integer', () => {
    const [i] = vars('i');
    const before = fn(t.forLoop(i!, 0, 4, 'serial', copy(i!), { annotations: { pragma_auto_unroll_max_step: 'lots' } }));
    expect(() => unrollLoops(before)).toThrow(/pragma_auto_unroll_max_step on loop i must be a non-negative integer/);
  });
  it('unrolls loops under if/else (either arm, or a then without else), let and allocate', () => {
    const [i, k, v] = vars('i', 'k', 'v');
    const L = t.buffer('L', [2], 'float32', 'local');
    const unrolled = (base: number): t.Stmt => t.forLoop(k!, 0, 2, 'unrolled', copy(t.add(k!, c(base))));
    // Unrolling substitutes k without simplifying: k + base becomes 0 + base, 1 + base.
    const copies = (base: number): t.Stmt => t.seq([copy(t.add(c(0), c(base))), copy(t.add(c(1), c(base)))]);
    const cond = t.lt(i!, c(1));
    const cases: [t.Stmt, t.Stmt][] = [
      [t.ifThenElse(cond, unrolled(0), unrolled(2)), t.ifThenElse(cond, copies(0), copies(2))],
      [t.ifThenElse(cond, copy(c(9)), unrolled(2)), t.ifThenElse(cond, copy(c(9)), copies(2))],
      [t.ifThenElse(cond, unrolled(4), copy(c(9))), t.ifThenElse(cond, copies(4), copy(c(9)))],
      [t.ifThenElse(cond, unrolled(6)), t.ifThenElse(cond, copies(6))],
      [t.ifThenElse(cond, copy(c(9))), t.ifThenElse(cond, copy(c(9)))],
      [t.letStmt(v!, t.mul(i!, c(2)), t.forLoop(k!, 0, 2, 'unrolled', copy(t.add(v!, k!)))),
        t.letStmt(v!, t.mul(i!, c(2)), t.seq([copy(t.add(v!, c(0))), copy(t.add(v!, c(1)))]))],
      [t.allocate(L, t.seq([t.forLoop(k!, 0, 2, 'unrolled', t.bufferStore(L, t.bufferLoad(A, [k!]), [k!])), t.bufferStore(B, t.bufferLoad(L, [c(1)]), [c(0)])])),
        t.allocate(L, t.seq([t.bufferStore(L, t.bufferLoad(A, [c(0)]), [c(0)]), t.bufferStore(L, t.bufferLoad(A, [c(1)]), [c(1)]), t.bufferStore(B, t.bufferLoad(L, [c(1)]), [c(0)])]))],
    ];
    for (const [body, want] of cases) {
      const before = fn(t.forLoop(i!, 0, 2, 'serial', body));
      const after = unrollLoops(before);
      expectIR(after, fn(t.forLoop(i!, 0, 2, 'serial', want)));
      expectSameResults(before, after);
    }
  });

  it('unrolls a loop of exactly MAX_EXPLICIT_UNROLL_STEPS stores, and keeps one store more a loop', () => {
    const big = t.buffer('Big', [MAX_EXPLICIT_UNROLL_STEPS + 1], 'float32');
    const [i] = vars('i');
    const loop = (n: number): t.PrimFunc => t.primFunc('f', [big], t.forLoop(i!, 0, n, 'unrolled', t.bufferStore(big, t.floatImm(1), [i!])));
    const at = unrollLoops(loop(MAX_EXPLICIT_UNROLL_STEPS)).body;
    expect(at.kind).toBe('SeqStmt');
    expect((at as t.SeqStmt).seq).toHaveLength(MAX_EXPLICIT_UNROLL_STEPS);
    expect(unrollLoops(loop(MAX_EXPLICIT_UNROLL_STEPS + 1)).body.kind).toBe('For');
  });
});

describe('unrollLoops: what an if/else counts for pragma_auto_unroll_max_step', () => {
  // for i in 0..4 (serial, pragma P): if (i < 2) then … else …  — a loop is auto-unrolled when
  // 4 × (stores of one iteration) ≤ P; an if/else executes one arm, so the larger arm counts,
  // and a loop kept inside either arm keeps the outer loop a loop.
  const [i, j] = vars('i', 'j');
  const stores = (n: number): t.Stmt => t.seq(Array.from({ length: n }, (_, k) => copy(t.add(t.mul(i!, c(4)), c(k)))));
  const cond = (): t.PrimExpr => t.lt(i!, c(2));
  const outer = (body: t.Stmt, pragma: number): t.PrimFunc => fn(t.forLoop(i!, 0, 4, 'serial', body, { annotations: { pragma_auto_unroll_max_step: pragma } }));
  const unrolled = (f: t.PrimFunc): boolean => unrollLoops(f).body.kind !== 'For';
  /** A loop no pragma can unroll (its extent is not constant), so it stays a loop. */
  const keptLoop = (): t.Stmt => t.forLoop(j!, 0, t.add(i!, c(1)), 'serial', copy(t.add(t.mul(i!, c(4)), j!)));

  it('then only (3 stores): 12 steps — unrolled at P = 12, kept at P = 11', () => {
    const body = t.ifThenElse(cond(), stores(3));
    expect(unrolled(outer(body, 12))).toBe(true);
    expect(unrolled(outer(body, 11))).toBe(false);
  });

  it('then 1 store, else 3: the larger arm counts — unrolled at P = 12, kept at P = 11; the same with the arms swapped', () => {
    expect(unrolled(outer(t.ifThenElse(cond(), stores(1), stores(3)), 12))).toBe(true);
    expect(unrolled(outer(t.ifThenElse(cond(), stores(1), stores(3)), 11))).toBe(false);
    expect(unrolled(outer(t.ifThenElse(cond(), stores(3), stores(1)), 11))).toBe(false);
  });

  it('a loop kept in the then arm, or in the else arm, keeps the outer loop; an if without loops does not', () => {
    expect(unrolled(outer(t.ifThenElse(cond(), keptLoop()), 64))).toBe(false);
    expect(unrolled(outer(t.ifThenElse(cond(), stores(1), keptLoop()), 64))).toBe(false);
    expect(unrolled(outer(t.ifThenElse(cond(), keptLoop(), stores(1)), 64))).toBe(false);
    expect(unrolled(outer(t.ifThenElse(cond(), stores(1), stores(2)), 64))).toBe(true);
  });

  it('the unrolled form computes what plain JS does: B[4i + k] = A[4i + k] for k < 3 where i < 2, else k < 1', () => {
    const f = outer(t.ifThenElse(cond(), stores(3), stores(1)), 12);
    const after = unrollLoops(f);
    expect(after.body.kind).not.toBe('For');
    const a = Float32Array.from({ length: 64 }, (_, k) => k + 0.5);
    const b = new Float32Array(64);
    interpret(after, [a, b]);
    const want = new Float32Array(64);
    for (let r = 0; r < 4; r++) for (let k = 0; k < (r < 2 ? 3 : 1); k++) want[4 * r + k] = a[4 * r + k]!;
    expect(Array.from(b)).toEqual(Array.from(want));
  });
});

describe('unrollLoops: nothing to unroll', () => {
  it('returns the very function when no loop is unrolled (an if/else, a let and an allocate kept as they are)', () => {
    const [i] = vars('i');
    const v = t.variable('v');
    const T = t.buffer('T', [1], 'float32', 'local');
    const body = t.forLoop(i!, 0, 8, 'serial', t.allocate(T, t.letStmt(v, t.mul(i!, c(2)),
      t.ifThenElse(t.lt(i!, c(4)), copy(v), copy(i!)))));
    const f = fn(body);
    expect(unrollLoops(f)).toBe(f);
  });
});
