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

/** Inputs and a plain-JS C = A·B for an M×K by K×N product. */
function problem(M: number, K: number, N: number): { A: Float32Array; B: Float32Array; want: Float32Array } {
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
  return { A, B, want };
}

/** How many storage buffers a WGSL module binds as arrays of vec4. */
function vec4BindingCount(wgsl: string): number {
  return (wgsl.match(/var<storage, [a-z_]+> \w+: array<vec4<f32>>;/g) ?? []).length;
}

/** Runs a built matmul kernel on A·B (C prefilled with NaN) and expects every element of C within 1e-4 of `want`. */
async function expectRunsRight(artifact: Parameters<typeof load>[0], [M, K, N]: readonly number[], A: Float32Array, B: Float32Array, want: Float32Array, name = ''): Promise<void> {
  const mod = await load(artifact);
  const [a, b, c] = [array(A, [M!, K!]), array(B, [K!, N!]), array(new Float32Array(M! * N!).fill(Number.NaN), [M!, N!])];
  try {
    await mod.run(a, b, c);
    const got = c.toArray();
    const i = got.findIndex((g, j) => !(Math.abs(g - want[j]!) <= 1e-4 + 1e-4 * Math.abs(want[j]!)));
    expect(i, `${name}C[${i}] = ${got[i]}, expected ${want[i]}`).toBe(-1);
  } finally {
    a.free(); b.free(); c.free();
    mod.dispose();
  }
}

/** The template's limits, restated: whether a config must be refused, and why. */
function expectedRejection(task: Task, index: number, [, K, N]: readonly number[]): RegExp | undefined {
  const e = task.space.entityAt(index);
  const [, ty, yi] = e.getSplit('tile_y').size as [number, number, number];
  const [, tx, xi] = e.getSplit('tile_x').size as [number, number, number];
  const tk = e.getSplit('tile_k').size[1]!;
  // stage_shared false (a knob of lavapipe's space only) reads A and B in place: no workgroup memory, and only the
  // thread's x tile is a vector. Without the knob both are staged.
  const staged = e.toData().entity.find((k) => k[0] === 'stage_shared')?.[2] !== false;
  if (ty * tx > 256) return /threads exceed the workgroup limit 256/;
  if (staged && (ty * yi * tk + tk * tx * xi) * 4 > 16384) return /bytes of workgroup memory exceed 16384/;
  if (e.getKnob('vec').val === 4) {
    if (K! % 4 !== 0 || N! % 4 !== 0) return /vec 4 needs rows that are multiples of 4/;
    if (staged && (tk % 4 !== 0 || xi % 4 !== 0)) return /vec 4 needs tile_k \d+ and the thread's x tile \d+ to be multiples of 4/;
    if (!staged && xi % 4 !== 0) return /vec 4 needs the thread's x tile \d+ to be a multiple of 4/;
  }
  return undefined;
}

/**
 * Builds sampled configs of matmul.webgpu for M×K×N (only those whose `vec` knob is `vec`, when given) and
 * checks each against plain JS; configs over the limits must be refused with the reason. Returns [ran, refused].
 */
async function sampled(shape: readonly [number, number, number], opts: { runs: number; seed: number; vec?: number; validOnly?: boolean; staged?: boolean; target?: string }): Promise<[number, number]> {
  const [M, K, N] = shape;
  const task = createTask('matmul.webgpu', [tensorArg([M, K]), tensorArg([K, N])], opts.target ?? 'webgpu');
  const { A, B, want } = problem(M, K, N);
  let ran = 0;
  let refused = 0;
  await fc.assert(
    fc.asyncProperty(fc.nat(), async (n) => {
      const index = n % task.space.length;
      const vec = task.space.entityAt(index).getKnob('vec').val as number;
      fc.pre(opts.vec === undefined || vec === opts.vec);
      fc.pre(opts.staged === undefined || (task.space.entityAt(index).toData().entity.find((k) => k[0] === 'stage_shared')?.[2] !== false) === opts.staged);
      const why = expectedRejection(task, index, shape);
      fc.pre(!opts.validOnly || why === undefined);
      const built = await buildCandidate({ taskName: task.name, args: task.args, target: task.target, configIndex: index });
      const name = `${M}×${K}×${N} config ${index} ${task.space.entityAt(index).toString()}`;
      if (why) {
        // Over the limits: refused before anything runs, saying which limit.
        expect(built.errorNo, name).toBe(MeasureErrorNo.INSTANTIATION_ERROR);
        expect(built.errorMsg, name).toMatch(why);
        refused++;
        return;
      }
      // Within the limits: any refusal is a fault.
      expect(built.errorMsg, name).toBeUndefined();
      expect(built.errorNo, name).toBe(MeasureErrorNo.NO_ERROR);
      // vec 1 never binds vec4 arrays. vec 4 binds those read or written only by aligned vectors; where a tile
      // overhangs the shape (or a fetch does not split evenly over the threads) the bound check names the lane and
      // that access stays scalar, so a sampled vec 4 config may have none (the default-config test below checks 3).
      if (vec === 1) expect(vec4BindingCount(new TextDecoder().decode(built.artifact!.bytes)), name).toBe(0);
      await expectRunsRight(built.artifact!, [M, K, N], A, B, want, `${name}: `);
      ran++;
    }),
    { numRuns: opts.runs, seed: opts.seed },
  );
  return [ran, refused];
}

