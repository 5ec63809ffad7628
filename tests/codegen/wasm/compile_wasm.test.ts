// tests/codegen/wasm/compile_wasm.test.ts — hand-built PrimFuncs through wasm (SIMD on/off,
// 1 and 2 threads) against the same computation in plain JS: scalar guards, vector lanes and
// tails, gathers, integer math bit for bit, lets/casts/selects, scratch allocations, clear errors.

import { describe, expect, it } from 'vitest';
import * as t from '../../../tir/nodes.js';
import { compileWasm, wasmText } from '../../../codegen/wasm/index.js';
import { CONFIGS, maxRelErr, runWasm, seededFloats, seededInts } from './wasm_harness.js';

const f32 = Math.fround;
const fdiv = (a: number, b: number): number => Math.floor(a / b);
const fmod = (a: number, b: number): number => a - Math.floor(a / b) * b;
/** TIR's int32 fold x·31 + y, wrapping. */
const fold31 = (xs: number[]): number => xs.reduce((x, y) => (Math.imul(x, 31) + y) | 0);

const i32 = (v: number): t.IntImm => t.intImm(v);
const ld = (b: t.Buffer, ix: t.PrimExpr): t.BufferLoad => t.bufferLoad(b, [ix]);
const st = (b: t.Buffer, v: t.PrimExpr, ix: t.PrimExpr): t.BufferStore => t.bufferStore(b, v, [ix]);

