// tests/ops/gemm_webgpu_default.test.ts — the untuned default of the WebGPU gemm templates (matmul, dense,
// batch_matmul) is a config its own space accepts, on every shape: the fallback splits resolve to the
// nearest sizes the space holds (tile_k of K = 20 is 5, not 8), and vec 4 is chosen only where those sizes
// allow it. Before the fix, matmul 24×20×28 defaulted to vec 4 with tile_k 5 and no untuned build existed. The
// default is chosen by the target's device: lavapipe (`-device=llvmpipe`) reads in place (stage_shared false, a knob
// only its space has), every other device and plain `webgpu` stage both inputs in workgroup memory.

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

/** What `webgpuTargetString()` gives on lavapipe: the device whose defaults read in place. */
const LAVAPIPE = 'webgpu -device=llvmpipe';

/** The default's knobs (stage_shared undefined where the space has no such knob), or the reason the template refused it. */
function defaultOf(template: keyof typeof makers, shape: Shape, target = 'webgpu'): { vec: number; tk: number; xi: number; staged?: boolean } {
  const task = createTask(template, makers[template](shape), target);
  task.instantiate(new FallbackConfigEntity()); // throws InstantiationError with the filter's reason
  const def = task.defaultConfig!();
  expect(def, `${template} ${shape.join('×')}: the default lies outside the space`).toBeDefined();
  expect(task.space.isIndexValid(def!.index), `${template} ${shape.join('×')}: the space's filter refuses the default`).toBe(true);
  const stage = def!.toData().entity.find((e) => e[0] === 'stage_shared');
  return { vec: def!.getKnob('vec').val as number, tk: def!.getSplit('tile_k').size[1]!, xi: def!.getSplit('tile_x').size[2]!, ...(stage ? { staged: stage[2] as boolean } : {}) };
}

describe('WebGPU gemm templates: the untuned default is always a valid config', () => {
  it('the staged default (plain webgpu): matmul 24×20×28 (rows aligned, K = 20 has no split of 8) defaults to vec 1', () => {
    const d = defaultOf('matmul.webgpu', [24, 20, 28]);
    expect(d.tk % 4).not.toBe(0);
    expect(d.vec).toBe(1);
  });

  it('the staged default on a subgroup target where N < 8 leaves warp 1 unresolved: matmul 24×20×4 defaults to vec 1', () => {
    const d = defaultOf('matmul.webgpu', [24, 20, 4], 'webgpu -device=llvmpipe -subgroup-size=8');
    expect(d.tk % 4).not.toBe(0);
    expect(d.vec).toBe(1);
  });

  it('the lavapipe default reads in place with k 4 a step: matmul 24×20×28 is vec 4 there', () => {
    expect(defaultOf('matmul.webgpu', [24, 20, 28], LAVAPIPE)).toEqual({ vec: 4, tk: 4, xi: 4, staged: false });
  });

  it('aligned shapes whose tiles allow it keep vec 4, on both devices', () => {
    for (const target of ['webgpu', LAVAPIPE]) {
      for (const t of Object.keys(makers) as (keyof typeof makers)[]) expect(defaultOf(t, [64, 32, 96], target).vec, `${t} on ${target}`).toBe(4);
    }
  });

  it('on random shapes, aligned or not, every template default is accepted by its own filter, on both devices', () => {
    const dim = fc.oneof(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 24 }).map((x) => 4 * x));
    fc.assert(fc.property(dim, dim, dim, (M, K, N) => {
      for (const t of Object.keys(makers) as (keyof typeof makers)[]) {
        const d = defaultOf(t, [M, K, N]);
        if (d.vec === 4) expect(d.tk % 4 === 0 && d.xi % 4 === 0).toBe(true);
        const l = defaultOf(t, [M, K, N], LAVAPIPE);
        expect(l.staged).toBe(false);
        if (l.vec === 4) expect(l.xi % 4).toBe(0);
      }
    }), { numRuns: 40, seed: 2026 });
  });
});

describe('WebGPU gemm templates: the default and the space by the target\'s device', () => {
  const tiles = (target: string) => {
    const task = createTask('matmul.webgpu', makers['matmul.webgpu']([512, 512, 512]), target);
    const d = task.defaultConfig!()!;
    return { threads: [d.getSplit('tile_y').size[1], d.getSplit('tile_x').size[1]], tile: [d.getSplit('tile_y').size[2], d.getSplit('tile_x').size[2]], knobs: d.toData().entity.map((e) => e[0]), length: task.space.length };
  };

  it('lavapipe (llvmpipe, lavapipe) reads in place: one row of 8 lanes, 16×8 outputs a lane, stage_shared false', () => {
    for (const t of [LAVAPIPE, 'webgpu -device=lavapipe', 'webgpu -device=LLVMpipe -max-workgroup-size=256']) {
      const d = tiles(t);
      expect(d.threads, t).toEqual([1, 8]);
      expect(d.tile, t).toEqual([16, 8]);
      expect(defaultOf('matmul.webgpu', [512, 512, 512], t).staged, t).toBe(false);
    }
  });

  it('no device, SwiftShader or a GPU: the staged 8×8 threads of 8×8 outputs, and no stage_shared knob in the space', () => {
    for (const t of ['webgpu', 'webgpu -device=swiftshader', 'webgpu -device=nvidia', 'webgpu -max-workgroup-size=256']) {
      const d = tiles(t);
      expect(d.threads, t).toEqual([8, 8]);
      expect(d.tile, t).toEqual([8, 8]);
      expect(d.knobs, t).not.toContain('stage_shared');
    }
  });

  it("stage_shared is defined last: lavapipe's space is twice the plain one, and its first half is the plain configs, staged", () => {
    const args = makers['matmul.webgpu']([48, 20, 36]);
    const plain = createTask('matmul.webgpu', args, 'webgpu');
    const lava = createTask('matmul.webgpu', args, LAVAPIPE);
    expect(lava.space.length).toBe(2 * plain.space.length);
    for (const i of [0, 1, 777, plain.space.length - 1]) {
      const p = plain.space.entityAt(i).toData().entity;
      expect(lava.space.entityAt(i).toData().entity).toEqual([...p, ['stage_shared', 'ot', true]]);
      expect(lava.space.entityAt(i + plain.space.length).toData().entity).toEqual([...p, ['stage_shared', 'ot', false]]);
    }
  });
});
