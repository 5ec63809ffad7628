// bench/webgpu_vec4.ts — what vec4 loads and stores buy on the WebGPU adapter at hand (never a test): a template's
// config built with knob vec = 1 and vec = 4, otherwise the same, timed side by side in interleaved rounds (best
// GFLOP/s of each kept: the machine may be shared). matmul n³: the matmul.webgpu template's untuned default tiles;
// a conv2d workload id of ../shared/workloads.json (C6, …): conv2d_nchw.webgpu's default tiles with a thread ow
// tile of 4 (vec 4 needs it; threads along ow = OW/4 up to 16). Peer: bench/matmul-webgpu.ts, bench/ops.ts --webgpu.
// Run: nice -n 10 npx tsx bench/webgpu_vec4.ts [size | conv workload id]   (--help)

import { readFileSync } from 'node:fs';
import type { Task } from '../autotune/task.js';
import type { NDArray } from '../runtime/ndarray.js';
import { benchArgs, intArg, usageError } from './bench_args.js';

const SCRIPT = 'bench/webgpu_vec4.ts';
const { positionals } = benchArgs({
  script: SCRIPT,
  about: 'matmul.webgpu (n³, default tiles) or conv2d_nchw.webgpu (a conv2d workload id, default tiles with ow tile 4) with vec 1 (scalar) and vec 4 (vec4 loads/stores), timed side by side in interleaved rounds.',
  positionals: [{ name: 'size', help: 'n of the n³ matmul (default 512; a multiple of 4), or a conv2d workload id (C6, C9, …)' }],
  options: {}, help: {},
});
// The heavy modules load after the arguments are read, so --help and usage errors answer at once.
const { buildCandidate } = await import('../autotune/measure/build_candidate.js');
const { createTask, tensorArg } = await import('../autotune/task.js');
const { defaultWorkloadsFile } = await import('../cli/workloads.js');
const { registerAll } = await import('../ops/register.js');
const { load } = await import('../runtime/build.js');
const { array } = await import('../runtime/ndarray.js');
registerAll();
const what = positionals[0] ?? '512';

interface Conv { id: string; op: string; C: number; H: number; W: number; O: number; R: number; stride: number; pad: number }
let task: Task;
let flop: number;
let over: Record<string, unknown> = {};
if (/^\d+$/.test(what)) {
  const n = intArg(SCRIPT, 'size', what);
  task = createTask('matmul.webgpu', [tensorArg([n, n]), tensorArg([n, n])], 'webgpu');
  flop = 2 * n ** 3;
} else {
  const w = (JSON.parse(readFileSync(defaultWorkloadsFile(), 'utf8')) as { workloads: Conv[] }).workloads.find((x) => x.id === what);
  if (!w || w.op !== 'conv2d') usageError(SCRIPT, `'${what}' is neither a matmul size nor a conv2d workload id of ${defaultWorkloadsFile()}`);
  const OH = Math.floor((w.H + 2 * w.pad - w.R) / w.stride) + 1;
  const OW = Math.floor((w.W + 2 * w.pad - w.R) / w.stride) + 1;
  task = createTask('conv2d_nchw.webgpu', [tensorArg([1, w.C, w.H, w.W]), tensorArg([w.O, w.C, w.R, w.R]), [w.stride, w.stride], [w.pad, w.pad, w.pad, w.pad], [1, 1], 1], 'webgpu');
  flop = 2 * w.O * OH * OW * w.C * w.R * w.R;
  over = { tile_ow: [-1, Math.min(16, Math.max(1, Math.floor(OW / 4))), 4] };
}
const def = task.defaultConfig!()!.toData();
const cfg = (vec: number) => task.space.entityFromData({ ...def, entity: def.entity.map((e) => (e[0] === 'vec' ? [e[0], e[1], vec] : e[0] in over ? [e[0], e[1], over[e[0]]] : e)) as typeof def.entity });
const mods = new Map<number, Awaited<ReturnType<typeof load>>>();
for (const v of [1, 4]) {
  const c = cfg(v);
  const b = await buildCandidate({ taskName: task.name, args: task.args, target: task.target, configIndex: c.index });
  if (!b.artifact) usageError(SCRIPT, `config ${c} did not build: ${b.errorMsg}`);
  mods.set(v, await load(b.artifact));
  if (v === 4) console.log(`config (vec 4): ${c}`);
}
const arrays: NDArray[] = task.naive().tensors.map((t, i) => array(new Float32Array(t.dims.reduce((a, b) => a * b, 1)).fill(i === 0 ? 0.5 : 0.25), [...t.dims]));
const best = new Map<number, number>();
for (let r = 0; r < 3; r++) for (const v of [1, 4]) {
  const t = await mods.get(v)!.timeEvaluator({ number: 1, repeat: 3, minRepeatMs: 100 }).run(...arrays);
  best.set(v, Math.max(best.get(v) ?? 0, flop / t.min / 1e9));
}
console.log(`${task.name} [${what}] best of 3 interleaved rounds: vec 1 ${best.get(1)!.toFixed(2)} GFLOP/s, vec 4 ${best.get(4)!.toFixed(2)} GFLOP/s (${(best.get(4)! / best.get(1)!).toFixed(2)}×)`);
for (const m of mods.values()) m.dispose();
process.exit(0);
