// tests/tir/passes/storage_flatten.test.ts — multi-dimensional buffers become flat row-major ones.
import { describe, expect, it } from 'vitest';
import * as t from '../../../tir/nodes.js';
import { interpret } from '../../../tir/interpreter.js';
import { storageFlatten } from '../../../tir/passes/storage_flatten.js';
import { print } from '../../../tir/printer.js';
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

describe('storageFlatten: 1-d accesses and allocations around multi-dimensional ones', () => {
  /** Every buffer access and allocation in the function is 1-d (what the code generators require). */
  const allFlat = (f: t.PrimFunc): void => {
    const text = print(f);
    expect(text, text).not.toMatch(/\w\[[^\]]*,[^\]]*\]/); // no `X[a, b]` access left
    expect(f.params.every((p) => p.shape.length === 1)).toBe(true);
  };

  it('a 1-d gather whose index is read from a 2-d buffer: the inner load is flattened too (plain JS)', () => {
    // O[i] = A[IDX[i, 1]] for i < 4; A is 1-d, IDX is 4×2 int32
    const A = t.buffer('A', [8], 'float32');
    const IDX = t.buffer('IDX', [4, 2], 'int32');
    const O = t.buffer('O', [4], 'float32');
    const [i] = vars('i');
    const f = t.primFunc('gather', [A, IDX, O], t.forLoop(i, 0, 4, 'serial',
      t.bufferStore(O, t.bufferLoad(A, [t.bufferLoad(IDX, [i!, c(1)])]), [i!])));
    const after = storageFlatten(f);
    allFlat(after);
    const a = Float32Array.from({ length: 8 }, (_, k) => 10 + k);
    const idx = Int32Array.from([0, 7, 0, 2, 0, 5, 0, 1]);
    const o = new Float32Array(4);
    interpret(after, [a, idx, o]);
    expect(Array.from(o)).toEqual([0, 1, 2, 3].map((r) => a[idx[r * 2 + 1]!]!));
  });

  it('a 1-d local allocation whose body reads a 2-d parameter is rebuilt with the flattened body (plain JS)', () => {
    // alloc T[3] { for j: T[j] = M[1, j] + M[0, j];  for j: O[j] = T[2 − j] }
    const M = t.buffer('M', [2, 3], 'float32');
    const O = t.buffer('O', [3], 'float32');
    const T = t.buffer('T', [3], 'float32', 'local');
    const [j] = vars('j');
    const f = t.primFunc('rows', [M, O], t.allocate(T, t.seq([
      t.forLoop(j, 0, 3, 'serial', t.bufferStore(T, t.add(t.bufferLoad(M, [c(1), j!]), t.bufferLoad(M, [c(0), j!])), [j!])),
      t.forLoop(j, 0, 3, 'serial', t.bufferStore(O, t.bufferLoad(T, [t.sub(c(2), j!)]), [j!])),
    ])));
    const after = storageFlatten(f);
    allFlat(after);
    const m = Float32Array.from([1, 2, 4, 8, 16, 32]);
    const o = new Float32Array(3);
    interpret(after, [m, o]);
    expect(Array.from(o)).toEqual([4 + 32, 2 + 16, 1 + 8]);
  });

  it('a 2-d allocation the body never touches is flattened as well', () => {
    const O = t.buffer('O', [2], 'float32');
    const U = t.buffer('U', [2, 2], 'float32', 'local');
    const f = t.primFunc('unused', [O], t.allocate(U, t.bufferStore(O, t.floatImm(3), [c(1)])));
    const after = storageFlatten(f);
    expect(after.body.kind === 'Allocate' && after.body.buffer.shape.length).toBe(1);
  });

  it('without argShapes, a function already 1-d keeps its very statements (nothing rebuilt)', () => {
    const A = t.buffer('A', [8], 'float32');
    const B = t.buffer('B', [8], 'float32');
    const T = t.buffer('T', [2], 'float32', 'local');
    const [i] = vars('i');
    const body = t.allocate(T, t.forLoop(i, 0, 8, 'serial', t.seq([
      t.bufferStore(T, t.bufferLoad(A, [i!]), [t.floormod(i!, c(2))]),
      t.bufferStore(B, t.bufferLoad(T, [t.floormod(i!, c(2))]), [i!]),
    ])));
    const after = storageFlatten(t.primFunc('copy', [A, B], body));
    expect(after.body).toBe(body);
    expect(after.attrs['argShapes']).toEqual([[8], [8]]);
  });
});
