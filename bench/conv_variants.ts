// bench/conv_variants.ts — a wasm convolution template's untuned default beside hand-given configs and
// tfjs-backend-wasm (1 thread), timed by the process's CPU time in interleaved rounds (best of the rounds),
// so a default or a tile can be judged against alternatives and the peer on a shared machine (never a test).
// The template runs on its own task's tensors: conv2d_NCHWc and depthwise_conv2d_NCHWc on data and output
// already packed (as between packed layers of a model), conv2d_nchw / depthwise_conv2d_nchw / conv2d_winograd /
// conv2d_gemm on NCHW. GFLOP/s = 2 × the direct convolution's multiply-adds / CPU seconds.
// Run: nice -n 5 npx tsx bench/conv_variants.ts C6 conv2d_NCHWc '{"u64":{"auto_unroll_max_step":64}}' [--rounds=3] [--target=…] [--vs=conv2d_gemm] [--timer=wall]
//   (or a shape instead of C6: C=128,H=7,W=14,O=128,R=3,stride=1,pad=1)
//   (each variant: knob name → the entity value of that knob, as in a log record; other knobs as the default)

import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { createTask, tensorArg } from '../autotune/task.js';
import { defaultWorkloadsFile } from '../cli/workloads.js';
import { nchwcBlocks } from '../ops/nn/conv2d_nchwc.js';
import { registerAll } from '../ops/register.js';
import { loadTophub } from '../tuning-logs/apply_history_best.js';
import { benchArgs, intArg, usageError } from './bench_args.js';
import { initTfjsWasm } from './tfjs_wasm.js';
import { buildVariants, cpuSeconds, seededArray, wallSeconds } from './bench_util.js';

const SCRIPT = 'bench/conv_variants.ts';
const TEMPLATES = ['conv2d_NCHWc', 'conv2d_nchw', 'conv2d_gemm', 'conv2d_gemm_NCHWc', 'conv2d_winograd', 'depthwise_conv2d_NCHWc', 'depthwise_conv2d_nchw'] as const;
const { values: opt, positionals } = benchArgs({
  script: SCRIPT,
  about: 'a wasm conv template: default config vs given variants vs tfjs-wasm (1 thread), by process CPU time, interleaved rounds.',
  positionals: [
    { name: 'workload', help: 'a conv2d or depthwise_conv2d workload id of ../shared/workloads.json (C6, D1, …), or a conv2d shape C=128,H=7,W=14,O=128,R=3,stride=1,pad=1' },
    { name: 'template', help: `${TEMPLATES.join(' | ')} (default: conv2d_NCHWc, depthwise_conv2d_NCHWc for depthwise)` },
    { name: 'variants', help: 'JSON: {"name": {"knob": value, …}, …} (default {})' },
  ],
  options: { rounds: { type: 'string', default: '3' }, target: { type: 'string', default: 'wasm -threads=1' }, also: { type: 'string', default: '' }, vs: { type: 'string', default: '' }, timer: { type: 'string', default: 'process-cpu' } },
  help: {
    rounds: 'interleaved rounds (best kept)', target: 'our target (1 thread: CPU time is the kernel\'s)',
    also: 'more targets, comma-separated, whose builds of the same configs join the rounds (A/B of a codegen option: \'wasm -threads=1 -strength-reduce=0\')',
    vs: 'other templates, comma-separated, whose defaults (and TopHub records, where the target has one) join the rounds on their own tensors (conv2d_gemm vs conv2d_NCHWc)',
    timer: "process-cpu (default; on threads it adds the workers' CPU time up: the work, not the wall time) | wall (for -threads=2: best of the rounds, say the load)",
  },
});
interface Conv { id: string; op: string; C: number; H: number; W: number; O?: number; R: number; stride: number; pad: number }
/** A conv2d shape given as C=…,H=…,W=…,O=…,R=…,stride=…,pad=… (every key), or undefined when `arg` is not one. */
function shapeArg(arg: string): Conv | undefined {
  if (!arg.includes('=')) return undefined;
  const kv = new Map(arg.split(',').map((p) => p.split('=') as [string, string]));
  const keys = ['C', 'H', 'W', 'O', 'R', 'stride', 'pad'] as const;
  const v = keys.map((k) => Number(kv.get(k)));
  if (kv.size !== keys.length || v.some((n, i) => !Number.isInteger(n) || n < (keys[i] === 'pad' ? 0 : 1))) {
    usageError(SCRIPT, `shape '${arg}': expected positive integers for each of ${keys.join(', ')} (pad ≥ 0), and nothing else`);
  }
  const [C, H, W, O, R, stride, pad] = v as [number, number, number, number, number, number, number];
  return { id: arg, op: 'conv2d', C, H, W, O, R, stride, pad };
}
const w = shapeArg(positionals[0] ?? '') ?? (JSON.parse(readFileSync(defaultWorkloadsFile(), 'utf8')) as { workloads: Conv[] }).workloads.find((x) => x.id === positionals[0]);
if (!w || (w.op !== 'conv2d' && w.op !== 'depthwise_conv2d')) usageError(SCRIPT, `'${positionals[0] ?? ''}' is not a conv2d/depthwise_conv2d workload id of ${defaultWorkloadsFile()} nor a shape C=…,H=…,W=…,O=…,R=…,stride=…,pad=…`);
const dw = w.op === 'depthwise_conv2d';
const template = positionals[1] ?? (dw ? 'depthwise_conv2d_NCHWc' : 'conv2d_NCHWc');
if (!(TEMPLATES as readonly string[]).includes(template)) usageError(SCRIPT, `template '${template}': expected one of ${TEMPLATES.join(', ')}`);
let variants: Record<string, Record<string, unknown>>;
try { variants = JSON.parse(positionals[2] ?? '{}') as typeof variants; } catch (e) { usageError(SCRIPT, `variants must be JSON: ${(e as Error).message}`); }
const rounds = intArg(SCRIPT, '--rounds', opt.rounds);
const target = opt.target;
if (opt.timer !== 'wall' && opt.timer !== 'process-cpu') usageError(SCRIPT, `--timer: expected wall or process-cpu, got '${opt.timer}'`);

