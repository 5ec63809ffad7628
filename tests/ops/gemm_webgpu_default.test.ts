// tests/ops/gemm_webgpu_default.test.ts — the untuned default of the WebGPU gemm templates (matmul, dense,
// batch_matmul) is a config its own space accepts, on every shape: the fallback splits resolve to the
// nearest sizes the space holds (tile_k of K = 20 is 5, not 8), and vec 4 is chosen only where those sizes
// allow it. Before the fix, matmul 24×20×28 defaulted to vec 4 with tile_k 5 and no untuned build existed.

import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { FallbackConfigEntity } from '../../autotune/fallback_config.js';
import { createTask, tensorArg } from '../../autotune/task.js';
import { registerAll } from '../../ops/register.js';

beforeAll(() => registerAll());

type Shape = readonly [number, number, number];

const makers = {
  'matmul.webgpu': ([M, K, N]: Shape) => [tensorArg([M, K]), tensorArg([K, N])],
  'dense.webgpu': ([M, K, N]: Shape) => [tensorArg([M, K]), tensorArg([N, K])],
  'batch_matmul.webgpu': ([M, K, N]: Shape) => [tensorArg([2, M, K]), tensorArg([2, K, N])],
} as const;

/** The default's knobs, or the reason the template refused it. */
function defaultOf(template: keyof typeof makers, shape: Shape, target = 'webgpu'): { vec: number; tk: number; xi: number } {
  const task = createTask(template, makers[template](shape), target);
  task.instantiate(new FallbackConfigEntity()); // throws InstantiationError with the filter's reason
  const def = task.defaultConfig!();
  expect(def, `${template} ${shape.join('×')}: the default lies outside the space`).toBeDefined();
  expect(task.space.isIndexValid(def!.index), `${template} ${shape.join('×')}: the space's filter refuses the default`).toBe(true);
  return { vec: def!.getKnob('vec').val as number, tk: def!.getSplit('tile_k').size[1]!, xi: def!.getSplit('tile_x').size[2]! };
}

describe('WebGPU gemm templates: the untuned default is always a valid config', () => {
  it('the staged default (a subgroup target where N < 8 leaves warp 1 unresolved): matmul 24×20×4 (K = 20 has no split of 8) defaults to vec 1', () => {
    const d = defaultOf('matmul.webgpu', [24, 20, 4], 'webgpu -device=llvmpipe -subgroup-size=8');
    expect(d.tk % 4).not.toBe(0);
    expect(d.vec).toBe(1);
  });

  it('the plain default reads in place with k 4 a step: matmul 24×20×28 is vec 4 there', () => {
    expect(defaultOf('matmul.webgpu', [24, 20, 28])).toEqual({ vec: 4, tk: 4, xi: 4 });
  });

  it('aligned shapes whose tiles allow it keep vec 4', () => {
    for (const t of Object.keys(makers) as (keyof typeof makers)[]) expect(defaultOf(t, [64, 32, 96]).vec).toBe(4);
  });

  it('on random shapes, aligned or not, every template default is accepted by its own filter', () => {
    const dim = fc.oneof(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 24 }).map((x) => 4 * x));
    fc.assert(fc.property(dim, dim, dim, (M, K, N) => {
      for (const t of Object.keys(makers) as (keyof typeof makers)[]) {
        const d = defaultOf(t, [M, K, N]);
        if (d.vec === 4) expect(d.tk % 4 === 0 && d.xi % 4 === 0).toBe(true);
      }
    }), { numRuns: 40, seed: 2026 });
  });
});
