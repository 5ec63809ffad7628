// tests/tir/interpreter_buffers.test.ts — the interpreter's buffer handling outside the common
// paths: int32 and bool local allocations (an int32 buffer must hold 2^24 + 1 exactly, which a
// Float32Array cannot), vector stores whose index is not one Ramp (a scatter through floormod, a
// 2-d buffer with a scalar row and a vector column), their bounds errors, and the parameter
// checks against attrs.argShapes. Answers are computed in plain JS.

import { describe, expect, it } from 'vitest';
import * as t from '../../tir/nodes.js';
import { interpret } from '../../tir/interpreter.js';

describe('interpreter: local allocations by dtype', () => {
  it('an int32 local buffer keeps every int32 exactly', () => {
    const A = t.buffer('A', [4], 'int32');
    const B = t.buffer('B', [4], 'int32');
    const T = t.buffer('T', [4], 'int32', 'local');
    const i = t.variable('i');
    const j = t.variable('j');
    const body = t.allocate(T, t.seq([
      t.forLoop(i, 0, 4, 'serial', t.bufferStore(T, t.add(t.bufferLoad(A, [i]), t.intImm(1)), [i])),
      t.forLoop(j, 0, 4, 'serial', t.bufferStore(B, t.bufferLoad(T, [t.sub(t.intImm(3), j)]), [j])),
    ]));
    const a = Int32Array.from([16777216, -2147483647, 2147483646, 123456789]);
    const b = new Int32Array(4);
    interpret(t.primFunc('f', [A, B], body), [a, b]);
    expect([...b]).toEqual([123456790, 2147483647, -2147483646, 16777217]);
  });

  it('a bool local buffer holds comparison results', () => {
    const A = t.buffer('A', [6], 'float32');
    const B = t.buffer('B', [6], 'int32');
    const M = t.buffer('M', [6], 'bool', 'local');
    const i = t.variable('i');
    const j = t.variable('j');
    const body = t.allocate(M, t.seq([
      t.forLoop(i, 0, 6, 'serial', t.bufferStore(M, t.gt(t.bufferLoad(A, [i]), t.floatImm(0.5)), [i])),
      t.forLoop(j, 0, 6, 'serial', t.bufferStore(B, t.select(t.bufferLoad(M, [j]), t.intImm(10), t.intImm(-10)), [j])),
    ]));
    const a = Float32Array.from([0.25, 0.75, 0.5, 2, -1, 0.5000001]);
    const b = new Int32Array(6);
    interpret(t.primFunc('f', [A, B], body), [a, b]);
    expect([...b]).toEqual([...a].map((v) => (v > 0.5 ? 10 : -10)));
  });
});

describe('interpreter: vector stores not through one Ramp', () => {
  it('scatters through a floormod index, lane by lane', () => {
    const A = t.buffer('A', [8], 'float32');
    const B = t.buffer('B', [8], 'float32');
    const i = t.variable('i');
    // B[(4i + 3·l) mod 8] = A[4i + l] * 2, l = 0..3, i = 0..1
    const base = t.mul(i, t.intImm(4));
    const idx = t.floormod(t.add(t.broadcast(base, 4), t.ramp(t.intImm(0), t.intImm(3), 4)), t.broadcast(t.intImm(8), 4));
    const val = t.mul(t.bufferLoad(A, [t.ramp(base, t.intImm(1), 4)]), t.broadcast(t.floatImm(2), 4));
    const a = Float32Array.from({ length: 8 }, (_, k) => k + 0.5);
    const b = new Float32Array(8).fill(-1);
    interpret(t.primFunc('f', [A, B], t.forLoop(i, 0, 2, 'serial', t.bufferStore(B, val, [idx]))), [a, b]);
    const want = new Array<number>(8).fill(-1);
    for (let ii = 0; ii < 2; ii++) for (let l = 0; l < 4; l++) want[(4 * ii + 3 * l) % 8] = a[4 * ii + l]! * 2;
    expect([...b]).toEqual(want);
  });

  it('stores a vector into a row of a 2-d buffer, and refuses a lane out of bounds', () => {
    const A = t.buffer('A', [3, 4], 'int32');
    const r = t.variable('r');
    const store = (col: t.PrimExpr): t.PrimFunc => t.primFunc('f', [A], t.forLoop(r, 0, 3, 'serial',
      t.bufferStore(A, t.add(t.broadcast(t.mul(r, t.intImm(10)), 4), t.ramp(t.intImm(0), t.intImm(1), 4)), [r, col])));
    const a = new Int32Array(12);
    interpret(store(t.ramp(t.intImm(0), t.intImm(1), 4)), [a]);
    expect([...a]).toEqual([0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23]);
    const rev = new Int32Array(12);
    interpret(store(t.ramp(t.intImm(3), t.intImm(-1), 4)), [rev]);
    expect([...rev]).toEqual([3, 2, 1, 0, 13, 12, 11, 10, 23, 22, 21, 20]);
    expect(() => interpret(store(t.ramp(t.intImm(1), t.intImm(1), 4)), [new Int32Array(12)])).toThrow(/A.*store|store.*A/);
  });
});

describe('interpreter: parameters against attrs.argShapes', () => {
  it('refuses argShapes whose element count differs from the buffer, naming both', () => {
    const A = t.buffer('A', [6], 'float32');
    const i = t.variable('i');
    const body = t.forLoop(i, 0, 6, 'serial', t.bufferStore(A, t.floatImm(1), [i]));
    const ok = t.primFunc('f', [A], body, { argShapes: [[2, 3]] });
    const a = new Float32Array(6);
    interpret(ok, [a]);
    expect([...a]).toEqual([1, 1, 1, 1, 1, 1]);
    const bad = t.primFunc('f', [A], body, { argShapes: [[2, 4]] });
    expect(() => interpret(bad, [new Float32Array(6)])).toThrow('interpret: parameter 0 (A): attrs.argShapes [2, 4] disagrees with its 6 elements');
  });
});
