// tests/tir/passes/loop_partition.test.ts — guarded loops split into a guard-free main part
// and a guarded remainder.
import { describe, expect, it } from 'vitest';
import * as t from '../../../tir/nodes.js';
import { loopPartition } from '../../../tir/passes/loop_partition.js';
import { vectorizeLoop } from '../../../tir/passes/vectorize_loop.js';
import { structuralEqual } from '../../../tir/structural.js';
import { c, expectIR, expectSameResults, vars } from '../helpers.js';

const A = t.buffer('A', [100], 'float32');
const B = t.buffer('B', [100], 'float32');
const fn = (body: t.Stmt): t.PrimFunc => t.primFunc('f', [A, B], body, { argShapes: [[100], [100]] });
const copy = (ix: t.PrimExpr): t.Stmt => t.bufferStore(B, t.bufferLoad(A, [ix]), [ix]);

describe('loopPartition', () => {
  it('splits the outer loop of a non-divisible split so its main part has no guard', () => {
    const [xo, xi] = vars('xo', 'xi');
    const x = t.add(t.mul(xo!, c(16)), xi!);
    const before = fn(t.forLoop(xo!, 0, 7, 'parallel', t.forLoop(xi!, 0, 16, 'serial', t.ifThenElse(t.lt(x, c(100)), copy(x)))));
    const expected = fn(t.seq([
      t.forLoop(xo!, 0, 6, 'parallel', t.forLoop(xi!, 0, 16, 'serial', copy(x))),
      t.forLoop(xi!, 0, 4, 'serial', copy(t.add(xi!, c(96)))),
    ]));
    const after = loopPartition(before);
    expectIR(after, expected);
    expectSameResults(before, after);
  });

  it('peels a head where a lower-bound guard (padding) fails', () => {
    const [h] = vars('h');
    const before = fn(t.forLoop(h!, 0, 100, 'serial', t.ifThenElse(t.ge(t.sub(h!, c(2)), c(0)), copy(t.sub(h!, c(2))))));
    const after = loopPartition(before);
    const expected = fn(t.forLoop(h!, 2, 98, 'serial', copy(t.sub(h!, c(2)))));
    expectIR(after, expected);
    expectSameResults(before, after);
  });

  it('cuts a vectorized loop only into whole groups of four lanes', () => {
    const [xo, xi] = vars('xo', 'xi');
    const x = t.add(t.mul(xo!, c(16)), xi!);
    const body = (lim: number): t.Stmt => t.forLoop(xi!, 0, 16, 'vectorized', t.ifThenElse(t.lt(xi!, c(lim)), copy(x)));
    const cut = loopPartition(fn(t.forLoop(xo!, 0, 6, 'serial', body(8))));
    expectIR(cut, fn(t.forLoop(xo!, 0, 6, 'serial', t.forLoop(xi!, 0, 8, 'vectorized', copy(x)))));
    const uncut = fn(t.forLoop(xo!, 0, 6, 'serial', body(6)));
    expect(loopPartition(uncut)).toBe(uncut);
  });

  it('cuts at a select on a vectorized variable (a padded read), so the interior vectorizes', () => {
    const [xo, xi] = vars('xo', 'xi');
    const x = t.add(t.mul(xo!, c(4)), xi!);
    // B[x] = x >= 1 ? A[max(x - 1, 0)] : 0, with x split 4 × 4 and the inner part vectorized.
    const read = t.select(t.ge(x, c(1)), t.bufferLoad(A, [t.max(t.sub(x, c(1)), c(0))]), t.floatImm(0));
    const before = fn(t.forLoop(xo!, 0, 4, 'serial', t.forLoop(xi!, 0, 4, 'vectorized', t.bufferStore(B, read, [x]))));
    const after = loopPartition(before);
    const interior = fn(t.forLoop(xo!, 1, 3, 'serial', t.forLoop(xi!, 0, 4, 'vectorized',
      t.bufferStore(B, t.bufferLoad(A, [t.sub(t.add(t.mul(xo!, c(4)), xi!), c(1))]), [t.add(t.mul(xo!, c(4)), xi!)]))));
    expect(after.body.kind === 'SeqStmt' && structuralEqual(after.body.seq[1]!, interior.body)).toBe(true);
    expectSameResults(before, after);
    expectSameResults(before, vectorizeLoop(after));
  });

  it('leaves thread-bound loops whole', () => {
    const [tx] = vars('tx');
    const f = fn(t.forLoop(tx!, 0, 128, 'threadBinding', t.ifThenElse(t.lt(tx!, c(100)), copy(tx!)), { threadTag: 'threadIdx.x' }));
    expect(loopPartition(f)).toBe(f);
  });
});
