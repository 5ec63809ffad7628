// tests/tir/interpreter_math_cases.test.ts — the reference interpreter's numerics, function by
// function, against plain-JS references written independently: half precision from a table of
// every finite float16 value (decoded from its bits), erf from its Maclaurin series, int32
// arithmetic from BigInt, and each intrinsic, cast, comparison and bounds check on its corners.
import { describe, expect, it } from 'vitest';
import {
  binaryFn, castFn, compareFn, erf, f16round, flatOffset, intDiv, intrinsicFn, rounder,
} from '../../tir/interpreter_math.js';
import type { BinaryOpName, CompareOpName, IntrinsicName } from '../../tir/nodes.js';
import { HALVES, halfRef } from './half_ref.js';

/** A seeded uniform source in [0, 1). */
function rand(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
}

describe('f16round', () => {
  it('matches the nearest float16 (ties to even) on random values of every magnitude and sign', () => {
    const r = rand(7);
    for (let n = 0; n < 4000; n++) {
      const x = (r() < 0.5 ? -1 : 1) * (1 + r()) * 2 ** Math.floor(-28 + r() * 46);
      expect(f16round(x), `f16round(${x})`).toBe(halfRef(x));
    }
  });

  it('rounds exact midpoints to the even neighbour, and values just off them to the nearer one', () => {
    const r = rand(11);
    for (let n = 0; n < 1500; n++) {
      const k = Math.floor(r() * (HALVES.length - 2));
      const mid = (HALVES[k]! + HALVES[k + 1]!) / 2;
      const step = HALVES[k + 1]! - HALVES[k]!;
      for (const x of [mid, mid + step / 64, mid - step / 64, -mid]) expect(f16round(x), `f16round(${x})`).toBe(halfRef(x));
    }
  });

  it('powers of two and their neighbours, subnormals, the largest finite value, infinities, zeros and NaN', () => {
    const xs: number[] = [];
    for (let e = -26; e <= 16; e++) {
      const p = 2 ** e;
      xs.push(p, p * (1 - 2 ** -52), p * (1 + 2 ** -52), p * (1 - 2 ** -12), p * (1 + 2 ** -11), p * (1 + 3 * 2 ** -11));
    }
    xs.push(2 ** -24, 2 ** -25, 3 * 2 ** -26, 2 ** -14 - 2 ** -24, 65504, 65519.99, 65520, 1e6);
    for (const x of xs) {
      expect(f16round(x), `f16round(${x})`).toBe(halfRef(x));
      expect(f16round(-x), `f16round(${-x})`).toBe(halfRef(-x));
    }
    expect(f16round(Infinity)).toBe(Infinity);
    expect(f16round(-Infinity)).toBe(-Infinity);
    expect(Object.is(f16round(-0), -0)).toBe(true);
    expect(Object.is(f16round(0), 0)).toBe(true);
    expect(f16round(NaN)).toBeNaN();
    expect(Object.is(f16round(-(2 ** -26)), -0)).toBe(true);
  });
});

describe('rounder and castFn', () => {
  it('rounds to each dtype', () => {
    expect(rounder('float32')(1 + 2 ** -30)).toBe(1);
    expect(rounder('float32')(0.1)).toBe(Math.fround(0.1));
    expect(rounder('float16')(0.1)).toBe(halfRef(0.1));
    expect(rounder('float32x4')(0.1)).toBe(Math.fround(0.1));
    expect(rounder('int32')(2 ** 31)).toBe(-(2 ** 31));
    expect(rounder('int32')(-7.9)).toBe(-7);
    for (const [x, b] of [[0, 0], [2, 1], [-1, 1], [0.5, 1]] as const) expect(rounder('bool')(x)).toBe(b);
  });

  it('casts: to bool is x != 0, float to int truncates (then wraps), int to int wraps, to float rounds', () => {
    const toBool = castFn('bool', 'float32');
    expect([0, -0, 3, -0.25, NaN].map(toBool)).toEqual([0, 0, 1, 1, 1]);
    expect(castFn('bool', 'int32')(0)).toBe(0);
    expect(castFn('bool', 'int32')(-5)).toBe(1);
    const f2i = castFn('int32', 'float32');
    expect([2.7, -2.7, 0.5, -0.5, 2 ** 31 + 3.5, -(2 ** 31) - 1.5].map(f2i)).toEqual([2, -2, 0, 0, -(2 ** 31) + 3, 2 ** 31 - 1]);
    expect(castFn('int32', 'float16')(-3.75)).toBe(-3);
    const i2i = castFn('int32', 'int32');
    expect(i2i(2 ** 32 + 5)).toBe(5);
    expect(castFn('int32', 'bool')(1)).toBe(1);
    expect(castFn('float32', 'int32')(16777217)).toBe(16777216);
    expect(castFn('float16', 'int32')(2049)).toBe(2048);
    expect(castFn('float32', 'float16')(0.1)).toBe(Math.fround(0.1));
    expect(castFn('int32x4', 'float32x4')(-9.99)).toBe(-9);
  });
});

