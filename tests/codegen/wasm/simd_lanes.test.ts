// tests/codegen/wasm/simd_lanes.test.ts — the less common paths of wasm's vector code
// (codegen/wasm/simd.ts): a vector Let inside an expression, a vector tir.if_then_else with one
// condition for all lanes (a branch, not a select), Ramps whose stride is a run-time value, loads at
// a Broadcast index, bool (u8) vector loads and stores, v128 values taken apart lane by lane for a
// per-lane intrinsic or a strided store, and vector stores into a register-promoted local buffer at
// constant indices, aligned and not. Each kernel runs with SIMD on and off, 1 and 2 threads
// (tests/codegen/wasm/wasm_harness.ts), against the same computation in plain JS.

import { describe, expect, it } from 'vitest';
import * as T from '../../../tir/nodes.js';
import { wasmText } from '../../../codegen/wasm/compile_wasm.js';
import { CONFIGS, runWasm, seededFloats, seededInts } from './wasm_harness.js';

const f32 = Math.fround;
const X = T.buffer('X', [64], 'float32');
const Y = T.buffer('Y', [64], 'float32');
const v = T.variable('v');
/** X[8v .. 8v+8) and Y[8v .. 8v+8) as 8-lane ramps (two v128 parts). */
const r8 = (): T.Ramp => T.ramp(T.mul(v, T.intImm(8)), T.intImm(1), 8);
const loop = (n: number, body: T.Stmt): T.Stmt => T.forLoop(v, 0, n, 'serial', body);
const x = seededFloats(64, 7, -3, 3);

async function each(f: T.PrimFunc, inputs: () => (Float32Array | Int32Array)[], out: number, want: ArrayLike<number>): Promise<void> {
  for (const target of CONFIGS) {
    const got = (await runWasm(f, inputs(), target))[out]!;
    expect(Array.from(got), target).toEqual(Array.from(want));
  }
}

