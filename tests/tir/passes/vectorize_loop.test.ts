// tests/tir/passes/vectorize_loop.test.ts — vectorized loops become Ramp/Broadcast statements,
// or stay serial with the reason recorded.
import { describe, expect, it } from 'vitest';
import * as t from '../../../tir/nodes.js';
import { vectorizeLoop } from '../../../tir/passes/vectorize_loop.js';
import { c, expectIR, expectSameResults, vars } from '../helpers.js';

const A = t.buffer('A', [64], 'float32');
const B = t.buffer('B', [64], 'float32');
const C = t.buffer('C', [64], 'float32');
const fn = (body: t.Stmt): t.PrimFunc => t.primFunc('f', [A, B, C], body, { argShapes: [[64], [64], [64]] });

function failedReason(f: t.PrimFunc): string | number | undefined {
  let s: t.Stmt = f.body;
  while (s.kind === 'For' && s.annotations['vectorize_failed'] === undefined) s = s.body;
  return s.kind === 'For' ? s.annotations['vectorize_failed'] : undefined;
}

describe('vectorizeLoop', () => {
  it('turns contiguous accesses into ramps and invariant values into broadcasts', () => {
    const [i, x] = vars('i', 'x');
    const ix = t.add(t.mul(i!, c(16)), x!);
    // C[i*16 + x] = A[i*16 + x] * B[i] + 1
    const before = fn(t.forLoop(i!, 0, 4, 'serial', t.forLoop(x!, 0, 16, 'vectorized',
      t.bufferStore(C, t.add(t.mul(t.bufferLoad(A, [ix]), t.bufferLoad(B, [i!])), t.floatImm(1)), [ix]))));
    const r = t.ramp(t.mul(i!, c(16)), c(1), 16);
    const expected = fn(t.forLoop(i!, 0, 4, 'serial',
      t.bufferStore(C, t.add(t.mul(t.bufferLoad(A, [r]), t.broadcast(t.bufferLoad(B, [i!]), 16)), t.broadcast(t.floatImm(1), 16)), [r])));
    const after = vectorizeLoop(before);
    expectIR(after, expected);
    expectSameResults(before, after);
  });

  it('makes a strided ramp for an index with a non-unit coefficient, lanes = extent', () => {
    const [x] = vars('x');
    const before = fn(t.forLoop(x!, 0, 8, 'vectorized', t.bufferStore(C, t.bufferLoad(A, [t.add(t.mul(x!, c(8)), c(3))]), [t.add(x!, c(8))])));
    const expected = fn(t.bufferStore(C, t.bufferLoad(A, [t.ramp(c(3), c(8), 8)]), [t.ramp(c(8), c(1), 8)]));
    const after = vectorizeLoop(before);
    expectIR(after, expected);
    expectSameResults(before, after);
  });

  it('vectorizes selects, casts and intrinsic calls lane-wise', () => {
    const [x] = vars('x');
    const v = t.bufferLoad(A, [x!]);
    const before = fn(t.forLoop(x!, 0, 16, 'vectorized', t.bufferStore(C,
      t.select(t.gt(v, t.floatImm(0)), t.call('exp', [v]), t.cast('float32', x!)), [x!])));
    const after = vectorizeLoop(before);
    expect(failedReason(after)).toBeUndefined();
    expectSameResults(before, after);
  });

  it('unrolls an inner unrolled loop and vectorizes the copies', () => {
    const [x, k] = vars('x', 'k');
    const before = fn(t.forLoop(x!, 0, 4, 'vectorized', t.forLoop(k!, 0, 2, 'unrolled',
      t.bufferStore(C, t.bufferLoad(A, [t.add(t.mul(k!, c(4)), x!)]), [t.add(t.mul(k!, c(4)), x!)]))));
    const expected = fn(t.seq([0, 4].map((b) => t.bufferStore(C, t.bufferLoad(A, [t.ramp(c(b), c(1), 4)]), [t.ramp(c(b), c(1), 4)]))));
    expectIR(vectorizeLoop(before), expected);
  });

  it('keeps a loop whose guard depends on the loop variable serial, with the reason', () => {
    const [x] = vars('x');
    const before = fn(t.forLoop(x!, 0, 16, 'vectorized', t.ifThenElse(t.lt(x!, c(10)), t.bufferStore(C, t.floatImm(0), [x!]))));
    const after = vectorizeLoop(before);
    expectIR(after, fn(t.forLoop(x!, 0, 16, 'serial', t.ifThenElse(t.lt(x!, c(10)), t.bufferStore(C, t.floatImm(0), [x!])),
      { annotations: { vectorize_failed: 'a guard depends on the loop variable' } })));
  });

  it('carries the lanes through an inner serial loop: the loop stays, its body becomes vector code', () => {
    const [x, k] = vars('x', 'k');
    const before = fn(t.forLoop(x!, 0, 8, 'vectorized', t.forLoop(k!, 0, 8, 'serial',
      t.bufferStore(C, t.bufferLoad(A, [t.add(t.mul(k!, c(8)), x!)]), [t.add(t.mul(k!, c(8)), x!)]))));
    const ix = t.ramp(t.mul(k!, c(8)), c(1), 8);
    expectIR(vectorizeLoop(before), fn(t.forLoop(k!, 0, 8, 'serial', t.bufferStore(C, t.bufferLoad(A, [ix]), [ix]))));
    expectSameResults(before, vectorizeLoop(before));
  });

  it('keeps a loop serial when an inner loop\'s bounds depend on the lane, with the reason', () => {
    const [x, k] = vars('x', 'k');
    const before = fn(t.forLoop(x!, 0, 8, 'vectorized', t.forLoop(k!, 0, x!, 'serial', t.bufferStore(C, t.floatImm(0), [x!]))));
    expect(failedReason(vectorizeLoop(before))).toBe('the bounds of the inner loop k depend on the loop variable');
  });

  it('keeps a loop with an index that is not affine in the loop variable serial', () => {
    const [x] = vars('x');
    const before = fn(t.forLoop(x!, 0, 8, 'vectorized', t.bufferStore(C, t.bufferLoad(A, [t.mul(x!, x!)]), [x!])));
    expect(failedReason(vectorizeLoop(before))).toBe('the load index of A is not affine in the loop variable');
  });

  it('keeps a reduction into one element (same store index every lane) serial', () => {
    const [x] = vars('x');
    const before = fn(t.forLoop(x!, 0, 8, 'vectorized',
      t.bufferStore(C, t.add(t.bufferLoad(C, [c(0)]), t.bufferLoad(A, [x!])), [c(0)])));
    const after = vectorizeLoop(before);
    expect(failedReason(after)).toBe('the store to C has the same index in every iteration');
    expectSameResults(before, after);
  });

  it('keeps a loop of non-constant extent serial', () => {
    const [n, x] = vars('n', 'x');
    const before = fn(t.forLoop(n!, 0, 4, 'serial', t.forLoop(x!, 0, n!, 'vectorized', t.bufferStore(C, t.floatImm(0), [x!]))));
    expect(failedReason(vectorizeLoop(before))).toBe('the extent is not a constant');
  });
});

