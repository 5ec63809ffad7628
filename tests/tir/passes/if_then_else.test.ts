// tests/tir/passes/if_then_else.test.ts — the eager form of tir.if_then_else
// (tir/passes/if_then_else.ts): every load in both arms has its indices clamped into its buffer
// (scalar and vector indices, nested loads, symbolic extents), and the select picks per lane.
// Values are checked by running the expressions in the interpreter against plain JS.

import { describe, expect, it } from 'vitest';
import { interpret } from '../../../tir/interpreter.js';
import * as T from '../../../tir/nodes.js';
import { clampLoads, ifThenElseAsSelect, isIfThenElse } from '../../../tir/passes/if_then_else.js';
import { print } from '../../../tir/printer.js';

const i32 = (v: number): T.IntImm => T.intImm(v);
const clamp = (k: number, n: number): number => Math.min(Math.max(k, 0), n - 1);

describe('clampLoads', () => {
  const A = T.buffer('A', [8], 'float32');
  const a = Float32Array.from({ length: 8 }, (_, k) => 10 + k);

  it('clamps a scalar index into [0, extent − 1]: A[i − 5] for i in [0, 18) reads A[clamp(i − 5)]', () => {
    const O = T.buffer('O', [18], 'float32');
    const i = T.variable('i');
    const body = T.forLoop(i, 0, 18, 'serial', T.bufferStore(O, clampLoads(T.bufferLoad(A, [T.sub(i, i32(5))])), [i]));
    const o = new Float32Array(18);
    interpret(T.primFunc('clamp', [A, O], body), [a, o]);
    expect(Array.from(o)).toEqual(Array.from({ length: 18 }, (_, k) => a[clamp(k - 5, 8)]!));
  });

  it('clamps each lane of a vector index, and the loads nested in an index', () => {
    // O[4j + l] = A[clamp(B[clamp(4j + l − 6)])] for l < 4: B holds indices, some out of A's range.
    const B = T.buffer('B', [8], 'int32');
    const b = Int32Array.from([-3, 0, 2, 7, 8, 11, 5, -1]);
    const O = T.buffer('O', [16], 'float32');
    const j = T.variable('j');
    const lanes = T.ramp(T.sub(T.mul(j, i32(4)), i32(6)), i32(1), 4);
    const body = T.forLoop(j, 0, 4, 'serial',
      T.bufferStore(O, clampLoads(T.bufferLoad(A, [T.bufferLoad(B, [lanes])])), [T.ramp(T.mul(j, i32(4)), i32(1), 4)]));
    const o = new Float32Array(16);
    interpret(T.primFunc('gather', [A, B, O], body), [a, b, o]);
    expect(Array.from(o)).toEqual(Array.from({ length: 16 }, (_, k) => a[clamp(b[clamp(k - 6, 8)]!, 8)]!));
  });

  it('clamps against a symbolic extent as extent − 1, and leaves everything but loads alone', () => {
    const n = T.variable('n');
    const D = T.buffer('D', [n], 'float32');
    const i = T.variable('i');
    expect(print(clampLoads(T.bufferLoad(D, [i])))).toBe(print(T.bufferLoad(D, [T.max(T.min(i, T.sub(n, i32(1))), i32(0))])));
    expect(print(clampLoads(T.bufferLoad(A, [i])))).toBe(print(T.bufferLoad(A, [T.max(T.min(i, i32(7)), i32(0))])));
    const plain = T.add(T.mul(i, i32(3)), i32(1));
    expect(clampLoads(plain)).toBe(plain);
  });
});

describe('ifThenElseAsSelect', () => {
  it('is a per-lane select whose arms read in bounds: padding A with zeros on both sides', () => {
    // O[4j + l] = (0 ≤ k < 8) ? A[k] : −1 with k = 4j + l − 4, j < 4: lanes out of A take the else arm.
    const A = T.buffer('A', [8], 'float32');
    const O = T.buffer('O', [16], 'float32');
    const j = T.variable('j');
    const k = T.ramp(T.sub(T.mul(j, i32(4)), i32(4)), i32(1), 4);
    const inside = T.and(T.ge(k, T.broadcast(i32(0), 4)), T.lt(k, T.broadcast(i32(8), 4)));
    const ite = T.call('tir.if_then_else', [inside, T.bufferLoad(A, [k]), T.broadcast(T.floatImm(-1), 4)]);
    const sel = ifThenElseAsSelect(ite as T.Call);
    expect(sel.kind).toBe('Select');
    expect(sel.dtype).toBe('float32x4');
    const a = Float32Array.from({ length: 8 }, (_, m) => m + 1);
    const o = new Float32Array(16);
    interpret(T.primFunc('pad', [A, O], T.forLoop(j, 0, 4, 'serial', T.bufferStore(O, sel, [T.ramp(T.mul(j, i32(4)), i32(1), 4)]))), [a, o]);
    expect(Array.from(o)).toEqual(Array.from({ length: 16 }, (_, m) => (m - 4 >= 0 && m - 4 < 8 ? a[m - 4]! : -1)));
  });

  it('is a scalar select when the condition is scalar (no broadcast), its arm still clamped', () => {
    // O[i] = (2 ≤ i < 10) ? A[i − 2] : −1 for i < 12, evaluated eagerly: A[i − 2] must stay in bounds.
    const A = T.buffer('A', [8], 'float32');
    const O = T.buffer('O', [12], 'float32');
    const i = T.variable('i');
    const k = T.sub(i, i32(2));
    const inside = T.and(T.ge(k, i32(0)), T.lt(k, i32(8)));
    const sel = ifThenElseAsSelect(T.call('tir.if_then_else', [inside, T.bufferLoad(A, [k]), T.floatImm(-1)]) as T.Call);
    expect([sel.kind, sel.dtype, sel.trueValue.kind, sel.falseValue.kind]).toEqual(['Select', 'float32', 'BufferLoad', 'FloatImm']);
    const a = Float32Array.from({ length: 8 }, (_, m) => m + 1);
    const o = new Float32Array(12);
    interpret(T.primFunc('pad1', [A, O], T.forLoop(i, 0, 12, 'serial', T.bufferStore(O, sel, [i]))), [a, o]);
    expect(Array.from(o)).toEqual(Array.from({ length: 12 }, (_, m) => (m >= 2 && m < 10 ? a[m - 2]! : -1)));
  });

  it('refuses any other call, naming it', () => {
    const x = T.variable('x', 'float32');
    const e = T.call('exp', [x]);
    expect(isIfThenElse(e)).toBe(false);
    expect(() => ifThenElseAsSelect(e)).toThrow('ifThenElseAsSelect: expected tir.if_then_else, got exp');
  });
});
