// tests/autotune/reference.test.ts — the correctness reference: interpreted for small tasks, a naive wasm
// build for large ones; both equal a plain JS matmul on the same seeded inputs.

import { beforeAll, describe, expect, it } from 'vitest';
import { computeReference } from '../../autotune/measure/reference.js';
import { compareOutput } from '../../autotune/measure/run_candidate.js';
import { createTask, tensorArg } from '../../autotune/task.js';
import { registerAll } from '../../ops/register.js';

function jsMatmul(A: ArrayLike<number>, B: ArrayLike<number>, M: number, K: number, N: number): Float32Array {
  const C = new Float32Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += A[i * K + k]! * B[k * N + j]!;
      C[i * N + j] = s;
    }
  }
  return C;
}

describe('computeReference', () => {
  beforeAll(() => registerAll());
  const [M, K, N] = [9, 13, 7];

  for (const [method, limit] of [['interpret', 1e9], ['build', 0]] as const) {
    it(`computes the expected output by ${method}`, async () => {
      const task = createTask('matmul.wasm', [tensorArg([M, K]), tensorArg([K, N])], 'wasm');
      const ref = await computeReference(task, { seed: 3, interpretFlopLimit: limit });
      expect(ref.method).toBe(method);
      expect(ref.specs.map((s) => s.shape)).toEqual([[M, K], [K, N], [M, N]]);
      expect([...ref.expected.keys()]).toEqual([2]);
      const want = jsMatmul(ref.initial[0]!, ref.initial[1]!, M, K, N);
      expect(compareOutput('C', ref.expected.get(2)!, want, 1e-5, 1e-5)).toBeUndefined();
      // Outputs start random too, so a kernel that skips elements cannot pass by luck.
      expect(ref.initial[2]!.some((v) => v !== 0)).toBe(true);
    });
  }

  it('is reproducible for a seed and differs across seeds', async () => {
    const task = createTask('dense.wasm', [tensorArg([3, 4]), tensorArg([5, 4])], 'wasm');
    const a = await computeReference(task, { seed: 1 });
    const b = await computeReference(task, { seed: 1 });
    const c = await computeReference(task, { seed: 2 });
    expect(a.expected.get(2)).toEqual(b.expected.get(2));
    expect(a.initial[0]).not.toEqual(c.initial[0]);
  });

  it('describes the first mismatch with its position and tolerance', () => {
    expect(compareOutput('C', [1, 2, 3], [1, 2.5, 3], 1e-3, 1e-3)).toBe('C[1] = 2, expected 2.5 (rtol 0.001, atol 0.001)');
    expect(compareOutput('C', [Number.NaN], [0], 1e-3, 1e-3)).toMatch(/C\[0\] = NaN/);
    expect(compareOutput('C', [1], [1, 2], 1e-3, 1e-3)).toMatch(/1 elements, expected 2/);
  });
});
