// bench/pow_webgpu.ts — what C99 pow costs on WebGPU (codegen/wgsl/wgsl_pow.ts; never a test): elementwise
// kernels over 1M floats on the adapter at hand (lavapipe), default webgpu schedule, timed by the process's CPU
// time (lavapipe runs shaders on this process's threads) with each module's time evaluator, sides interleaved
// (rounds alternate the order). Sides: WGSL's own pow (what the former emission called; undefined for x < 0),
// built by swapping the helper's body for `return pow(x, y);` in this process while that side is built, with y read
// from a buffer and with y = 2.5; the general C99 helper (y from a buffer); the helpers of the constant exponents 2.5
// (non-integer) and 4 (even). Prints the median ms per side and its ratio to WGSL's pow with the same kind of exponent.
// Run: npx tsx bench/pow_webgpu.ts [--rounds 5] [--repeat 1]

import type { Tensor } from '../schedule/index.js';
import { benchArgs, ROUNDS_HELP, ROUNDS_OPTIONS, roundsArgs } from './bench_args.js';

const SCRIPT = 'bench/pow_webgpu.ts';
const { values: opt } = benchArgs({
  script: SCRIPT,
  about: 'pow over 1M floats on WebGPU: the C99 helpers (general, constant exponents) vs exp(y·log x), interleaved, process CPU time.',
  options: { ...ROUNDS_OPTIONS },
  help: { ...ROUNDS_HELP },
});
const { rounds, repeat } = roundsArgs(SCRIPT, opt);

const { build, nd } = await import('../runtime/index.js');
const { releaseWebGPU } = await import('../runtime/webgpu/device.js');
const ops = await import('../ops/index.js');
const te = await import('../schedule/index.js');
const { median } = await import('simple-statistics');
const { HELPERS } = await import('../codegen/wgsl/wgsl_expr.js');

const TARGET = 'webgpu';
const N = 1 << 20;
let seed = 12345;
const rand = (): number => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 2 ** 32;
};
const x = Float32Array.from({ length: N }, () => rand() * 8 - 4);
const y = Float32Array.from({ length: N }, () => Math.round(rand() * 8 - 4) + (rand() < 0.5 ? 0 : 0.5));

const xt = te.placeholder([N], 'float32', 'x');
const yt = te.placeholder([N], 'float32', 'y');
const BUILTIN = 'WGSL pow';
const SIDES: { name: string; out: Tensor; base: string; builtin?: string }[] = [
  { name: `${BUILTIN}, y a buffer`, out: ops.broadcastOp('pow', 'T_power', [xt, yt], (a, b) => te.pow(a, b)), base: `${BUILTIN}, y a buffer`, builtin: 'pow_f32' },
  { name: 'C99 pow, y a buffer', out: ops.broadcastOp('pow', 'T_power', [xt, yt], (a, b) => te.pow(a, b)), base: `${BUILTIN}, y a buffer` },
  { name: `${BUILTIN}, y = 2.5`, out: ops.pow(xt, 2.5), base: `${BUILTIN}, y = 2.5`, builtin: 'pow_frac_pos_f32' },
  { name: 'C99 pow, y = 2.5', out: ops.pow(xt, 2.5), base: `${BUILTIN}, y = 2.5` },
  { name: 'C99 pow, y = 4', out: ops.pow(xt, 4), base: `${BUILTIN}, y = 2.5` },
];

/** Builds `f` with helper `key` printed as WGSL's own pow (the former emission), restoring the table after. */
async function buildWith(f: Parameters<typeof build>[0], key: string | undefined) {
  const table = HELPERS as Record<string, string>;
  const saved = key ? table[key]! : '';
  if (key) table[key] = `fn tt_${key}(x: f32, y: f32) -> f32 {\n  return pow(x, y);\n}`;
  try {
    return await build(f, TARGET);
  } finally {
    if (key) table[key] = saved;
  }
}

const xa = nd.array(x, [N]);
const ya = nd.array(y, [N]);
const sides = [];
for (const s of SIDES) {
  const params = s.name.includes('buffer') ? [xt, yt] : [xt];
  const f = te.lower(ops.defaultSchedule([s.out], TARGET), [...params, s.out], { name: 'pow' });
  const mod = await buildWith(f, s.builtin);
  const out = nd.empty([N], 'float32');
  const args = s.name.includes('buffer') ? [xa, ya, out] : [xa, out];
  await mod.run(...args);
  // One batch of `number` dispatches lasting about 100 ms, then one reading per round.
  const { number } = await mod.timeEvaluator({ number: 1, repeat: 1, minRepeatMs: 100, timer: 'process-cpu' }).run(...args);
  const ev = mod.timeEvaluator({ number, repeat, timer: 'process-cpu' });
  sides.push({ ...s, mod, out, measure: async () => (await ev.run(...args)).median * 1000 });
}

const ms = sides.map(() => [] as number[]);
const order = sides.map((_, i) => i);
for (let r = 0; r < rounds; r++) {
  for (const i of r % 2 === 0 ? order : [...order].reverse()) ms[i]!.push(await sides[i]!.measure());
}

console.log(`## ${SCRIPT}: ${TARGET} (lavapipe), 1M floats, default schedule, process CPU time, ${rounds} rounds × ${repeat} repeats, ${new Date().toISOString()}\n`);
console.log(`| kernel | median ms | ÷ ${BUILTIN} of the same exponent kind |`);
console.log('|---|---|---|');
const med = new Map(sides.map((s, i) => [s.name, median(ms[i]!)]));
for (const s of sides) console.log(`| ${s.name} | ${med.get(s.name)!.toFixed(3)} | ${(med.get(s.name)! / med.get(s.base)!).toFixed(2)}× |`);
for (const s of sides) { s.mod.dispose(); s.out.free(); }
xa.free();
ya.free();
releaseWebGPU();
