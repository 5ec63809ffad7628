// ops/check.ts — input checks shared by the operators: axes, shapes, dtypes, integer lists. Every
// error starts with the op name and says what is wrong and what was expected.

import { Tensor } from '../schedule/tensor.js';
import type { DataType } from '../tir/nodes.js';

/** Throws a TypeError unless `x` is a te.Tensor. */
export function checkTensor(op: string, x: unknown, what = 'input'): Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`${op}: ${what} must be a te.Tensor, got ${describe(x)}`);
  return x;
}

function describe(x: unknown): string {
  if (Array.isArray(x)) return 'an array';
  if (x === null) return 'null';
  return typeof x === 'object' ? 'an object' : `${typeof x} ${String(x)}`;
}

/** Normalizes a possibly negative axis into [0, ndim); RangeError naming the op otherwise. */
export function normalizeAxis(op: string, axis: number, ndim: number, what = 'axis'): number {
  if (!Number.isInteger(axis)) throw new TypeError(`${op}: ${what} must be an integer, got ${String(axis)}`);
  if (axis < -ndim || axis >= ndim) {
    throw new RangeError(`${op}: ${what} ${axis} is out of range for a ${ndim}-D tensor (expected ${-ndim} to ${ndim - 1})`);
  }
  return axis < 0 ? axis + ndim : axis;
}

/** Normalizes a list of axes (negative ok); rejects duplicates. Sorted ascending. */
export function normalizeAxes(op: string, axes: readonly number[], ndim: number, what = 'axes'): number[] {
  if (!Array.isArray(axes)) throw new TypeError(`${op}: ${what} must be an array of integers`);
  const out = axes.map((a) => normalizeAxis(op, a, ndim, `${what} entry`));
  if (new Set(out).size !== out.length) throw new RangeError(`${op}: ${what} [${axes.join(', ')}] names an axis twice`);
  return out.sort((a, b) => a - b);
}

/** Checks an array of `n` integers (or any length when n is undefined) satisfying `ok`. */
export function checkInts(op: string, xs: unknown, what: string, n?: number, ok: (v: number) => boolean = () => true, need = 'integers'): number[] {
  if (!Array.isArray(xs)) throw new TypeError(`${op}: ${what} must be an array of ${need}, got ${describe(xs)}`);
  if (n !== undefined && xs.length !== n) throw new RangeError(`${op}: ${what} must have ${n} entries, got ${xs.length} ([${xs.join(', ')}])`);
  xs.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || !ok(v)) throw new RangeError(`${op}: ${what}[${i}] = ${String(v)}; expected ${need}`);
  });
  return xs as number[];
}

/** Checks a finite number option. */
export function checkNumber(op: string, x: unknown, what: string): number {
  if (typeof x !== 'number' || Number.isNaN(x)) throw new TypeError(`${op}: ${what} must be a number, got ${describe(x)}`);
  return x;
}

/** Requires a float dtype (float32) for ops that are only defined on floats. */
export function checkFloat(op: string, x: Tensor, what = 'input'): void {
  if (x.dtype !== 'float32' && x.dtype !== 'float16') throw new TypeError(`${op}: ${what} ${x.name} is ${x.dtype}; this op needs float32 (cast it first)`);
}

/** Requires all tensors to share one dtype. */
export function checkSameDType(op: string, xs: readonly Tensor[]): DataType {
  const dt = xs[0]!.dtype;
  for (const x of xs) {
    if (x.dtype !== dt) throw new TypeError(`${op}: dtypes differ: ${xs.map((t) => `${t.name} is ${t.dtype}`).join(', ')} (cast them to one dtype)`);
  }
  return dt;
}

/** Product of a list of dims. */
export function prod(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** `[a, b, c]` for messages. */
export function fmt(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
