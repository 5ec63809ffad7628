// runtime/npy.ts — NumPy .npy files in and out through npyjs (a maintained library), checked and
// converted to the dtypes a model takes (float32, int32), with errors naming the file and the fix.

import { dump, parse } from 'npyjs';

/** A host tensor: row-major (C order) values with their shape. */
export interface HostTensor {
  readonly data: Float32Array | Int32Array;
  readonly shape: readonly number[];
  readonly dtype: 'float32' | 'int32';
}

/** The header dictionary's raw text, only to see what npyjs does not report (byte order). */
function headerText(bytes: Uint8Array): string {
  const major = bytes[6] ?? 0;
  const start = major <= 1 ? 10 : 12;
  const len = major <= 1 ? (bytes[8]! | (bytes[9]! << 8)) : new DataView(bytes.buffer, bytes.byteOffset + 8, 4).getUint32(0, true);
  return new TextDecoder('latin1').decode(bytes.subarray(start, start + len));
}

const FLOATS = new Set(['f2', 'f4', 'f8']);
const INTS = new Set(['i1', 'u1', 'i2', 'u2', 'i4', 'u4', 'i8', 'u8']);

/**
 * Reads a .npy file's bytes (format versions 1–3, C order, little-endian). Floats (f2/f4/f8)
 * become float32, integers become int32 (values must fit). `what` names the file in errors.
 * Throws a TypeError for anything else: not .npy, big-endian, Fortran order, bool/complex/string
 * dtypes, a data section shorter or longer than the shape says.
 */
export function decodeNpy(bytes: Uint8Array, what = '.npy data'): HostTensor {
  if (bytes.length < 10 || bytes[0] !== 0x93 || String.fromCharCode(...bytes.subarray(1, 6)) !== 'NUMPY') {
    throw new TypeError(`${what}: not a .npy file (no \\x93NUMPY magic); save arrays with numpy.save`);
  }
  const header = headerText(bytes);
  if (/'descr'\s*:\s*'>/.test(header)) throw new TypeError(`${what}: big-endian data is not supported; save it as little-endian (arr.astype('<f4'))`);
  // npyjs wants an ArrayBuffer of its own, and typed views need aligned offsets: copy. (Not
  // bytes.slice(): on a Node Buffer that is a view into a shared pool, not a copy.)
  const copy = new Uint8Array(bytes);
  let npy;
  try {
    npy = parse(copy.buffer);
  } catch (e) {
    throw new TypeError(`${what}: ${(e as Error).message}`);
  }
  if (npy.fortranOrder) throw new TypeError(`${what}: Fortran-order arrays are not supported; save numpy.ascontiguousarray(arr)`);
  const shape = npy.shape;
  if (!shape.every((d) => Number.isInteger(d) && d >= 0)) throw new TypeError(`${what}: bad shape (${shape.join(', ')}) in the header`);
  const size = shape.reduce((a, b) => a * b, 1);
  const src = npy.data as unknown as ArrayLike<number | bigint>;
  if (src.length !== size) {
    throw new TypeError(`${what}: the data holds ${src.length} ${npy.dtype} values but shape (${shape.join(', ')}) needs ${size} (truncated or corrupt file)`);
  }
  if (FLOATS.has(npy.dtype)) return { data: src instanceof Float32Array ? new Float32Array(src) : Float32Array.from(src as ArrayLike<number>), shape, dtype: 'float32' };
  if (INTS.has(npy.dtype)) {
    const out = new Int32Array(size);
    for (let i = 0; i < size; i++) {
      const v = Number(src[i]!);
      if (v > 2147483647 || v < -2147483648) throw new TypeError(`${what}: value ${String(src[i])} at flat index ${i} does not fit int32`);
      out[i] = v;
    }
    return { data: out, shape, dtype: 'int32' };
  }
  throw new TypeError(`${what}: dtype '${npy.dtype}' is not supported (float16/32/64 or integers)`);
}

/** The .npy bytes (version 1.0, little-endian, C order) of a float32 or int32 tensor. */
export function encodeNpy(t: { readonly data: Float32Array | Int32Array; readonly shape: readonly number[] }): Uint8Array {
  const size = t.shape.reduce((a, b) => a * b, 1);
  if (t.data.length !== size) throw new RangeError(`encodeNpy: ${t.data.length} values do not fill shape [${t.shape.join(', ')}] (${size} elements)`);
  // npyjs writes the host's byte order; every engine this runs on is little-endian, but say so if not.
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('encodeNpy: big-endian hosts are not supported');
  return new Uint8Array(dump(t.data.slice(), [...t.shape]));
}

/** Converts a decoded tensor to the dtype an input expects, or throws naming the input. */
export function castForInput(t: HostTensor, dtype: 'float32' | 'int32', name: string): HostTensor {
  if (t.dtype === dtype) return t;
  if (dtype === 'float32') return { data: Float32Array.from(t.data), shape: t.shape, dtype };
  throw new TypeError(`input '${name}' takes int32 values, the file holds floats; save it with arr.astype('int32')`);
}
