// bench/webgpu_vec4.ts — what vec4 loads and stores buy on the WebGPU adapter at hand (never a test): the
// matmul.webgpu template's untuned default tiles with knob vec = 1 and vec = 4, built and timed side by side in
// interleaved rounds (best GFLOP/s of each kept: the machine may be shared). Peer: bench/matmul-webgpu.ts.
// Run: nice -n 10 npx tsx bench/webgpu_vec4.ts [size]   (--help)

import { benchArgs, intArg } from './bench_args.js';

const SCRIPT = 'bench/webgpu_vec4.ts';
const { positionals } = benchArgs({
  script: SCRIPT,
  about: 'matmul.webgpu template, untuned default tiles with vec 1 (scalar) and vec 4 (vec4 loads/stores), timed side by side in interleaved rounds.',
  positionals: [{ name: 'size', help: 'n of the n³ matmul (default 512; a multiple of 4)' }],
  options: {}, help: {},
});
// The heavy modules load after the arguments are read, so --help and usage errors answer at once.
const { buildCandidate } = await import('../autotune/measure/build_candidate.js');
const { createTask, tensorArg } = await import('../autotune/task.js');
const { registerAll } = await import('../ops/register.js');
const { load } = await import('../runtime/build.js');
const { array } = await import('../runtime/ndarray.js');
registerAll();
const n = intArg(SCRIPT, 'size', positionals[0] ?? '512');
const task = createTask('matmul.webgpu', [tensorArg([n, n]), tensorArg([n, n])], 'webgpu');
const def = task.defaultConfig!()!.toData();
const cfg = (vec: number) => task.space.entityFromData({ ...def, entity: def.entity.map((e) => (e[0] === 'vec' ? [e[0], e[1], vec] : e)) as typeof def.entity });
const mods = new Map<number, Awaited<ReturnType<typeof load>>>();
for (const v of [1, 4]) {
  const c = cfg(v);
  const b = await buildCandidate({ taskName: task.name, args: task.args, target: task.target, configIndex: c.index });
  mods.set(v, await load(b.artifact!));
}
const a = array(new Float32Array(n * n).fill(0.5), [n, n]), b = array(new Float32Array(n * n).fill(0.25), [n, n]), c = array(new Float32Array(n * n), [n, n]);
const best = new Map<number, number>();
for (let r = 0; r < 3; r++) for (const v of [1, 4]) {
  const t = await mods.get(v)!.timeEvaluator({ number: 1, repeat: 3, minRepeatMs: 100 }).run(a, b, c);
  best.set(v, Math.max(best.get(v) ?? 0, 2 * n ** 3 / t.min / 1e9));
}
console.log(`matmul ${n}³ webgpu template default tiles, best of 3 interleaved rounds: vec 1 ${best.get(1)!.toFixed(2)} GFLOP/s, vec 4 ${best.get(4)!.toFixed(2)} GFLOP/s (${(best.get(4)! / best.get(1)!).toFixed(2)}×)`);
for (const m of mods.values()) m.dispose();
process.exit(0);
