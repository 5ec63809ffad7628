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

  /** The template's limits, restated: whether a config must be refused, and why. */
  function expectedRejection(index: number): RegExp | undefined {
    const e = task.space.entityAt(index);
    const [, ty, yi] = e.getSplit('tile_y').size as [number, number, number];
    const [, tx, xi] = e.getSplit('tile_x').size as [number, number, number];
    const tk = e.getSplit('tile_k').size[1]!;
    if (ty * tx > 256) return /threads exceed the workgroup limit 256/;
    if ((ty * yi * tk + tk * tx * xi) * 4 > 16384) return /bytes of workgroup memory exceed 16384/;
    return undefined;
  }

  it('sampled configs on a non-divisible shape match a JS matmul; only configs over the limits are refused', async () => {
    let ran = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat(), async (n) => {
        const index = n % task.space.length;
        const built = await buildCandidate({ taskName: task.name, args: task.args, target: task.target, configIndex: index });
        const why = expectedRejection(index);
        const name = `config ${index} ${task.space.entityAt(index).toString()}`;
        if (why) {
          // Over the workgroup limits: refused before anything runs, saying which limit.
          expect(built.errorNo, name).toBe(MeasureErrorNo.INSTANTIATION_ERROR);
          expect(built.errorMsg, name).toMatch(why);
          refused++;
          return;
        }
        // Within the limits: any refusal is a fault.
        expect(built.errorMsg, name).toBeUndefined();
        expect(built.errorNo, name).toBe(MeasureErrorNo.NO_ERROR);
        const mod = await load(built.artifact!);
        const a = array(A, [M, K]);
        const b = array(B, [K, N]);
        const c = array(new Float32Array(M * N).fill(Number.NaN), [M, N]);
        try {
          await mod.run(a, b, c);
          const got = c.toArray();
          const i = got.findIndex((g, j) => !(Math.abs(g - want[j]!) <= 1e-4 + 1e-4 * Math.abs(want[j]!)));
          expect(i, `${name}: C[${i}] = ${got[i]}, expected ${want[i]}`).toBe(-1);
          ran++;
        } finally {
          a.free(); b.free(); c.free();
          mod.dispose();
        }
      }),
      { numRuns: 14, seed: 3 },
    );
    // Most of the space is within the limits: the sample must have run real kernels.
    expect(ran).toBeGreaterThanOrEqual(8);
    expect(ran + refused).toBe(14);
  }, 400_000);

  describe('measured through the local builder and runner', () => {
    const option = measureOption({ builder: localBuilder({ timeout: 30, nParallel: 1 }), runner: localRunner({ number: 1, repeat: 2, timeout: 60 }) });
    afterAll(() => option.close());

    it('checks and times WebGPU candidates in the runner worker', async () => {
      const results = await option.measureBatch([0, 1234].map((i) => ({ task, config: task.space.entityAt(i % task.space.length) })));
      expect(results).toHaveLength(2);
      for (const r of results) {
        expect(r.errorMsg).toBeUndefined();
        expect(r.errorNo).toBe(MeasureErrorNo.NO_ERROR);
        expect(r.costs).toHaveLength(2);
      }
      // Worker start-up (transpiling the template modules), the reference and lavapipe take ~80 s on a
      // loaded 2-core machine.
    }, 240_000);
  });
});
