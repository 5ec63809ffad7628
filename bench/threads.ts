// bench/threads.ts — the wasm thread pool at work on the workloads (never a test): each workload's kernel
// built for wasm -threads=1 and -threads=2, run in interleaved rounds in one process. For -threads=2 it
// prints each parallel loop's decision (workers or caller, runtime/parallel_cost.ts), the pool's counts
// (ThreadPool.collectStats: iterations per thread, iterations stolen, hand-offs taken back, parked wakes,
// the worker's start lag in caller iterations, the caller's waits) and the process CPU time of a 2-thread
// run ÷ a 1-thread run — the parallel overhead (spinning, waiting, imbalance, lost cache locality; 1.00 =
// none), which holds on a loaded machine where the wall-clock speed-up (also printed) does not — and each
// loop's caller/worker race (worker calls made, those timed with the worker awake, the two medians).
// Run: npx tsx bench/threads.ts [--only=MM-1024,MM-512,C1] [--variants=,nchwc] [--tuned] [--rounds=5] [--runs=3]

import { benchArgs, intArg, listArg, usageError } from './bench_args.js';

const SCRIPT = 'bench/threads.ts';
const { values: opt } = benchArgs({
  script: SCRIPT,
  about: 'Thread pool counts and parallel overhead (2-thread CPU time ÷ 1-thread CPU time) per workload on wasm.',
  options: {
    only: { type: 'string', default: 'MM-1024,MM-512,C1' },
    variants: { type: 'string', default: ',nchwc' },
    tuned: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '5' },
    runs: { type: 'string', default: '3' },
  },
  help: {
    only: 'workload ids of ../shared/workloads.json, comma-separated',
    variants: "build variants, comma-separated: '' (as written), nchwc, winograd (conv2d only; others skip them)",
    tuned: 'schedule from the shipped TopHub logs instead of the untuned defaults',
    rounds: 'interleaved rounds (1 thread, then 2 threads, each round)',
    runs: 'kernel runs per module per round (at least 20 ms of them)',
  },
});
// The heavy modules load after the arguments are read, so --help and usage errors answer at once.
const { registerAll } = await import('../ops/register.js');
const { setTemplateWarningSink } = await import('../autotune/apply_template.js');
const { buildOurs, loadWorkloads, make } = await import('./ops_kernels.js');
const { WasmModule } = await import('../runtime/wasm_module.js');
const { memoryPool } = await import('../runtime/memory_pool.js');
const { threadPool } = await import('../runtime/thread_pool.js');
type Variant = import('./ops_kernels.js').Variant;

const only = listArg(opt.only);
const variants = opt.variants.split(',').map((v) => v.trim()) as Variant[];
for (const v of variants) if (!['', 'nchwc', 'winograd'].includes(v)) usageError(SCRIPT, `--variants: unknown variant '${v}' (use '', nchwc, winograd)`);
const rounds = intArg(SCRIPT, '--rounds', opt.rounds);
const runs = intArg(SCRIPT, '--runs', opt.runs);
const workloads = loadWorkloads();
for (const id of only) if (!workloads.some((w) => w.id === id)) usageError(SCRIPT, `--only: no workload '${id}'`);

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

/** CPU and wall ms per call of `run`, over `runs` calls and at least 20 ms (CPU time is counted in µs, kernels can be 0.1 ms). */
function measure(run: () => void): { cpu: number; wall: number } {
  const c0 = cpuMs();
  const w0 = performance.now();
  let n = 0;
  while (n < runs || performance.now() - w0 < 20) {
    run();
    n++;
  }
  return { cpu: (cpuMs() - c0) / n, wall: (performance.now() - w0) / n };
}

async function main(): Promise<void> {
  registerAll();
  setTemplateWarningSink(() => undefined);
  const pool = threadPool(memoryPool().memory);
  console.log(`# bench/threads.ts — ${new Date().toISOString()}, load ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')}, ${opt.tuned ? 'TopHub' : 'untuned'}, ${rounds} rounds × ${runs} runs, V8 ${process.versions.v8}`);
  console.log('| workload | loops → workers | CPU 2T ÷ 1T | wall 1T ÷ 2T (noisy) | 1T GFLOP/s (CPU) | caller own / stolen | worker own / stolen | ran / taken back | parked wakes | lag (caller iters per loop) | join spins / sleeps per loop | race per loop: worker calls / timed awake, ns/iter workers vs caller |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const w of workloads.filter((x) => only.includes(x.id))) {
    for (const variant of variants) {
      if (variant !== '' && w.op !== 'conv2d') continue;
      if (variant === 'winograd' && (w.R !== 3 || w.stride !== 1)) continue;
      const name = variant ? `${w.id} (${variant})` : w.id;
      const one = await buildOurs(w, 'wasm -threads=1', opt.tuned, variant);
      const two = await buildOurs(w, 'wasm -threads=2', opt.tuned, variant);
      if (one === 'no log' || two === 'no log') {
        console.log(`| ${name} | no log |`);
        continue;
      }
      if (!(one.mod instanceof WasmModule) || !(two.mod instanceof WasmModule)) throw new Error(`${SCRIPT}: expected wasm modules`);
      const runOne = one.mod.bind(...one.arrays);
      const runTwo = two.mod.bind(...two.arrays);
      // Warm up and let the parallel loops' decisions settle, as the time evaluator does.
      await one.mod.timeEvaluator({ number: 1, repeat: 1 }).run(...one.arrays);
      await two.mod.timeEvaluator({ number: 1, repeat: 1 }).run(...two.arrays);
      const cpuRatio: number[] = [];
      const wallRatio: number[] = [];
      const cpuOne: number[] = [];
      pool.collectStats(true);
      for (let r = 0; r < rounds; r++) {
        const a = measure(runOne);
        const b = measure(runTwo);
        cpuRatio.push(b.cpu / a.cpu);
        wallRatio.push(a.wall / b.wall);
        cpuOne.push(a.cpu);
      }
      const s = pool.stats();
      pool.collectStats(false);
      const k = s.workers[0]!;
      const loops = Math.max(1, s.loops);
      const decisions = two.mod.parallelDecisions.map((d) => (d === undefined ? '?' : d ? 'W' : 'C')).join('');
      const gflop = make(w).flop / 1e9;
      const races = two.mod.parallelRaces.map((r) => (r.workerCalls === 0 ? '–' : `${r.workerCalls}/${r.counted} ${r.parallelNs.toFixed(0)} vs ${r.serialNs.toFixed(0)}`)).join('; ');
      console.log(`| ${name} | ${decisions} | ${median(cpuRatio).toFixed(2)} | ${median(wallRatio).toFixed(2)} | ${(gflop / (median(cpuOne) / 1e3)).toFixed(1)} | ` +
        `${s.callerOwn} / ${s.callerStolen} | ${k.own} / ${k.stolen} | ${k.ran} / ${k.cancelled} | ${k.parkedWakes} | ${(k.lagIters / Math.max(1, k.ran)).toFixed(1)} | ` +
        `${(s.joinSpins / loops).toFixed(0)} / ${(s.joinSleeps / loops).toFixed(2)} | ${races} |`);
      for (const m of [one, two]) {
        m.arrays.forEach((x) => x.free());
        m.mod.dispose();
      }
    }
  }
  process.exit(0);
}

await main();
