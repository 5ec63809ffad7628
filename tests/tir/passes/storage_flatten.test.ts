// tests/tir/passes/storage_flatten.test.ts — multi-dimensional buffers become flat row-major ones.
import { describe, expect, it } from 'vitest';
import * as t from '../../../tir/nodes.js';
import { storageFlatten } from '../../../tir/passes/storage_flatten.js';
import { c, expectIR, expectSameResults, vars } from '../helpers.js';

describe('storageFlatten', () => {
  it('turns a 2-d access into a row-major flat index and records the logical shapes', () => {
    const A = t.buffer('A', [4, 6], 'float32');
    const B = t.buffer('B', [4, 6], 'float32');
    const [i, j] = vars('i', 'j');
    const before = t.primFunc('copy', [A, B], t.forLoop(i, 0, 4, 'serial', t.forLoop(j, 0, 6, 'serial',
      t.bufferStore(B, t.bufferLoad(A, [i, j]), [i, j]))));
    const A1 = t.buffer('A', [24], 'float32');
    const B1 = t.buffer('B', [24], 'float32');
    const flat = t.add(t.mul(i, c(6)), j);
    const expected = t.primFunc('copy', [A1, B1], t.forLoop(i, 0, 4, 'serial', t.forLoop(j, 0, 6, 'serial',
      t.bufferStore(B1, t.bufferLoad(A1, [flat]), [flat]))), { argShapes: [[4, 6], [4, 6]] });
    const after = storageFlatten(before);
    expectIR(after, expected);
    expectSameResults(before, after);
  });

  it('flattens a 3-d local allocation to the product of its dimensions', () => {
    const O = t.buffer('O', [2], 'float32');
    const T = t.buffer('T', [2, 3, 4], 'float32', 'local');
    const [a, b] = vars('a', 'b');
    const before = t.primFunc('f', [O], t.allocate(T, t.forLoop(a, 0, 2, 'serial', t.seq([
      t.bufferStore(T, t.floatImm(1), [a, c(2), b]),
      t.bufferStore(O, t.bufferLoad(T, [a, c(2), b]), [a]),
    ]))));
    const T1 = t.buffer('T', [24], 'float32', 'local');
    const ix = t.add(t.add(t.mul(a!, c(12)), c(8)), b!);
    const expected = t.primFunc('f', [O], t.allocate(T1, t.forLoop(a, 0, 2, 'serial', t.seq([
      t.bufferStore(T1, t.floatImm(1), [ix]),
      t.bufferStore(O, t.bufferLoad(T1, [ix]), [a]),
    ]))), { argShapes: [[2]] });
    expectIR(storageFlatten(before), expected);
  });

  it('leaves an already flattened function as it is', () => {
    const A = t.buffer('A', [8], 'float32');
    const [i] = vars('i');
    const f = t.primFunc('f', [A], t.forLoop(i, 0, 8, 'serial', t.bufferStore(A, t.floatImm(0), [i])), { argShapes: [[2, 4]] });
    expect(storageFlatten(f)).toBe(f);
  });

  it('rejects a parameter with a non-constant dimension', () => {
    const [n] = vars('n');
    const A = t.buffer('A', [n!, 4], 'float32');
    const f = t.primFunc('f', [A], t.noOp());
    expect(() => storageFlatten(f)).toThrow(/parameter 0 \(A\) has a non-constant dimension 0/);
  });
});
