// tir/interpreter_math.ts — the numeric semantics of the reference interpreter: float32 /
// float16 rounding, int32 wraparound, C-style vs floor division, intrinsics, casts, bounds.

import { f16round, roundEven } from './dtype.js';
import {
  elementType, isFloat,
  type BinaryOpName, type CompareOpName, type DataType, type IntrinsicName,
} from './nodes.js';

export { f16round };

/** Rounds a JS number to a value of `dtype`. */
export function rounder(dtype: DataType): (x: number) => number {
  switch (elementType(dtype)) {
    case 'float16':
      return f16round;
    case 'float32':
      return Math.fround;
    case 'int32':
      return (x) => x | 0;
    case 'bool':
      return (x) => (x ? 1 : 0);
  }
}

export function intDiv(a: number, b: number, op: string): number {
  if (b === 0) throw new RangeError(`interpret: integer ${op} by zero`);
  return a / b;
}

export function binaryFn(op: BinaryOpName, dtype: DataType): (a: number, b: number) => number {
  if (isFloat(dtype)) {
    const r = rounder(dtype);
    switch (op) {
      case 'add': return (a, b) => r(a + b);
      case 'sub': return (a, b) => r(a - b);
      case 'mul': return (a, b) => r(a * b);
      case 'div': return (a, b) => r(a / b);
      case 'min': return (a, b) => Math.min(a, b);
      case 'max': return (a, b) => Math.max(a, b);
      default: throw new TypeError(`interpret: ${op} on ${dtype}`);
    }
  }
  switch (op) {
    case 'add': return (a, b) => (a + b) | 0;
    case 'sub': return (a, b) => (a - b) | 0;
    case 'mul': return (a, b) => Math.imul(a, b);
    case 'div': return (a, b) => intDiv(a, b, 'div') | 0;
    case 'mod': return (a, b) => (intDiv(a, b, 'mod'), a % b) | 0;
    case 'floordiv': return (a, b) => Math.floor(intDiv(a, b, 'floordiv')) | 0;
    case 'floormod': return (a, b) => (a - Math.imul(Math.floor(intDiv(a, b, 'floormod')) | 0, b)) | 0;
    case 'min': return (a, b) => Math.min(a, b);
    case 'max': return (a, b) => Math.max(a, b);
  }
}


export function compareFn(op: CompareOpName): (a: number, b: number) => number {
  switch (op) {
    case 'eq': return (a, b) => (a === b ? 1 : 0);
    case 'ne': return (a, b) => (a !== b ? 1 : 0);
    case 'lt': return (a, b) => (a < b ? 1 : 0);
    case 'le': return (a, b) => (a <= b ? 1 : 0);
    case 'gt': return (a, b) => (a > b ? 1 : 0);
    case 'ge': return (a, b) => (a >= b ? 1 : 0);
  }
}

/** erf with |error| < 1.2e-7 (Numerical Recipes erfc), below float32 resolution. */
export function erf(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 +
    t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? 1 - r : r - 1;
}


export function intrinsicFn(op: IntrinsicName, dtype: DataType): (args: number[]) => number {
  const rd = rounder(dtype);
  const u = (fn: (x: number) => number) => (a: number[]) => rd(fn(a[0]!));
  switch (op) {
    case 'exp': return u(Math.exp);
    case 'log': return u(Math.log);
    case 'sqrt': return u(Math.sqrt);
    case 'rsqrt': return u((x) => 1 / Math.sqrt(x));
    case 'tanh': return u(Math.tanh);
    case 'sigmoid': return u((x) => 1 / (1 + Math.exp(-x)));
    case 'erf': return u(erf);
    case 'abs': return u(Math.abs);
    case 'floor': return u(Math.floor);
    case 'ceil': return u(Math.ceil);
    case 'round': return u(roundEven);
    case 'trunc': return u(Math.trunc);
    case 'sin': return u(Math.sin);
    case 'cos': return u(Math.cos);
    case 'pow': return (a) => rd(Math.pow(a[0]!, a[1]!));
    case 'fma': return (a) => rd(a[0]! * a[1]! + a[2]!);
    case 'tir.storage_sync': return () => 0;
    case 'tir.if_then_else':
      throw new Error('interpret: internal: tir.if_then_else is lazy and compiled by interpreter_expr.ts, not as a value function');
    case 'tir.warp_shuffle':
      throw new Error('interpret: tir.warp_shuffle reads another lane of a subgroup, which the serial interpreter does not run together; interpret the function before the webgpu target passes (warp memory is lowered to it only there)');
  }
}

export function castFn(to: DataType, from: DataType): (x: number) => number {
  const t = elementType(to);
  if (t === 'bool') return (x) => (x !== 0 ? 1 : 0);
  if (t === 'int32') return isFloat(from) ? (x) => Math.trunc(x) | 0 : (x) => x | 0;
  return rounder(to);
}

/** Computes the flat element offset of a (possibly multi-dimensional) access, checking bounds. */
export function flatOffset(name: string, shape: readonly number[], idx: readonly number[], what: string): number {
  if (idx.length !== shape.length) {
    throw new RangeError(`interpret: ${what} ${name} with ${idx.length} indices, buffer has ${shape.length} dimensions`);
  }
  let off = 0;
  for (let d = 0; d < shape.length; d++) {
    const i = idx[d]!;
    const n = shape[d]!;
    if (!(i >= 0 && i < n)) {
      const dim = shape.length > 1 ? ` in dimension ${d}` : '';
      throw new RangeError(`interpret: ${what} ${name}[${idx.join(', ')}]: index ${i} out of range [0, ${n})${dim}`);
    }
    off = off * n + i;
  }
  return off;
}