const O = dw ? w.C : w.O!;
const s2 = [w.stride, w.stride], p4 = [w.pad, w.pad, w.pad, w.pad], d2 = [1, 1];
/** The workload args of `template` on this conv (each template's own tensors). */
function argsOf(template: string, w: Conv): unknown[] {
  if (template === 'conv2d_NCHWc' || template === 'conv2d_gemm_NCHWc') {
    // conv2d_gemm_NCHWc's workload is conv2d_NCHWc's (packed data and weight); its kernel reads the weight as panels.
    const { icBlock: ib, ocBlock: ob } = nchwcBlocks(w.C, O);
    return [tensorArg([1, w.C / ib, w.H, w.W, ib]), tensorArg([O / ob, w.C / ib, w.R, w.R, ib, ob]), s2, p4, d2];
  } else if (template === 'depthwise_conv2d_NCHWc') {
    return [tensorArg([1, w.C / 4, w.H, w.W, 4]), tensorArg([w.C / 4, 1, w.R, w.R, 1, 4]), s2, p4, d2];
  } else if (template === 'conv2d_winograd') {
    return [tensorArg([1, w.C, w.H, w.W]), tensorArg([16, O, w.C]), p4]; // weights pre-transformed (winogradWeightTransform), as at build time
  } else if (template === 'conv2d_gemm') {
    return [tensorArg([1, w.C, w.H, w.W]), tensorArg([O, w.C, w.R, w.R]), s2, p4, d2]; // the kernel reads the OIHW weight as [O, C·R·R]
  } else {
    // depthwise_conv2d_nchw: [X, W, strides, padding, dilation]; conv2d_nchw adds groups.
    return [tensorArg([1, w.C, w.H, w.W]), tensorArg([O, dw ? 1 : w.C, w.R, w.R]), s2, p4, d2, ...(template === 'conv2d_nchw' ? [dw ? w.C : 1] : [])];
  }
}
const args = argsOf(template, w);
registerAll();
await initTfjsWasm(1);
const task = createTask(`${template}.wasm`, args as Parameters<typeof createTask>[1], target);
const OH = Math.floor((w.H + 2 * w.pad - w.R) / w.stride) + 1;
const OW = Math.floor((w.W + 2 * w.pad - w.R) / w.stride) + 1;
const flop = 2 * O * OH * OW * (dw ? 1 : w.C) * w.R * w.R;
const def = task.defaultConfig!()!.toData();
console.log(`# ${SCRIPT} ${w.id} ${task.name} on '${target}', V8 ${process.versions.v8}; default: ${JSON.stringify(def.entity)}`);
let runs: Map<string, () => Promise<void> | void>;
try {
  runs = await buildVariants(task, variants);
  for (const other of opt.also.split(',').map((t) => t.trim()).filter((t) => t.length > 0)) {
    const more = await buildVariants(createTask(`${template}.wasm`, args as Parameters<typeof createTask>[1], other), variants);
    for (const [n, fn] of more) runs.set(`${n} @'${other}'`, fn);
  }
  for (const other of opt.vs.split(',').map((t) => t.trim()).filter((t) => t.length > 0)) {
    if (!(TEMPLATES as readonly string[]).includes(other)) throw new Error(`--vs: template '${other}': expected one of ${TEMPLATES.join(', ')}`);
    const t = createTask(`${other}.wasm`, argsOf(other, w) as Parameters<typeof createTask>[1], target);
    const hit = loadTophub(target).query(t.target, t.workloadKey);
    const tophub: Record<string, Record<string, unknown>> = hit ? { tophub: Object.fromEntries(hit.config.entity.map((e) => [e[0], e[2]])) } : {};
    for (const [n, fn] of await buildVariants(t, tophub)) runs.set(`${other} ${n}`, fn);
  }
} catch (e) { usageError(SCRIPT, (e as Error).message); }
const x = tf.tensor4d(seededArray(w.C * w.H * w.W, 1), [1, w.H, w.W, w.C]);
const f = tf.tensor4d(seededArray(w.R * w.R * w.C * (dw ? 1 : O), 2), [w.R, w.R, w.C, dw ? 1 : O]);
const pad: [[number, number], [number, number], [number, number], [number, number]] = [[0, 0], [w.pad, w.pad], [w.pad, w.pad], [0, 0]];
runs.set('tfjs-wasm', () => { const y = dw ? tf.depthwiseConv2d(x, f, w.stride, pad) : tf.conv2d(x, f, w.stride, pad); y.dataSync(); y.dispose(); });

for (const fn of runs.values()) await fn();
const best = new Map<string, number>();
for (let r = 0; r < rounds; r++) for (const [n, fn] of runs) best.set(n, Math.min(best.get(n) ?? Infinity, await (opt.timer === 'wall' ? wallSeconds(fn) : cpuSeconds(fn))));
const peer = best.get('tfjs-wasm')!;
for (const [n, t] of best) console.log(`${n}: ${(flop / t / 1e9).toFixed(2)} GFLOP/s (${(peer / t).toFixed(2)}× tfjs-wasm)`);
process.exit(0);
