// tests/runtime/time_evaluator_timer.test.ts — timer 'process-cpu' (runtime/time_evaluator.ts clockOf,
// the runner's RunJob.timer, localRunner's target check): costs read from process.cpuUsage, not from the
// wall clock; refused, naming the module or task, where CPU time is not the run's time. Fake CPU clocks
// only: nothing here depends on the machine's speed.

import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildCandidate } from '../../autotune/measure/build_candidate.js';
import { localRunner } from '../../autotune/measure/local_runner.js';
import { MeasureErrorNo, type BuildResult } from '../../autotune/measure/measure_types.js';
import { computeReference } from '../../autotune/measure/reference.js';
import { runCandidate, type RunJob } from '../../autotune/measure/run_candidate.js';
import { createTask, tensorArg } from '../../autotune/task.js';
import { registerAll } from '../../ops/register.js';
import { build } from '../../runtime/build.js';
import * as nd from '../../runtime/nd.js';
import { clockOf, processCpuClock, processCpuTimerRefusal, timeRuns } from '../../runtime/time_evaluator.js';
import type { WebGPUContext } from '../../runtime/webgpu/device.js';
import { WebGPUModule } from '../../runtime/webgpu/webgpu_module.js';
import type { WGSLMeta } from '../../codegen/wgsl/codegen_wgsl.js';
import { parseTarget } from '../../target/index.js';
import * as te from '../../schedule/index.js';

/** process.cpuUsage replaced by a counter that advances `stepUs` microseconds of user time per call. */
function fakeCpu(stepUs: number): { calls: () => number } {
  let t = 0;
  let calls = 0;
  vi.spyOn(process, 'cpuUsage').mockImplementation(() => {
    calls++;
    t += stepUs;
    return { user: t, system: 0 };
  });
  return { calls: () => calls };
}

afterEach(() => { vi.restoreAllMocks(); });

describe("timeRuns with timer 'process-cpu'", () => {
  it('reads every measurement from process.cpuUsage (one step of the fake CPU clock per measurement)', async () => {
    const cpu = fakeCpu(2500); // 2.5 ms of CPU between two readings
    const r = await timeRuns(() => undefined, { number: 5, repeat: 4, minRepeatMs: 1, timer: 'process-cpu' });
    expect(r.results).toEqual([0.0005, 0.0005, 0.0005, 0.0005]); // 2.5 ms / 5 runs
    expect(r.number).toBe(5);
    expect(cpu.calls()).toBe(8); // a reading before and after each of the 4 repeats
  });

  it("'wall' (and no timer) never read the CPU clock", async () => {
    const cpu = fakeCpu(1000);
    await timeRuns(() => undefined, { repeat: 2, timer: 'wall' });
    await timeRuns(() => undefined, { repeat: 2 });
    expect(cpu.calls()).toBe(0);
  });

  it('an injected clock wins over the timer option (tests keep their fake clocks)', async () => {
    const cpu = fakeCpu(1000);
    let t = 0;
    const r = await timeRuns(() => undefined, { repeat: 2, timer: 'process-cpu' }, () => (t += 7));
    expect(r.results).toEqual([0.007, 0.007]);
    expect(cpu.calls()).toBe(0);
  });

  it('clockOf: user + system microseconds as milliseconds; unknown names and a missing cpuUsage refused', () => {
    vi.spyOn(process, 'cpuUsage').mockReturnValue({ user: 1500, system: 500 });
    expect(clockOf('process-cpu')).toBe(processCpuClock);
    expect(processCpuClock()).toBe(2);
    expect(() => clockOf('cpu' as never)).toThrow("timeEvaluator: timer must be 'wall' or 'process-cpu', got 'cpu'");
    vi.restoreAllMocks();
    const saved = process.cpuUsage;
    try {
      (process as { cpuUsage?: unknown }).cpuUsage = undefined;
      expect(() => clockOf('process-cpu')).toThrow("timer 'process-cpu' needs Node's process.cpuUsage");
    } finally {
      process.cpuUsage = saved;
    }
  });
});

