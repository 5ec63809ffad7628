// tests/codegen/wasm/expr_emitter_cases.test.ts — the scalar emitter's memory and local paths
// (codegen/wasm/expr_emitter.ts) case by case, where the random-expression property test
// (expr_emitter.test.ts) never goes: constant parts of an index folded into the memarg offset
// (exactly up to 64 KiB, never a negative one), bool buffers (one byte, load8_u / store8),
// promoted scratch buffers in scalar and v128 locals (int32 and float32, read and written one
// element at a time), a scalar store invalidating cached vector loads, and the refusals. Every
// result is compared with plain JS; the offset decisions are read from the module text at -opt=0.

import { describe, expect, it } from 'vitest';
import { compileWasm, wasmText } from '../../../codegen/wasm/compile_wasm.js';
import { parseTarget } from '../../../target/index.js';
import * as T from '../../../tir/nodes.js';
import { runWasm } from './wasm_harness.js';

const SIMD = ['wasm -simd=1 -threads=1', 'wasm -simd=0 -threads=1'];
const f32 = Math.fround;

/** The body of the exported kernel in `text` (the module also holds helpers). */
function mainBody(text: string): string {
  const name = /\(export "main" \(func (\$\d+)\)\)/.exec(text)?.[1];
  expect(name, text).toBeDefined();
  const from = text.indexOf(`(func ${name} `);
  expect(from, text).toBeGreaterThanOrEqual(0);
  const next = text.indexOf('\n (func', from + 1);
  return text.slice(from, next < 0 ? undefined : next);
}

describe('addresses: constant index parts go into the memarg offset', () => {
  const X = T.buffer('X', [8], 'float32');
  const Y = T.buffer('Y', [8], 'float32');

  it('a constant index (0 included) is an offset from the base, with no address arithmetic', async () => {
    // Y[0] = X[0] + X[5]; Y[3] = X[7]
    const f = T.primFunc('const_index', [X, Y], T.seq([
      T.bufferStore(Y, T.add(T.bufferLoad(X, [T.intImm(0)]), T.bufferLoad(X, [T.intImm(5)])), [T.intImm(0)]),
      T.bufferStore(Y, T.bufferLoad(X, [T.intImm(7)]), [T.intImm(3)]),
    ]));
    const body = mainBody(wasmText(f, 'wasm -simd=0 -threads=1 -opt=0'));
    expect(body).not.toMatch(/i32\.(add|shl)/);
    expect(body).toMatch(/f32\.load offset=20/);
    expect(body).toMatch(/f32\.load offset=28/);
    expect(body).toMatch(/f32\.store offset=12/);
    const x = Float32Array.from({ length: 8 }, (_, i) => i * 1.5 - 4);
    for (const target of SIMD) {
      const y = (await runWasm(f, [x, new Float32Array(8)], target))[1]!;
      expect(Array.from(y), target).toEqual([f32(x[0]! + x[5]!), 0, 0, x[7]!, 0, 0, 0, 0]);
    }
  });

  /**
   * Y[i] = X[K[i] + c] for i < n, with K chosen so that K[i] + c = i (the largest offsets need K
   * negative). `bound`: marked as already lowered for the target, so the wasm target passes (whose
   * simplifier turns `x + (−c)` into `x − c`) do not run and the emitter sees `x + (−c)` itself.
   */
  function shifted(c: number, n: number, bound?: string): { f: T.PrimFunc; k: Int32Array } {
    const Xs = T.buffer('X', [n], 'float32');
    const K = T.buffer('K', [n], 'int32');
    const Ys = T.buffer('Y', [n], 'float32');
    const i = T.variable('i');
    const f = T.primFunc(`shift_${c < 0 ? 'm' : ''}${Math.abs(c)}`, [Xs, K, Ys], T.forLoop(i, 0, n, 'serial',
      T.bufferStore(Ys, T.bufferLoad(Xs, [T.add(T.bufferLoad(K, [i]), T.intImm(c))]), [i])), bound ? { target: parseTarget(bound).str } : {});
    return { f, k: Int32Array.from({ length: n }, (_, j) => j - c) };
  }

  it('x + c folds c·4 bytes up to 65536, not beyond, and never a negative c', () => {
    const target = 'wasm -simd=0 -threads=1 -opt=0';
    const body = (c: number, bound?: boolean): string => mainBody(wasmText(shifted(c, 8, bound ? target : undefined).f, target));
    const offsets = (c: number, bound?: boolean): string[] => [...body(c, bound).matchAll(/f32\.load offset=(\d+)/g)].map((m) => m[1]!);
    expect(offsets(3)).toEqual(['12']);
    expect(offsets(16384)).toEqual(['65536']);
    expect(offsets(16385)).toEqual([]);
    expect(offsets(-2, true)).toEqual([]);
    // c = 0 folds too (offset 0 is not printed): no `K[i] + 0` left, so as many adds as for c = 3.
    const adds = (c: number): number => body(c, true).match(/i32\.add/g)?.length ?? 0;
    expect(adds(0)).toBe(adds(3));
    expect(adds(16385)).toBe(adds(3) + 1);
  });

  it('x + c reads the right element for c of every kind, x negative included (plain JS)', async () => {
    // c = 10⁸ with x = i − 10⁸: folding 4·10⁸ bytes into the offset would leave the pointer
    // base + 4x below zero, an out-of-bounds access; c < 0 in a function already bound to the
    // target (the emitter sees x + c): a negative offset wraps to 4 GiB − 4|c|, out of bounds.
    for (const [c, bound] of [[-3, false], [-3, true], [0, true], [3, false], [16384, false], [16385, false], [100_000_000, false]] as const) {
      const n = 8;
      for (const target of SIMD) {
        const { f, k } = shifted(c, n, bound ? target : undefined);
        const x = Float32Array.from({ length: n }, (_, i) => i + 0.25);
        const y = (await runWasm(f, [x, k, new Float32Array(n)], target))[2]!;
        expect(Array.from(y), `${target}, c = ${c}${bound ? ', bound' : ''}`).toEqual(Array.from(x));
      }
    }
  });
});

