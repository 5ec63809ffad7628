// bench/model_profile.ts — where a model's time goes, ours beside onnxruntime's (never a test): the bundle's
// per-kernel profile (GraphExecutor.profile, process CPU time, -threads=1) and onnxruntime-node's own session
// profile of the bundle's source ONNX file (enableProfiling, 1 intra-op thread, sequential; per node the median of
// its kernel_time events over the runs). onnxruntime-web's wasm build writes its profile inside its own file system,
// so onnxruntime-node (native MLAS, not wasm SIMD) stands in for per-op costs: its shares, not its µs, compare.
// Prints markdown: both top-N tables, per-op-type totals side by side, and the whole-run numbers.
// Run: npx tsx bench/model_profile.ts <bundle> [--runs 60] [--top 10]

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchArgs, intArg, usageError } from './bench_args.js';

const SCRIPT = 'bench/model_profile.ts';
const { values: opt, positionals } = benchArgs({
  script: SCRIPT,
  about: "A bundle's per-kernel profile (CPU time) beside onnxruntime-node's session profile of the same ONNX file.",
  positionals: [{ name: 'bundle', help: 'a bundle folder written by tensortune build -o (wasm -threads=1)' }],
  options: { runs: { type: 'string', default: '60' }, top: { type: 'string', default: '10' } },
  help: { runs: 'profiled runs per side', top: 'rows of each top table' },
});
if (positionals[0] === undefined) usageError(SCRIPT, 'give a bundle folder');
const runs = intArg(SCRIPT, 'runs', opt.runs);
const top = intArg(SCRIPT, 'top', opt.top);
const { loadBundle } = await import('../runtime/standalone.js');
const { prepareInputs } = await import('../cli/model_inputs.js');
const { configLabels } = await import('../cli/run_profile.js');
const ort = await import('onnxruntime-node');
const { median } = await import('simple-statistics');

const b = await loadBundle(positionals[0]);
const inputs = prepareInputs(b.manifest.inputs, [], true, 0);
const feeds = Object.fromEntries([...inputs].map(([k, v]) => [k, v.data]));
const p = await b.executor.profile(feeds, { runs, timer: 'process-cpu', warmupRuns: 20 });
const config = configLabels(b);

// onnxruntime-node: one session with profiling on; warm-up runs are dropped by counting events per node.
const dir = mkdtempSync(join(tmpdir(), 'ort-prof-'));
const file = (b.manifest['model'] as { file: string }).file;
const sess = await ort.InferenceSession.create(file, {
  intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all',
  enableProfiling: true, profileFilePrefix: join(dir, 'ort'),
});
const ortFeeds = Object.fromEntries([...inputs].map(([k, v]) => [k, new ort.Tensor('float32', v.data as Float32Array, [...v.shape])]));
const warm = 20;
const wall: number[] = [];
for (let r = 0; r < warm + runs; r++) {
  const t0 = process.cpuUsage();
  await sess.run(ortFeeds);
  const t = process.cpuUsage(t0);
  if (r >= warm) wall.push((t.user + t.system) / 1000);
}
sess.endProfiling();
await sess.release();
const profFile = readdirSync(dir).find((f) => f.endsWith('.json'));
if (profFile === undefined) throw new Error('onnxruntime-node wrote no profile');
interface Ev { cat: string; name: string; dur: number; args?: { op_name?: string; output_type_shape?: unknown[] } }
const events = JSON.parse(readFileSync(join(dir, profFile), 'utf8')) as Ev[];
rmSync(dir, { recursive: true, force: true });
const byNode = new Map<string, { op: string; durs: number[]; shape: string }>();
for (const e of events) {
  if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time')) continue;
  const name = e.name.slice(0, -'_kernel_time'.length);
  const n = byNode.get(name) ?? { op: e.args?.op_name ?? '?', durs: [], shape: JSON.stringify(e.args?.output_type_shape?.[0] ?? '') };
  n.durs.push(e.dur);
  byNode.set(name, n);
}
const ortNodes = [...byNode.entries()].map(([name, n]) => ({ name, op: n.op, shape: n.shape, us: median(n.durs.slice(-runs)) }));
const ortSum = ortNodes.reduce((a, n) => a + n.us, 0);
const modelRuns = events.filter((e) => e.name === 'model_run').map((e) => e.dur).slice(-runs);