describe("wasm modules and the runner with timer 'process-cpu'", () => {
  const A = te.placeholder([64], 'float32', 'A');
  const B = te.compute([64], (i) => A.at(i).mul(2), 'B');
  const s = te.createSchedule([B]);
  const [o] = s.stage(B).split(s.stage(B).axis[0]!, { factor: 16 });
  s.stage(B).parallel(o!);
  const f = te.lower(s, [A, B], { name: 'double64' });

  it('a -threads=1 module times by CPU time; a -threads=2 module refuses, naming itself', async () => {
    const one = await build(f, 'wasm -threads=1');
    const a = nd.array(new Float32Array(64), [64]);
    const b = nd.empty([64]);
    fakeCpu(4000);
    const r = await one.timeEvaluator({ number: 2, repeat: 3, timer: 'process-cpu' }).run(a, b);
    expect(r.results).toEqual([0.002, 0.002, 0.002]);
    vi.restoreAllMocks();
    one.dispose();
    const two = await build(f, 'wasm -threads=2');
    try {
      expect(() => two.timeEvaluator({ timer: 'process-cpu' })).toThrow("timeEvaluator: timer 'process-cpu' cannot time double64: it runs on worker threads");
      expect(() => two.timeEvaluator({ timer: 'wall' })).not.toThrow();
    } finally {
      two.dispose();
    }
  }, 60_000);

  describe('the runner', () => {
    let job: RunJob;
    let built: BuildResult;
    const task = () => createTask('matmul.wasm', [tensorArg([16, 16]), tensorArg([16, 16])], 'wasm -threads=1');
    beforeAll(async () => {
      registerAll();
      const t = task();
      built = await buildCandidate({ taskName: t.name, args: t.args, target: t.target, configIndex: t.defaultConfig!()!.index });
      if (!built.artifact) throw new Error(`build failed: ${built.errorNo} ${built.errorMsg}`);
      const ref = await computeReference(t, { seed: 1, interpretFlopLimit: 2e7 });
      job = { artifact: built.artifact, specs: ref.specs, initial: ref.initial, expected: [...ref.expected], number: 3, repeat: 2, minRepeatMs: 0, flushBytes: 0, rtol: 1e-3, atol: 1e-3 };
    }, 120_000);

    it("a RunJob's timer reaches the time evaluator (costs from the fake CPU clock, also with cache flushes)", async () => {
      fakeCpu(6000);
      const r = await runCandidate({ ...job, timer: 'process-cpu' });
      expect(r.errorNo, r.errorMsg).toBe(MeasureErrorNo.NO_ERROR);
      expect(r.costs).toEqual([0.002, 0.002]); // 6 ms / 3 runs
      const flushed = await runCandidate({ ...job, timer: 'process-cpu', flushBytes: 1 << 20 });
      expect(flushed.costs).toEqual([0.002, 0.002]);
    }, 60_000);

    it('localRunner refuses a task it cannot time by CPU time, naming the task and target', async () => {
      expect(() => localRunner({ timer: 'gpu' as never })).toThrow("localRunner: timer must be 'wall' or 'process-cpu', got 'gpu'");
      const runner = localRunner({ timer: 'process-cpu' });
      try {
        for (const [target, why] of [['wasm -threads=2', 'more than one thread'], ['webgpu -device=nvidia', "a GPU's work is not this process's CPU time"]] as const) {
          const t = createTask('matmul.wasm', [tensorArg([16, 16]), tensorArg([16, 16])], target);
          const input = { task: t, config: t.space.get(0) };
          await expect(runner.run([input], [built])).rejects.toThrow(`localRunner: timer 'process-cpu' cannot time task ${t.name} on '${t.target}': ${why}`);
        }
      } finally {
        await runner.close();
      }
    }, 60_000);
  });
});

describe('which targets and modules can be timed by CPU time', () => {
  it('processCpuTimerRefusal: wasm on one thread and WebGPU on lavapipe (or unnamed) can; more threads and named GPUs cannot', () => {
    expect(processCpuTimerRefusal('wasm -threads=1')).toBeUndefined();
    expect(processCpuTimerRefusal('webgpu -device=llvmpipe')).toBeUndefined();
    expect(processCpuTimerRefusal('webgpu')).toBeUndefined();
    expect(processCpuTimerRefusal('wasm -threads=2')).toMatch(/more than one thread/);
    expect(processCpuTimerRefusal('webgpu -device=nvidia')).toBe(
      "a GPU's work is not this process's CPU time (only the lavapipe software adapter, -device=llvmpipe, runs kernels on this process's threads), got -device=nvidia");
  });

  it("a WebGPU module on a GPU adapter refuses timer 'process-cpu', naming the adapter; on lavapipe it accepts it", () => {
    // A module over a fake device: no adapter is needed to check which timers it accepts.
    const Z = te.compute([4], () => te.const(1), 'Z');
    const f = te.lower(te.createSchedule([Z]), [Z], { name: 'nothing' });
    const moduleOn = (deviceName: string): WebGPUModule => new WebGPUModule(parseTarget('webgpu'), f,
      { name: 'nothing', bindings: [], kernels: [], argShapes: [] } as unknown as WGSLMeta, '',
      { device: { lost: new Promise(() => undefined) }, info: { deviceName, description: `${deviceName} adapter`, timestampQuery: false } } as unknown as WebGPUContext,
      { pipelines: [], bindGroup: {} as GPUBindGroup, buffers: [] });
    expect(() => moduleOn('nvidia').timeEvaluator({ timer: 'process-cpu' })).toThrow(
      "timeEvaluator: timer 'process-cpu' cannot time a WebGPU module on 'nvidia adapter': its work runs on the GPU");
    expect(() => moduleOn('nvidia').timeEvaluator({ timer: 'wall' })).not.toThrow();
    expect(() => moduleOn('llvmpipe').timeEvaluator({ timer: 'process-cpu' })).not.toThrow();
  });
});