describe('bool buffers: one byte per element', () => {
  it('a local bool buffer is stored with store8 and read with load8_u, values against plain JS', async () => {
    // alloc B bool [n]: for i: B[i] = X[i] > 0;  for i: Y[i] = select(B[i], 1, −1) + select(B[n − 1 − i], 10, 0)
    const n = 11;
    const X = T.buffer('X', [n], 'float32');
    const Y = T.buffer('Y', [n], 'int32');
    const B = T.buffer('B', [n], 'bool', 'local');
    const i = T.variable('i');
    const j = T.variable('j');
    const f = T.primFunc('bool_buf', [X, Y], T.allocate(B, T.seq([
      T.forLoop(i, 0, n, 'serial', T.bufferStore(B, T.compare('gt', T.bufferLoad(X, [i]), T.floatImm(0)), [i])),
      T.forLoop(j, 0, n, 'serial', T.bufferStore(Y, T.add(
        T.select(T.bufferLoad(B, [j]), T.intImm(1), T.intImm(-1)),
        T.select(T.bufferLoad(B, [T.sub(T.intImm(n - 1), j)]), T.intImm(10), T.intImm(0))), [j])),
    ])));
    const x = Float32Array.from({ length: n }, (_, q) => ((q * 7) % 5) - 2);
    const want = Array.from({ length: n }, (_, q) => (x[q]! > 0 ? 1 : -1) + (x[n - 1 - q]! > 0 ? 10 : 0));
    for (const target of SIMD) {
      const y = (await runWasm(f, [x, new Int32Array(n)], target))[1]!;
      expect(Array.from(y), target).toEqual(want);
    }
    const body = mainBody(wasmText(f, 'wasm -simd=0 -threads=1 -opt=0'));
    expect(body).toMatch(/i32\.store8/);
    expect(body).toMatch(/i32\.load8_u/);
    // One byte per element: B's three accesses are base + index, no shift (X[i] and Y[j] shift by 2).
    expect(body.match(/i32\.shl/g)?.length).toBe(2);
  });
});

