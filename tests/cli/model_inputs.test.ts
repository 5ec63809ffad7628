// tests/cli/model_inputs.test.ts — model inputs on the command line: tvmc's --input-shapes, --input
// name=file.npy checked against the model, seeded --random, output summaries.

import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseInputFiles, parseInputShapes, prepareInputs, randomTensor, summarize } from '../../cli/model_inputs.js';
import { encodeNpy } from '../../runtime/npy.js';
import { tempDir } from '../tuning-logs/helpers.js';

const dir = tempDir('model-inputs');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parseInputShapes (tvmc --input-shapes)', () => {
  it('reads one or several entries, names with colons and dots', () => {
    expect(parseInputShapes('data:[1,3,224,224]')).toEqual({ data: [1, 3, 224, 224] });
    expect(parseInputShapes('data:[1,3,224,224] mask:[1, 10]')).toEqual({ data: [1, 3, 224, 224], mask: [1, 10] });
    expect(parseInputShapes('a:[2],b.c:[3,4]')).toEqual({ a: [2], 'b.c': [3, 4] });
    expect(parseInputShapes('input:0:[1,3]')).toEqual({ 'input:0': [1, 3] });
  });

  it('names what is wrong', () => {
    expect(() => parseInputShapes('data:[1,-3]')).toThrow(/shape \[1,-3\] of 'data' must be positive integers/);
    expect(() => parseInputShapes('data:[1,,3]')).toThrow(/positive integers/);
    expect(() => parseInputShapes('data=[1,3]')).toThrow(/expected name:\[d0,d1,…\]/);
    expect(() => parseInputShapes('a:[1] junk')).toThrow(/expected name:/);
    expect(() => parseInputShapes('a:[1] a:[2]')).toThrow(/'a' is given twice/);
  });
});

describe('prepareInputs', () => {
  const inputs = [{ name: 'x', shape: [2, 3], dtype: 'float32' }, { name: 'ids', shape: [4], dtype: 'int32' }];
  const xs = Float32Array.from([1, 2, 3, 4, 5, 6]);
  const xFile = join(dir, 'x.npy');
  writeFileSync(xFile, encodeNpy({ data: xs, shape: [2, 3] }));
  const idsFile = join(dir, 'ids.npy');
  writeFileSync(idsFile, encodeNpy({ data: Int32Array.from([3, 1, 4, 1]), shape: [4] }));

  it('reads files in model order and fills the rest with seeded random values', () => {
    const all = prepareInputs(inputs, parseInputFiles([`ids=${idsFile}`, `x=${xFile}`]), false);
    expect([...all.keys()]).toEqual(['x', 'ids']);
    expect(Array.from(all.get('x')!.data)).toEqual(Array.from(xs));
    expect(all.get('ids')!.dtype).toBe('int32');
    const r1 = prepareInputs(inputs, parseInputFiles([`x=${xFile}`]), true, 7);
    const r2 = prepareInputs(inputs, [], true, 7);
    expect(Array.from(r1.get('x')!.data)).toEqual(Array.from(xs));
    expect(r1.get('ids')!.data.every((v) => Number.isInteger(v) && v >= 0 && v < 10)).toBe(true);
    expect(Array.from(r2.get('x')!.data)).toEqual(Array.from(prepareInputs(inputs, [], true, 7).get('x')!.data));
    expect(r2.get('x')!.data.every((v) => v >= -1 && v < 1)).toBe(true);
    expect(Array.from(r2.get('x')!.data)).not.toEqual(Array.from(prepareInputs(inputs, [], true, 8).get('x')!.data));
  });

  it('refuses unknown, missing, misshapen and mistyped inputs, naming them', () => {
    expect(() => prepareInputs(inputs, parseInputFiles([`y=${xFile}`]), true)).toThrow(/has no input 'y'; its inputs are 'x', 'ids'/);
    expect(() => prepareInputs(inputs, parseInputFiles([`x=${xFile}`]), false)).toThrow(/missing 'ids' \[4\] int32: give --input name=file\.npy for each, or --random/);
    expect(() => prepareInputs(inputs, parseInputFiles([`ids=${xFile}`]), true)).toThrow(/input 'ids' takes int32/);
    const wrong = join(dir, 'wrong.npy');
    writeFileSync(wrong, encodeNpy({ data: new Float32Array(6), shape: [3, 2] }));
    expect(() => prepareInputs(inputs, parseInputFiles([`x=${wrong}`]), true)).toThrow(/holds shape \[3, 2\], the model takes \[2, 3\].*--input-shapes "x:\[3,2\]"/);
    expect(() => prepareInputs(inputs, parseInputFiles([`x=${join(dir, 'nope.npy')}`]), true)).toThrow(/cannot read the file \(ENOENT\)/);
    expect(() => parseInputFiles(['x'])).toThrow(/expected name=file\.npy/);
  });
});

describe('summarize', () => {
  it('gives shape, range, mean, argmax and counts non-finite values', () => {
    const s = summarize({ data: Float32Array.from([1, -2, 5, NaN, 0]), shape: [5], dtype: 'float32' });
    expect(s).toMatchObject({ min: -2, max: 5, mean: 1, argmax: 2, nonFinite: 1 });
    expect(randomTensor({ name: 'a', shape: [3], dtype: 'float32' }, 1).data).toHaveLength(3);
  });
});
