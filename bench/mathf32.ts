// bench/mathf32.ts — the float32 log / erf / pow of codegen/wasm (logf32.ts, erff32.ts, powf32.ts) against the former
// f64 helpers, lane by lane on vectors (never a test): ops.log, ops.erf, ops.gelu, ops.pow over 1M floats and
// ops.logSoftmax over [128, 1000], each with ops.defaultSchedule, built twice in this process — WASM_EXP_IMPL
// .f64LogErfPow off ("f32", now) and on ("f64", session 14; exp is float32 on both sides) — then timed interleaved
// (rounds alternate the order) by the process's CPU time, wasm -threads=1. Prints per kernel the median ms of each
// side over rounds and the speedup f64 ÷ f32; the outputs of both sides are compared first (max relative difference).
// Run: npx tsx bench/mathf32.ts [--rounds 5] [--repeat 9] [--only log,erf,gelu,pow,logsoftmax]

import { benchArgs, ROUNDS_HELP, ROUNDS_OPTIONS, roundsArgs } from './bench_args.js';

const SCRIPT = 'bench/mathf32.ts';
const { values: opt } = benchArgs({
  script: SCRIPT,
  about: 'log / erf / gelu / pow (1M floats) and logSoftmax [128,1000] with the float32 helpers vs the former f64 ones, interleaved, process CPU time.',
  options: { ...ROUNDS_OPTIONS, only: { type: 'string', default: '' } },
  help: { ...ROUNDS_HELP, only: 'comma-separated case names' },
});
const { rounds, repeat } = roundsArgs(SCRIPT, opt);
const only = opt.only ? new Set(opt.only.split(',')) : undefined;

const { build, nd } = await import('../runtime/index.js');
const { interleavedReadings } = await import('./interleave.js');
const { WASM_EXP_IMPL } = await import('../codegen/wasm/mathf32.js');
const ops = await import('../ops/index.js');
const te = await import('../schedule/index.js');
const { median } = await import('simple-statistics');

const TARGET = 'wasm -threads=1';
const N = 1 << 20;

let seed = 12345;
const rand = (lo: number, hi: number): number => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return lo + (seed / 2 ** 32) * (hi - lo);
};

interface BenchCase {
  name: string;
  key: string;
  shape: number[];
  /** One generator per input (geometric for log's and pow's bases). */
  inputs: (() => number)[];
  make: (xs: import('../schedule/index.js').Tensor[]) => import('../schedule/index.js').Tensor;
}
const cases: BenchCase[] = [
  { name: 'log, 1M floats in [1e-3, 1e3]', key: 'log', shape: [N], inputs: [() => 10 ** rand(-3, 3)], make: ([x]) => ops.log(x!) },
  { name: 'erf, 1M floats in [-4, 4]', key: 'erf', shape: [N], inputs: [() => rand(-4, 4)], make: ([x]) => ops.erf(x!) },
  { name: 'gelu (erf form), 1M floats in [-6, 6]', key: 'gelu', shape: [N], inputs: [() => rand(-6, 6)], make: ([x]) => ops.gelu(x!) },
  { name: 'pow, 1M: x in [0.1, 10], y in [-4, 4]', key: 'pow', shape: [N], inputs: [() => 10 ** rand(-1, 1), () => rand(-4, 4)], make: ([x, y]) => ops.pow(x!, y!) },
  { name: 'logSoftmax [128, 1000], logits in [-10, 10]', key: 'logsoftmax', shape: [128, 1000], inputs: [() => rand(-10, 10)], make: ([x]) => ops.logSoftmax(x!) },
];

console.log(`## ${SCRIPT}: ${TARGET}, process CPU time, ${rounds} rounds × ${repeat} repeats, ${new Date().toISOString()}\n`);
console.log('| kernel | f32 ms | f64 ms (session 14) | f64 ÷ f32 | max rel. diff of outputs | max abs. diff |');
console.log('|---|---|---|---|---|---|');
for (const c of cases) {
  if (only && !only.has(c.key)) continue;
  const size = c.shape.reduce((a, b) => a * b, 1);
  const ins = c.inputs.map((gen, i) => ({
    t: te.placeholder(c.shape, 'float32', `x${i}`),
    a: nd.array(Float32Array.from({ length: size }, gen), c.shape),
  }));
  const sides = [];
  for (const f64 of [false, true]) {
    WASM_EXP_IMPL.f64LogErfPow = f64;
    const y = c.make(ins.map((i) => i.t));
    const f = te.lower(ops.defaultSchedule([y], TARGET), [...ins.map((i) => i.t), y], { name: c.key });
    const mod = await build(f, TARGET);
    sides.push({ mod, out: nd.empty(c.shape, 'float32') });
  }
  WASM_EXP_IMPL.f64LogErfPow = false;
  const args = ins.map((i) => i.a);
  for (const s of sides) await s.mod.run(...args, s.out);
  const [a, b] = sides.map((s) => s.out.toArray()) as [Float32Array, Float32Array];
  // GELU's 1 + erf(x/√2) cancels below x ≈ −4, where both sides' 1-ulp erf differences become large relative ones.
  let [diff, absDiff] = [0, 0];
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]!) && Number.isNaN(b[i]!)) continue;
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!) / Math.max(Math.abs(b[i]!), 1e-30));
    absDiff = Math.max(absDiff, Math.abs(a[i]! - b[i]!));
  }
  const readings = await interleavedReadings(sides.map((s) => () => s.mod.run(...args, s.out)), { rounds, repeat });
  const [f32, f64] = readings.map((ms) => median(ms)) as [number, number];
  console.log(`| ${c.name} | ${f32.toFixed(3)} | ${f64.toFixed(3)} | ${(f64 / f32).toFixed(2)}× | ${diff.toExponential(1)} | ${absDiff.toExponential(1)} |`);
  for (const s of sides) { s.mod.dispose(); s.out.free(); }
  for (const i of ins) i.a.free();
}
