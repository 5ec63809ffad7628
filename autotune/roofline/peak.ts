// autotune/roofline/peak.ts — measures a wasm target's roofline: its compute peak (GFLOP/s, the best f32x4 gemm step
// in registers) and memory bandwidth (GB/s, a streaming read), on as many worker threads as the target has.

import { cpus } from 'node:os';
import { Worker } from 'node:worker_threads';
import { parseTarget, wasmOptions } from '../../target/index.js';
import { calibrate, cpuMs, instantiateKernel, peakKernels, type PeakKernel } from './peak_kernels.js';

/** A machine's measured roofline for one target. */
export interface MachinePeak {
  /** The canonical target string it was measured for. */
  readonly target: string;
  readonly threads: number;
  /** Compute peak in GFLOP/s (1e9 FLOP/s; multiply-add = 2 FLOPs per lane), all threads together. */
  readonly gflops: number;
  /** The register tile that reached it (e.g. 'gemm 4×8'). */
  readonly kernel: string;
  /** Memory bandwidth in GB/s (1e9 bytes/s) of a streaming read, all threads together. */
  readonly gbps: number;
  /** ISO date of the measurement. */
  readonly measuredAt: string;
  /** The host CPU model (os.cpus()[0].model). */
  readonly cpuModel: string;
}

export interface PeakOptions {
  /** Timed runs per kernel, the best kept (default 3). */
  readonly rounds?: number;
  /** CPU milliseconds one run lasts at least (default 100). */
  readonly ms?: number;
  /** Size of the streamed buffer in MiB, per thread; larger than the last-level cache (default 128). */
  readonly streamMiB?: number;
}

/** A worker that instantiates the kernel, warms it up with `iters`, then runs `iters` each time it is asked. */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
let run, iters;
parentPort.on('message', (m) => {
  if (m.bytes !== undefined) {
    const inst = new WebAssembly.Instance(new WebAssembly.Module(m.bytes), {});
    inst.exports.fill();
    run = inst.exports.run; iters = m.iters;
    run(iters); run(iters);
    parentPort.postMessage(0);
  } else parentPort.postMessage(run(iters));
});`;

/** One message in, one answer out. */
function ask(w: Worker, msg: unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error): void => { w.off('message', onMessage); reject(e); };
    const onMessage = (): void => { w.off('error', onError); resolve(); };
    w.once('message', onMessage);
    w.once('error', onError);
    w.postMessage(msg);
  });
}

/**
 * Best rate of `k` over the rounds, in work units (FLOPs or bytes) per second, all threads together: `threads` workers
 * run it at once; the process's CPU time over a round is the threads' time summed, so work ÷ CPU time is one thread's
 * rate and × threads what they give together when each has a core (a bound: on a loaded machine the wall clock gives less).
 */
async function kernelRate(k: PeakKernel, threads: number, rounds: number, ms: number): Promise<number> {
  const iters = calibrate(instantiateKernel(k), ms);
  const workers = Array.from({ length: threads }, () => new Worker(WORKER_SOURCE, { eval: true }));
  try {
    await Promise.all(workers.map((w) => ask(w, { bytes: k.bytes, iters })));
    const work = (k.flopsPerIter + k.bytesPerIter) * iters * threads;
    // At least `rounds`, and on while a round still beats the best by 3 % (a worker's TurboFan code arriving late).
    let best = 0;
    for (let r = 0, improved = true; r < rounds + 16 && (r < rounds || improved); r++) {
      const t0 = cpuMs();
      await Promise.all(workers.map((w) => ask(w, 'run')));
      const seconds = (cpuMs() - t0) / 1e3;
      const rate = seconds > 0 ? (work / seconds) * threads : 0;
      improved = rate > 1.03 * best;
      best = Math.max(best, rate);
    }
    return best;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/**
 * Measures `target`'s peak (wasm only): the best GFLOP/s of the gemm-step tiles (mul+add; the plain `wasm` target has
 * no fma) and the GB/s of a streaming read, each on the target's thread count (`-threads=N`, default 1), by process CPU
 * time. Takes about (4 + 1) kernels × (rounds + ~3) × ms of CPU per thread. Throws for a non-wasm target
 * (the WebGPU peak is not measured yet: give the bound yourself).
 */
export async function measureWasmPeak(target: string, opts: PeakOptions = {}): Promise<MachinePeak> {
  const t = parseTarget(target);
  if (t.kind !== 'wasm') {
    throw new Error(`measureWasmPeak: only wasm targets are measured so far, not '${t.str}'; give the roofline bound yourself (Tuner.tune's stopAtRoofline.boundFlops)`);
  }
  const threads = wasmOptions(t).threads;
  const rounds = opts.rounds ?? 3;
  const ms = opts.ms ?? 100;
  const streamMiB = opts.streamMiB ?? 128;
  if (!Number.isInteger(rounds) || rounds < 1) throw new RangeError(`measureWasmPeak: rounds must be a positive integer, got ${rounds}`);
  if (!(ms > 0)) throw new RangeError(`measureWasmPeak: ms must be positive, got ${ms}`);
  if (!Number.isInteger(streamMiB) || streamMiB < 1 || streamMiB > 1024) throw new RangeError(`measureWasmPeak: streamMiB must be an integer from 1 to 1024, got ${streamMiB}`);
  let gflops = 0;
  let kernel = '';
  let gbps = 0;
  for (const k of peakKernels({ streamMiB })) {
    const rate = await kernelRate(k, threads, rounds, ms);
    if (k.bytesPerIter > 0) gbps = rate / 1e9;
    else if (rate / 1e9 > gflops) [gflops, kernel] = [rate / 1e9, k.name];
  }
  return { target: t.str, threads, gflops, kernel, gbps, measuredAt: new Date().toISOString(), cpuModel: cpus()[0]?.model.trim() ?? 'unknown' };
}