const f1 = (x: number): string => x.toFixed(1);
const out: string[] = [];
out.push(`## tensortune: ${positionals[0]} (${b.manifest.target}), ${p.kernels.length} kernels, ${runs} runs, process CPU time`);
out.push('', '| # | µs (median) | % | ops | shapes (in → out) | config |', '|---|---|---|---|---|---|');
for (const k of [...p.kernels].sort((x, y) => y.median - x.median).slice(0, top)) {
  out.push(`| ${k.index} | ${f1(k.median * 1e6)} | ${f1(k.percent)} | ${k.ops.join('+')} | ${k.shapes.slice(0, -1).map((s) => `[${s.join(',')}]`).join(' ')} → [${k.shapes[k.shapes.length - 1]!.join(',')}] | ${config(k)} |`);
}
out.push('', `sum of kernel medians ${f1(p.sumOfMedians * 1e6)} µs; whole run (no per-kernel clocks) ${f1(p.wholeRun * 1e6)} µs`);
out.push('', `## onnxruntime-node ${ort.env.versions?.common ?? ''}: ${ortNodes.length} nodes after its graph optimizations, 1 intra-op thread, ${runs} runs`);
out.push('', '| node | op | µs (median) | % | output shape |', '|---|---|---|---|---|');
for (const n of [...ortNodes].sort((x, y) => y.us - x.us).slice(0, top)) out.push(`| ${n.name} | ${n.op} | ${f1(n.us)} | ${f1((100 * n.us) / ortSum)} | ${n.shape} |`);
out.push('', `sum of node medians ${f1(ortSum)} µs; model_run median ${f1(median(modelRuns))} µs; session.run CPU time median ${f1(median(wall) * 1000)} µs`);
// Per operator family: our fused kernels by their anchor (first op), theirs by op type.
const fam = new Map<string, [number, number, number, number]>();
const add = (key: string, i: 0 | 2, us: number): void => {
  const v = fam.get(key) ?? [0, 0, 0, 0];
  v[i] += us;
  v[i + 1]! += 1;
  fam.set(key, v);
};
/** A fused kernel's family: its first op, convolutions split into depthwise / K×K by their weight shape [O, I/groups, KH, KW]. */
const family = (k: (typeof p.kernels)[number]): string => {
  const first = k.ops[0] ?? k.name;
  const w = k.shapes[1];
  if (first !== 'nn.conv2d' || w === undefined || w.length !== 4) return first;
  return `${first} ${w[1] === 1 && k.shapes[0]![1] === w[0] && w[0] !== 1 ? 'depthwise ' : ''}${w[2]}×${w[3]}`;
};
for (const k of p.kernels) add(family(k), 0, k.median * 1e6);
for (const n of ortNodes) add(n.op, 2, n.us);
out.push('', '## by operator (ours: a fused kernel under its first op; theirs: op type after fusion)', '', '| op | ours µs (kernels) | % of ours | onnxruntime-node µs (nodes) | % of theirs |', '|---|---|---|---|---|');
for (const [key, [us, n, them, m]] of [...fam.entries()].sort((x, y) => y[1][0] + y[1][2] - (x[1][0] + x[1][2]))) {
  out.push(`| ${key} | ${n > 0 ? `${f1(us)} (${n})` : ''} | ${n > 0 ? f1((100 * us) / (p.sumOfMedians * 1e6)) : ''} | ${m > 0 ? `${f1(them)} (${m})` : ''} | ${m > 0 ? f1((100 * them) / ortSum) : ''} |`);
}
console.log(out.join('\n'));
b.executor.dispose();
process.exit(0);
