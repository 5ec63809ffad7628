// bench/expf32.ts — the float32 exp of codegen/wasm/expf32.ts against the former f64 helpers (never a test):
// exp and sigmoid over 1M floats (one vectorized loop) and softmax over [128, 1000] (ops.softmax with
// ops.defaultSchedule), each built twice in this process, WASM_EXP_IMPL.f64 off ("f32") and on ("f64"),
// then timed interleaved (rounds alternate the order) by the process's CPU time, wasm -threads=1.
// Prints per kernel the median ms of each side over rounds and the speedup f64 ÷ f32; the outputs of both
// sides are compared first (max relative difference).
// Run: npx tsx bench/expf32.ts [--rounds 5] [--repeat 9]

import { benchArgs, ROUNDS_HELP, ROUNDS_OPTIONS, roundsArgs } from './bench_args.js';

const SCRIPT = 'bench/expf32.ts';
const { values: opt } = benchArgs({
  script: SCRIPT,
  about: 'exp / sigmoid (1M floats) and softmax [128,1000] with the float32 exp vs the former f64 one, interleaved, process CPU time.',
  options: ROUNDS_OPTIONS,
  help: ROUNDS_HELP,
});
const { rounds, repeat } = roundsArgs(SCRIPT, opt);

const T = await import('../tir/nodes.js');
const { runLoweringPasses } = await import('../tir/pipeline.js');
const { build, nd } = await import('../runtime/index.js');
const { interleavedReadings } = await import('./interleave.js');
const { WASM_EXP_IMPL } = await import('../codegen/wasm/mathf32.js');
const ops = await import('../ops/index.js');
const te = await import('../schedule/index.js');
const { median } = await import('simple-statistics');

const TARGET = 'wasm -threads=1';
const N = 1 << 20;

function elementwise(op: 'exp' | 'sigmoid'): import('../tir/nodes.js').PrimFunc {
  const A = T.buffer('A', [N], 'float32');
  const B = T.buffer('B', [N], 'float32');
  const [io, ii] = [T.variable('io'), T.variable('ii')];
  const i = T.add(T.mul(io, T.intImm(4)), ii);
  const body = T.bufferStore(B, T.call(op, [T.bufferLoad(A, [i])]), [i]);
  return runLoweringPasses(T.primFunc(op, [A, B], T.forLoop(io, 0, N / 4, 'serial', T.forLoop(ii, 0, 4, 'vectorized', body)))).func;
}

function softmaxFunc(): import('../tir/nodes.js').PrimFunc {
  const x = te.placeholder([128, 1000], 'float32', 'x');
  const y = ops.softmax(x);
  return te.lower(ops.defaultSchedule([y], TARGET), [x, y], { name: 'softmax' });
}

let seed = 12345;
const rand = (lo: number, hi: number): number => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return lo + (seed / 2 ** 32) * (hi - lo);
};
const cases = [
  { name: 'exp, 1M floats in [-20, 20]', make: () => elementwise('exp'), n: N, shape: [N], lo: -20, hi: 20 },
  { name: 'sigmoid, 1M floats in [-10, 10]', make: () => elementwise('sigmoid'), n: N, shape: [N], lo: -10, hi: 10 },
  { name: 'softmax [128, 1000], logits in [-10, 10]', make: softmaxFunc, n: 128000, shape: [128, 1000], lo: -10, hi: 10 },
];

console.log(`## ${SCRIPT}: ${TARGET}, process CPU time, ${rounds} rounds × ${repeat} repeats, ${new Date().toISOString()}\n`);
console.log('| kernel | f32 exp ms | f64 exp ms (former) | f64 ÷ f32 | max rel. diff of outputs |');
console.log('|---|---|---|---|---|');
for (const c of cases) {
  const input = nd.array(Float32Array.from({ length: c.n }, () => rand(c.lo, c.hi)), c.shape);
  const sides = [];
  for (const f64 of [false, true]) {
    WASM_EXP_IMPL.f64 = f64;
    const mod = await build(c.make(), TARGET);
    const out = nd.empty(c.shape, 'float32');
    sides.push({ mod, out });
  }
  WASM_EXP_IMPL.f64 = false;
  for (const s of sides) await s.mod.run(input, s.out);
  const [a, b] = sides.map((s) => s.out.toArray()) as [Float32Array, Float32Array];
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff = Math.max(diff, Math.abs(a[i]! - b[i]!) / Math.max(Math.abs(b[i]!), 1e-30));
  const readings = await interleavedReadings(sides.map((s) => () => s.mod.run(input, s.out)), { rounds, repeat });
  const [f32, f64] = readings.map((ms) => median(ms)) as [number, number];
  console.log(`| ${c.name} | ${f32.toFixed(3)} | ${f64.toFixed(3)} | ${(f64 / f32).toFixed(2)}× | ${diff.toExponential(1)} |`);
  for (const s of sides) { s.mod.dispose(); s.out.free(); }
  input.free();
}