describe('promoted scratch buffers, element by element', () => {
  /**
   * alloc S dtype [size] local, every access at a constant index (unrolled loops):
   *   S[r] = X[r]·(r + 1) for r < size (scalar stores), then optionally one vector statement
   *   S[ramp(0, 1, 4)] = S[ramp(0, 1, 4)] + 1 (so SIMD makes S v128 locals), then
   *   Y[r] = S[size − 1 − r] − S[r] for r < size (scalar loads).
   */
  function promoted(dtype: 'float32' | 'int32', size: number, vector: boolean): { f: T.PrimFunc; want: (x: ArrayLike<number>) => number[] } {
    const X = T.buffer('X', [size], dtype);
    const Y = T.buffer('Y', [size], dtype);
    const S = T.buffer('S', [size], dtype, 'local');
    const r = T.variable('r');
    const q = T.variable('q');
    const c = (v: number): T.PrimExpr => (dtype === 'float32' ? T.floatImm(v) : T.intImm(v));
    const asD = (e: T.PrimExpr): T.PrimExpr => (dtype === 'float32' ? T.cast('float32', e) : e);
    const stmts: T.Stmt[] = [T.forLoop(r, 0, size, 'unrolled', T.bufferStore(S, T.mul(T.bufferLoad(X, [r]), asD(T.add(r, T.intImm(1)))), [r]))];
    if (vector) {
      const ix = T.ramp(T.intImm(0), T.intImm(1), 4);
      stmts.push(T.bufferStore(S, T.add(T.bufferLoad(S, [ix]), T.broadcast(c(1), 4)), [ix]));
    }
    stmts.push(T.forLoop(q, 0, size, 'unrolled', T.bufferStore(Y, T.sub(T.bufferLoad(S, [T.sub(T.intImm(size - 1), q)]), T.bufferLoad(S, [q])), [q])));
    const f = T.primFunc(`promoted_${dtype}_${size}${vector ? '_v' : ''}`, [X, Y], T.allocate(S, T.seq(stmts)));
    const want = (x: ArrayLike<number>): number[] => {
      const s = Array.from({ length: size }, (_, e) => (dtype === 'float32' ? f32(x[e]! * (e + 1)) : Math.imul(x[e]!, e + 1)));
      if (vector) for (let e = 0; e < 4; e++) s[e] = dtype === 'float32' ? f32(s[e]! + 1) : (s[e]! + 1) | 0;
      return s.map((_, e) => (dtype === 'float32' ? f32(s[size - 1 - e]! - s[e]!) : (s[size - 1 - e]! - s[e]!) | 0));
    };
    return { f, want };
  }

  for (const dtype of ['float32', 'int32'] as const) {
    for (const [size, vector] of [[6, false], [8, true], [12, true]] as const) {
      it(`${dtype} S[${size}]${vector ? ' with one vector statement (v128 locals under SIMD)' : ' (scalar locals)'}`, async () => {
        const { f, want } = promoted(dtype, size, vector);
        const x = dtype === 'float32' ? Float32Array.from({ length: size }, (_, e) => e * 0.75 - 2.5) : Int32Array.from({ length: size }, (_, e) => e * 5 - 13);
        for (const target of SIMD) {
          const y = (await runWasm(f, [x, dtype === 'float32' ? new Float32Array(size) : new Int32Array(size)], target))[1]!;
          expect(Array.from(y), target).toEqual(want(x));
        }
        // Promoted: S never reaches memory, so the only stores are Y's.
        const body = mainBody(wasmText(f, 'wasm -simd=1 -threads=1 -opt=0'));
        expect(body.match(/\.store/g)?.length).toBe(size);
        if (vector) expect(body).toMatch(dtype === 'float32' ? /f32x4\.replace_lane/ : /i32x4\.replace_lane/);
        if (vector) expect(body).toMatch(dtype === 'float32' ? /f32x4\.extract_lane/ : /i32x4\.extract_lane/);
      });
    }
  }

  it('a constant index out of a promoted buffer is refused with the buffer, the index and its size', () => {
    for (const [size, vector] of [[6, false], [8, true]] as const) {
      for (const at of [size, size + 3, -1]) {
        const X = T.buffer('X', [size], 'float32');
        const Y = T.buffer('Y', [size], 'float32');
        const S = T.buffer('S', [size], 'float32', 'local');
        const ix = T.ramp(T.intImm(0), T.intImm(1), 4);
        const fill = vector ? T.bufferStore(S, T.bufferLoad(X, [ix]), [ix]) : T.bufferStore(S, T.bufferLoad(X, [T.intImm(0)]), [T.intImm(0)]);
        for (const form of ['load', 'store'] as const) {
          const last = form === 'load'
            ? T.bufferStore(Y, T.bufferLoad(S, [T.intImm(at)]), [T.intImm(0)])
            : T.bufferStore(S, T.floatImm(1), [T.intImm(at)]);
          const f = T.primFunc('oob', [X, Y], T.allocate(S, T.seq([fill, last, T.bufferStore(Y, T.bufferLoad(S, [T.intImm(1)]), [T.intImm(1)])])));
          expect(() => compileWasm(f, 'wasm -simd=1 -threads=1'), `${form} S[${at}]`).toThrow(`wasm codegen: index ${at} out of bounds of S (size ${size})`);
        }
      }
    }
  });
});

