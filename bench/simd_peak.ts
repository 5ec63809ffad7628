// bench/simd_peak.ts — the f32x4 arithmetic ceiling of this machine's wasm engine (never a test): hand-written loops,
// CPU time of the process, so the headroom a schedule knob can add is bounded by a number measured here, not quoted.
// Kernels (autotune/roofline/peak_kernels.ts, which the roofline stop's measured peak uses too): the packed gemm's inner step (ops/templates/gemm_wasm.ts; the default's 4×8 register tile: 4
// v128.load32_splat of A, 2 v128.load of the B panel, 8 f32x4.mul + 8 f32x4.add) and other tiles of 8 and 12
// accumulators, operands in L1, nothing spilled; with `--relaxed` (run under `node --experimental-wasm-relaxed-simd`)
// the same with f32x4.relaxed_madd (fma), the one arithmetic change the plain `wasm` target lacks.
// GFLOP/s count a multiply-add as 2 FLOPs per lane, as every search bench does. Best of --rounds, each ≥ --ms.
// Run: nice -n 10 npx tsx bench/simd_peak.ts [--rounds 7] [--ms 200] [--relaxed]

import { calibrate, cpuMs, instantiateKernel, peakKernels } from '../autotune/roofline/peak_kernels.js';
import { benchArgs, intArg } from './bench_args.js';

const SCRIPT = 'bench/simd_peak.ts';
const { values: opt } = benchArgs({
  script: SCRIPT,
  about: "The f32x4 mul+add (and, with --relaxed, fma) ceiling of this machine's wasm engine: hand-written loops, process CPU time.",
  options: {
    rounds: { type: 'string', default: '7' },
    ms: { type: 'string', default: '200' },
    relaxed: { type: 'boolean', default: false },
  },
  help: {
    rounds: 'timed runs per kernel (the fastest is kept)',
    ms: 'CPU milliseconds a run lasts at least',
    relaxed: 'also the f32x4.relaxed_madd kernels (needs node --experimental-wasm-relaxed-simd)',
  },
});
const rounds = intArg(SCRIPT, '--rounds', opt.rounds);
const minMs = intArg(SCRIPT, '--ms', opt.ms);

/** Best GFLOP/s over the rounds, by the process's CPU time; each run at least minMs. */
function gflops(run: (iters: number) => number, flopsPerIter: number): number {
  const iters = calibrate(run, minMs, 1 << 16); // size a run (and warm TurboFan up)
  let best = 0;
  for (let r = 0; r < rounds; r++) {
    const t0 = cpuMs();
    run(iters);
    best = Math.max(best, (iters * flopsPerIter) / ((cpuMs() - t0) * 1e6));
  }
  return best;
}

console.log('| kernel | GFLOP/s (best of rounds, process CPU time) |\n|---|---|');
for (const k of peakKernels({ fma: opt.relaxed })) console.log(`| ${k.name} | ${gflops(instantiateKernel(k), k.flopsPerIter).toFixed(2)} |`);
