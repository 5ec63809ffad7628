// tests/ops/matmul_webgpu.test.ts — sampled configs of the matmul.webgpu template (block/thread tiles,
// shared-memory staging, local accumulator) compute the right result on the WebGPU adapter (lavapipe in CI),
// and the local runner measures WebGPU candidates in its worker.

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCandidate } from '../../autotune/measure/build_candidate.js';
import { localBuilder, localRunner, measureOption, MeasureErrorNo } from '../../autotune/measure/measure.js';
import { createTask, tensorArg, type Task } from '../../autotune/task.js';
import { registerAll } from '../../ops/register.js';
import { load } from '../../runtime/build.js';
import { array } from '../../runtime/ndarray.js';

const [M, K, N] = [19, 13, 22];
const A = Float32Array.from({ length: M * K }, (_, i) => ((i * 7) % 11) / 5 - 1);
const B = Float32Array.from({ length: K * N }, (_, i) => ((i * 5) % 13) / 6 - 1);
const want = new Float32Array(M * N);
for (let i = 0; i < M; i++) {
  for (let j = 0; j < N; j++) {
    let s = 0;
    for (let k = 0; k < K; k++) s += A[i * K + k]! * B[k * N + j]!;
    want[i * N + j] = s;
  }
}

describe('matmul.webgpu template', () => {
  let task: Task;
  beforeAll(() => {
    registerAll();
    task = createTask('matmul.webgpu', [tensorArg([M, K]), tensorArg([K, N])], 'webgpu');
  });

  it('sampled configs on a non-divisible shape match a JS matmul (lavapipe is slow: a few)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), async (n) => {
        const index = n % task.space.length;
        const built = await buildCandidate({ taskName: task.name, args: task.args, target: task.target, configIndex: index });
        if (built.errorNo === MeasureErrorNo.INSTANTIATION_ERROR) return; // over the workgroup limits: rejected, fine
        expect(built.errorMsg).toBeUndefined();
        const mod = await load(built.artifact!);
        const a = array(A, [M, K]);
        const b = array(B, [K, N]);
        const c = array(new Float32Array(M * N).fill(Number.NaN), [M, N]);
        try {
          await mod.run(a, b, c);
          const got = c.toArray();
          const i = got.findIndex((g, j) => !(Math.abs(g - want[j]!) <= 1e-4 + 1e-4 * Math.abs(want[j]!)));
          expect(i, `config ${task.space.entityAt(index).toString()}: C[${i}] = ${got[i]}, expected ${want[i]}`).toBe(-1);
        } finally {
          a.free(); b.free(); c.free();
          mod.dispose();
        }
      }),
      { numRuns: 5, seed: 3 },
    );
  });

  describe('measured through the local builder and runner', () => {
    const option = measureOption({ builder: localBuilder({ timeout: 30, nParallel: 1 }), runner: localRunner({ number: 1, repeat: 2, timeout: 60 }) });
    afterAll(() => option.close());

    it('checks and times WebGPU candidates in the runner worker', async () => {
      const results = await option.measureBatch([0, 1234].map((i) => ({ task, config: task.space.entityAt(i % task.space.length) })));
      for (const r of results) {
        expect(r.errorMsg).toBeUndefined();
        expect(r.errorNo).toBe(MeasureErrorNo.NO_ERROR);
        expect(r.costs).toHaveLength(2);
      }
    });
  });
});
