// tests/codegen/wasm/vector_ops.test.ts — every binary op (add, sub, mul, div, min, max, floordiv,
// floormod, the six comparisons, select) on vectors and on scalars, float32 and int32, built for
// wasm with SIMD on and off, against the same formula in plain JS; and a reversed index
// (B[x] = A[7 − x], vectorized) whose ramp has stride −1, in the interpreter and on wasm SIMD.

import { describe, expect, it } from 'vitest';
import { wasmText } from '../../../codegen/wasm/index.js';
import * as te from '../../../schedule/index.js';
import { interpret } from '../../../tir/interpreter.js';
import * as t from '../../../tir/nodes.js';
import type { DataType, PrimFunc } from '../../../tir/nodes.js';
import { print } from '../../../tir/printer.js';
import { runWasm, seededFloats, seededInts } from './wasm_harness.js';

const TARGETS = ['wasm -simd=1 -threads=1', 'wasm -simd=0 -threads=1'];
const N = 37; // not a multiple of 8 or 4: a vector body and a scalar tail

type Js = (a: number, b: number) => number;
const f32 = Math.fround;
const floorDiv = (a: number, b: number): number => Math.floor(a / b);
const floorMod = (a: number, b: number): number => a - Math.floor(a / b) * b;

/** op name → [te expression, plain-JS value (float32 / int32)], for both dtypes unless marked. */
const OPS: Record<string, { te: (a: te.Expr, b: te.Expr) => te.Expr; f?: Js; i?: Js }> = {
  add: { te: (a, b) => a.add(b), f: (a, b) => f32(a + b), i: (a, b) => (a + b) | 0 },
  sub: { te: (a, b) => a.sub(b), f: (a, b) => f32(a - b), i: (a, b) => (a - b) | 0 },
  mul: { te: (a, b) => a.mul(b), f: (a, b) => f32(a * b), i: (a, b) => Math.imul(a, b) },
  div: { te: (a, b) => a.div(b), f: (a, b) => f32(a / b), i: (a, b) => Math.trunc(a / b) | 0 },
  min: { te: (a, b) => a.min(b), f: (a, b) => Math.min(a, b), i: (a, b) => Math.min(a, b) },
  max: { te: (a, b) => a.max(b), f: (a, b) => Math.max(a, b), i: (a, b) => Math.max(a, b) },
  floordiv: { te: (a, b) => a.floordiv(b), i: floorDiv },
  floormod: { te: (a, b) => a.floormod(b), i: floorMod },
  // Comparisons pick an operand, so a swapped or wrong comparison shows in the value.
  lt: { te: (a, b) => te.select(a.lt(b), a, b), f: (a, b) => (a < b ? a : b), i: (a, b) => (a < b ? a : b) },
  le: { te: (a, b) => te.select(a.le(b), a.sub(b), b), f: (a, b) => (a <= b ? f32(a - b) : b), i: (a, b) => (a <= b ? a - b : b) },
  gt: { te: (a, b) => te.select(a.gt(b), a, b.sub(a)), f: (a, b) => (a > b ? a : f32(b - a)), i: (a, b) => (a > b ? a : b - a) },
  ge: { te: (a, b) => te.select(a.ge(b), b, a.sub(b)), f: (a, b) => (a >= b ? b : f32(a - b)), i: (a, b) => (a >= b ? b : a - b) },
  eq: { te: (a, b) => te.select(a.eq(b), a.add(b), a.sub(b)), f: (a, b) => (a === b ? f32(a + b) : f32(a - b)), i: (a, b) => (a === b ? a + b : a - b) },
  ne: { te: (a, b) => te.select(a.ne(b), a.sub(b), b.sub(a)), f: (a, b) => (a !== b ? f32(a - b) : f32(b - a)), i: (a, b) => (a !== b ? a - b : b - a) },
};

/** C[i] = op(A[i], B[i]) over N elements: split by `lanes` and vectorized, or scalar. */
function kernel(name: string, dtype: DataType, lanes: number | undefined): PrimFunc {
  const A = te.placeholder([N], dtype, 'A');
  const B = te.placeholder([N], dtype, 'B');
  const C = te.compute([N], (i) => OPS[name]!.te(A.at(i), B.at(i)), 'C');
  const s = te.createSchedule([C]);
  if (lanes) {
    const c = s.stage(C);
    const [, inner] = c.split(c.axis[0]!, { factor: lanes });
    c.vectorize(inner!);
  }
  return te.lower(s, [A, B, C], { name: `${name}_${dtype}_${lanes ?? 1}` });
}

