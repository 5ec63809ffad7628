// bench/dense_rounds.ts — dense/matmul workloads against onnxruntime-web (and tfjs-wasm on 1 thread) in many
// interleaved rounds (never a test): each round times every contender back to back — ours prepacked (the weight a
// constant, as a model build and as ORT's initializer: bench/ops_prepacked.ts), untuned and TopHub-tuned, then
// onnxruntime-web on the same thread count — and prints the median per call and the median of the per-round ratios,
// with our parallel loops' caller/worker decisions (W: the workers, C: the caller alone).
// For kernels of ~50 µs on 2 threads, where one run's noise (a worker descheduled, a race decided by it) moves a
// best-of-N number, the median over rounds is the steadier figure. 1 thread: --timer=process-cpu (CPU time).
// Run: npx tsx bench/dense_rounds.ts [--only=DENSE-fc,DENSE-bert] [--threads=2] [--rounds=21] [--timer=wall|process-cpu] [--window-ms=50] [--no-tfjs]

import { benchArgs, intArg, listArg, usageError } from './bench_args.js';

const SCRIPT = 'bench/dense_rounds.ts';
const { values: opt } = benchArgs({
  script: SCRIPT,
  about: 'Dense/matmul workloads, ours prepacked (untuned, TopHub) vs onnxruntime-web (and tfjs-wasm on 1 thread), interleaved rounds, medians.',
  options: {
    only: { type: 'string', default: 'DENSE-fc,DENSE-bert' },
    threads: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '21' },
    timer: { type: 'string', default: 'wall' },
    'no-tfjs': { type: 'boolean', default: false },
    'window-ms': { type: 'string', default: '50' },
  },
  help: {
    only: 'dense/matmul workload ids of ../shared/workloads.json, comma-separated',
    threads: 'threads for ours (wasm -threads=N) and onnxruntime-web',
    rounds: 'interleaved rounds (each times every contender for ≥ --window-ms)',
    timer: "wall | process-cpu (the process's CPU time: --threads=1 only)",
    'no-tfjs': 'skip tfjs-wasm (run only on 1 thread)',
    'window-ms': 'each contender runs back to back for at least this long per round',
  },
});
const threads = intArg(SCRIPT, '--threads', opt.threads);
const rounds = intArg(SCRIPT, '--rounds', opt.rounds);
const timer = opt.timer;
const windowMs = intArg(SCRIPT, '--window-ms', opt['window-ms']);
if (timer !== 'wall' && timer !== 'process-cpu') usageError(SCRIPT, `--timer: expected wall or process-cpu, got '${timer}'`);
if (timer === 'process-cpu' && threads !== 1) usageError(SCRIPT, '--timer process-cpu needs --threads=1 (the workers add their CPU time up)');
// The heavy modules load after the arguments are read, so --help and usage errors answer at once.
const { loadavg } = await import('node:os');
const tf = await import('@tensorflow/tfjs-core');
const { registerAll } = await import('../ops/register.js');
const { setTemplateWarningSink } = await import('../autotune/apply_template.js');
const { loadWorkloads, seeded } = await import('./ops_kernels.js');
const { buildPrepacked } = await import('./ops_prepacked.js');
const { ortRunner } = await import('./ort_one_node.js');
const { WasmModule } = await import('../runtime/wasm_module.js');
const { initTfjsWasm } = await import('./tfjs_wasm.js');

const workloads = loadWorkloads();
const only = listArg(opt.only);
for (const id of only) {
  const w = workloads.find((x) => x.id === id);
  if (!w || (w.op !== 'dense' && w.op !== 'matmul')) usageError(SCRIPT, `--only: '${id}' is not a dense or matmul workload`);
}

/** Seconds per call of `run`: calls for ≥ windowMs (at least 3), by the wall clock or this process's CPU time. */
async function perCall(run: () => Promise<void> | void): Promise<number> {
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  let n = 0;
  do { await run(); n++; } while (n < 3 || performance.now() - w0 < windowMs);
  if (timer === 'wall') return (performance.now() - w0) / 1e3 / n;
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6 / n;
}
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const load = (): string => loadavg().map((l) => l.toFixed(1)).join(' ');