describe('a scalar store forgets the cached vector loads of its buffer', () => {
  it('X[ramp] read, X[4o] written, X[ramp] read again (plain JS)', async () => {
    // for o < n/4: Y[ramp(4o)] = X[ramp(4o)] + 1;  X[4o + 1] = X[4o] · 3;  Z[ramp(4o)] = X[ramp(4o)] · 2
    const n = 12;
    const X = T.buffer('X', [n], 'float32');
    const Y = T.buffer('Y', [n], 'float32');
    const Z = T.buffer('Z', [n], 'float32');
    const o = T.variable('o');
    const at = (): T.PrimExpr => T.ramp(T.mul(o, T.intImm(4)), T.intImm(1), 4);
    const f = T.primFunc('store_then_load', [X, Y, Z], T.forLoop(o, 0, n / 4, 'serial', T.seq([
      T.bufferStore(Y, T.add(T.bufferLoad(X, [at()]), T.broadcast(T.floatImm(1), 4)), [at()]),
      T.bufferStore(X, T.mul(T.bufferLoad(X, [T.mul(o, T.intImm(4))]), T.floatImm(3)), [T.add(T.mul(o, T.intImm(4)), T.intImm(1))]),
      T.bufferStore(Z, T.mul(T.bufferLoad(X, [at()]), T.broadcast(T.floatImm(2), 4)), [at()]),
    ])));
    const x = Float32Array.from({ length: n }, (_, e) => e * 0.5 - 2);
    const x2 = Float32Array.from(x, (v, e) => (e % 4 === 1 ? f32(x[e - 1]! * 3) : v));
    for (const target of SIMD) {
      const out = await runWasm(f, [x, new Float32Array(n), new Float32Array(n)], target);
      expect(Array.from(out[1]!), target).toEqual(Array.from(x, (v) => f32(v + 1)));
      expect(Array.from(out[0]!), target).toEqual(Array.from(x2));
      expect(Array.from(out[2]!), target).toEqual(Array.from(x2, (v) => f32(v * 2)));
    }
  });
});