/** What `webgpuTargetString()` gives on lavapipe: its space has stage_shared, and its default reads in place. */
const LAVAPIPE = 'webgpu -device=llvmpipe';

describe('matmul.webgpu template', () => {
  let task: Task;
  beforeAll(() => {
    registerAll();
    task = createTask('matmul.webgpu', [tensorArg([19, 13]), tensorArg([13, 22])], 'webgpu');
  });

  it('sampled configs on a non-divisible shape match a JS matmul; only configs over the limits (or vec 4 on rows of 13, 22) are refused', async () => {
    const [ran, refused] = await sampled([19, 13, 22], { runs: 14, seed: 3 });
    // Most of the space is within the limits: the sample must have run real kernels.
    expect(ran).toBeGreaterThanOrEqual(6);
    expect(ran + refused).toBe(14);
  }, 400_000);

  it('vec 4 configs (vec4 loads and stores) on rows that are multiples of 4 but that no tile divides match a JS matmul', async () => {
    const [ran] = await sampled([21, 20, 36], { runs: 6, seed: 5, vec: 4, validOnly: true });
    expect(ran).toBe(6);
  }, 400_000);

  it("lavapipe's space: sampled configs of both halves (staged and in place) on a non-divisible shape match a JS matmul or are refused with the reason", async () => {
    const [ran, refused] = await sampled([19, 13, 22], { runs: 6, seed: 4, target: LAVAPIPE });
    expect(ran).toBeGreaterThanOrEqual(3);
    expect(ran + refused).toBe(6);
  }, 400_000);

  it('stage_shared false configs (A and B read in place, no workgroup memory; lavapipe) on shapes no tile divides match a JS matmul', async () => {
    const [ran] = await sampled([19, 13, 22], { runs: 5, seed: 7, staged: false, validOnly: true, target: LAVAPIPE });
    const [ran4] = await sampled([21, 20, 36], { runs: 4, seed: 8, staged: false, vec: 4, validOnly: true, target: LAVAPIPE });
    expect(ran + ran4).toBe(9);
  }, 400_000);

  it('the untuned default on lavapipe, rows multiples of 4, is vec 4 read in place: B and C bound as vec4 arrays, A scalar, no workgroup memory, and right', async () => {
    const [M, K, N] = [64, 32, 128];
    const t = createTask('matmul.webgpu', [tensorArg([M, K]), tensorArg([K, N])], LAVAPIPE);
    const def = t.defaultConfig!()!;
    expect(def.getKnob('vec').val).toBe(4);
    expect(def.getKnob('stage_shared').val).toBe(false);
    const built = await buildCandidate({ taskName: t.name, args: t.args, target: t.target, configIndex: def.index });
    expect(built.errorMsg).toBeUndefined();
    const wgsl = new TextDecoder().decode(built.artifact!.bytes);
    // A's rows are read one element at a time (the same for the 8 lanes), B's and C's as aligned vec4s.
    expect(vec4BindingCount(wgsl)).toBe(2);
    expect(wgsl).toMatch(/var<storage, read> \w+: array<f32>;/);
    expect(wgsl).not.toContain('var<workgroup>');
    expect(wgsl).not.toContain('workgroupBarrier');
    const { A, B, want } = problem(M, K, N);
    await expectRunsRight(built.artifact!, [M, K, N], A, B, want);
    // Staged (stage_shared true) with the same tiles, A is read by vec4s too.
    const d = def.toData();
    const staged = t.space.entityFromData({ ...d, entity: d.entity.map((e) => (e[0] === 'stage_shared' ? [e[0], e[1], true] : e)) as typeof d.entity });
    const sb = await buildCandidate({ taskName: t.name, args: t.args, target: t.target, configIndex: staged.index });
    expect(vec4BindingCount(new TextDecoder().decode(sb.artifact!.bytes))).toBe(3);
    // Rows of 13: the default falls back to vec 1.
    expect(createTask('matmul.webgpu', [tensorArg([8, 13]), tensorArg([13, 8])], LAVAPIPE).defaultConfig!()!.getKnob('vec').val).toBe(1);
  }, 120_000);

  it('the untuned default of plain webgpu (SwiftShader, GPUs) stages both inputs: A, B and C bound as vec4 arrays, workgroup memory and barriers, and right', async () => {
    const [M, K, N] = [64, 32, 128];
    const t = createTask('matmul.webgpu', [tensorArg([M, K]), tensorArg([K, N])], 'webgpu');
    const def = t.defaultConfig!()!;
    expect(def.getKnob('vec').val).toBe(4);
    const built = await buildCandidate({ taskName: t.name, args: t.args, target: t.target, configIndex: def.index });
    expect(built.errorMsg).toBeUndefined();
    const wgsl = new TextDecoder().decode(built.artifact!.bytes);
    expect(vec4BindingCount(wgsl)).toBe(3);
    expect(wgsl).toContain('var<workgroup>');
    expect(wgsl).toContain('workgroupBarrier');
    const { A, B, want } = problem(M, K, N);
    await expectRunsRight(built.artifact!, [M, K, N], A, B, want);
    expect(createTask('matmul.webgpu', [tensorArg([8, 13]), tensorArg([13, 8])], 'webgpu').defaultConfig!()!.getKnob('vec').val).toBe(1);
  }, 120_000);

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
