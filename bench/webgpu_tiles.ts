// bench/webgpu_tiles.ts — a WebGPU template's untuned default beside hand-given tilings and tfjs-backend-webgpu,
// timed in interleaved rounds in one process (best GFLOP/s of 3 rounds each; the machine may be shared), so a
// default can be judged against alternatives and the peer (never a test). A conv2d workload id of
// ../shared/workloads.json (C6, …) runs conv2d_nchw.webgpu beside tf.conv2d (NHWC); `mm:M,K,N` runs
// matmul.webgpu beside tf.matMul.
// Run: nice -n 10 npx tsx bench/webgpu_tiles.ts C6 '{"old":{"tile_co":[-1,4,2],"tile_oh":[-1,4,1],"tile_ow":[-1,7,2]}}'
//   --timer process-cpu (lavapipe only): each side timed by the CPU time this process spent per run (bench_util's cpuSeconds) (lavapipe
//   runs the kernels on its own threads inside this process, so that is the work done, whatever else loads the
//   machine; it sums the driver's threads, so a kernel that leaves a thread idle is not charged for it).
//   --subgroups: build for 'webgpu -device=… -subgroup-size=N' (the adapter's fixed subgroup size): warp-memory knobs.
//   --device: build for 'webgpu -device=…' (webgpuTargetString(): on lavapipe 'webgpu -device=llvmpipe', whose defaults
//   read in place); --plain adds plain 'webgpu''s default ('plain default', the staged one SwiftShader and GPUs get);
//   --tophub adds the target's shipped TopHub record ('tophub', when it is not the default).
//   --winograd (a 3×3 stride-1 conv workload): also conv2d_winograd.webgpu's default ('winograd', weights
//   pre-transformed [16, O, C] as relay passes them; GFLOP/s counted as the direct conv's FLOPs); variants whose
//   name starts with 'wino' change the Winograd default's knobs, the others the direct one's.
//   --packed (a conv2d workload, groups 1): also conv2d_nchw_packed.webgpu on the target (the OIHW weight packed in
//   blocks of 8 output channels, as a model build does for `webgpu -device=llvmpipe`): 'packed default', and with
//   --tophub its record 'packed tophub'; variants whose name starts with 'packed' change the packed default's knobs.
//   --rounds n (default 3): interleaved rounds; each round's ratio to tfjs-webgpu is printed beside the best.
//   (each variant: knob name → the entity value of that knob, as in a log record; other knobs as the default)

import { readFileSync } from 'node:fs';
import { benchArgs, usageError } from './bench_args.js';
import { cpuSeconds } from './bench_util.js';

const SCRIPT = 'bench/webgpu_tiles.ts';
const { positionals, values } = benchArgs({
  script: SCRIPT,
  about: "conv2d_nchw.webgpu (a conv2d workload id) or matmul.webgpu (mm:M,K,N): the default config and the given variants beside tfjs-webgpu, interleaved rounds.",
  positionals: [
    { name: 'workload', help: 'a conv2d workload id (C6, C9, …) or mm:M,K,N' },
    { name: 'variants', help: 'JSON: {"name": {"knob": value, …}, …} (default {})' },
  ],
  options: {
    timer: { type: 'string', default: 'wall' }, subgroups: { type: 'boolean', default: false }, winograd: { type: 'boolean', default: false },
    device: { type: 'boolean', default: false }, plain: { type: 'boolean', default: false }, tophub: { type: 'boolean', default: false },
    packed: { type: 'boolean', default: false }, rounds: { type: 'string', default: '3' },
  },
  help: {
    timer: "'wall' (GPU timestamps / elapsed time) or 'process-cpu' (CPU time of this process; lavapipe only)",
    subgroups: "build for the adapter's subgroups (webgpu -subgroup-size=N: the templates' warp knobs and their default)",
    winograd: "with a 3×3 stride-1 conv: also conv2d_winograd.webgpu (default 'winograd'; variants named 'wino…' change it)",
    device: "build for the adapter's device ('webgpu -device=llvmpipe' on lavapipe: the in-place defaults)",
    plain: "also plain 'webgpu''s default config ('plain default')",
    tophub: "also the target's shipped TopHub record ('tophub'), when it is not the default",
    packed: "with a conv2d workload: also conv2d_nchw_packed.webgpu ('packed default'; with --tophub 'packed tophub'; variants named 'packed…' change it)",
    rounds: 'interleaved rounds (default 3)',
  },
});
const timer = values.timer;
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1) usageError(SCRIPT, `--rounds must be a positive integer, got '${values.rounds}'`);
if (timer !== 'wall' && timer !== 'process-cpu') usageError(SCRIPT, `--timer must be 'wall' or 'process-cpu', got '${timer}'`);
const what = positionals[0] ?? 'C6';
let variants: Record<string, Record<string, unknown>>;
try { variants = JSON.parse(positionals[1] ?? '{}') as typeof variants; } catch (e) { usageError(SCRIPT, `variants must be JSON: ${(e as Error).message}`); }
const tf = await import('@tensorflow/tfjs-core');
const { buildCandidate } = await import('../autotune/measure/build_candidate.js');
const { createTask, tensorArg } = await import('../autotune/task.js');
const { defaultWorkloadsFile } = await import('../cli/workloads.js');
const { registerAll } = await import('../ops/register.js');
const { load } = await import('../runtime/build.js');
const { array } = await import('../runtime/ndarray.js');
const { getWebGPUContext } = await import('../runtime/webgpu/device.js');
registerAll();