describe('vectorizeLoop with lets', () => {
  it('substitutes a let of an affine index so the access stays a ramp', () => {
    const [x, v] = vars('x', 'v');
    const before = fn(t.forLoop(x!, 0, 8, 'vectorized', t.letStmt(v!, t.add(x!, c(4)), t.bufferStore(C, t.bufferLoad(A, [v!]), [x!]))));
    const expected = fn(t.bufferStore(C, t.bufferLoad(A, [t.ramp(c(4), c(1), 8)]), [t.ramp(c(0), c(1), 8)]));
    const after = vectorizeLoop(before);
    expectIR(after, expected);
    expectSameResults(before, after);
  });

  it('binds a let of a computed vector to a new vector variable', () => {
    const [x] = vars('x');
    const val = t.variable('val', 'float32');
    const before = fn(t.forLoop(x!, 0, 4, 'vectorized', t.letStmt(val, t.mul(t.bufferLoad(A, [x!]), t.floatImm(3)),
      t.bufferStore(C, t.add(val, val), [x!]))));
    const after = vectorizeLoop(before);
    expect(after.body.kind).toBe('LetStmt');
    expect(after.body.kind === 'LetStmt' && after.body.variable.dtype).toBe('float32x4');
    expectSameResults(before, after);
  });
});

describe('vectorizeLoop on statements without a vector form (mutants that survived a sampled run)', () => {
  it('keeps a loop with a workgroup barrier inside serial, saying so', () => {
    const [x] = vars('x');
    const before = fn(t.forLoop(x!, 0, 8, 'vectorized', t.seq([
      t.bufferStore(C, t.bufferLoad(A, [x!]), [x!]),
      t.evaluate(t.call('tir.storage_sync', [], 'int32')),
    ])));
    // The statement-level check names it as an evaluated call with effects.
    expect(failedReason(vectorizeLoop(before))).toBe('an evaluated expression with effects inside the loop');
  });

  it('vectorizes around a no-op statement and keeps it', () => {
    const [x] = vars('x');
    const before = fn(t.forLoop(x!, 0, 8, 'vectorized', t.seq([t.bufferStore(C, t.bufferLoad(A, [x!]), [x!]), t.evaluate(c(0))])));
    const r = t.ramp(c(0), c(1), 8);
    const after = vectorizeLoop(before);
    expect(failedReason(after)).toBeUndefined();
    expectIR(after, fn(t.seq([t.bufferStore(C, t.bufferLoad(A, [r]), [r]), t.evaluate(c(0))])));
    expectSameResults(before, after);
  });
});
