// tests/ops/matmul_webgpu_subgroups.test.ts — the gemm WebGPU template on a target with subgroups
// (`webgpu -subgroup-size=8`, lavapipe's fixed size): knob `warp` exists only there; sampled warp 1
// configs (A in warp memory shared by subgroupBroadcast/subgroupShuffle, B from global memory) of
// matmul, dense and batch_matmul match plain JS on shapes no tile divides; the default uses warp 1.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCandidate } from '../../autotune/measure/build_candidate.js';
import { Rng } from '../../autotune/rng.js';
import { MeasureErrorNo } from '../../autotune/measure/measure.js';
import { createTask, tensorArg, type Task } from '../../autotune/task.js';
import { registerAll } from '../../ops/register.js';
import { load } from '../../runtime/build.js';
import { array } from '../../runtime/ndarray.js';
import { getWebGPUAdapterInfo, releaseWebGPU, webgpuTargetString } from '../../runtime/webgpu/device.js';

const SG = 'webgpu -subgroup-size=8';

/** Plain-JS product: batch × (M×K · K×N), or with `transB` K-major B rows (dense: x·Wᵀ, W is N×K). */
function reference(batch: number, M: number, K: number, N: number, transB: boolean): { A: Float32Array; B: Float32Array; want: Float32Array } {
  const A = Float32Array.from({ length: batch * M * K }, (_, i) => ((i * 7) % 11) / 5 - 1);
  const B = Float32Array.from({ length: batch * K * N }, (_, i) => ((i * 5) % 13) / 6 - 1);
  const want = new Float32Array(batch * M * N);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += A[(b * M + i) * K + k]! * B[transB ? (b * N + j) * K + k : (b * K + k) * N + j]!;
        want[(b * M + i) * N + j] = s;
      }
    }
  }
  return { A, B, want };
}

/** `n` indices of `task`'s space with warp 1 that its filter accepts, drawn with `r` (rejection sampling). */
function warpConfigs(task: Task, n: number, r: () => number): number[] {
  const out: number[] = [];
  for (let tries = 0; out.length < n && tries < 20_000; tries++) {
    const i = Math.floor(r() * task.space.length);
    if (task.space.isIndexValid(i) && task.space.entityAt(i).getKnob('warp').val === 1) out.push(i);
  }
  return out;
}

/** Builds config `index` of `task`, runs it on the adapter and compares with `want`; returns the WGSL. */
async function runConfig(task: Task, index: number, inputs: readonly [Float32Array, number[]][], outShape: number[], want: Float32Array): Promise<string> {
  const name = `${task.name} ${JSON.stringify(task.args)} config ${index} ${task.space.entityAt(index).toString()}`;
  const built = await buildCandidate({ taskName: task.name, args: task.args, target: task.target, configIndex: index });
  expect(built.errorMsg, name).toBeUndefined();
  expect(built.errorNo, name).toBe(MeasureErrorNo.NO_ERROR);
  const mod = await load(built.artifact!);
  const arrs = inputs.map(([d, s]) => array(d, s));
  const c = array(new Float32Array(want.length).fill(Number.NaN), outShape);
  try {
    await mod.run(...arrs, c);
    const got = c.toArray();
    const i = got.findIndex((g, j) => !(Math.abs(g - want[j]!) <= 1e-4 + 1e-4 * Math.abs(want[j]!)));
    expect(i, `${name}: C[${i}] = ${got[i]}, expected ${want[i]}`).toBe(-1);
  } finally {
    for (const a of [...arrs, c]) a.free();
    mod.dispose();
  }
  return new TextDecoder().decode(built.artifact!.bytes);
}

