// autotune/measure/local_runner.ts — the local Runner: checks and times built candidates one after another,
// each isolated with a timeout (wasm in a worker thread, WebGPU in a child process), against a reference
// computed once per task.

import { JobWorker } from './job_worker.js';
import { MeasureErrorNo, unixNow, type BuildResult, type MeasureInput, type MeasureResult, type Runner } from './measure_types.js';
import { computeReference, type TaskReference } from './reference.js';
import type { RunAnswer, RunJob } from './run_candidate.js';
import { siblingModule } from './spawn_worker.js';
import type { Task } from '../task.js';
import type { Timer } from '../../runtime/module.js';
import { processCpuTimerRefusal } from '../../runtime/time_evaluator.js';

export interface LocalRunnerOptions {
  /** Runs per measurement (default 4); raised until one measurement lasts minRepeatMs. */
  readonly number?: number;
  /** Measurements (default 3); each gives one cost. */
  readonly repeat?: number;
  /** Minimum milliseconds per measurement (default 0). */
  readonly minRepeatMs?: number;
  /**
   * Seconds for one candidate: load, check and all timing runs (default 10). A WebGPU candidate gets them
   * twice: for load and its checked first run (which holds the driver's shader compile), then again for the
   * timing runs (run_candidate.ts `compiled`), so a slow compile does not turn a fast kernel into RUN_TIMEOUT.
   */
  readonly timeout?: number;
  /** Touch a 64 MiB buffer before each repeat so every repeat starts with cold caches (wasm only). */
  readonly enableCacheFlush?: boolean;
  /** Compare each candidate's output with the reference (default true). */
  readonly checkCorrectness?: boolean;
  /** Tolerance of the check: |got - want| ≤ atol + rtol·|want| (defaults 1e-3, 1e-3). */
  readonly rtol?: number;
  readonly atol?: number;
  /** Seed of the random inputs (default 0). */
  readonly seed?: number;
  /** Tasks up to this many FLOPs get an interpreted reference, larger ones a naive wasm build (default 2e7). */
  readonly interpretFlopLimit?: number;
  /**
   * What a measurement reads (default 'wall', TVM's): 'process-cpu' times by the process's CPU time
   * (runtime/time_evaluator.ts `clockOf`), so costs stay comparable while other processes load the
   * machine (a shared CI box, a laptop). Only for single-threaded wasm targets (`wasm -threads=1`):
   * a task on another target makes `run` throw, naming the task.
   */
  readonly timer?: Timer;
}

