// autotune/measure/run_candidate.ts — runs one built candidate (in a runner worker): load, run once and
// compare with the reference, then time it; failures become AutoTVM error numbers.

import { load } from '../../runtime/build.js';
import type { CompiledArtifact } from '../../codegen/artifact.js';
import type { BuiltModule, DeviceInfo, Timer } from '../../runtime/module.js';
import { array, type NDArray } from '../../runtime/ndarray.js';
import { MeasureErrorNo } from './measure_types.js';
import type { ArgSpec } from './reference.js';

export interface RunJob {
  readonly artifact: CompiledArtifact;
  readonly specs: readonly ArgSpec[];
  readonly initial: readonly (Float32Array | Int32Array)[];
  readonly expected: readonly (readonly [number, Float32Array | Int32Array])[];
  readonly number: number;
  readonly repeat: number;
  readonly minRepeatMs: number;
  /** What a measurement reads (LocalRunnerOptions.timer); absent: wall time. */
  readonly timer?: Timer;
  /** Bytes of memory touched before each repeat (0: no flush). */
  readonly flushBytes: number;
  readonly rtol: number;
  readonly atol: number;
  /**
   * Milliseconds the timing may take (WebGPU candidates): when the checked run, timed, says the
   * number × repeat timed runs would take longer, the candidate is a RUN_TIMEOUT answered from inside
   * the worker. Dawn aborts the whole process when a worker is terminated with a buffer mapping
   * pending ("Promise not resolved or rejected: mapAsync()"), so a slow WebGPU candidate must not
   * reach the runner's hard timeout.
   */
  readonly budgetMs?: number;
}

export interface RunAnswer {
  readonly errorNo: MeasureErrorNo;
  readonly costs: readonly number[];
  readonly errorMsg?: string;
  readonly device?: DeviceInfo;
}

function msg(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The first element outside rtol/atol, described; undefined when all match. */
export function compareOutput(name: string, got: ArrayLike<number>, want: ArrayLike<number>, rtol: number, atol: number): string | undefined {
  if (got.length !== want.length) return `${name}: ${got.length} elements, expected ${want.length}`;
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if (!(Math.abs(g - w) <= atol + rtol * Math.abs(w))) {
      return `${name}[${i}] = ${g}, expected ${w} (rtol ${rtol}, atol ${atol})`;
    }
  }
  return undefined;
}

let flushBuffer: Float32Array | undefined;
/** Writes every cache line of a buffer larger than the caches, evicting the kernel's data. */
function flushCaches(bytes: number): void {
  if (!flushBuffer || flushBuffer.byteLength < bytes) flushBuffer = new Float32Array(bytes / 4);
  for (let i = 0; i < flushBuffer.length; i += 16) flushBuffer[i] = flushBuffer[i]! + 1;
}

async function time(mod: BuiltModule, arrays: NDArray[], job: RunJob): Promise<number[]> {
  if (job.flushBytes <= 0) {
    const r = await mod.timeEvaluator({ number: job.number, repeat: job.repeat, minRepeatMs: job.minRepeatMs, timer: job.timer }).run(...arrays);
    return [...r.results];
  }
  // The evaluator picks `number` once (raised to minRepeatMs); each repeat then starts cold.
  flushCaches(job.flushBytes);
  const first = await mod.timeEvaluator({ number: job.number, repeat: 1, minRepeatMs: job.minRepeatMs, timer: job.timer }).run(...arrays);
  const costs = [...first.results];
  const fixed = mod.timeEvaluator({ number: first.number, repeat: 1, minRepeatMs: 0, timer: job.timer });
  for (let r = 1; r < job.repeat; r++) {
    flushCaches(job.flushBytes);
    costs.push(...(await fixed.run(...arrays)).results);
  }
  return costs;
}

/**
 * Load errors: COMPILE_DEVICE (3) for a shader the device refuses, RUNTIME_DEVICE (4) otherwise.
 * `compiled` is called for a WebGPU candidate once its first run is checked, before any timing: that run
 * includes the driver's shader compile (lavapipe's llvmpipe JIT-compiles a compute shader at its first
 * dispatch, not at pipeline creation: up to 8 s of CPU for one dense config on the 2-core CI VM, whose
 * timed runs take 12 ms), so the runner restarts its timeout there (JobWorker 'stage').
 */
export async function runCandidate(job: RunJob, compiled?: () => void): Promise<RunAnswer> {
  let mod: BuiltModule;
  try {
    mod = await load(job.artifact);
  } catch (e) {
    const errorNo = job.artifact.format === 'wgsl' ? MeasureErrorNo.COMPILE_DEVICE : MeasureErrorNo.RUNTIME_DEVICE;
    return { errorNo, costs: [], errorMsg: `load: ${msg(e)}` };
  }
  const arrays: NDArray[] = [];
  try {
    job.specs.forEach((s, i) => arrays.push(array(job.initial[i]!.slice(), s.shape, s.dtype)));
    const t0 = performance.now();
    try {
      await mod.run(...arrays);
    } catch (e) {
      return { errorNo: MeasureErrorNo.RUNTIME_DEVICE, costs: [], errorMsg: `run: ${msg(e)}` };
    }
    const oneMs = performance.now() - t0;
    for (const [i, want] of job.expected) {
      const bad = compareOutput(job.specs[i]?.name ?? `arg${i}`, arrays[i]!.toArray(), want, job.rtol, job.atol);
      if (bad) return { errorNo: MeasureErrorNo.WRONG_ANSWER, costs: [], errorMsg: `wrong answer: ${bad}` };
    }
    if (job.artifact.format === 'wgsl') compiled?.();
    if (job.budgetMs !== undefined && oneMs * job.number * job.repeat > job.budgetMs) {
      // The first run of a worker also creates the device and compiles the pipeline: time a second one.
      const t1 = performance.now();
      await mod.run(...arrays);
      const againMs = performance.now() - t1;
      if (againMs * job.number * job.repeat > job.budgetMs) {
        const errorMsg = `run exceeded the timeout: one run took ${againMs.toFixed(0)} ms, so ${job.number}×${job.repeat} timed runs would exceed ${(job.budgetMs / 1000).toFixed(1)} s`;
        return { errorNo: MeasureErrorNo.RUN_TIMEOUT, costs: [], errorMsg };
      }
    }
    try {
      // A plain copy of the module's info: it crosses back to the caller's thread.
      return { errorNo: MeasureErrorNo.NO_ERROR, costs: await time(mod, arrays, job), device: { ...mod.info } };
    } catch (e) {
      return { errorNo: MeasureErrorNo.RUNTIME_DEVICE, costs: [], errorMsg: `timing: ${msg(e)}` };
    }
  } catch (e) {
    return { errorNo: MeasureErrorNo.UNKNOWN_ERROR, costs: [], errorMsg: msg(e) };
  } finally {
    for (const a of arrays) a.free();
    mod.dispose();
  }
}
