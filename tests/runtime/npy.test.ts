// tests/runtime/npy.test.ts — .npy in and out (runtime/npy.ts over npyjs) against byte layouts written
// here by hand from NumPy's format spec (numpy/lib/format.py): magic, version, header, data.

import { describe, expect, it } from 'vitest';
import { castForInput, decodeNpy, encodeNpy } from '../../runtime/npy.js';

/** A version-1.0 .npy file as numpy.save writes it: header padded with spaces to a 64-byte boundary, then '\n'. */
function handNpy(descr: string, shape: string, data: Uint8Array, opts: { fortran?: boolean; major?: number } = {}): Uint8Array {
  const major = opts.major ?? 1;
  const pre = major === 1 ? 10 : 12;
  let dict = `{'descr': '${descr}', 'fortran_order': ${opts.fortran ? 'True' : 'False'}, 'shape': ${shape}, }`;
  dict += ' '.repeat(63 - ((pre + dict.length) % 64)) + '\n';
  const out = new Uint8Array(pre + dict.length + data.length);
  out.set([0x93, ...Array.from('NUMPY', (c) => c.charCodeAt(0)), major, 0]);
  if (major === 1) new DataView(out.buffer).setUint16(8, dict.length, true);
  else new DataView(out.buffer).setUint32(8, dict.length, true);
  out.set(Array.from(dict, (c) => c.charCodeAt(0)), pre);
  out.set(data, pre + dict.length);
  return out;
}

function le(values: readonly number[], kind: 'f4' | 'f8' | 'i4' | 'i8' | 'u1'): Uint8Array {
  const width = { f4: 4, f8: 8, i4: 4, i8: 8, u1: 1 }[kind];
  const b = new Uint8Array(values.length * width);
  const v = new DataView(b.buffer);
  values.forEach((x, i) => {
    if (kind === 'f4') v.setFloat32(i * 4, x, true);
    else if (kind === 'f8') v.setFloat64(i * 8, x, true);
    else if (kind === 'i4') v.setInt32(i * 4, x, true);
    else if (kind === 'i8') v.setBigInt64(i * 8, BigInt(x), true);
    else v.setUint8(i, x);
  });
  return b;
}

describe('decodeNpy', () => {
  it('reads a hand-written float32 2×3 file', () => {
    const t = decodeNpy(handNpy('<f4', '(2, 3)', le([1, -2.5, 3, 4e-3, 5, 6], 'f4')));
    expect(t.dtype).toBe('float32');
    expect(t.shape).toEqual([2, 3]);
    expect(Array.from(t.data)).toEqual(Array.from(new Float32Array([1, -2.5, 3, 4e-3, 5, 6])));
  });

  it('reads 1-d, scalar and empty shapes, version 2.0 headers, f8 and integer dtypes', () => {
    expect(decodeNpy(handNpy('<f4', '(4,)', le([1, 2, 3, 4], 'f4'))).shape).toEqual([4]);
    const scalar = decodeNpy(handNpy('<f4', '()', le([7], 'f4')));
    expect(scalar.shape).toEqual([]);
    expect(Array.from(scalar.data)).toEqual([7]);
    expect(decodeNpy(handNpy('<f4', '(0, 3)', new Uint8Array(0))).data.length).toBe(0);
    expect(Array.from(decodeNpy(handNpy('<f4', '(2,)', le([1.5, 2], 'f4'), { major: 2 })).data)).toEqual([1.5, 2]);
    const f8 = decodeNpy(handNpy('<f8', '(2,)', le([0.1, 1e300], 'f8')));
    expect(f8.dtype).toBe('float32');
    expect(f8.data[0]).toBe(Math.fround(0.1));
    expect(f8.data[1]).toBe(Infinity);
    const i8 = decodeNpy(handNpy('<i8', '(3,)', le([-5, 0, 2 ** 31 - 1], 'i8')));
    expect(i8.dtype).toBe('int32');
    expect(Array.from(i8.data)).toEqual([-5, 0, 2 ** 31 - 1]);
    expect(Array.from(decodeNpy(handNpy('|u1', '(2, 2)', le([0, 255, 7, 9], 'u1'))).data)).toEqual([0, 255, 7, 9]);
  });

  it('refuses what it cannot read, naming the file and the fix', () => {
    const data = le([1, 2], 'f4');
    expect(() => decodeNpy(new TextEncoder().encode('hello world'), 'x.npy')).toThrow(/x\.npy: not a \.npy file/);
    expect(() => decodeNpy(handNpy('>f4', '(2,)', data), 'be.npy')).toThrow(/be\.npy: big-endian.*astype/);
    expect(() => decodeNpy(handNpy('<f4', '(2, 1)', data, { fortran: true }), 'f.npy')).toThrow(/Fortran-order.*ascontiguousarray/);
    expect(() => decodeNpy(handNpy('<f4', '(3,)', data), 'short.npy')).toThrow(/short\.npy: the data holds 2 .* needs 3/);
    expect(() => decodeNpy(handNpy('<i8', '(1,)', le([2 ** 40], 'i8')), 'big.npy')).toThrow(/does not fit int32/);
    expect(() => decodeNpy(handNpy('|b1', '(2,)', new Uint8Array([1, 0])), 'b.npy')).toThrow(/dtype 'b1' is not supported/);
  });
});