describe('scalar lets and if_then_else', () => {
  it('a let expression binds its value once, float32 and int32 (plain JS)', async () => {
    // Y[i] = let v = X[i]·2 + 1 in v·v − v;  Z[i] = let w = K[i]·3 in max(w, 7 − w) + w
    const n = 9;
    const X = T.buffer('X', [n], 'float32');
    const K = T.buffer('K', [n], 'int32');
    const Y = T.buffer('Y', [n], 'float32');
    const Z = T.buffer('Z', [n], 'int32');
    const i = T.variable('i');
    const v = T.variable('v', 'float32');
    const w = T.variable('w');
    const f = T.primFunc('lets', [X, K, Y, Z], T.forLoop(i, 0, n, 'serial', T.seq([
      T.bufferStore(Y, T.letExpr(v, T.add(T.mul(T.bufferLoad(X, [i]), T.floatImm(2)), T.floatImm(1)), T.sub(T.mul(v, v), v)), [i]),
      T.bufferStore(Z, T.letExpr(w, T.mul(T.bufferLoad(K, [i]), T.intImm(3)), T.add(T.max(w, T.sub(T.intImm(7), w)), w)), [i]),
    ])));
    const x = Float32Array.from({ length: n }, (_, q) => q * 0.625 - 2);
    const k = Int32Array.from({ length: n }, (_, q) => q * 3 - 11);
    const wantY = Array.from(x, (q) => { const vv = f32(f32(q * 2) + 1); return f32(f32(vv * vv) - vv); });
    const wantZ = Array.from(k, (q) => { const ww = q * 3; return Math.max(ww, 7 - ww) + ww; });
    for (const target of SIMD) {
      const out = await runWasm(f, [x, k, new Float32Array(n), new Int32Array(n)], target);
      expect(Array.from(out[2]!), target).toEqual(wantY);
      expect(Array.from(out[3]!), target).toEqual(wantZ);
    }
  });

  it('a scalar if_then_else evaluates only the arm taken (the other would read out of memory)', async () => {
    // Y[i] = if_then_else(K[i] >= 0, X[K[i]], X[K[i] + 10⁸]·0 − 1), K[i] = −10⁸ where the condition
    // fails: either arm evaluated when not taken reads 4·10⁸ bytes out of memory and traps.
    const n = 8;
    const X = T.buffer('X', [n], 'float32');
    const K = T.buffer('K', [n], 'int32');
    const Y = T.buffer('Y', [n], 'float32');
    const i = T.variable('i');
    const kk = T.bufferLoad(K, [i]);
    const f = T.primFunc('lazy_ite', [X, K, Y], T.forLoop(i, 0, n, 'serial', T.bufferStore(Y,
      T.ifThenElseExpr(T.compare('ge', kk, T.intImm(0)), T.bufferLoad(X, [kk]), T.sub(T.mul(T.bufferLoad(X, [T.add(kk, T.intImm(100_000_000))]), T.floatImm(0)), T.floatImm(1))), [i])));
    const x = Float32Array.from({ length: n }, (_, q) => q * 1.25 + 0.5);
    const k = Int32Array.from({ length: n }, (_, q) => (q % 3 === 1 ? -100_000_000 : n - 1 - q));
    const want = Array.from(k, (q) => (q >= 0 ? x[q]! : -1));
    for (const target of SIMD) {
      const out = await runWasm(f, [x, k, new Float32Array(n)], target);
      expect(Array.from(out[2]!), target).toEqual(want);
    }
  });
});

describe('casts to and from bool', () => {
  it('float32 and int32 → bool is "≠ 0", bool → float32 / int32 is 1 or 0, saturating float → int (plain JS)', async () => {
    // Y[i] = select(bool(X[i]), 1, 2) + select(bool(K[i]), 10, 20) + int(float(X[i] < 0)·4) + int(X[i]·10⁹)
    const n = 10;
    const X = T.buffer('X', [n], 'float32');
    const K = T.buffer('K', [n], 'int32');
    const Y = T.buffer('Y', [n], 'int32');
    const Z = T.buffer('Z', [n], 'int32');
    const i = T.variable('i');
    const x = T.bufferLoad(X, [i]);
    const k = T.bufferLoad(K, [i]);
    const f = T.primFunc('bool_casts', [X, K, Y, Z], T.forLoop(i, 0, n, 'serial', T.seq([
      T.bufferStore(Y, T.add(T.add(
        T.select(T.cast('bool', x), T.intImm(1), T.intImm(2)),
        T.select(T.cast('bool', k), T.intImm(10), T.intImm(20))),
        T.cast('int32', T.mul(T.cast('float32', T.compare('lt', x, T.floatImm(0))), T.floatImm(4)))), [i]),
      T.bufferStore(Z, T.add(T.cast('int32', T.mul(x, T.floatImm(1e9))), T.cast('int32', T.compare('ne', k, T.intImm(0)))), [i]),
    ])));
    const xs = Float32Array.from([0, -0, 0.25, -3, 1e-30, 2.5, -0.75, 0, 7, -1e-3]);
    const ks = Int32Array.from({ length: n }, (_, q) => (q % 3 === 0 ? 0 : q - 5));
    const sat = (v: number): number => (v >= 2147483647 ? 2147483647 : v <= -2147483648 ? -2147483648 : Math.trunc(v));
    const wantY = Array.from(xs, (v, q) => (v !== 0 ? 1 : 2) + (ks[q] !== 0 ? 10 : 20) + (v < 0 ? 4 : 0));
    const wantZ = Array.from(xs, (v, q) => (sat(f32(v * 1e9)) + (ks[q] !== 0 ? 1 : 0)) | 0);
    for (const target of SIMD) {
      const out = await runWasm(f, [xs, ks, new Int32Array(n), new Int32Array(n)], target);
      expect(Array.from(out[2]!), target).toEqual(wantY);
      expect(Array.from(out[3]!), target).toEqual(wantZ);
    }
  });
});

