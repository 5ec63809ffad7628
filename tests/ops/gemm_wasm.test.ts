// tests/ops/gemm_wasm.test.ts — every config of the matmul.wasm / dense.wasm template spaces (a random
// sample via fast-check, shapes that do and do not divide the tiles) computes the right result on wasm.

import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyTemplate, setTemplateWarningSink } from '../../autotune/apply_template.js';
import { buildCandidate } from '../../autotune/measure/build_candidate.js';
import { createTask, tensorArg } from '../../autotune/task.js';
import { registerAll } from '../../ops/register.js';
import { load } from '../../runtime/build.js';
import { array } from '../../runtime/ndarray.js';
import { productRef, seededValues } from '../reference/plain_js.js';

type Shape = readonly [number, number, number];

/** Builds config `index` of the task, runs it, and returns the first mismatch (or undefined). */
async function checkConfig(op: 'matmul' | 'dense', shape: Shape, target: string, index: number): Promise<string | undefined> {
  const [M, K, N] = shape;
  const bShape = op === 'matmul' ? [K, N] : [N, K];
  const task = createTask(`${op}.wasm`, [tensorArg([M, K]), tensorArg(bShape)], target);
  // A config the space's multiFilter refuses (dense's vec_k tiles over 32 vectors) is never built: take the next valid one.
  let i = index % task.space.length;
  while (!task.space.isIndexValid(i)) i = (i + 1) % task.space.length;
  index = i;
  const built = await buildCandidate({ taskName: task.name, args: task.args, target: task.target, configIndex: index });
  if (!built.artifact) return `config ${index}: build failed (${built.errorNo}): ${built.errorMsg}`;
  const A = seededValues(M * K, index + 1);
  const B = seededValues(K * N, index + 7);
  const want = productRef(A, B, M, K, N, op === 'dense' ? 'nk' : 'kn');
  const mod = await load(built.artifact);
  const a = array(A, [M, K]);
  const b = array(B, bShape);
  const c = array(new Float32Array(M * N).fill(Number.NaN), [M, N]);
  try {
    await mod.run(a, b, c);
    const got = c.toArray();
    for (let i = 0; i < want.length; i++) {
      if (!(Math.abs(got[i]! - want[i]!) <= 1e-4 + 1e-4 * Math.abs(want[i]!))) {
        return `${op} ${shape.join('x')} config ${index % task.space.length} ${task.space.entityAt(index % task.space.length).toString()}: C[${i}] = ${got[i]}, expected ${want[i]}`;
      }
    }
    return undefined;
  } finally {
    a.free(); b.free(); c.free();
    mod.dispose();
  }
}

const SHAPES: readonly Shape[] = [[37, 29, 53], [16, 32, 24], [5, 7, 3], [1, 64, 40]];

describe('gemm wasm templates', () => {
  beforeAll(() => registerAll());

  it('matmul.wasm: 200 sampled configs over divisible and non-divisible shapes match a JS matmul', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SHAPES), fc.nat(), fc.constantFrom('wasm -threads=2', 'wasm -threads=1 -simd=0'), async (shape, index, target) => {
        const bad = await checkConfig('matmul', shape, target, index);
        expect(bad).toBeUndefined();
      }),
      { numRuns: 200, seed: 5 },
    );
  });

  it('dense.wasm: 100 sampled configs match a JS dense (X·Wᵀ)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SHAPES), fc.nat(), async (shape, index) => {
        const bad = await checkConfig('dense', shape, 'wasm -threads=2', index);
        expect(bad).toBeUndefined();
      }),
      { numRuns: 100, seed: 11 },
    );
  });

  it('the fallback config and the extreme configs of the space are correct', async () => {
    const task = createTask('matmul.wasm', [tensorArg([37, 29]), tensorArg([29, 53])], 'wasm');
    for (const i of [0, task.space.length - 1]) expect(await checkConfig('matmul', [37, 29, 53], 'wasm', i)).toBeUndefined();
    const prev = setTemplateWarningSink(() => undefined);
    try {
      for (const op of ['matmul', 'dense'] as const) {
        const [M, K, N] = [37, 29, 53];
        const applied = applyTemplate(`${op}.wasm`, [tensorArg([M, K]), tensorArg(op === 'matmul' ? [K, N] : [N, K])], 'wasm');
        expect(applied.source).toBe('fallback');
        const index = applied.task.space.entityFromData(applied.config.toData()).index;
        expect(await checkConfig(op, [M, K, N], 'wasm', index)).toBeUndefined();
      }
    } finally {
      setTemplateWarningSink(prev);
    }
  });
});
