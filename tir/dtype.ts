// tir/dtype.ts — data types of the IR: a DataType is a string, a scalar type ('float32') or a
// vector of it ('float32x4'), as TVM writes them. Vectors appear only after the vectorize pass.

export type ScalarType = 'float32' | 'float16' | 'int32' | 'bool';
export type DataType = ScalarType | `${ScalarType}x${number}`;

const SCALAR_TYPES: readonly ScalarType[] = ['float32', 'float16', 'int32', 'bool'];

export function isScalarType(s: string): s is ScalarType {
  return (SCALAR_TYPES as readonly string[]).includes(s);
}

/** Parses and validates a dtype string ('boolx4' is bool × 4: lazy letters); throws a clear error for unknown ones. */
export function checkDType(dtype: string, where = 'dtype'): DataType {
  const m = /^([a-z]+?\d*)(?:x(\d+))?$/.exec(dtype);
  if (!m || !isScalarType(m[1]!) || (m[2] !== undefined && Number(m[2]) < 1)) {
    throw new TypeError(`${where}: unknown dtype '${dtype}' (expected one of ${SCALAR_TYPES.join(', ')}, optionally with xN lanes)`);
  }
  return dtype as DataType;
}

export function elementType(dtype: DataType): ScalarType {
  const x = dtype.indexOf('x');
  return (x < 0 ? dtype : dtype.slice(0, x)) as ScalarType;
}

export function lanesOf(dtype: DataType): number {
  const x = dtype.indexOf('x');
  return x < 0 ? 1 : Number(dtype.slice(x + 1));
}

export function withLanes(dtype: DataType, lanes: number): DataType {
  const e = elementType(dtype);
  return (lanes === 1 ? e : `${e}x${lanes}`) as DataType;
}

export function isFloat(dtype: DataType): boolean {
  const e = elementType(dtype);
  return e === 'float32' || e === 'float16';
}

export function isInt(dtype: DataType): boolean {
  return elementType(dtype) === 'int32';
}

export function isBool(dtype: DataType): boolean {
  return elementType(dtype) === 'bool';
}

/** Bytes per element of the scalar type (bool is stored as one byte). */
export function bytesOf(dtype: DataType): number {
  switch (elementType(dtype)) {
    case 'float32':
    case 'int32':
      return 4 * lanesOf(dtype);
    case 'float16':
      return 2 * lanesOf(dtype);
    case 'bool':
      return lanesOf(dtype);
  }
}

/** Round half to even. */
export function roundEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Rounds to the nearest IEEE 754 half-precision value (ties to even), as Math.f16round (ES2025; not in
 * Node 20): beyond 65504 + half a step, ±Infinity; below 2⁻¹⁴ the spacing stays 2⁻²⁴ (subnormals).
 */
export function f16round(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const ax = Math.abs(x);
  const sign = x < 0 ? -1 : 1;
  if (ax >= 65520) return sign * Infinity;
  let e = Math.floor(Math.log2(ax));
  if (2 ** e > ax) e--;
  else if (2 ** (e + 1) <= ax) e++;
  // 10 mantissa bits; below 2^-14 the spacing stays 2^-24 (subnormals).
  const q = 2 ** (Math.max(e, -14) - 10);
  return sign * roundEven(ax / q) * q;
}