describe('calls', () => {
  it('a call with no arguments (tir.storage_sync, a barrier: nothing to wait for on wasm) is the value 0', async () => {
    // K[0] = storage_sync() + 5
    const K = T.buffer('K', [2], 'int32');
    const f = T.primFunc('sync_value', [K], T.bufferStore(K, T.add(T.call('tir.storage_sync', []), T.intImm(5)), [T.intImm(0)]));
    for (const target of SIMD) {
      const out = await runWasm(f, [Int32Array.from([9, 9])], target);
      expect(Array.from(out[0]!), target).toEqual([5, 9]);
    }
  });
});

describe('integer floordiv / floormod', () => {
  const floorDiv = (a: number, b: number): number => Math.floor(a / b) | 0;
  const floorMod = (a: number, b: number): number => (a - Math.floor(a / b) * b) | 0;
  /** Y[2i] = floordiv(K[i], d), Y[2i + 1] = floormod(K[i], d), d a constant or D[i]. */
  function kernel(d: number | 'varying', n: number): T.PrimFunc {
    const K = T.buffer('K', [n], 'int32');
    const D = T.buffer('D', [n], 'int32');
    const Y = T.buffer('Y', [2 * n], 'int32');
    const i = T.variable('i');
    const div = d === 'varying' ? T.bufferLoad(D, [i]) : T.intImm(d);
    const k = T.bufferLoad(K, [i]);
    return T.primFunc(`fdiv_${typeof d === 'number' ? (d < 0 ? 'm' : '') + Math.abs(d) : d}`, [K, D, Y], T.forLoop(i, 0, n, 'serial', T.seq([
      T.bufferStore(Y, T.floordiv(k, div), [T.mul(i, T.intImm(2))]),
      T.bufferStore(Y, T.floormod(k, div), [T.add(T.mul(i, T.intImm(2)), T.intImm(1))]),
    ])));
  }

  it('a power-of-two divisor is a shift and a mask; any other divisor is not (module text)', () => {
    for (const d of [1, 2, 8, 1024]) {
      const body = mainBody(wasmText(kernel(d, 4), 'wasm -simd=0 -threads=1 -opt=0'));
      expect(body, `d = ${d}`).toMatch(/i32\.shr_s/);
      expect(body, `d = ${d}`).toMatch(/i32\.and/);
      expect(body, `d = ${d}`).not.toMatch(/i32\.(div_s|rem_s)/);
    }
    for (const d of [3, -8, 'varying'] as const) {
      const body = mainBody(wasmText(kernel(d, 4), 'wasm -simd=0 -threads=1 -opt=0'));
      expect(body, `d = ${d}`).toMatch(/i32\.div_s/);
      expect(body, `d = ${d}`).toMatch(/i32\.rem_s/);
      expect(body, `d = ${d}`).not.toMatch(/i32\.shr_s/);
    }
  });

  it('results for divisors of every kind, −2³¹ and per-element ones included (plain JS)', async () => {
    const n = 12;
    const k = Int32Array.from([-2147483648, -2147483647, -17, -8, -1, 0, 1, 7, 8, 9, 2147483647, 1073741824]);
    const dv = Int32Array.from([3, -2147483648, 8, -8, 5, -3, 1, 2, -7, 4, -1, 16]);
    for (const d of [8, 1, 3, -8, -2147483648, 'varying'] as const) {
      const want = Array.from(k, (a, q) => { const b = d === 'varying' ? dv[q]! : d; return [floorDiv(a, b), floorMod(a, b)]; }).flat();
      // (no element pairs −2³¹ with −1: that quotient overflows int32)
      for (const target of SIMD) {
        const out = await runWasm(kernel(d, n), [k, dv, new Int32Array(2 * n)], target);
        expect(Array.from(out[2]!), `${target}, d = ${d}`).toEqual(want);
      }
    }
  });

  it('a constant divisor 0 traps (integer divide by zero) instead of giving a value', async () => {
    for (const target of SIMD) {
      await expect(runWasm(kernel(0, 4), [Int32Array.from([5, -3, 0, 9]), new Int32Array(4), new Int32Array(8)], target), target).rejects.toThrow(/divide by zero/);
    }
  });
});

