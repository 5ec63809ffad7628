// bench/winograd_rule.ts — the measurements behind relay's default Winograd rule (relay/transform/conv_impl.ts):
// for 3×3, stride-1, pad-1 convolutions over a grid of channel counts and image sizes, the untuned defaults of
// conv2d_winograd F(2×2) and conv2d_winograd_m4 F(4×4) (weights pre-transformed, as a model build gives them), conv2d_NCHWc (data and output packed, as
// between packed layers) and conv2d_nchw, timed by this process's CPU time in interleaved rounds (best kept),
// 1 thread. Prints one row per shape with µs per run, F(4×4) ÷ F(2×2) and the better Winograd's speed-up over the
// better direct kernel.
// Never a test. Run: nice -n 5 npx tsx bench/winograd_rule.ts [--shapes=8x10,16x20,64x28] [--rounds=2]
//   (a shape CxHW: C input = output channels on an HW×HW image; CxOxHW: C in, O out)

import { buildCandidate } from '../autotune/measure/build_candidate.js';
import { createTask, tensorArg } from '../autotune/task.js';
import { nchwcBlocks } from '../ops/nn/conv2d_nchwc.js';
import { registerAll } from '../ops/register.js';
import { load } from '../runtime/build.js';
import { array } from '../runtime/ndarray.js';
import { benchArgs, intArg, usageError } from './bench_args.js';
import { cpuSeconds } from './bench_util.js';

const SCRIPT = 'bench/winograd_rule.ts';
const DEFAULT_SHAPES = '8x10,8x20,16x10,16x20,16x56,32x14,32x28,64x7,64x14,64x28,64x56,128x7,128x14,128x28,256x7,256x14';
const { values: opt } = benchArgs({
  script: SCRIPT,
  about: '3×3 stride-1 convs: Winograd F(2×2) and F(4×4) (host-transformed weights) vs conv2d_NCHWc (packed in/out) vs conv2d_nchw, untuned defaults, 1 thread, CPU time.',
  options: { shapes: { type: 'string', default: DEFAULT_SHAPES }, rounds: { type: 'string', default: '2' }, target: { type: 'string', default: 'wasm -threads=1' } },
  help: { shapes: 'comma-separated CxHW (C = O channels x image side) or CxOxHW', rounds: 'interleaved rounds (best kept)', target: 'our target (1 thread: CPU time is the kernel\'s)' },
});
const rounds = intArg(SCRIPT, '--rounds', opt.rounds);
const shapes = opt.shapes.split(',').map((s) => {
  const m = /^(\d+)x(?:(\d+)x)?(\d+)$/.exec(s.trim());
  if (!m) usageError(SCRIPT, `--shapes: '${s}' is not CxHW or CxOxHW (e.g. 64x28, 32x128x14)`);
  return { C: Number(m[1]), O: Number(m[2] ?? m[1]), HW: Number(m[3]) };
});
registerAll();

const seeded = (n: number, seed: number): Float32Array => {
  let x = seed >>> 0;
  return Float32Array.from({ length: n }, () => { x = (Math.imul(x, 1664525) + 1013904223) >>> 0; return x / 2 ** 31 - 1; });
};

async function runner(template: string, args: unknown[]): Promise<() => void> {
  const task = createTask(`${template}.wasm`, args as Parameters<typeof createTask>[1], opt.target);
  const b = await buildCandidate({ taskName: task.name, args: task.args, target: task.target, configIndex: task.defaultConfig!()!.index });
  if (!b.artifact) throw new Error(`${template}: did not build (${b.errorMsg?.split('\n')[0]})`);
  const m = await load(b.artifact);
  const arrays = task.naive().tensors.map((t, i) => array(seeded(t.dims.reduce((a, c) => a * c, 1), i + 1), [...t.dims]));
  return () => void m.run(...arrays);
}

console.log(`# ${SCRIPT} on '${opt.target}', V8 ${process.versions.v8}, ${rounds} rounds, CPU time, µs per run (best); load ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')}`);
console.log('| C | O | H=W | winograd F(2×2) | winograd F(4×4) | NCHWc (packed) | NCHW | F(4×4) speed-up over F(2×2) | best winograd ÷ best direct |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const { C, O, HW } of shapes) {
  const p4 = [1, 1, 1, 1], s2 = [1, 1], d2 = [1, 1];
  const { icBlock: ib, ocBlock: ob } = nchwcBlocks(C, O);
  const runs: Record<string, () => void> = {
    winograd: await runner('conv2d_winograd', [tensorArg([1, C, HW, HW]), tensorArg([16, O, C]), p4]),
    m4: await runner('conv2d_winograd_m4', [tensorArg([1, C, HW, HW]), tensorArg([36, O, C]), p4]),
    nchwc: await runner('conv2d_NCHWc', [tensorArg([1, C / ib, HW, HW, ib]), tensorArg([O / ob, C / ib, 3, 3, ib, ob]), s2, p4, d2]),
    nchw: await runner('conv2d_nchw', [tensorArg([1, C, HW, HW]), tensorArg([O, C, 3, 3]), s2, p4, d2, 1]),
  };
  const best: Record<string, number> = {};
  for (let r = 0; r < rounds; r++) for (const [n, fn] of Object.entries(runs)) best[n] = Math.min(best[n] ?? Infinity, await cpuSeconds(fn));
  const us = (n: string): string => (best[n]! * 1e6).toFixed(1);
  const direct = Math.min(best['nchwc']!, best['nchw']!);
  const wino = Math.min(best['winograd']!, best['m4']!);
  console.log(`| ${C} | ${O} | ${HW} | ${us('winograd')} | ${us('m4')} | ${us('nchwc')} | ${us('nchw')} | ${(best['winograd']! / best['m4']!).toFixed(2)}× | ${(direct / wino).toFixed(2)}× |`);
}
process.exit(0);