describe('wasm vector paths (simd.ts) against plain JS', () => {
  it('a vector Let inside a vector expression: Y = let t = 2·X in t + t·X', async () => {
    const t = T.variable('t', 'float32x8');
    const body = T.letExpr(t, T.mul(T.bufferLoad(X, [r8()]), T.broadcast(T.floatImm(2), 8)),
      T.add(t, T.mul(t, T.bufferLoad(X, [r8()]))));
    const f = T.primFunc('vlet', [X, Y], loop(8, T.bufferStore(Y, body, [r8()])));
    await each(f, () => [x.slice(), new Float32Array(64)], 1, Array.from(x, (a) => { const tt = f32(a * 2); return f32(tt + f32(tt * a)); }));
  });

  it('tir.if_then_else on vectors with one scalar condition: rows v < 3 take X + 1, the rest X·3', async () => {
    const e = T.ifThenElseExpr(T.compare('lt', v, T.intImm(3)),
      T.add(T.bufferLoad(X, [r8()]), T.broadcast(T.floatImm(1), 8)),
      T.mul(T.bufferLoad(X, [r8()]), T.broadcast(T.floatImm(3), 8)));
    const f = T.primFunc('vite', [X, Y], loop(8, T.bufferStore(Y, e, [r8()])));
    await each(f, () => [x.slice(), new Float32Array(64)], 1, Array.from(x, (a, i) => (i >> 3 < 3 ? f32(a + 1) : f32(a * 3))));
  });

  it('a Ramp whose stride is a run-time value (S[0]): Y[8v + l] = X[v + S·l]', async () => {
    const S = T.buffer('S', [1], 'int32');
    const s = T.variable('s');
    const body = T.letStmt(s, T.bufferLoad(S, [T.intImm(0)]),
      loop(8, T.bufferStore(Y, T.bufferLoad(X, [T.ramp(v, s, 8)]), [r8()])));
    const f = T.primFunc('vstride', [X, S, Y], body);
    for (const st of [1, 3, 7]) {
      const want = Array.from({ length: 64 }, (_, n) => x[(n >> 3) + st * (n & 7)]!);
      await each(f, () => [x.slice(), Int32Array.of(st), new Float32Array(64)], 2, want);
    }
  });

  it('the Ramp itself as a value with a run-time stride: Y[8v + l] = float(v + S·l)', async () => {
    const S = T.buffer('S', [1], 'int32');
    const s = T.variable('s');
    const body = T.letStmt(s, T.bufferLoad(S, [T.intImm(0)]),
      loop(8, T.bufferStore(Y, T.cast('float32x8', T.ramp(v, s, 8)), [r8()])));
    const f = T.primFunc('vramp', [X, S, Y], body);
    for (const st of [2, -5]) {
      await each(f, () => [x.slice(), Int32Array.of(st), new Float32Array(64)], 2, Array.from({ length: 64 }, (_, n) => (n >> 3) + st * (n & 7)));
    }
  });

  it('a load at a Broadcast index: Y[8v + l] = X[v] + X[8v + l]', async () => {
    const e = T.add(T.bufferLoad(X, [T.broadcast(v, 8)]), T.bufferLoad(X, [r8()]));
    const f = T.primFunc('vbcast', [X, Y], loop(8, T.bufferStore(Y, e, [r8()])));
    await each(f, () => [x.slice(), new Float32Array(64)], 1, Array.from(x, (a, i) => f32(x[i >> 3]! + a)));
  });

  it('bool vectors in memory (one byte each): M[8v + l] = X > 0, then Y = M ? X : −X', async () => {
    const M = T.buffer('M', [64], 'bool');
    const body = T.seq([
      loop(8, T.bufferStore(M, T.compare('gt', T.bufferLoad(X, [r8()]), T.broadcast(T.floatImm(0), 8)), [r8()])),
      loop(8, T.bufferStore(Y, T.select(T.bufferLoad(M, [r8()]), T.bufferLoad(X, [r8()]), T.sub(T.broadcast(T.floatImm(0), 8), T.bufferLoad(X, [r8()]))), [r8()])),
    ]);
    const f = T.primFunc('vbool', [X, Y], T.allocate(M, body));
    await each(f, () => [x.slice(), new Float32Array(64)], 1, Array.from(x, (a) => (a > 0 ? a : f32(0 - a))));
  });

  it('v128 values taken apart lane by lane: exp of a v128 sum, an int32 floordiv by a run-time divisor, a strided store of a v128 sum', async () => {
    const e = T.call('exp', [T.add(T.bufferLoad(X, [r8()]), T.bufferLoad(X, [r8()]))]);
    const f = T.primFunc('vexp', [X, Y], loop(8, T.bufferStore(Y, e, [r8()])));
    const want = Array.from(x, (a) => f32(Math.exp(f32(a + a))));
    for (const target of CONFIGS) {
      const got = (await runWasm(f, [x.slice(), new Float32Array(64)], target))[1]!;
      for (let i = 0; i < 64; i++) expect(Math.abs(got[i]! - want[i]!) / Math.max(1, Math.abs(want[i]!)), `${target} [${i}]`).toBeLessThan(1e-5);
    }
    const I = T.buffer('I', [64], 'int32');
    const O = T.buffer('O', [64], 'int32');
    const D = T.buffer('D', [1], 'int32');
    const d = T.variable('d');
    const k = seededInts(64, 3, -50, 50);
    const g = T.primFunc('vfdiv', [I, D, O], T.letStmt(d, T.bufferLoad(D, [T.intImm(0)]),
      loop(8, T.bufferStore(O, T.binary('floordiv', T.add(T.bufferLoad(I, [r8()]), T.broadcast(T.intImm(1), 8)), T.broadcast(d, 8)), [r8()]))));
    for (const dv of [3, -4]) await each(g, () => [k.slice(), Int32Array.of(dv), new Int32Array(64)], 2, Array.from(k, (a) => Math.floor((a + 1) / dv) | 0));
    // Y[v + 8l] = X[8v + l] + 1: the sum is a whole v128 pair, the store one lane at a time (a transpose).
    const h = T.primFunc('vtrans', [X, Y], loop(8, T.bufferStore(Y,
      T.add(T.bufferLoad(X, [r8()]), T.broadcast(T.floatImm(1), 8)), [T.ramp(v, T.intImm(8), 8)])));
    const wt = new Array<number>(64);
    for (let vv = 0; vv < 8; vv++) for (let l = 0; l < 8; l++) wt[vv + 8 * l] = f32(x[8 * vv + l]! + 1);
    await each(h, () => [x.slice(), new Float32Array(64)], 1, wt);
  });

  it('vector stores into a register-promoted local buffer at constant indices, aligned and not, then read back', async () => {
    // L (12 floats, local): L[0..4) = X[4v..), L[5..9) = X[4v..) · 2, L[9..12) = 7, 8, 9 (a Broadcast index
    // read too), Y[4v + l] = L[l] + L[5 + l] + L[10].
    const L = T.buffer('L', [12], 'float32', 'local');
    const r4 = (b: number): T.Ramp => T.ramp(T.intImm(b), T.intImm(1), 4);
    const xv = T.ramp(T.mul(v, T.intImm(4)), T.intImm(1), 4);
    const body = T.forLoop(v, 0, 16, 'serial', T.allocate(L, T.seq([
      T.bufferStore(L, T.bufferLoad(X, [xv]), [r4(0)]),
      T.bufferStore(L, T.mul(T.bufferLoad(X, [xv]), T.broadcast(T.floatImm(2), 4)), [r4(5)]),
      T.bufferStore(L, T.cast('float32x3', T.ramp(T.intImm(7), T.intImm(1), 3)), [T.ramp(T.intImm(9), T.intImm(1), 3)]),
      T.bufferStore(Y, T.add(T.add(T.bufferLoad(L, [r4(0)]), T.bufferLoad(L, [r4(5)])), T.bufferLoad(L, [T.broadcast(T.intImm(10), 4)])), [xv]),
    ])));
    const f = T.primFunc('vlocal', [X, Y], body);
    await each(f, () => [x.slice(), new Float32Array(64)], 1, Array.from(x, (a) => f32(f32(a + f32(a * 2)) + 8)));
  });

  it('a load of a promoted buffer at a constant index past its end names the buffer', () => {
    const L = T.buffer('L', [4], 'float32', 'local');
    const body = T.allocate(L, T.seq([
      T.bufferStore(L, T.broadcast(T.floatImm(1), 4), [T.ramp(T.intImm(0), T.intImm(1), 4)]),
      T.bufferStore(Y, T.bufferLoad(L, [T.ramp(T.intImm(2), T.intImm(1), 4)]), [T.ramp(T.intImm(0), T.intImm(1), 4)]),
    ]));
    expect(() => wasmText(T.primFunc('oob', [X, Y], body), 'wasm -simd=1 -threads=1')).toThrow(/index 4 out of bounds of L \(size 4\)/);
  });
});