interface Conv { id: string; op: string; C: number; H: number; W: number; O: number; R: number; stride: number; pad: number }
let task: ReturnType<typeof createTask>;
let wino: ReturnType<typeof createTask> | undefined;
let packed: ReturnType<typeof createTask> | undefined;
let flop: number;
let peer: () => unknown;
const g = globalThis as { navigator?: { gpu?: unknown } };
if (!g.navigator) Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true, writable: true });
const gpuContext = await getWebGPUContext();
g.navigator!.gpu = gpuContext.gpu;
if (timer === 'process-cpu' && gpuContext.info.deviceName !== 'llvmpipe') {
  usageError(SCRIPT, `--timer process-cpu needs the lavapipe adapter (kernels on this process's threads); this one is '${gpuContext.info.description}'`);
}
const { webgpuTargetString } = await import('../runtime/webgpu/device.js');
const target = values.subgroups ? await webgpuTargetString({ subgroups: true }) : values.device ? await webgpuTargetString() : 'webgpu';
if (values.subgroups && target === (await webgpuTargetString())) usageError(SCRIPT, `--subgroups: this adapter (${gpuContext.info.description}) has no subgroups of one fixed size`);
await import('@tensorflow/tfjs-backend-webgpu');
if (!(await tf.setBackend('webgpu'))) usageError(SCRIPT, 'tfjs-backend-webgpu did not start on this adapter');
if (what.startsWith('mm:')) {
  const [M, K, N] = what.slice(3).split(',').map(Number) as [number, number, number];
  if (![M, K, N].every((x) => Number.isInteger(x) && x > 0)) usageError(SCRIPT, `'${what}': expected mm:M,K,N with positive integers`);
  task = createTask('matmul.webgpu', [tensorArg([M, K]), tensorArg([K, N])], target);
  flop = 2 * M * K * N;
  const a = tf.randomNormal([M, K]), b = tf.randomNormal([K, N]);
  peer = () => tf.matMul(a, b);
} else {
  const w = (JSON.parse(readFileSync(defaultWorkloadsFile(), 'utf8')) as { workloads: Conv[] }).workloads.find((x) => x.id === what);
  if (!w || w.op !== 'conv2d') usageError(SCRIPT, `'${what}' is neither mm:M,K,N nor a conv2d workload id of ${defaultWorkloadsFile()}`);
  const OH = Math.floor((w.H + 2 * w.pad - w.R) / w.stride) + 1;
  const OW = Math.floor((w.W + 2 * w.pad - w.R) / w.stride) + 1;
  task = createTask('conv2d_nchw.webgpu', [tensorArg([1, w.C, w.H, w.W]), tensorArg([w.O, w.C, w.R, w.R]), [w.stride, w.stride], [w.pad, w.pad, w.pad, w.pad], [1, 1], 1], target);
  flop = 2 * w.O * OH * OW * w.C * w.R * w.R;
  const x = tf.randomNormal([1, w.H, w.W, w.C]) as import('@tensorflow/tfjs-core').Tensor4D;
  const f = tf.randomNormal([w.R, w.R, w.C, w.O]) as import('@tensorflow/tfjs-core').Tensor4D;
  peer = () => tf.conv2d(x, f, w.stride, [[0, 0], [w.pad, w.pad], [w.pad, w.pad], [0, 0]]);
  if (values.packed) {
    packed = createTask('conv2d_nchw_packed.webgpu', [tensorArg([1, w.C, w.H, w.W]), tensorArg([Math.ceil(w.O / 8), w.C, w.R, w.R, 8]), [w.stride, w.stride], [w.pad, w.pad, w.pad, w.pad], [1, 1], w.O], target);
  }
  if (values.winograd) {
    if (w.R !== 3 || w.stride !== 1) usageError(SCRIPT, `--winograd: ${what} is not a 3×3 stride-1 conv`);
    wino = createTask('conv2d_winograd.webgpu', [tensorArg([1, w.C, w.H, w.W]), tensorArg([16, w.O, w.C]), [w.pad, w.pad, w.pad, w.pad]], target);
  }
}
if (values.winograd && !wino) usageError(SCRIPT, '--winograd needs a conv2d workload id');
if (values.packed && !packed) usageError(SCRIPT, '--packed needs a conv2d workload id');
type Task = ReturnType<typeof createTask>;
const defaults = new Map<Task, ReturnType<NonNullable<Task['defaultConfig']>>>();
for (const t of [task, ...(wino ? [wino] : []), ...(packed ? [packed] : [])]) {
  defaults.set(t, t.defaultConfig!()!);
  console.log(`${t.name} [${what}] on '${target}' default: ${JSON.stringify(defaults.get(t)!.toData().entity)}`);
}
const mods = new Map<string, { mod: Awaited<ReturnType<typeof load>>; task: Task }>();
// [name, task, knob overrides of its default, or a config index].
const runs: Array<[string, Task, Record<string, unknown> | number]> = [['default', task, {}], ...(wino ? [['winograd', wino, {}] as [string, Task, Record<string, unknown>]] : [])];
if (packed) runs.push(['packed default', packed, {}]);
for (const [name, over] of Object.entries(variants)) runs.push([name, wino && name.startsWith('wino') ? wino : packed && name.startsWith('packed') ? packed : task, over]);
let plainTask: Task | undefined;
if (values.plain && target !== 'webgpu') {
  plainTask = createTask(task.name, task.args, 'webgpu');
  defaults.set(plainTask, plainTask.defaultConfig!()!);
  console.log(`${task.name} [${what}] on 'webgpu' default: ${JSON.stringify(defaults.get(plainTask)!.toData().entity)}`);
  runs.push(['plain default', plainTask, {}]);
}
if (values.tophub) {
  const { loadTophub } = await import('../tuning-logs/apply_history_best.js');
  const hit = loadTophub(target).lookup(target, task.workloadKey);
  console.log(`tophub on '${target}': ${hit === undefined ? 'no record' : `config ${hit.config.index}${hit.exact ? '' : ` (${hit.note})`}${hit.config.index === defaults.get(task)!.index ? ', the default' : ''}`}`);
  if (hit !== undefined && hit.config.index !== defaults.get(task)!.index) runs.push(['tophub', task, hit.config.index]);
  if (packed) {
    const ph = loadTophub(target).lookup(target, packed.workloadKey);
    console.log(`packed tophub on '${target}': ${ph === undefined ? 'no record' : `config ${ph.config.index}${ph.config.index === defaults.get(packed)!.index ? ', the default' : ''}`}`);
    if (ph !== undefined && ph.config.index !== defaults.get(packed)!.index) runs.push(['packed tophub', packed, ph.config.index]);
  }
}
for (const [name, t, over] of runs) {
  const def = defaults.get(t)!.toData();
  const entity = def.entity.map((e) => (typeof over === 'object' && e[0] in over ? [e[0], e[1], over[e[0]]] : e)) as typeof def.entity;
  const c = typeof over === 'number' ? t.space.entityAt(over) : t.space.entityFromData({ ...def, entity });
  const b = await buildCandidate({ taskName: t.name, args: t.args, target: t.target, configIndex: c.index });
  if (!b.artifact) { console.log(`${name}: did not build (${b.errorMsg?.split('\n')[0]})`); continue; }
  mods.set(name, { mod: await load(b.artifact), task: t });
}
// tfjs-webgpu in Node reads back asynchronously; a run is timed up to its result being read.
const runPeer = async (): Promise<void> => { const y = peer() as import('@tensorflow/tfjs-core').Tensor; await y.data(); y.dispose(); };
await runPeer();
const argsOf = (t: Task) => t.naive().tensors.map((x, i) => array(new Float32Array(x.dims.reduce((a, b) => a * b, 1)).fill(i === 0 ? 0.5 : 0.25), [...x.dims]));
const arrays = new Map<Task, ReturnType<typeof argsOf>>([task, ...(wino ? [wino] : []), ...(packed ? [packed] : []), ...(plainTask ? [plainTask] : [])].map((t) => [t, argsOf(t)]));
const best = new Map<string, number>();
const perRound = new Map<string, number[]>();
for (let r = 0; r < rounds; r++) {
  for (const [n, { mod: m, task: tk }] of mods) {
    const a = arrays.get(tk)!;
    const t = timer === 'process-cpu'
      ? await cpuSeconds(() => m.run(...a))
      : (await m.timeEvaluator({ number: 1, repeat: 3, minRepeatMs: 100 }).run(...a)).min;
    best.set(n, Math.max(best.get(n) ?? 0, flop / t / 1e9));
    perRound.set(n, [...(perRound.get(n) ?? []), flop / t / 1e9]);
  }
  let tmin = Infinity;
  if (timer === 'process-cpu') tmin = await cpuSeconds(runPeer);
  else for (let k = 0; k < 5; k++) { const t0 = performance.now(); await runPeer(); tmin = Math.min(tmin, (performance.now() - t0) / 1e3); }
  best.set('tfjs-webgpu', Math.max(best.get('tfjs-webgpu') ?? 0, flop / tmin / 1e9));
  perRound.set('tfjs-webgpu', [...(perRound.get('tfjs-webgpu') ?? []), flop / tmin / 1e9]);
}
const p = best.get('tfjs-webgpu')!;
console.log(`timer: ${timer}${timer === 'process-cpu' ? ' (GFLOP per CPU-second of all threads)' : ''}`);
const pr = perRound.get('tfjs-webgpu')!;
for (const [n, v] of best) {
  const rs = perRound.get(n)!;
  console.log(`${n}: ${v.toFixed(2)} GFLOP/s (${(v / p).toFixed(2)}× tfjs-webgpu); rounds ${rs.map((x, i) => (x / pr[i]!).toFixed(2)).join(' / ')}×`);
}
for (const m of mods.values()) m.mod.dispose();
process.exit(0);