describe('comparisons', () => {
  it('all six on float32 (±0, NaN and equal values included) and on int32 (plain JS)', async () => {
    // Y[6·i + c] = int(A[i] op_c B[i]) for float A, B; Z likewise for int K, L
    const ops: T.CompareOpName[] = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'];
    const js: Record<T.CompareOpName, (a: number, b: number) => boolean> = {
      eq: (a, b) => a === b, ne: (a, b) => a !== b, lt: (a, b) => a < b, le: (a, b) => a <= b, gt: (a, b) => a > b, ge: (a, b) => a >= b,
    };
    const a = Float32Array.from([1, 2, -0, NaN, 3.5, -7, 1e30, 0.25]);
    const b = Float32Array.from([2, 1, 0, 1, 3.5, NaN, -1e30, 0.125]);
    const k = Int32Array.from([1, 2, 0, -5, 7, -2147483648, 2147483647, 3]);
    const l = Int32Array.from([2, 1, 0, -5, -7, 2147483647, -2147483648, 3]);
    const n = a.length;
    const A = T.buffer('A', [n], 'float32'), B = T.buffer('B', [n], 'float32');
    const K = T.buffer('K', [n], 'int32'), L = T.buffer('L', [n], 'int32');
    const Y = T.buffer('Y', [6 * n], 'int32'), Z = T.buffer('Z', [6 * n], 'int32');
    const i = T.variable('i');
    const at = (c: number): T.PrimExpr => T.add(T.mul(i, T.intImm(6)), T.intImm(c));
    const f = T.primFunc('compares', [A, B, K, L, Y, Z], T.forLoop(i, 0, n, 'serial', T.seq(ops.flatMap((op, c) => [
      T.bufferStore(Y, T.cast('int32', T.compare(op, T.bufferLoad(A, [i]), T.bufferLoad(B, [i]))), [at(c)]),
      T.bufferStore(Z, T.cast('int32', T.compare(op, T.bufferLoad(K, [i]), T.bufferLoad(L, [i]))), [at(c)]),
    ]))));
    const wantY = Array.from(a, (x, q) => ops.map((op) => (js[op](x, b[q]!) ? 1 : 0))).flat();
    const wantZ = Array.from(k, (x, q) => ops.map((op) => (js[op](x, l[q]!) ? 1 : 0))).flat();
    for (const target of SIMD) {
      const out = await runWasm(f, [a, b, k, l, new Int32Array(6 * n), new Int32Array(6 * n)], target);
      expect(Array.from(out[4]!), target).toEqual(wantY);
      expect(Array.from(out[5]!), target).toEqual(wantZ);
    }
  });
});