describe('binaryFn', () => {
  const F: Record<'add' | 'sub' | 'mul' | 'div' | 'min' | 'max', (a: number, b: number) => number> = {
    add: (a, b) => a + b, sub: (a, b) => a - b, mul: (a, b) => a * b, div: (a, b) => a / b, min: Math.min, max: Math.max,
  };
  const floats = [0, -0, 1, -1, 0.1, 3.75, -2.5, 1e-3, 7, 1e30, -1e30, 65504, 2 ** -20];

  it('float32 and float16 ops round each result; min/max exact; operands in order', () => {
    for (const dtype of ['float32', 'float16'] as const) {
      const rd = dtype === 'float32' ? Math.fround : halfRef;
      for (const op of Object.keys(F) as (keyof typeof F)[]) {
        const fn = binaryFn(op, dtype);
        for (const a of floats) for (const b of floats) {
          const want = op === 'min' || op === 'max' ? F[op](a, b) : rd(F[op](a, b));
          expect(Object.is(fn(a, b), want) || (Number.isNaN(want) && Number.isNaN(fn(a, b))), `${dtype} ${op}(${a}, ${b}) = ${fn(a, b)}, want ${want}`).toBe(true);
        }
      }
    }
    expect(binaryFn('add', 'float32')(1, 2 ** -30)).toBe(1);
    expect(binaryFn('add', 'float16')(2048, 1)).toBe(2048);
  });

  it('refuses integer-only ops on floats, naming the op and dtype', () => {
    for (const op of ['mod', 'floordiv', 'floormod'] as const) {
      expect(() => binaryFn(op, 'float32')).toThrow(`interpret: ${op} on float32`);
    }
  });

  /** The int32 result of a BigInt computation, wrapped as two's complement. */
  const wrap = (x: bigint): number => Number(BigInt.asIntN(32, x));
  const INTS: Record<BinaryOpName, (a: bigint, b: bigint) => bigint> = {
    add: (a, b) => a + b,
    sub: (a, b) => a - b,
    mul: (a, b) => a * b,
    div: (a, b) => a / b, // BigInt division truncates toward zero, as C
    mod: (a, b) => a % b, // sign of the dividend, as C
    floordiv: (a, b) => (a / b) - ((a % b !== 0n && (a < 0n) !== (b < 0n)) ? 1n : 0n),
    floormod: (a, b) => ((a % b) + b) % b,
    min: (a, b) => (a < b ? a : b),
    max: (a, b) => (a > b ? a : b),
  };
  const ints = [0, 1, -1, 2, -2, 3, -3, 7, -7, 8, -8, 13, -13, 65536, 2 ** 31 - 1, -(2 ** 31), 123456789, -987654321];

  it('int32 ops wrap like two\'s complement; div/mod truncate, floordiv/floormod floor (BigInt reference)', () => {
    for (const op of Object.keys(INTS) as BinaryOpName[]) {
      const fn = binaryFn(op, 'int32');
      for (const a of ints) for (const b of ints) {
        if (b === 0 && ['div', 'mod', 'floordiv', 'floormod'].includes(op)) continue;
        // INT_MIN / -1 overflows; C leaves it undefined, the interpreter wraps to INT_MIN.
        const want = wrap(INTS[op](BigInt(a), BigInt(b)));
        expect(fn(a, b), `int32 ${op}(${a}, ${b})`).toBe(want);
      }
    }
  });

  it('integer division or remainder by zero is an error naming the op', () => {
    for (const op of ['div', 'mod', 'floordiv', 'floormod'] as const) {
      expect(() => binaryFn(op, 'int32')(5, 0)).toThrow(`interpret: integer ${op} by zero`);
    }
    expect(() => intDiv(1, 0, 'x')).toThrow(RangeError);
    expect(intDiv(7, 2, 'div')).toBe(3.5);
  });
});

describe('compareFn', () => {
  const JS: Record<CompareOpName, (a: number, b: number) => boolean> = {
    eq: (a, b) => a === b, ne: (a, b) => a !== b, lt: (a, b) => a < b, le: (a, b) => a <= b, gt: (a, b) => a > b, ge: (a, b) => a >= b,
  };
  it('gives 1 or 0 for each comparison, below, equal and above', () => {
    for (const op of Object.keys(JS) as CompareOpName[]) {
      for (const [a, b] of [[1, 2], [2, 2], [3, 2], [-1, 0], [0.5, 0.25], [NaN, 1]] as const) {
        expect(compareFn(op)(a, b), `${op}(${a}, ${b})`).toBe(JS[op](a, b) ? 1 : 0);
      }
    }
  });
});

