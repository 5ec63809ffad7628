// bench/threads_timer.ts — can the process's CPU time time `wasm -threads=2` kernels on a loaded machine?
// (never a test). The same configs on -threads=1 and -threads=2, timed in interleaved rounds by both clocks
// over the same runs: the wall clock (what a user waits for) and the process's CPU time (summed over every
// thread of the process: the caller and the pool's workers). Per config and thread count: GFLOP/s by each
// clock (median of rounds, each round the fastest of its repeats), the spread of the rounds (max / min − 1),
// and CPU ÷ wall (how many threads were busy, spinning included). On -threads=1 the CPU-time spread is the
// timer's noise under this load (round 4: 5–7 %); if -threads=2's is far larger, or its ranking of configs
// differs from a quiet machine's wall-clock ranking, CPU time is not an honest timer for 2 threads.
// Run: nice -n 10 npx tsx bench/threads_timer.ts [--task MM-512] [--configs 5] [--rounds 5] [--out file.md]

import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { benchArgs, intArg } from './bench_args.js';

const SCRIPT = 'bench/threads_timer.ts';
const { values: opt } = benchArgs({
  script: SCRIPT,
  about: 'wasm -threads=1 vs -threads=2: the same configs timed by wall clock and by process CPU time in interleaved rounds; spread of rounds, CPU ÷ wall.',
  options: {
    task: { type: 'string', default: 'MM-512' },
    configs: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '5' },
    repeat: { type: 'string', default: '3' },
    'min-ms': { type: 'string', default: '60' },
    seed: { type: 'string', default: '7' },
    out: { type: 'string' },
  },
  help: {
    task: 'workload id of ../shared/workloads.json',
    configs: 'configs timed: the default and configs − 1 random valid ones',
    rounds: 'interleaved rounds (each config and thread count once per round)',
    repeat: 'timed repeats per round; the fastest counts',
    'min-ms': 'wall milliseconds a repeat lasts at least (more runs per repeat until it does)',
    seed: 'seed of the random configs',
    out: 'write the markdown table here (else stdout only)',
  },
});
// The heavy modules load after the arguments are read, so --help and usage errors answer at once.
const { buildCandidate } = await import('../autotune/measure/build_candidate.js');
const { load } = await import('../runtime/build.js');
const { array } = await import('../runtime/ndarray.js');
const { MAX_SETTLE_RUNS, processCpuClock } = await import('../runtime/time_evaluator.js');
const { registerAll } = await import('../ops/register.js');
const { taskOfWorkload } = await import('./search_tasks.js');
const { median } = await import('./search_stats.js');

const nConfigs = intArg(SCRIPT, '--configs', opt.configs);
const rounds = intArg(SCRIPT, '--rounds', opt.rounds);
const repeat = intArg(SCRIPT, '--repeat', opt.repeat);
const minMs = intArg(SCRIPT, '--min-ms', opt['min-ms']);
const TARGETS = ['wasm -threads=1', 'wasm -threads=2'];

registerAll();
const tasks = TARGETS.map((t) => taskOfWorkload(opt.task, t).task);
const [t1, t2] = tasks as [typeof tasks[0], typeof tasks[0]];
if (t1.space.length !== t2.space.length) throw new Error(`${SCRIPT}: ${opt.task}'s spaces differ between 1 and 2 threads (${t1.space.length} vs ${t2.space.length}): configs cannot be paired`);

// The default and random valid configs (a small LCG: the same configs for the same --seed).
let x = intArg(SCRIPT, '--seed', opt.seed) >>> 0;
const rand = (n: number): number => { x = (Math.imul(x, 1664525) + 1013904223) >>> 0; return x % n; };
const picked: number[] = [];
const def = t2.defaultConfig?.();
if (def) picked.push(def.index);
for (let tries = 0; picked.length < nConfigs && tries < 10_000; tries++) {
  const c = rand(t2.space.length);
  if (!picked.includes(c) && t2.space.isIndexValid(c)) picked.push(c);
}