describe('refusals', () => {
  it('a buffer that is neither a parameter nor allocated (a function already bound to wasm skips the verifier)', () => {
    const X = T.buffer('X', [4], 'float32');
    const Y = T.buffer('Y', [4], 'float32');
    const G = T.buffer('G', [4], 'float32');
    const bound = { target: parseTarget('wasm -simd=0 -threads=1').str };
    const load = T.primFunc('stray_load', [X, Y], T.bufferStore(Y, T.bufferLoad(G, [T.intImm(1)]), [T.intImm(0)]), bound);
    expect(() => compileWasm(load, 'wasm -simd=0 -threads=1')).toThrow('wasm codegen: buffer G is used outside its allocation (not a parameter and not allocated here)');
    const store = T.primFunc('stray_store', [X, Y], T.bufferStore(G, T.bufferLoad(X, [T.intImm(1)]), [T.intImm(0)]), bound);
    expect(() => compileWasm(store, 'wasm -simd=0 -threads=1')).toThrow('wasm codegen: buffer G is stored outside its allocation');
  });

  it('what the wasm passes would have refused, in a function already bound to wasm, names the node', () => {
    const target = 'wasm -simd=0 -threads=1';
    const bound = { target: parseTarget(target).str };
    const X = T.buffer('X', [4], 'float32');
    const Y = T.buffer('Y', [4], 'float32');
    const k = T.variable('k');
    const cases: [string, T.PrimExpr, string][] = [
      ['unbound', T.cast('float32', k), 'wasm codegen: variable k is used but not bound'],
      ['cast_half', T.cast('float32', T.cast('float16', T.floatImm(1.5))), 'wasm codegen: cast: dtype float16 is not supported (float32, int32 and bool are)'],
      ['to_half', T.select(T.compare('lt', T.cast('float16', T.floatImm(1.5)), T.cast('float16', T.floatImm(2))), T.floatImm(1), T.floatImm(2)), 'wasm codegen: cast: dtype float16 is not supported (float32, int32 and bool are)'],
      ['half', T.select(T.compare('lt', T.floatImm(1.5, 'float16'), T.floatImm(2, 'float16')), T.floatImm(1), T.floatImm(2)), 'wasm codegen: float16 constants are not supported'],
    ];
    for (const [name, value, message] of cases) {
      const body = T.bufferStore(Y, value, [T.intImm(0)]);
      const f = T.primFunc(name, [X, Y], body, bound);
      expect(() => compileWasm(f, target), name).toThrow(message);
    }
    // te nodes that lowering replaces: a tensor read and a reduction
    const P: T.DataProducer = { name: 'P', shape: [T.intImm(4)], dtype: 'float32' };
    const kr = T.iterVar(T.range(0, 4), 'kr', 'reduce');
    for (const [name, value, message] of [
      ['producer', T.producerLoad(P, [T.intImm(1)]), 'wasm codegen: ProducerLoad must be lowered before code generation'],
      ['reduction', T.reduce('sum', T.bufferLoad(X, [kr.variable]), [kr]), 'wasm codegen: Reduce must be lowered before code generation'],
    ] as const) {
      const f = T.primFunc(name, [X, Y], T.bufferStore(Y, value, [T.intImm(0)]), bound);
      expect(() => compileWasm(f, target), name).toThrow(message);
    }
    // A vector let in a scalar expression: Y[0] = let v = ramp(0, 1, 4) in 2.5
    const v = T.variable('v', 'int32x4');
    const vecLet = T.primFunc('vector_let', [X, Y], T.bufferStore(Y, T.letExpr(v, T.ramp(T.intImm(0), T.intImm(1), 4), T.floatImm(2.5)), [T.intImm(0)]), bound);
    expect(() => compileWasm(vecLet, target)).toThrow('wasm codegen: internal: vector Ramp (int32x4) in scalar context');
  });

  it('an index of a promoted buffer that does not fold (a constant division by zero) is refused', () => {
    // alloc S local [4]: S[0] = X[0]; Y[0] = S[floordiv(3, 0)] — every index is made of constants,
    // so S is promoted, but 3 // 0 has no value.
    const X = T.buffer('X', [4], 'float32');
    const Y = T.buffer('Y', [4], 'float32');
    const S = T.buffer('S', [4], 'float32', 'local');
    const f = T.primFunc('div_zero', [X, Y], T.allocate(S, T.seq([
      T.bufferStore(S, T.bufferLoad(X, [T.intImm(0)]), [T.intImm(0)]),
      T.bufferStore(Y, T.bufferLoad(S, [T.floordiv(T.intImm(3), T.intImm(0))]), [T.intImm(0)]),
    ])), { target: parseTarget('wasm -simd=0 -threads=1').str });
    expect(() => compileWasm(f, 'wasm -simd=0 -threads=1')).toThrow('wasm codegen: internal: index of promoted buffer S is not constant');
  });
});