registerAll();
setTemplateWarningSink(() => undefined);
const withTfjs = threads === 1 && !opt['no-tfjs'];
if (withTfjs) await initTfjsWasm(1);
const target = `wasm -threads=${threads}`;
console.log(`# ${SCRIPT} on '${target}' vs onnxruntime-web ${threads} thread(s)${withTfjs ? ' and tfjs-wasm 1 thread' : ''}, ${rounds} interleaved rounds, ` +
  `${timer === 'wall' ? 'wall clock' : 'process CPU time'}, median per call; V8 ${process.versions.v8}, ${new Date().toISOString()}, load ${load()}`);
console.log('| workload | contender | weight | median µs | GFLOP/s (median) | best µs | median of per-round ratios: ORT ÷ this | ORT best ÷ this best |');
console.log('|---|---|---|---|---|---|---|---|');
for (const id of only) {
  const w = workloads.find((x) => x.id === id)!;
  const flop = 2 * w.M! * w.K! * w.N!;
  const contenders: { name: string; weight: string; loops?: () => string; run: () => Promise<void> | void; free: () => Promise<void> | void }[] = [];
  for (const tuned of [false, true]) {
    const b = await buildPrepacked(w, target, tuned);
    if (b === 'no log') continue;
    // The parallel loops' caller/worker decisions (runtime/parallel_cost.ts: W workers, C caller), read after the rounds.
    const loops = (): string => (b.mod instanceof WasmModule ? b.mod.parallelDecisions.map((d) => (d === undefined ? '?' : d ? 'W' : 'C')).join('') : '');
    contenders.push({ name: `ours prepacked ${tuned ? 'TopHub' : 'untuned'}`, weight: b.weight, loops, run: () => b.mod.run(...b.arrays), free: () => { b.arrays.forEach((a) => a.free()); b.mod.dispose(); } });
  }
  const ort = await ortRunner(w, threads, seeded);
  contenders.push({ name: 'onnxruntime-web', weight: 'initializer', run: ort.run, free: ort.release });
  if (withTfjs) {
    const a = tf.tensor2d(seeded(w.M! * w.K!, 1), [w.M!, w.K!]);
    const b = w.op === 'dense' ? tf.tensor2d(seeded(w.N! * w.K!, 2), [w.N!, w.K!]) : tf.tensor2d(seeded(w.K! * w.N!, 2), [w.K!, w.N!]);
    contenders.push({
      name: 'tfjs-wasm', weight: 'tensor',
      run: () => { const y = tf.matMul(a, b, false, w.op === 'dense'); y.dataSync(); y.dispose(); },
      free: () => { a.dispose(); b.dispose(); },
    });
  }
  // Warm-up: tier-up, the parallel loops' thread decisions (runtime/parallel_cost.ts), ORT's first runs.
  for (const c of contenders) for (let i = 0; i < 40; i++) await c.run();
  const times = contenders.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) for (const [i, c] of contenders.entries()) times[i]!.push(await perCall(c.run));
  const ortTimes = times[contenders.findIndex((c) => c.name === 'onnxruntime-web')]!;
  const ortBest = Math.min(...ortTimes);
  for (const [i, c] of contenders.entries()) {
    const t = times[i]!;
    const ratios = t.map((x, r) => ortTimes[r]! / x);
    const loops = c.loops?.() ? ` (loops ${c.loops()})` : '';
    console.log(`| ${w.id} | ${c.name}${loops} | ${c.weight} | ${(median(t) * 1e6).toFixed(1)} | ${(flop / median(t) / 1e9).toFixed(2)} | ${(Math.min(...t) * 1e6).toFixed(1)} | ${median(ratios).toFixed(2)}× | ${(ortBest / Math.min(...t)).toFixed(2)}× |`);
  }
  for (const c of contenders) await c.free();
}
console.log(`# load at the end ${load()}, ${new Date().toISOString()}`);
process.exit(0);
