// runtime/random_inputs.ts — seeded random model inputs, the same in Node (`tensortune run --random`)
// and in the example page, so a page's output can be checked against a Node run of the same bundle.

import type { TensorInfo } from './bundle.js';
import type { HostTensor } from './npy.js';

/**
 * Uniform values from xorshift32 seeded by `seed`: floats in [-1, 1) for float inputs, integers in
 * [0, 10) for int32/int64 inputs. Deterministic across engines (integer arithmetic only).
 */
export function randomTensor(info: TensorInfo, seed: number): HostTensor {
  const n = info.shape.reduce((a, b) => a * b, 1);
  let s = (Math.imul(seed + 1, 2654435761) >>> 0) || 1;
  const next = (): number => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
  if (info.dtype === 'int32' || info.dtype === 'int64') return { data: Int32Array.from({ length: n }, () => Math.floor(next() * 10)), shape: info.shape, dtype: 'int32' };
  return { data: Float32Array.from({ length: n }, () => next() * 2 - 1), shape: info.shape, dtype: 'float32' };
}

/** One random tensor per input, input k seeded with `seed + k` (what `tensortune run --random --seed` uses). */
export function randomInputs(inputs: readonly TensorInfo[], seed: number): Map<string, HostTensor> {
  return new Map(inputs.map((info, k) => [info.name, randomTensor(info, seed + k)]));
}