describe('encodeNpy', () => {
  it('writes the layout NumPy reads: magic, version 1.0, header dict, aligned little-endian data', () => {
    const bytes = encodeNpy({ data: new Float32Array([1, 2, 3, 4, 5, 6]), shape: [3, 2] });
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0x93, 78, 85, 77, 80, 89, 1, 0]);
    const hlen = bytes[8]! | (bytes[9]! << 8);
    const header = new TextDecoder('latin1').decode(bytes.subarray(10, 10 + hlen));
    expect(header).toMatch(/'descr':\s*'<f4'/);
    expect(header).toMatch(/'fortran_order':\s*False/);
    expect(header).toMatch(/'shape':\s*\(3,\s*2\)/);
    expect(header.endsWith('\n')).toBe(true);
    expect((10 + hlen) % 4).toBe(0);
    expect(Array.from(bytes.subarray(10 + hlen))).toEqual(Array.from(le([1, 2, 3, 4, 5, 6], 'f4')));
  });

  it('round-trips float32 and int32 through decode, any shape', () => {
    for (const shape of [[5], [1, 3, 7, 7], [2, 1, 3], []]) {
      const n = shape.reduce((a, b) => a * b, 1);
      const f = Float32Array.from({ length: n }, (_, i) => Math.sin(i) * 1e3);
      const back = decodeNpy(encodeNpy({ data: f, shape }));
      expect(back.shape).toEqual(shape);
      expect(Array.from(back.data)).toEqual(Array.from(f));
      const ints = Int32Array.from({ length: n }, (_, i) => i * 7919 - 50000);
      const bi = decodeNpy(encodeNpy({ data: ints, shape }));
      expect(bi.dtype).toBe('int32');
      expect(Array.from(bi.data)).toEqual(Array.from(ints));
    }
    expect(() => encodeNpy({ data: new Float32Array(5), shape: [2, 3] })).toThrow(/5 values do not fill shape \[2, 3\]/);
  });

  it('casts to the input dtype, refusing floats for int inputs', () => {
    const ints = decodeNpy(handNpy('<i4', '(2,)', le([3, 4], 'i4')));
    expect(castForInput(ints, 'float32', 'x').data).toEqual(new Float32Array([3, 4]));
    expect(() => castForInput(decodeNpy(handNpy('<f4', '(1,)', le([1], 'f4'))), 'int32', 'ids')).toThrow(/input 'ids' takes int32/);
  });
});

describe('decodeNpy on Node Buffers', () => {
  it('reads a small file read into a pooled Buffer (a view at an offset of a larger ArrayBuffer)', () => {
    const file = encodeNpy({ data: new Float32Array([9, 8, 7]), shape: [3] });
    const pooled = Buffer.concat([Buffer.from('padding-'), Buffer.from(file)]).subarray(8);
    expect(pooled.byteOffset).toBeGreaterThan(0);
    expect(Array.from(decodeNpy(pooled).data)).toEqual([9, 8, 7]);
  });
});