describe('erf', () => {
  /** erf from its Maclaurin series (converges everywhere; ~1e-12 here for |x| <= 3). */
  function erfSeries(x: number): number {
    let term = x;
    let sum = x;
    for (let n = 1; n < 200; n++) {
      term *= -x * x / n;
      sum += term / (2 * n + 1);
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }

  it('agrees with the series within 2e-7 on [-3, 3]', () => {
    for (let k = -300; k <= 300; k++) {
      const x = k / 100;
      expect(Math.abs(erf(x) - erfSeries(x)), `erf(${x})`).toBeLessThan(2e-7);
    }
  });

  it('is odd, and near ±1 in the tails (tabulated erf values)', () => {
    for (const [x, want] of [[3.5, 0.999999256901628], [4, 0.999999984582742], [6, 1]] as const) {
      expect(Math.abs(erf(x) - want)).toBeLessThan(2e-7);
      expect(Math.abs(erf(-x) + want)).toBeLessThan(2e-7);
    }
    for (const x of [0.3, 1.7, 2.2]) expect(erf(-x)).toBeCloseTo(-erf(x), 12);
  });
});

describe('intrinsicFn', () => {
  const rsqrt = (x: number): number => 1 / Math.sqrt(x);
  const sig = (x: number): number => 1 / (1 + Math.exp(-x));
  const roundEven = (x: number): number => {
    const f = Math.floor(x);
    const d = x - f;
    return d < 0.5 ? f : d > 0.5 ? f + 1 : (f % 2 === 0 ? f : f + 1);
  };
  const unary: [IntrinsicName, (x: number) => number][] = [
    ['exp', Math.exp], ['log', Math.log], ['sqrt', Math.sqrt], ['rsqrt', rsqrt], ['tanh', Math.tanh], ['sigmoid', sig],
    ['abs', Math.abs], ['floor', Math.floor], ['ceil', Math.ceil], ['round', roundEven], ['trunc', Math.trunc],
    ['sin', Math.sin], ['cos', Math.cos],
  ];
  const xs = [0.3, 1.5, 2.5, -2.5, -0.7, 3.2, 0.5, -1.5, 7.49, 10];

  it('computes each unary intrinsic and rounds to the dtype', () => {
    for (const dtype of ['float32', 'float16'] as const) {
      const rd = dtype === 'float32' ? Math.fround : halfRef;
      for (const [op, ref] of unary) {
        const fn = intrinsicFn(op, dtype);
        for (const x of xs) {
          const want = rd(ref(x));
          const got = fn([x]);
          expect(Object.is(got, want) || (Number.isNaN(want) && Number.isNaN(got)), `${dtype} ${op}(${x}) = ${got}, want ${want}`).toBe(true);
        }
      }
    }
  });

  it('erf, pow and fma (fma rounds once, after the exact product and sum)', () => {
    expect(intrinsicFn('erf', 'float32')([0.5])).toBe(Math.fround(erf(0.5)));
    expect(intrinsicFn('pow', 'float32')([2, 10])).toBe(1024);
    expect(intrinsicFn('pow', 'float32')([10, -1])).toBe(Math.fround(0.1));
    expect(intrinsicFn('pow', 'float16')([3, 0.5])).toBe(halfRef(Math.sqrt(3)));
    expect(intrinsicFn('fma', 'float32')([3, 5, 7])).toBe(22);
    expect(intrinsicFn('fma', 'float32')([0.1, 0.2, 0.3])).toBe(Math.fround(0.1 * 0.2 + 0.3));
    // (1 + 2^-12)^2 - 1 keeps the 2^-24 term only if the product is not rounded first.
    const a = 1 + 2 ** -12;
    expect(intrinsicFn('fma', 'float32')([a, a, -1])).toBe(Math.fround(2 ** -11 + 2 ** -24));
  });

  it('a barrier evaluates to 0; the lazy if_then_else is not a value function', () => {
    expect(intrinsicFn('tir.storage_sync', 'int32')([])).toBe(0);
    expect(() => intrinsicFn('tir.if_then_else', 'float32')).toThrow(/lazy/);
  });
});

describe('flatOffset', () => {
  it('is the row-major offset, checked per dimension', () => {
    const shape = [3, 4, 5];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 4; j++) for (let k = 0; k < 5; k++) {
      expect(flatOffset('A', shape, [i, j, k], 'load')).toBe(i * 20 + j * 5 + k);
    }
    expect(flatOffset('B', [7], [6], 'store')).toBe(6);
  });

  it('refuses an index outside [0, n), naming the buffer, the access, the index and (for n-d) the dimension', () => {
    expect(() => flatOffset('A', [3, 4], [1, 4], 'load')).toThrow('interpret: load A[1, 4]: index 4 out of range [0, 4) in dimension 1');
    expect(() => flatOffset('A', [3, 4], [-1, 0], 'store')).toThrow('interpret: store A[-1, 0]: index -1 out of range [0, 3) in dimension 0');
    expect(() => flatOffset('A', [3, 4], [3, 0], 'load')).toThrow('index 3 out of range [0, 3) in dimension 0');
    expect(() => flatOffset('V', [8], [8], 'load')).toThrow(/^interpret: load V\[8\]: index 8 out of range \[0, 8\)$/);
    expect(() => flatOffset('V', [8], [NaN], 'load')).toThrow('index NaN out of range [0, 8)');
  });

  it('refuses a wrong number of indices', () => {
    expect(() => flatOffset('A', [3, 4], [1], 'load')).toThrow('interpret: load A with 1 indices, buffer has 2 dimensions');
    expect(() => flatOffset('A', [3], [1, 0], 'store')).toThrow('interpret: store A with 2 indices, buffer has 1 dimensions');
  });
});