/** Inputs with equal pairs (for eq/ne/le/ge), negatives (floordiv/floormod) and no zero divisor. */
function inputs(dtype: DataType): [Float32Array | Int32Array, Float32Array | Int32Array] {
  if (dtype === 'int32') {
    const a = seededInts(N, 11, -50, 50);
    const b = seededInts(N, 12, -9, 9).map((x) => (x === 0 ? 3 : x));
    for (let i = 0; i < N; i += 5) b[i] = a[i]! === 0 ? 1 : a[i]!;
    return [a, b];
  }
  const a = seededFloats(N, 13, -3, 3);
  const b = seededFloats(N, 14, -3, 3);
  for (let i = 0; i < N; i += 5) b[i] = a[i]!;
  return [a, b];
}

describe('wasm: every binary op, vector and scalar, SIMD on and off, against plain JS', () => {
  for (const [name, op] of Object.entries(OPS)) {
    for (const dtype of ['float32', 'int32'] as const) {
      const js = dtype === 'float32' ? op.f : op.i;
      if (!js) continue;
      it(`${name} on ${dtype}`, async () => {
        const [a, b] = inputs(dtype);
        const want = Array.from(a, (x, i) => js(x, b[i]!));
        for (const lanes of [undefined, 4, 8]) {
          const f = kernel(name, dtype, lanes);
          for (const target of TARGETS) {
            const out = await runWasm(f, [a, b, dtype === 'int32' ? new Int32Array(N) : new Float32Array(N)], target);
            expect(Array.from(out[2]!), `${target}, lanes ${lanes ?? 1}`).toEqual(want);
          }
        }
      });
    }
  }

  it('emits the f32x4 instruction for float sub, div, min, max and comparisons with SIMD on', () => {
    const text = (name: string): string => wasmText(kernel(name, 'float32', 4), 'wasm -simd=1 -threads=1');
    expect(text('sub')).toContain('f32x4.sub');
    expect(text('div')).toContain('f32x4.div');
    expect(text('min')).toMatch(/f32x4\.(p?min)/);
    expect(text('max')).toMatch(/f32x4\.(p?max)/);
    expect(text('lt')).toContain('f32x4.lt');
    expect(text('lt')).toMatch(/v128\.bitselect|select/);
  });
});

describe('a reversed index, vectorized: B[x] = A[7 − x]', () => {
  function reverse(n: number, lanes: number): PrimFunc {
    const A = te.placeholder([n], 'float32', 'A');
    const B = te.compute([n], (x) => A.at(te.const(n - 1, 'int32').sub(x)), 'B');
    const s = te.createSchedule([B]);
    const b = s.stage(B);
    if (lanes === n) {
      b.vectorize(b.axis[0]!);
    } else {
      const [, xi] = b.split(b.axis[0]!, { factor: lanes });
      b.vectorize(xi!);
    }
    return te.lower(s, [A, B], { name: `reverse${n}` });
  }

  it('indexes A by ramp(7, −1, 8) and gives A reversed, in the interpreter and on wasm SIMD', async () => {
    const f = reverse(8, 8);
    expect(print(f)).toContain('ramp(7, -1, 8)');
    const a = Float32Array.from({ length: 8 }, (_, i) => i * 1.5 - 2);
    const want = Array.from(a).reverse();
    const out = new Float32Array(8);
    interpret(f, [a, out]);
    expect(Array.from(out)).toEqual(want);
    for (const target of TARGETS) {
      const got = await runWasm(f, [a, new Float32Array(8)], target);
      expect(Array.from(got[1]!), target).toEqual(want);
    }
  });

  it('reverses 37 elements in 8-lane pieces with a tail', async () => {
    const f = reverse(N, 8);
    const a = seededFloats(N, 21);
    const want = Array.from(a).reverse();
    const out = new Float32Array(N);
    interpret(f, [a, out]);
    expect(Array.from(out)).toEqual(want);
    for (const target of TARGETS) {
      const got = await runWasm(f, [a, new Float32Array(N)], target);
      expect(Array.from(got[1]!), target).toEqual(want);
    }
  });
});

