// tests/codegen/wgsl/legalize_lanes.test.ts — codegen.wgsl.legalizeLanes: wide vector stores split into ≤ 4 lanes.

import { describe, expect, it } from 'vitest';
import { legalizeLanesStmt, sliceLanes } from '../../../codegen/wgsl/legalize_lanes.js';
import * as T from '../../../tir/nodes.js';
import { print } from '../../../tir/printer.js';
import { structuralEqual } from '../../../tir/structural.js';

const i32 = (v: number): T.IntImm => T.intImm(v);
const X = T.buffer('X', [64], 'float32');
const Y = T.buffer('Y', [64], 'float32');
const b = T.variable('b');

const expectSame = (got: T.Stmt, want: T.Stmt): void => {
  if (!structuralEqual(got, want)) expect(print(got)).toBe(print(want));
};

describe('legalizeLanes', () => {
  it('splits an 8-lane store into two 4-lane stores with matching slices', () => {
    const idx = T.ramp(b, i32(1), 8);
    const before = T.bufferStore(Y, T.add(T.bufferLoad(X, [idx]), T.broadcast(T.floatImm(1), 8)), [idx]);
    const piece = (off: number): T.Stmt => {
      const r = T.ramp(off === 0 ? b : T.add(b, i32(off)), i32(1), 4);
      return T.bufferStore(Y, T.add(T.bufferLoad(X, [r]), T.broadcast(T.floatImm(1), 4)), [r]);
    };
    expectSame(legalizeLanesStmt(before), T.seq([piece(0), piece(4)]));
  });

  it('splits 6 lanes into 4 + 2 and 5 lanes into 4 + a scalar', () => {
    const six = T.bufferStore(Y, T.bufferLoad(X, [T.ramp(i32(0), i32(2), 6)]), [T.ramp(i32(0), i32(1), 6)]);
    const got6 = legalizeLanesStmt(six);
    expect(got6.kind === 'SeqStmt' && got6.seq.map((s) => s.kind === 'BufferStore' && s.value.dtype)).toEqual(['float32x4', 'float32x2']);
    const five = T.bufferStore(Y, T.broadcast(T.floatImm(3), 5), [T.ramp(i32(8), i32(1), 5)]);
    const got5 = legalizeLanesStmt(five);
    expectSame(got5, T.seq([
      T.bufferStore(Y, T.broadcast(T.floatImm(3), 4), [T.ramp(i32(8), i32(1), 4)]),
      T.bufferStore(Y, T.floatImm(3), [i32(12)]),
    ]));
  });

  it('leaves stores of 4 lanes or fewer alone', () => {
    const s = T.bufferStore(Y, T.bufferLoad(X, [T.ramp(b, i32(1), 4)]), [T.ramp(b, i32(1), 4)]);
    expect(legalizeLanesStmt(s)).toBe(s);
  });

  it('slices selects, casts, compares and calls lane-wise', () => {
    const v = T.bufferLoad(X, [T.ramp(i32(0), i32(1), 8)]);
    const e = T.select(T.lt(v, T.broadcast(T.floatImm(0), 8)), T.call('exp', [v]), T.cast('float32x8', T.cast('int32x8', v)));
    expect(sliceLanes(e, 4, 4).dtype).toBe('float32x4');
    expect(print(T.evaluate(sliceLanes(e, 4, 4)))).toContain('ramp(4, 1, 4)');
  });
});