const FLUSH_BYTES = 64 * 1024 * 1024;

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KiB`;

function positiveInt(v: number, name: string): number {
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`localRunner: ${name} must be an integer ≥ 1, got ${v}`);
  return v;
}

/**
 * The reference's arguments as this candidate's kernel reads them: the inputs its template makes on the host
 * (Task.hostInputs: a constant weight in the config's panels) replaced, outside the timing, as a build does once.
 */
function hostInputs(input: MeasureInput, ref: TaskReference): Pick<TaskReference, 'specs' | 'initial'> {
  const made = input.task.hostInputs?.(input.config) ?? [];
  if (made.length === 0) return ref;
  const specs = [...ref.specs];
  const initial = [...ref.initial];
  for (const h of made) {
    const spec = specs[h.index];
    const values = initial[h.index];
    if (spec === undefined || !(values instanceof Float32Array) || input.task.outputIndices.includes(h.index)) {
      throw new RangeError(`argument ${h.index} is not a float32 input of the task`);
    }
    const out = h.make(values);
    if (out.length !== h.shape.reduce((a, b) => a * b, 1)) throw new RangeError(`argument ${h.index}: ${out.length} values made for shape [${h.shape.join(', ')}]`);
    specs[h.index] = { ...spec, shape: [...h.shape] };
    initial[h.index] = out;
  }
  return { specs, initial };
}

export function localRunner(opts: LocalRunnerOptions = {}): Runner {
  const number = positiveInt(opts.number ?? 4, 'number');
  const repeat = positiveInt(opts.repeat ?? 3, 'repeat');
  const minRepeatMs = opts.minRepeatMs ?? 0;
  const timeout = opts.timeout ?? 10;
  if (!(minRepeatMs >= 0)) throw new RangeError(`localRunner: minRepeatMs must be ≥ 0, got ${minRepeatMs}`);
  if (!(timeout > 0)) throw new RangeError(`localRunner: timeout must be > 0 seconds, got ${timeout}`);
  const check = opts.checkCorrectness ?? true;
  const timer = opts.timer ?? 'wall';
  if (timer !== 'wall' && timer !== 'process-cpu') throw new RangeError(`localRunner: timer must be 'wall' or 'process-cpu', got '${String(timer)}'`);
  const entry = siblingModule(import.meta.url, 'run_worker');
  // wasm candidates run in a worker thread. WebGPU candidates run in a child process: a timed-out one is ended by
  // killing it, and ending a worker thread instead (terminate) while a Dawn buffer mapping is pending aborts our
  // whole process ("GPUBuffer.cpp:74: Promise not resolved or rejected: mapAsync()"; docs/webgpu.md "Session 18").
  const workers = { wasm: new JobWorker<RunJob, RunAnswer>(entry), wgsl: new JobWorker<RunJob, RunAnswer>(entry, undefined, 'process') };
  const references = new Map<string, Promise<TaskReference>>();
  /** Set when the last candidate found no runner worker able to start. */
  let startFailed = false;

  function referenceOf(task: Task): Promise<TaskReference> {
    const key = `${task.target}\u0000${task.workloadKey}`;
    let ref = references.get(key);
    if (!ref) {
      ref = computeReference(task, { seed: opts.seed ?? 0, interpretFlopLimit: opts.interpretFlopLimit ?? 2e7 });
      references.set(key, ref);
    }
    return ref;
  }

  async function runOne(input: MeasureInput, build: BuildResult): Promise<MeasureResult> {
    const failed = (errorNo: MeasureErrorNo, errorMsg: string, seconds: number): MeasureResult =>
      ({ costs: [], errorNo, errorMsg, allCost: build.timeCost + seconds, timestamp: unixNow() });
    if (build.errorNo !== MeasureErrorNo.NO_ERROR || !build.artifact) {
      return failed(build.errorNo === MeasureErrorNo.NO_ERROR ? MeasureErrorNo.UNKNOWN_ERROR : build.errorNo, build.errorMsg ?? 'no artifact', 0);
    }
    let ref: TaskReference;
    try {
      ref = await referenceOf(input.task);
    } catch (e) {
      return failed(MeasureErrorNo.UNKNOWN_ERROR, `reference of ${input.task.name} failed: ${e instanceof Error ? e.message : String(e)}`, 0);
    }
    let inputs: Pick<TaskReference, 'specs' | 'initial'>;
    try {
      inputs = hostInputs(input, ref);
    } catch (e) {
      return failed(MeasureErrorNo.INSTANTIATION_ERROR, `host inputs of ${input.task.name}: ${e instanceof Error ? e.message : String(e)}`, 0);
    }
    const job: RunJob = {
      artifact: build.artifact,
      specs: inputs.specs,
      initial: inputs.initial,
      expected: check ? [...ref.expected] : [],
      number, repeat, minRepeatMs, timer,
      // Host caches only matter to wasm kernels; a WebGPU kernel's data lives on the device.
      flushBytes: opts.enableCacheFlush && build.artifact.format === 'wasm' ? FLUSH_BYTES : 0,
      rtol: opts.rtol ?? 1e-3,
      atol: opts.atol ?? 1e-3,
      // WebGPU: a slow candidate says so itself at half the timeout, from its checked run's time, rather than
      // being killed at the timeout (a fresh child process then costs a new device).
      ...(build.artifact.format === 'wgsl' ? { budgetMs: timeout * 500 } : {}),
    };
    const wgsl = build.artifact.format === 'wgsl';
    const out = await (wgsl ? workers.wgsl : workers.wasm).run(job, timeout * 1000);
    switch (out.kind) {
      case 'done': {
        const r = out.value;
        return {
          costs: r.costs, errorNo: r.errorNo, allCost: build.timeCost + out.seconds, timestamp: unixNow(),
          ...(r.errorMsg !== undefined ? { errorMsg: r.errorMsg } : {}),
          ...(r.device !== undefined ? { device: r.device } : {}),
        };
      }
      case 'timeout':
        // A WebGPU candidate's first stage is loading it and its checked first run: the driver's shader compile
        // (lavapipe: tens of seconds of CPU for a big unrolled kernel, docs/webgpu.md "Session 18").
        return failed(MeasureErrorNo.RUN_TIMEOUT, wgsl && out.stage === 0
          ? `loading the kernel and its first run (the driver's shader compile, ${kib(build.artifact.bytes.length)} of WGSL) exceeded the timeout of ${timeout} s`
          : `run exceeded the timeout of ${timeout} s`, out.seconds);
      case 'crash':
        startFailed = out.atStartup === true;
        return failed(MeasureErrorNo.RUNTIME_DEVICE, `runner worker crashed: ${out.message}`, out.seconds);
    }
  }

  return {
    async run(inputs: readonly MeasureInput[], builds: readonly BuildResult[]) {
      if (inputs.length !== builds.length) throw new RangeError(`localRunner: ${inputs.length} inputs but ${builds.length} builds`);
      if (timer === 'process-cpu') {
        for (const input of inputs) {
          const why = processCpuTimerRefusal(input.task.target);
          if (why) throw new RangeError(`localRunner: timer 'process-cpu' cannot time task ${input.task.name} on '${input.task.target}': ${why}`);
        }
      }
      const results: MeasureResult[] = [];
      // One at a time: timings must not overlap each other or anything else we run.
      for (let i = 0; i < inputs.length; i++) {
        const r = await runOne(inputs[i]!, builds[i]!);
        results.push(r);
        if (startFailed) {
          startFailed = false;
          // The runner worker cannot start: fail the rest of the batch now rather than retry per candidate
          // (candidates whose build failed keep their own error).
          for (let j = i + 1; j < inputs.length; j++) {
            const b = builds[j]!;
            results.push(b.errorNo !== MeasureErrorNo.NO_ERROR ? await runOne(inputs[j]!, b) : { ...r, allCost: b.timeCost, timestamp: unixNow() });
          }
          break;
        }
      }
      return results;
    },
    async close() {
      await Promise.all([workers.wasm.close(), workers.wgsl.close()]);
    },
  };
}
