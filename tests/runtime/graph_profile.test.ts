// tests/runtime/graph_profile.test.ts — the per-kernel profiler (runtime/graph_profile.ts, GraphExecutor.profile):
// with a fake clock each kernel's time lands on that kernel; on a real relay build every plan kernel is listed
// once in plan order with its fused ops and shapes, the per-kernel means add up to the profiled run, the medians
// to about the whole run; bad options and targets are refused with named errors.

import { afterAll, describe, expect, it } from 'vitest';
import { build, type GraphModule } from '../../relay/backend/build.js';
import { fromOnnx } from '../../relay/frontend/onnx.js';
import type { GraphPlan } from '../../runtime/graph_plan.js';
import { formatProfile, profileRuns, type StampedRunner } from '../../runtime/graph_profile.js';
import { releaseWebGPU } from '../../runtime/webgpu/device.js';
import { inputData } from '../relay/models/reference.js';
import { mobilenet } from '../relay/models/zoo.js';
import { reluAddOnnx } from '../cli/fixtures/tiny_onnx.js';

afterAll(releaseWebGPU);

/** A plan of `n` kernels whose artifacts are never loaded (the runner below is fake). */
function fakePlan(n: number, target = 'wasm -threads=1'): GraphPlan {
  const t = { storage: 0, shape: [2, 3], dtype: 'float32' as const };
  return {
    format: 'tensortune-graph-plan', version: 1, target, storages: [24], inputs: [], outputs: [], constants: [],
    kernels: Array.from({ length: n }, (_, i) => ({
      name: `fused_k${i}`, ops: [`op${i}`, 'add'], args: [t, { ...t, shape: [6] }],
      artifact: { target, format: 'wasm' as const, bytes: new Uint8Array(0), meta: {} },
    })),
  };
}

/** A fake clock (ms) that kernel i advances by cost(i, run); whole runs advance it by the sum. */
function fakeModel(costs: (i: number, run: number) => number, n: number): { runner: StampedRunner; clock: () => number; calls: () => number } {
  let now = 0;
  let run = 0;
  let calls = 0;
  const runner: StampedRunner = {
    runKernels() {
      for (let i = 0; i < n; i++) now += costs(i, run);
      run++;
      calls++;
    },
    runStamped(stamp) {
      for (let i = 0; i < n; i++) {
        stamp(i);
        now += costs(i, run);
      }
      stamp(n);
      run++;
      calls++;
    },
  };
  return { runner, clock: () => now, calls: () => calls };
}

