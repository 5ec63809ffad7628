// tests/tir/interpreter_alloc_shape.test.ts — the interpreter sizes an allocation from its shape at
// run time: a shape from a value read at run time that is negative is refused with a message
// naming the buffer and the shape; an empty (size 0) allocation is legal and runs; a positive size
// works (values vs plain JS). The fresh seed-1101 sample found the check (interpreter.ts:219)
// unseen: dropping it, or refusing size 0, failed no test.

import { describe, expect, it } from 'vitest';
import * as t from '../../tir/nodes.js';
import { interpret } from '../../tir/interpreter.js';

const F = t.buffer('F', [1], 'int32');
const B = t.buffer('B', [4], 'float32');
const n = t.variable('n');
const i = t.variable('i');
const L = t.buffer('L', [n, t.intImm(2)], 'float32', 'local');

/** let n = F[0]; allocate L[n, 2]; for i < n: L[i, 1] = i·3; B[i] = L[i, 1] + 1 */
const f = t.primFunc('f', [F, B], t.letStmt(n, t.bufferLoad(F, [t.intImm(0)]), t.allocate(L, t.forLoop(i, 0, n, 'serial', t.seq([
  t.bufferStore(L, t.mul(t.cast('float32', i), t.floatImm(3)), [i, t.intImm(1)]),
  t.bufferStore(B, t.add(t.bufferLoad(L, [i, t.intImm(1)]), t.floatImm(1)), [i]),
])))));

function run(size: number): number[] {
  const b = new Float32Array(4).fill(-1);
  interpret(f, [Int32Array.of(size), b]);
  return [...b];
}

describe('interpret: allocation shapes known only at run time', () => {
  it('a negative dimension is refused, naming the buffer and the shape', () => {
    expect(() => run(-3)).toThrow(RangeError);
    expect(() => run(-3)).toThrow('interpret: allocate L: bad shape [-3, 2]');
  });

  it('a dimension of 0 is an empty allocation: the loop does not run', () => {
    expect(run(0)).toEqual([-1, -1, -1, -1]);
  });

  it('a positive dimension: values vs plain JS', () => {
    expect(run(3)).toEqual([1, 4, 7, -1]);
  });
});