describe('gemm webgpu template with subgroups (warp memory)', () => {
  beforeAll(() => registerAll());
  afterAll(() => releaseWebGPU());

  it('lavapipe has subgroups of one fixed size, 8, and the target string says so only when asked', async () => {
    const info = await getWebGPUAdapterInfo();
    expect(info.subgroups).toBe(true);
    expect(info.subgroupSize).toBe(8);
    expect(await webgpuTargetString()).toBe(`webgpu -device=${info.deviceName}`);
    expect(await webgpuTargetString({ subgroups: true })).toBe(`webgpu -device=${info.deviceName} -subgroup-size=8`);
  });

  it('knob warp exists only on a subgroup target; without one the space and default are as before', () => {
    const args = [tensorArg([64, 48]), tensorArg([48, 96])];
    const plain = createTask('matmul.webgpu', args, 'webgpu');
    expect(plain.defaultConfig!()!.toData().entity.map((e) => e[0])).not.toContain('warp');
    const sg = createTask('matmul.webgpu', args, SG);
    const def = sg.defaultConfig!()!;
    expect(def.getKnob('warp').val).toBe(1);
    expect(def.getSplit('tile_y').size).toEqual([2, 1, 32]);
    expect(def.getSplit('tile_x').size).toEqual([3, 8, 4]);
  });

  it('the default on a subgroup target uses subgroupBroadcast, no workgroup memory, vec4 loads, and is right', async () => {
    const [M, K, N] = [64, 48, 96];
    const task = createTask('matmul.webgpu', [tensorArg([M, K]), tensorArg([K, N])], SG);
    const { A, B, want } = reference(1, M, K, N, false);
    const wgsl = await runConfig(task, task.defaultConfig!()!.index, [[A, [M, K]], [B, [K, N]]], [M, N], want);
    expect(wgsl.startsWith('enable subgroups;')).toBe(true);
    expect(wgsl).toMatch(/subgroupBroadcast\(/);
    expect(wgsl).not.toMatch(/var<workgroup>|workgroupBarrier/);
    expect(wgsl).toMatch(/@workgroup_size\(8, 1, 1\)/);
    expect(wgsl).toMatch(/var<storage, read> p0: array<vec4<f32>>/);
  }, 120_000);

  it('a config with warp 1 but a workgroup other than one subgroup (or a one-element tile) is refused, naming the rule', async () => {
    const task = createTask('matmul.webgpu', [tensorArg([64, 48]), tensorArg([48, 96])], SG);
    const def = task.defaultConfig!()!.toData();
    const entity = def.entity.map((e) => (e[0] === 'tile_y' ? [e[0], e[1], [-1, 2, 16]] : e)) as typeof def.entity;
    const c = task.space.entityFromData({ ...def, entity });
    const built = await buildCandidate({ taskName: task.name, args: task.args, target: task.target, configIndex: c.index });
    expect(built.errorNo).toBe(MeasureErrorNo.INSTANTIATION_ERROR);
    expect(built.errorMsg).toMatch(/warp 1 needs one subgroup per workgroup: 2×8 threads, not 1×8/);
    const one = def.entity.map((e) => (e[0] === 'tile_y' ? [e[0], e[1], [-1, 1, 1]] : e[0] === 'tile_k' ? [e[0], e[1], [-1, 1]] : e[0] === 'vec' ? [e[0], e[1], 1] : e)) as typeof def.entity;
    const c1 = task.space.entityFromData({ ...def, entity: one });
    const b1 = await buildCandidate({ taskName: task.name, args: task.args, target: task.target, configIndex: c1.index });
    expect(b1.errorMsg).toMatch(/warp 1 needs more than one element of A per stage/);
  });

  // Shapes no tile divides: rows of A past M (the fetch's guard), columns past N (a lane-dependent guard
  // around the reads, which the pass hoists), k past K, vec 1 and vec 4, broadcast and (k not unrolled
  // in the fetch layout) shuffles.
  for (const [op, batch, M, K, N, seed, runs] of [
    ['matmul', 1, 19, 13, 22, 1, 3], ['matmul', 1, 37, 20, 44, 2, 3], ['dense', 1, 21, 24, 36, 3, 2], ['batch_matmul', 2, 11, 12, 20, 4, 2],
  ] as const) {
    it(`sampled warp 1 configs of ${op}.webgpu ${batch}×${M}×${K}×${N} match plain JS`, async () => {
      const transB = op === 'dense';
      const aShape = batch > 1 ? [batch, M, K] : [M, K];
      const bShape = transB ? [N, K] : batch > 1 ? [batch, K, N] : [K, N];
      const task = createTask(`${op}.webgpu`, [tensorArg(aShape), tensorArg(bShape)], SG);
      const { A, B, want } = reference(batch, M, K, N, transB);
      const rng = new Rng(seed);
      const picked = warpConfigs(task, runs, () => rng.next());
      expect(picked).toHaveLength(runs);
      for (const index of picked) await runConfig(task, index, [[A, aShape], [B, bShape]], batch > 1 ? [batch, M, N] : [M, N], want);
    }, 400_000);
  }
});
