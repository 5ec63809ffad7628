// tests/codegen/wasm/vector_ops.test.ts — every binary op (add, sub, mul, div, min, max, floordiv,
// floormod, the six comparisons, select) on vectors and on scalars, float32 and int32, built for
// wasm with SIMD on and off, against the same formula in plain JS; and a reversed index
// (B[x] = A[7 − x], vectorized) whose ramp has stride −1, in the interpreter and on wasm SIMD.

import { describe, expect, it } from 'vitest';
import { wasmText } from '../../../codegen/wasm/index.js';
import * as te from '../../../schedule/index.js';
import { interpret } from '../../../tir/interpreter.js';
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