describe('wasm codegen on hand-built PrimFuncs', () => {
  it('runs a guarded scalar parallel loop', async () => {
    const n = 37;
    const A = t.buffer('A', [n], 'float32');
    const B = t.buffer('B', [n], 'float32');
    const C = t.buffer('C', [n], 'float32');
    const i = t.variable('i');
    const a = ld(A, i);
    const b = ld(B, i);
    const body = t.forLoop(i, 0, n, 'parallel', st(C, t.select(t.gt(a, t.floatImm(0)), t.mul(a, b), t.sub(a, t.max(b, t.floatImm(0.25)))), i));
    const f = t.primFunc('guarded', [A, B, C], body);
    const inputs = [seededFloats(n, 1), seededFloats(n, 2), new Float32Array(n)];
    const want = Float32Array.from(inputs[0]!, (x, k) => {
      const y = inputs[1]![k]!;
      return x > 0 ? f32(x * y) : f32(x - Math.max(y, 0.25));
    });
    for (const target of CONFIGS) {
      const out = await runWasm(f, inputs, target);
      expect(maxRelErr(out[2]!, want), target).toBeLessThan(1e-6);
    }
  });

  it('vectorizes 8-lane bodies into v128 pairs and runs the scalar tail', async () => {
    const n = 37;
    const A = t.buffer('A', [n], 'float32');
    const B = t.buffer('B', [n], 'float32');
    const C = t.buffer('C', [n], 'float32');
    const io = t.variable('io');
    const r = t.ramp(t.mul(io, i32(8)), i32(1), 8);
    const vec = t.forLoop(io, 0, 4, 'parallel',
      st(C, t.add(t.mul(ld(A, r), ld(B, r)), t.broadcast(t.floatImm(0.5), 8)), r));
    const k = t.variable('k');
    const tail = t.forLoop(k, 32, 5, 'serial', st(C, t.add(t.mul(ld(A, k), ld(B, k)), t.floatImm(0.5)), k));
    const f = t.primFunc('vec_tail', [A, B, C], t.seq([vec, tail]));
    const inputs = [seededFloats(n, 3), seededFloats(n, 4), new Float32Array(n)];
    const want = Float32Array.from(inputs[0]!, (x, k) => f32(f32(x * inputs[1]![k]!) + 0.5));
    expect(wasmText(f, 'wasm -threads=1')).toContain('v128.load offset=16');
    for (const target of CONFIGS) {
      const out = await runWasm(f, inputs, target);
      expect(maxRelErr(out[2]!, want), target).toBe(0);
    }
  });

  it('handles 3-lane vectors, strided gathers and broadcast loads lane by lane', async () => {
    const A = t.buffer('A', [64], 'float32');
    const D = t.buffer('D', [48], 'float32');
    const i = t.variable('i');
    const j = t.variable('j');
    const gather = t.forLoop(i, 0, 8, 'serial',
      st(D, t.add(ld(A, t.ramp(i, i32(8), 4)), t.broadcast(ld(A, t.add(i, i32(1))), 4)), t.ramp(t.mul(i, i32(4)), i32(1), 4)));
    const three = t.forLoop(j, 0, 5, 'serial',
      st(D, t.mul(ld(A, t.ramp(t.mul(j, i32(3)), i32(1), 3)), t.broadcast(t.floatImm(2), 3)), t.ramp(t.add(t.mul(j, i32(3)), i32(32)), i32(1), 3)));
    const f = t.primFunc('gather', [A, D], t.seq([gather, three]));
    const inputs = [seededFloats(64, 5), new Float32Array(48)];
    const a = inputs[0]!;
    const want = new Float32Array(48);
    for (let ii = 0; ii < 8; ii++) for (let l = 0; l < 4; l++) want[4 * ii + l] = f32(a[ii + 8 * l]! + a[ii + 1]!);
    for (let jj = 0; jj < 5; jj++) for (let l = 0; l < 3; l++) want[3 * jj + 32 + l] = f32(a[3 * jj + l]! * 2);
    for (const target of CONFIGS) {
      const out = await runWasm(f, inputs, target);
      expect(maxRelErr(out[1]!, want), target).toBe(0);
    }
  });

  it('matches integer division, modulo, min and max bit for bit, scalar and vector', async () => {
    const n = 64;
    const A = t.buffer('A', [n], 'int32');
    const B = t.buffer('B', [n], 'int32');
    const C = t.buffer('C', [n], 'int32');
    const D = t.buffer('D', [n], 'int32');
    const i = t.variable('i');
    const a = ld(A, i);
    const b = ld(B, i);
    const terms = [
      t.floordiv(a, b), t.floormod(a, b), t.div(a, b), t.mod(a, b), t.floordiv(a, i32(8)), t.floormod(a, i32(8)),
      t.floordiv(a, i32(-3)), t.floormod(a, i32(7)), t.min(a, b), t.max(a, b), t.mul(a, b),
    ];
    const scalar = t.forLoop(i, 0, n, 'parallel', st(C, terms.reduce((x, y) => t.add(t.mul(x, i32(31)), y)), i));
    const v = t.variable('v');
    const r = t.ramp(t.mul(v, i32(4)), i32(1), 4);
    const va = ld(A, r);
    const vb = ld(B, r);
    const vterms = [t.floordiv(va, vb), t.floormod(va, t.broadcast(i32(8), 4)), t.min(va, vb), t.max(va, vb), t.mul(va, vb), t.sub(va, vb)];
    const vector = t.forLoop(v, 0, n / 4, 'serial', st(D, vterms.reduce((x, y) => t.add(t.mul(x, t.broadcast(i32(31), 4)), y)), r));
    const f = t.primFunc('intmath', [A, B, C, D], t.seq([scalar, vector]));
    const bs = seededInts(n, 7, -9, 9).map((x) => (x === 0 ? 5 : x));
    const inputs = [seededInts(n, 6, -1000, 1000), bs, new Int32Array(n), new Int32Array(n)];
    const as = inputs[0]!;
    const wantC = Array.from(as, (x, k) => {
      const y = bs[k]!;
      return fold31([fdiv(x, y), fmod(x, y), Math.trunc(x / y), x % y, fdiv(x, 8), fmod(x, 8), fdiv(x, -3), fmod(x, 7), Math.min(x, y), Math.max(x, y), Math.imul(x, y)]);
    });
    const wantD = Array.from(as, (x, k) => {
      const y = bs[k]!;
      return fold31([fdiv(x, y), fmod(x, 8), Math.min(x, y), Math.max(x, y), Math.imul(x, y), x - y]);
    });
    for (const target of CONFIGS) {
      const out = await runWasm(f, inputs, target);
      expect(Array.from(out[2]!), target).toEqual(wantC);
      expect(Array.from(out[3]!), target).toEqual(wantD);
    }
  });

  it('evaluates lets, casts, selects and logical guards on scalars and vectors', async () => {
    const n = 16;
    const A = t.buffer('A', [n], 'float32');
    const C = t.buffer('C', [n], 'int32');
    const E = t.buffer('E', [n], 'float32');
    const i = t.variable('i');
    const x = t.variable('x', 'float32');
    const body = t.forLoop(i, 0, n, 'serial', t.letStmt(x, t.mul(ld(A, i), t.floatImm(10)),
      t.ifThenElse(t.and(t.ge(i, i32(2)), t.lt(i, i32(14))),
        st(C, t.add(t.cast('int32', x), t.cast('int32', t.gt(x, t.floatImm(0)))), i),
        st(C, i32(-1), i))));
    const v = t.variable('v');
    const r = t.ramp(t.mul(v, i32(4)), i32(1), 4);
    const y = t.variable('y', 'float32x4');
    const vbody = t.forLoop(v, 0, n / 4, 'serial', t.letStmt(y, ld(A, r),
      st(E, t.select(t.or(t.lt(y, t.broadcast(t.floatImm(-0.5), 4)), t.not(t.lt(y, t.broadcast(t.floatImm(0.5), 4)))),
        t.cast('float32x4', t.cast('int32x4', t.mul(y, t.broadcast(t.floatImm(7), 4)))), t.call('sqrt', [t.call('abs', [y])])), r)));
    const w = t.variable('w');
    const rw = t.ramp(t.mul(w, i32(8)), i32(1), 8);
    // A scalar condition selecting between two 8-lane vectors.
    const sbody = t.forLoop(w, 0, n / 8, 'serial',
      st(E, t.select(t.eq(w, i32(1)), t.add(ld(E, rw), t.broadcast(t.floatImm(100), 8)), ld(E, rw)), rw));
    const f = t.primFunc('lets', [A, C, E], t.seq([body, vbody, sbody]));
    const inputs = [seededFloats(n, 8), new Int32Array(n), new Float32Array(n)];
    const a = inputs[0]!;
    const wantC = Array.from(a, (v, k) => {
      const xv = f32(v * 10);
      return k >= 2 && k < 14 ? Math.trunc(xv) + (xv > 0 ? 1 : 0) : -1;
    });
    const wantE = Float32Array.from(a, (yv, k) => {
      const e = yv < -0.5 || !(yv < 0.5) ? Math.trunc(f32(yv * 7)) : f32(Math.sqrt(Math.abs(yv)));
      return k >= 8 ? f32(e + 100) : e;
    });
    for (const target of CONFIGS) {
      const out = await runWasm(f, inputs, target);
      expect(Array.from(out[1]!), target).toEqual(wantC);
      expect(maxRelErr(out[2]!, wantE), target).toBeLessThan(1e-6);
    }
  });

  it('keeps scratch allocations per thread in memory and small local ones in locals', async () => {
    const rows = 6;
    const cols = 8;
    const A = t.buffer('A', [rows * cols], 'float32');
    const S = t.buffer('S', [rows], 'float32');
    const T = t.buffer('tmp', [cols], 'float32', 'global');
    const L = t.buffer('acc', [4], 'float32', 'local');
    const r = t.variable('r');
    const c = t.variable('c');
    const c2 = t.variable('c2');
    const u = t.variable('u');
    const fill = t.forLoop(c, 0, cols, 'serial', st(T, t.mul(ld(A, t.add(t.mul(r, i32(cols)), c)), t.floatImm(2)), c));
    const accInit = st(L, t.broadcast(t.floatImm(0), 4), t.ramp(i32(0), i32(1), 4));
    const accumulate = t.forLoop(c2, 0, cols / 4, 'serial',
      st(L, t.add(ld(L, t.ramp(i32(0), i32(1), 4)), ld(T, t.ramp(t.mul(c2, i32(4)), i32(1), 4))), t.ramp(i32(0), i32(1), 4)));
    const sum = st(S, t.add(t.add(ld(L, i32(0)), ld(L, i32(1))), t.add(ld(L, i32(2)), ld(L, i32(3)))), r);
    const inner = t.allocate(L, t.seq([accInit, accumulate, sum]));
    const unrolledUse = t.forLoop(u, 0, 1, 'unrolled', inner);
    const body = t.forLoop(r, 0, rows, 'parallel', t.allocate(T, t.seq([fill, unrolledUse])));
    const f = t.primFunc('scratch', [A, S], body);
    const inputs = [seededFloats(rows * cols, 9), new Float32Array(rows)];
    const want = Float32Array.from({ length: rows }, (_, row) => {
      const tmp = Array.from({ length: cols }, (_, col) => f32(inputs[0]![row * cols + col]! * 2));
      const acc = [0, 1, 2, 3].map((l) => f32(tmp[l]! + tmp[4 + l]!));
      return f32(f32(acc[0]! + acc[1]!) + f32(acc[2]! + acc[3]!));
    });
    const art = compileWasm(f, 'wasm -threads=2');
    expect((art.meta['outlined'] as { frameBytes: number }[])[0]!.frameBytes).toBeGreaterThanOrEqual(cols * 4);
    for (const target of CONFIGS) {
      const out = await runWasm(f, inputs, target);
      expect(maxRelErr(out[1]!, want), target).toBeLessThan(1e-6);
    }
  });

  it('reuses a repeated contiguous load in straight-line code but reloads after a store', async () => {
    const A = t.buffer('A', [8], 'float32');
    const B = t.buffer('B', [16], 'float32');
    const r0 = t.ramp(i32(0), i32(1), 8);
    const r8 = t.ramp(i32(8), i32(1), 8);
    const two = t.broadcast(t.floatImm(2), 8);
    const f = t.primFunc('reuse', [A, B], t.seq([
      st(B, t.mul(ld(A, r0), two), r0),
      st(B, t.add(ld(A, r0), ld(B, r0)), r8), // A reused from a local (2 loads so far), B read after its store (4)
      st(A, t.add(ld(A, r0), two), r0), // A still cached
      st(B, t.add(ld(A, r0), ld(B, r8)), r0), // A reloaded after its store (6), B[8:16] after B's store (8)
    ]));
    const inputs = [seededFloats(8, 11), new Float32Array(16)];
    const a0 = Array.from(inputs[0]!);
    const b = new Array<number>(16);
    for (let k = 0; k < 8; k++) b[k] = f32(a0[k]! * 2);
    for (let k = 0; k < 8; k++) b[8 + k] = f32(a0[k]! + b[k]!);
    const a1 = a0.map((v) => f32(v + 2));
    for (let k = 0; k < 8; k++) b[k] = f32(a1[k]! + b[8 + k]!);
    expect(wasmText(f, 'wasm -threads=1').match(/v128\.load /g)).toHaveLength(2 * 4);
    for (const target of CONFIGS) {
      const out = await runWasm(f, inputs, target);
      expect(Array.from(out[0]!), target).toEqual(a1);
      expect(Array.from(out[1]!), target).toEqual(b);
    }
  });

  it('folds constant index parts into load offsets without wrapping negative partial addresses', async () => {
    const A = t.buffer('A', [5000], 'float32');
    const i = t.variable('i');
    // index = (i - 4000) + 4000 + 990: the non-constant part is negative, the whole is in bounds.
    const ix = t.add(t.sub(i, i32(4000)), i32(4990));
    const f = t.primFunc('fold', [A], t.forLoop(i, 0, 8, 'serial', st(A, t.add(ld(A, ix), t.floatImm(1)), ix)));
    const inputs = [seededFloats(5000, 12)];
    const want = Float32Array.from(inputs[0]!, (v, k) => (k >= 990 && k < 998 ? f32(v + 1) : v));
    for (const target of CONFIGS) {
      const out = await runWasm(f, inputs, target);
      expect(maxRelErr(out[0]!, want), target).toBe(0);
    }
  });

  it('runs 1-element buffers and empty loops', async () => {
    const A = t.buffer('A', [1], 'float32');
    const i = t.variable('i');
    const j = t.variable('j');
    const f = t.primFunc('one', [A], t.seq([
      t.forLoop(i, 0, 1, 'parallel', st(A, t.add(ld(A, i), t.floatImm(1)), i)),
      t.forLoop(j, 0, 0, 'serial', st(A, t.floatImm(99), j)),
    ]));
    for (const target of CONFIGS) {
      const out = await runWasm(f, [Float32Array.of(41)], target);
      expect(out[0]![0], target).toBe(42);
    }
  });

  it('refuses GPU thread bindings, unflattened buffers and unsupported dtypes with clear errors', () => {
    const A = t.buffer('A', [8], 'float32');
    const i = t.variable('i');
    const bound = t.primFunc('bound', [A], t.forLoop(i, 0, 8, 'threadBinding', st(A, t.floatImm(0), i), { threadTag: 'threadIdx.x' }));
    expect(() => compileWasm(bound, 'wasm')).toThrow(/threadIdx\.x.*WebGPU/);
    const M = t.buffer('M', [2, 4], 'float32');
    const j = t.variable('j');
    const twoD = t.primFunc('twod', [M], t.forLoop(j, 0, 4, 'serial', t.bufferStore(M, t.floatImm(0), [i32(0), j])));
    expect(() => compileWasm(twoD, 'wasm')).toThrow(/flattened/);
    const H = t.buffer('H', [4], 'float16');
    expect(() => compileWasm(t.primFunc('half', [H], t.noOp()), 'wasm')).toThrow(/float16/);
    expect(() => compileWasm(t.primFunc('bad', [A], t.noOp()), 'webgpu')).toThrow(/not a wasm target/);
  });

  it('names the wasm codegen, the function and the parameter when a parameter shape is unusable', () => {
    const A = t.buffer('A', [8], 'float32');
    const n = t.variable('n');
    const V = t.buffer('V', [n], 'float32');
    expect(() => compileWasm(t.primFunc('dyn', [V], t.noOp()), 'wasm')).toThrow(/^wasm codegen: dyn: parameter 0: buffer V dimension 0 is not a constant/);
    const wrong = t.primFunc('wrong', [A], t.noOp(), { argShapes: [[3, 3]] });
    expect(() => compileWasm(wrong, 'wasm')).toThrow(/^wasm codegen: wrong: argShapes\[0\] \(3x3\) has 9 elements but buffer A has 8/);
  });
});