describe('profileRuns with a fake clock', () => {
  it('gives each kernel its own time (median, mean, min, percent), warms up first and times whole runs apart', () => {
    // Kernel i costs (i + 1) ms, with a 100 ms outlier on kernel 1 in one profiled run (runs 0–1 warm up, 2 settles, then profiled and whole runs alternate): the median ignores it, the mean does not.
    const m = fakeModel((i, r) => i + 1 + (i === 1 && r === 5 ? 100 : 0), 3);
    const p = profileRuns(fakePlan(3), m.runner, { runs: 5, warmupRuns: 2 }, m.clock);
    expect(m.calls()).toBe(2 + 1 + 5 * 2);
    expect(p.kernels.map((k) => k.index)).toEqual([0, 1, 2]);
    expect(p.kernels.map((k) => k.median * 1000)).toEqual([1, 2, 3]);
    expect(p.kernels.map((k) => k.min * 1000)).toEqual([1, 2, 3]);
    expect(p.kernels[1]!.mean * 1000).toBeCloseTo(2 + 100 / 5, 9);
    expect(p.kernels.map((k) => k.percent)).toEqual([100 / 6, 200 / 6, 300 / 6]);
    expect(p.kernels[0]!.ops).toEqual(['op0', 'add']);
    expect(p.kernels[0]!.shapes).toEqual([[2, 3], [6]]);
    expect(p.sumOfMedians * 1000).toBeCloseTo(6, 9);
    expect(p.profiledRun.mean).toBeCloseTo(p.kernels.reduce((a, k) => a + k.mean, 0), 12);
    expect(p.wholeRun * 1000).toBe(6);
    const table = formatProfile(p, { config: (k) => (k.index === 2 ? 'log #7' : 'default') });
    const rows = table.split('\n');
    expect(rows[0]).toMatch(/^#\s+median µs\s+mean µs\s+%\s+cum %\s+ops\s+shapes \(inputs → output\)\s+config$/);
    expect(rows[1]).toMatch(/^2\s+3000\.0\s+3000\.0\s+50\.0\s+50\.0\s+op2\+add\s+\[2,3\] → \[6\]\s+log #7$/);
    expect(rows[3]).toMatch(/^0\s+1000\.0/);
    expect(rows[4]).toMatch(/^3 kernels, 5 runs, timer wall: sum of kernel medians 6000\.0 µs; profiled run median 6000\.0 µs .* whole run without per-kernel clocks 6000\.0 µs$/);
    expect(formatProfile(p, { sort: 'order', top: 2 }).split('\n').slice(1, 4).map((r) => r.split(/\s+/)[0])).toEqual(['0', '1', '…']);
  });

  it('refuses bad counts, an unknown timer and CPU time over several threads, naming them', () => {
    const m = fakeModel(() => 1, 2);
    expect(() => profileRuns(fakePlan(2), m.runner, { runs: 0 }, m.clock)).toThrow(/profile: runs must be an integer ≥ 1, got 0/);
    expect(() => profileRuns(fakePlan(2), m.runner, { runs: 2.5 }, m.clock)).toThrow(/runs must be an integer ≥ 1, got 2.5/);
    expect(() => profileRuns(fakePlan(2), m.runner, { warmupRuns: -1 }, m.clock)).toThrow(/warmupRuns must be an integer ≥ 0/);
    expect(() => profileRuns(fakePlan(2), m.runner, { timer: 'cpu' as never }, m.clock)).toThrow(/timer must be 'wall' or 'process-cpu', got 'cpu'/);
    expect(() => profileRuns(fakePlan(2, 'wasm -threads=2'), m.runner, { timer: 'process-cpu' }, m.clock)).toThrow(/'process-cpu' cannot time 'wasm -threads=2': more than one thread/);
    expect(m.calls()).toBe(0);
  });
});

describe('GraphExecutor.profile on a relay build', () => {
  let lib: GraphModule | undefined;
  afterAll(() => lib?.dispose());

  it('lists every plan kernel once, in plan order, with its fused ops; means add up to the run, medians to about the whole run', async () => {
    const m = mobilenet();
    lib = await build(fromOnnx(m.bytes, { shapes: m.inputs }), { target: 'wasm -threads=1', tuningLogs: [] });
    const inputs = Object.fromEntries(Object.entries(m.inputs).map(([k, s], i) => [k, inputData(s, 3 + i)]));
    const want = await lib.run(inputs);
    const p = await lib.profile(inputs, { runs: 15, warmupRuns: 2, timer: 'process-cpu' });
    expect(p.kernels.map((k) => k.index)).toEqual(lib.plan.kernels.map((_, i) => i));
    expect(p.kernels.map((k) => k.name)).toEqual(lib.plan.kernels.map((k) => k.name));
    expect(p.kernels.map((k) => k.shapes)).toEqual(lib.plan.kernels.map((k) => k.args.map((a) => a.shape)));
    for (const k of p.kernels) expect(`fused_${k.ops.join('_').replace(/\./g, '_')}`.startsWith(k.name.replace(/_\d+ops$/, ''))).toBe(true);
    expect(p.kernels.some((k) => k.ops.includes('nn.conv2d') || k.ops.includes('nn.contrib_conv2d_NCHWc'))).toBe(true);
    expect(p.kernels.every((k) => k.median >= 0 && k.min <= k.median)).toBe(true);
    expect(p.kernels.reduce((a, k) => a + k.percent, 0)).toBeCloseTo(100, 6);
    // The stamps telescope: the kernels' means add up to the profiled run's mean exactly (up to rounding).
    expect(p.kernels.reduce((a, k) => a + k.mean, 0)).toBeCloseTo(p.profiledRun.mean, 9);
    // Medians are not additive, and the machine may be loaded: "within reason" is a factor of 3 of the whole run.
    expect(p.sumOfMedians).toBeGreaterThan(p.wholeRun / 3);
    expect(p.sumOfMedians).toBeLessThan(p.wholeRun * 3);
    // Profiling leaves the model's outputs as they were.
    const again = await lib.run(inputs);
    expect(Array.from(again[0]!.data)).toEqual(Array.from(want[0]!.data));
    for (const o of [...want, ...again]) o.free();
  }, 120_000);

  it('refuses WebGPU (one command buffer) and bad options before running anything', async () => {
    const bias = Float32Array.from({ length: 6 }, (_, i) => i - 3);
    const mod = fromOnnx(reluAddOnnx([2, 3], bias), { shapes: { X: [2, 3] } });
    const x = { X: new Float32Array(6) };
    const gpu = await build(mod, { target: 'webgpu' });
    try {
      await expect(gpu.profile(x)).rejects.toThrow(/per-kernel profiling needs a target whose kernels the host calls one by one \(wasm\); 'webgpu' submits them together/);
    } finally {
      gpu.dispose();
    }
    const two = await build(mod, { target: 'wasm -threads=2', tuningLogs: [] });
    try {
      await expect(two.profile(x, { timer: 'process-cpu' })).rejects.toThrow(/cannot time 'wasm -threads=2'/);
      await expect(two.profile(x, { runs: 0 })).rejects.toThrow(/runs must be an integer ≥ 1/);
      await expect(two.profile({ Z: new Float32Array(6) })).rejects.toThrow(/'Z' is not an input of the model/);
      const p = await two.profile(x, { runs: 3, warmupRuns: 0 });
      expect(p.kernels).toHaveLength(two.plan.kernels.length);
    } finally {
      two.dispose();
    }
  }, 120_000);
});
