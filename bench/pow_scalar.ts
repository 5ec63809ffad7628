// bench/pow_scalar.ts — ops.pow with a constant exponent (ops/pow_scalar.ts: x·x, x·x·x, √x, 1/x) against the
// general pow it replaces (never a test): over 1M floats, each kernel built twice in this process — ops.pow(x, c)
// ("rewritten") and the former body te.pow(x, c) ("general", codegen/wasm/powf32.ts) — with ops.defaultSchedule,
// then timed interleaved (rounds alternate the order) by the process's CPU time, wasm -threads=1. Prints per exponent
// the median ms of each side over rounds, the speedup, and the largest difference of the outputs in ulps.
// Run: npx tsx bench/pow_scalar.ts [--rounds 5] [--repeat 9] [--only 2,3,0.5,-1]

import { benchArgs, ROUNDS_HELP, ROUNDS_OPTIONS, roundsArgs } from './bench_args.js';

const SCRIPT = 'bench/pow_scalar.ts';
const { values: opt } = benchArgs({
  script: SCRIPT,
  about: 'pow(x, c) over 1M floats: the constant-exponent rewrite vs the general pow, interleaved, process CPU time.',
  options: { ...ROUNDS_OPTIONS, only: { type: 'string', default: '2,3,0.5,-0.5,-1' } },
  help: { ...ROUNDS_HELP, only: 'comma-separated exponents' },
});
const { rounds, repeat } = roundsArgs(SCRIPT, opt);
const exponents = opt.only.split(',').map(Number);

const { build, nd } = await import('../runtime/index.js');
const { interleavedReadings } = await import('./interleave.js');
const ops = await import('../ops/index.js');
const te = await import('../schedule/index.js');
const { median } = await import('simple-statistics');

const TARGET = 'wasm -threads=1';
const N = 1 << 20;
let seed = 12345;
const x = Float32Array.from({ length: N }, () => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return (seed / 2 ** 32) * 8 - 4;
});

/** |a − b| in units of the last place of b (float32), NaN = NaN. */
function ulps(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const [p, q] = [a[i]!, b[i]!];
    if (Object.is(p, q) || (Number.isNaN(p) && Number.isNaN(q))) continue;
    worst = Math.max(worst, Math.abs(p - q) / 2 ** (Math.floor(Math.log2(Math.abs(q))) - 23));
  }
  return worst;
}

console.log(`## ${SCRIPT}: ${TARGET}, 1M floats in [-4, 4], process CPU time, ${rounds} rounds × ${repeat} repeats, ${new Date().toISOString()}\n`);
console.log('| pow(x, c) | rewritten ms | general pow ms | general ÷ rewritten | max diff (ulps) |');
console.log('|---|---|---|---|---|');
const xa = nd.array(x, [N]);
for (const c of exponents) {
  const xt = te.placeholder([N], 'float32', 'x');
  const sides = [];
  for (const y of [ops.pow(xt, c), ops.broadcastOp('pow', 'T_power', [xt, c], (a, b) => te.pow(a, b))]) {
    const f = te.lower(ops.defaultSchedule([y], TARGET), [xt, y], { name: 'pow' });
    sides.push({ mod: await build(f, TARGET), out: nd.empty([N], 'float32') });
  }
  for (const s of sides) await s.mod.run(xa, s.out);
  const diff = ulps(sides[0]!.out.toArray() as Float32Array, sides[1]!.out.toArray() as Float32Array);
  const readings = await interleavedReadings(sides.map((s) => () => s.mod.run(xa, s.out)), { rounds, repeat });
  const [mine, general] = readings.map((ms) => median(ms)) as [number, number];
  console.log(`| ${c} | ${mine.toFixed(3)} | ${general.toFixed(3)} | ${(general / mine).toFixed(2)}× | ${diff.toFixed(2)} |`);
  for (const s of sides) { s.mod.dispose(); s.out.free(); }
}
xa.free();