interface Timed { task: typeof t1; config: number; target: string; run: () => Promise<void>; settle: () => number; cpu: number[]; wall: number[] }
const timed: Timed[] = [];
for (const config of picked) {
  for (const task of tasks) {
    const b = await buildCandidate({ taskName: task.name, args: task.args, target: task.target, configIndex: config });
    if (!b.artifact) { console.error(`config ${config} on '${task.target}': ${b.errorMsg}`); continue; }
    const mod = await load(b.artifact);
    const inst = task.instantiate(task.space.entityAt(config));
    const arrays = inst.tensors.map((t) => array(new Float32Array(t.dims.reduce((a, d) => a * d, 1)).map((_, i) => ((i * 7919) % 101) / 101 - 0.5), [...t.dims], t.dtype));
    const m = mod as unknown as { sampledCalls?: number };
    timed.push({ task, config, target: task.target, run: () => mod.run(...arrays), settle: () => m.sampledCalls ?? 0, cpu: [], wall: [] });
  }
}

/** One round of a config: warm-up until the runtime's dispatch decisions settle, then `repeat` repeats by both clocks. */
async function once(t: Timed): Promise<void> {
  for (let w = 0; w < MAX_SETTLE_RUNS; w++) {
    const before = t.settle();
    await t.run();
    if (t.settle() === before) break;
  }
  let best = { cpu: Infinity, wall: Infinity };
  for (let r = 0; r < repeat; r++) {
    let n = 0;
    const c0 = processCpuClock();
    const w0 = performance.now();
    while (performance.now() - w0 < minMs) { await t.run(); n++; }
    const wall = (performance.now() - w0) / n;
    const cpu = (processCpuClock() - c0) / n;
    best = { cpu: Math.min(best.cpu, cpu), wall: Math.min(best.wall, wall) };
  }
  t.cpu.push(t.task.flop / (best.cpu / 1000) / 1e9);
  t.wall.push(t.task.flop / (best.wall / 1000) / 1e9);
}

const load0 = loadavg()[0]!;
const start = new Date().toISOString();
for (let r = 0; r < rounds; r++) {
  for (const t of timed) await once(t);
  process.stderr.write(`round ${r + 1}/${rounds} done (load ${loadavg()[0]!.toFixed(1)})\n`);
}
const spread = (v: number[]): number => Math.max(...v) / Math.min(...v) - 1;
const pct = (v: number): string => `${(v * 100).toFixed(1)} %`;
const lines = [
  `# ${SCRIPT}: ${opt.task}, wasm -threads=1 vs -threads=2, wall clock vs process CPU time`, '',
  `${start}; load average ${load0.toFixed(1)} at start, ${loadavg()[0]!.toFixed(1)} at end; ${cpus().length} cores; ${rounds} interleaved rounds, each the fastest of ${repeat} repeats of ≥ ${minMs} ms.`,
  `Command: \`nice -n 10 npx tsx ${SCRIPT} ${process.argv.slice(2).join(' ')}\``, '',
  '| config | target | GFLOP/s by CPU time (median) | spread of rounds, CPU | GFLOP/s by wall clock (median) | spread of rounds, wall | CPU ÷ wall |', '|---|---|---|---|---|---|---|',
  ...timed.map((t) => `| ${t.config}${t.config === def?.index ? ' (default)' : ''} | \`${t.target}\` | ${median(t.cpu).toFixed(2)} | ${pct(spread(t.cpu))} | ${median(t.wall).toFixed(2)} | ${pct(spread(t.wall))} | ${(median(t.wall) / median(t.cpu)).toFixed(2)} |`),
  '',
  ...TARGETS.map((tg) => {
    const ts = timed.filter((t) => t.target === tg);
    return `- \`${tg}\`: median spread of rounds, CPU ${pct(median(ts.map((t) => spread(t.cpu))))}, wall ${pct(median(ts.map((t) => spread(t.wall))))}`;
  }),
];
console.log(lines.join('\n'));
if (opt.out) writeFileSync(opt.out, `${lines.join('\n')}\n`);
process.exit(0);
