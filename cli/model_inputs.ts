// cli/model_inputs.ts — model inputs and outputs on the command line: tvmc's --input-shapes, --input
// name=file.npy, --random (seeded), checks against the model's inputs, and output summaries.

import { readFileSync } from 'node:fs';
import { castForInput, decodeNpy, type HostTensor } from '../runtime/npy.js';
import type { TensorInfo } from '../runtime/bundle.js';
import { randomTensor } from '../runtime/random_inputs.js';

export { randomTensor } from '../runtime/random_inputs.js';
import { UsageError } from './errors.js';

/**
 * tvmc's --input-shapes: `"data:[1,3,224,224] mask:[1,10]"` (entries separated by spaces or
 * commas). A name may itself hold ':' (`input:0:[1,3]`); the shape is the bracketed part after
 * the last ':'. Dims are positive integers.
 */
export function parseInputShapes(text: string, option = '--input-shapes'): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  const re = /\s*,?\s*([^\s,[\]][^[\]]*?):\s*\[([^\]]*)\]/gy;
  let m: RegExpExecArray | null;
  let end = 0;
  while ((m = re.exec(text)) !== null) {
    const name = m[1]!.trim();
    const dims = m[2]!.split(',').map((d) => d.trim());
    const nums = dims.map(Number);
    if (dims.some((d) => d === '') || nums.some((d) => !Number.isInteger(d) || d < 1)) {
      throw new UsageError(`${option}: shape [${m[2]}] of '${name}' must be positive integers, e.g. ${name}:[1,3,224,224]`);
    }
    if (name in out) throw new UsageError(`${option}: '${name}' is given twice`);
    out[name] = nums;
    end = re.lastIndex;
  }
  if (text.slice(end).trim().replace(/^,/, '').trim() !== '' || Object.keys(out).length === 0) {
    throw new UsageError(`${option} '${text}': expected name:[d0,d1,…] entries separated by spaces, e.g. "data:[1,3,224,224] mask:[1,10]"`);
  }
  return out;
}

/** `--input name=file.npy` (repeatable) → [{ name, file }]. */
export function parseInputFiles(values: readonly string[] | undefined): { name: string; file: string }[] {
  return (values ?? []).map((v) => {
    const k = v.lastIndexOf('=');
    if (k <= 0 || k === v.length - 1) throw new UsageError(`--input '${v}': expected name=file.npy`);
    return { name: v.slice(0, k), file: v.slice(k + 1) };
  });
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * The model's inputs from files and/or random values, checked against `inputs` (the bundle's):
 * unknown names, missing inputs (unless `random`), shapes and dtypes, each a UsageError naming the
 * input, the file and what to do. Returned in model order.
 */
export function prepareInputs(inputs: readonly TensorInfo[], files: readonly { name: string; file: string }[], random: boolean, seed = 0): Map<string, HostTensor> {
  const names = inputs.map((i) => i.name);
  const byName = new Map<string, HostTensor>();
  for (const { name, file } of files) {
    const info = inputs.find((i) => i.name === name);
    if (info === undefined) throw new UsageError(`--input ${name}=${file}: the model has no input '${name}'; its inputs are ${names.map((n) => `'${n}'`).join(', ')}`);
    if (byName.has(name)) throw new UsageError(`--input: '${name}' is given twice`);
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(file);
    } catch (e) {
      throw new UsageError(`--input ${name}=${file}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    let t: HostTensor;
    try {
      t = decodeNpy(bytes, file);
      t = castForInput(t, info.dtype === 'int32' || info.dtype === 'int64' ? 'int32' : 'float32', name);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    if (!sameShape(t.shape, info.shape)) {
      throw new UsageError(`--input ${name}=${file}: the file holds shape [${t.shape.join(', ')}], the model takes [${info.shape.join(', ')}]; reshape the array, or build for this shape with --input-shapes "${name}:[${t.shape.join(',')}]"`);
    }
    byName.set(name, t);
  }
  const missing = inputs.filter((i) => !byName.has(i.name));
  if (missing.length > 0 && !random) {
    throw new UsageError(`missing ${missing.map((i) => `'${i.name}' [${i.shape.join(', ')}] ${i.dtype}`).join(', ')}: give --input name=file.npy for each, or --random`);
  }
  return new Map(inputs.map((info, k) => [info.name, byName.get(info.name) ?? randomTensor(info, seed + k)]));
}

export interface TensorSummary {
  readonly shape: readonly number[];
  readonly dtype: string;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  /** Flat index of the largest value (a classifier's answer). */
  readonly argmax: number;
  readonly first: readonly number[];
  readonly nonFinite: number;
}

export function summarize(t: HostTensor): TensorSummary {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let argmax = -1;
  let nonFinite = 0;
  t.data.forEach((v, i) => {
    if (!Number.isFinite(v)) {
      nonFinite++;
      return;
    }
    if (v < min) min = v;
    if (v > max) {
      max = v;
      argmax = i;
    }
    sum += v;
  });
  const n = t.data.length - nonFinite;
  return { shape: t.shape, dtype: t.dtype, min, max, mean: n > 0 ? sum / n : NaN, argmax, first: Array.from(t.data.subarray(0, 8)), nonFinite };
}