describe('vector values moving between v128 and lanes', () => {
  // SIMD results used lane by lane: fed to ops with no SIMD form (exp, floordiv), stored with a
  // stride, or stored into register-held local storage at an unaligned offset (the last one is
  // what takes a v128 apart: a mutant swapping float/int lane extraction survived until it).
  it('exp of a SIMD sum, floordiv of a SIMD int sum, and a strided store of a SIMD product', async () => {
    const n = 36;
    const A = te.placeholder([n], 'float32', 'A');
    const B = te.placeholder([n], 'float32', 'B');
    const I = te.placeholder([n], 'int32', 'I');
    const J = te.placeholder([n], 'int32', 'J');
    const E = te.compute([n], (i) => te.exp(A.at(i).add(B.at(i))), 'E');
    const D = te.compute([n], (i) => I.at(i).add(J.at(i)).floordiv(3), 'D');
    const s = te.createSchedule([E, D]);
    for (const t of [E, D]) {
      const st = s.stage(t);
      const [, inner] = st.split(st.axis[0]!, { factor: 4 });
      st.vectorize(inner!);
    }
    const f = te.lower(s, [A, B, I, J, E, D], { name: 'lanes_mix' });
    const a = seededFloats(n, 31, -2, 2);
    const b = seededFloats(n, 32, -2, 2);
    const ii = seededInts(n, 33, -40, 40);
    const jj = seededInts(n, 34, -40, 40);
    const wantE = Array.from(a, (x, k) => Math.fround(Math.exp(Math.fround(x + b[k]!))));
    const wantD = Array.from(ii, (x, k) => Math.floor((x + jj[k]!) / 3));
    for (const target of TARGETS) {
      const out = await runWasm(f, [a, b, ii, jj, new Float32Array(n), new Int32Array(n)], target);
      const gotE = Array.from(out[4]!);
      for (let k = 0; k < n; k++) expect(Math.abs(gotE[k]! - wantE[k]!) / Math.max(1, wantE[k]!), `${target} E[${k}]`).toBeLessThan(1e-6);
      expect(Array.from(out[5]!), target).toEqual(wantD);
    }
  });

  it('stores a SIMD product with stride 2 (a scatter, lane by lane)', async () => {
    const n = 8;
    const A = t.buffer('A', [n], 'float32');
    const B = t.buffer('B', [n], 'float32');
    const C = t.buffer('C', [2 * n], 'float32');
    const v = t.variable('v');
    const r = t.ramp(t.mul(v, t.intImm(4)), t.intImm(1), 4);
    const strided = t.ramp(t.mul(v, t.intImm(8)), t.intImm(2), 4);
    const f = t.primFunc('scatter', [A, B, C], t.forLoop(v, 0, n / 4, 'serial',
      t.bufferStore(C, t.mul(t.bufferLoad(A, [r]), t.bufferLoad(B, [r])), [strided])));
    const a = seededFloats(n, 41);
    const b = seededFloats(n, 42);
    const want = new Array<number>(2 * n).fill(0);
    for (let k = 0; k < n; k++) want[2 * k] = Math.fround(a[k]! * b[k]!);
    for (const target of TARGETS) {
      const out = await runWasm(f, [a, b, new Float32Array(2 * n)], target);
      expect(Array.from(out[2]!), target).toEqual(want);
    }
  });

  it('writes a SIMD result into register-held local storage at an unaligned offset, float32 and int32', async () => {
    for (const dtype of ['float32', 'int32'] as const) {
      const A = t.buffer('A', [4], dtype);
      const B = t.buffer('B', [4], dtype);
      const C = t.buffer('C', [8], dtype);
      const L = t.buffer('L', [8], dtype, 'local');
      const r4 = t.ramp(t.intImm(0), t.intImm(1), 4);
      const r8 = t.ramp(t.intImm(0), t.intImm(1), 8);
      const zero = dtype === 'float32' ? t.floatImm(0) : t.intImm(0);
      const f = t.primFunc(`local_${dtype}`, [A, B, C], t.allocate(L, t.seq([
        t.bufferStore(L, t.broadcast(zero, 8), [r8]),
        t.bufferStore(L, t.mul(t.bufferLoad(A, [r4]), t.bufferLoad(B, [r4])), [t.ramp(t.intImm(2), t.intImm(1), 4)]),
        t.bufferStore(C, t.bufferLoad(L, [r8]), [r8]),
      ])));
      const a = dtype === 'float32' ? seededFloats(4, 51) : seededInts(4, 51);
      const b = dtype === 'float32' ? seededFloats(4, 52) : seededInts(4, 52);
      const prod = Array.from(a, (x, k) => (dtype === 'float32' ? Math.fround(x * b[k]!) : Math.imul(x, b[k]!)));
      const want = [0, 0, ...prod, 0, 0];
      for (const target of TARGETS) {
        const out = await runWasm(f, [a, b, dtype === 'float32' ? new Float32Array(8) : new Int32Array(8)], target);
        expect(Array.from(out[2]!), `${target} ${dtype}`).toEqual(want);
      }
    }
  });
});
