// bench/wgsl_size.ts — how much WGSL the WebGPU templates' spaces generate: for each case (a template and workload on a
// WebGPU target), N seeded random configs the space accepts (its multiFilter) are built (instantiate → lower → WGSL
// codegen, no adapter needed) and their WGSL sizes summarised (min, p50, p90, p99, max), beside the default's and the
// shipped TopHub records' (tuning-logs/tophub/*.jsonl) sizes. Session 19 (docs/webgpu.md "Session 19"): configs of
// conv2d_nchw_packed reached 1.16 MB of WGSL, whose pipeline took ~50 s of CPU on lavapipe.
// Run: nice -n 10 npx tsx bench/wgsl_size.ts [--cases packed-C6,conv-C6,…] [--n 60] [--seed 1] [--json out.json]
//      nice -n 10 npx tsx bench/wgsl_size.ts --log tune.jsonl   (the WGSL sizes of a packed-C6 tuning log's configs)

import { readFileSync, writeFileSync } from 'node:fs';
import { buildCandidate } from '../autotune/measure/build_candidate.js';
import { Rng } from '../autotune/rng.js';
import { createTask, tensorArg, type Task } from '../autotune/task.js';
import { registerAll } from '../ops/register.js';
import { benchArgs, intArg, listArg } from './bench_args.js';

const LP = 'webgpu -device=llvmpipe';
const SG = 'webgpu -device=llvmpipe -subgroup-size=8';
const conv = (C: number, H: number, O: number, R: number, s = 1): unknown[] =>
  [tensorArg([1, C, H, H]), tensorArg([O, C, R, R]), [s, s], [1, 1, 1, 1].map(() => (R - 1) >> 1), [1, 1], 1];
const packed = (C: number, H: number, O: number, R: number): unknown[] =>
  [tensorArg([1, C, H, H]), tensorArg([Math.ceil(O / 8), C, R, R, 8]), [1, 1], [1, 1, 1, 1].map(() => (R - 1) >> 1), [1, 1], O];

/** Case name → template, args, target. */
const CASES: Record<string, { name: string; args: unknown[]; target: string }> = {
  'packed-C2': { name: 'conv2d_nchw_packed.webgpu', args: packed(64, 56, 64, 3), target: LP },
  'packed-C6': { name: 'conv2d_nchw_packed.webgpu', args: packed(128, 28, 128, 3), target: LP },
  'packed-C9': { name: 'conv2d_nchw_packed.webgpu', args: packed(256, 14, 256, 3), target: LP },
  'packed-S18': { name: 'conv2d_nchw_packed.webgpu', args: packed(16, 14, 16, 3), target: LP },
  'conv-C6': { name: 'conv2d_nchw.webgpu', args: conv(128, 28, 128, 3), target: LP },
  'conv-C12': { name: 'conv2d_nchw.webgpu', args: conv(512, 7, 512, 3), target: LP },
  'conv-C6-sg': { name: 'conv2d_nchw.webgpu', args: conv(128, 28, 128, 3), target: SG },
  'dw-D1': { name: 'depthwise_conv2d_nchw.webgpu', args: [tensorArg([1, 32, 112, 112]), tensorArg([32, 1, 3, 3]), [1, 1], [1, 1, 1, 1], [1, 1]], target: LP },
  'dw-D9': { name: 'depthwise_conv2d_nchw.webgpu', args: [tensorArg([1, 1024, 7, 7]), tensorArg([1024, 1, 3, 3]), [1, 1], [1, 1, 1, 1], [1, 1]], target: LP },
  'winograd-C6': { name: 'conv2d_winograd.webgpu', args: conv(128, 28, 128, 3), target: LP },
  'mm-512': { name: 'matmul.webgpu', args: [tensorArg([512, 512]), tensorArg([512, 512])], target: LP },
  'mm-512-sg': { name: 'matmul.webgpu', args: [tensorArg([512, 512]), tensorArg([512, 512])], target: SG },
  'dense-bert': { name: 'dense.webgpu', args: [tensorArg([128, 768]), tensorArg([3072, 768])], target: LP },
};

const { values: args } = benchArgs({
  script: 'bench/wgsl_size.ts',
  about: 'WGSL bytes of N random valid configs per case (template × workload × WebGPU target), the default\'s and TopHub\'s.',
  options: {
    cases: { type: 'string', default: Object.keys(CASES).join(',') },
    n: { type: 'string', default: '60' },
    seed: { type: 'string', default: '1' },
    json: { type: 'string', default: '' },
    log: { type: 'string', default: '' },
  },
  help: { cases: `comma-separated: ${Object.keys(CASES).join(', ')}`, n: 'configs sampled per case', seed: 'sampling seed', json: 'also write the rows here', log: 'instead: the WGSL sizes of the configs a tuning log of packed-C6 measured (its proposals)' },
});

async function wgslBytes(task: Task, index: number): Promise<number | string> {
  const b = await buildCandidate({ taskName: task.name, args: task.args, target: task.target, configIndex: index });
  return b.artifact ? b.artifact.bytes.length : `error ${b.errorNo}: ${(b.errorMsg ?? '').slice(0, 120)}`;
}

const q = (xs: readonly number[], p: number): number => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
const kb = (x: number): string => `${(x / 1000).toFixed(1)} KB`;

registerAll();
if (args.log) {
  const c = CASES['packed-C6']!;
  const task = createTask(c.name, c.args as never, c.target);
  const lines = readFileSync(args.log, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const rows = lines.map((l) => JSON.parse(l) as { config: { index: number }; result: [number[], number] });
  const sizes: number[] = [];
  for (const r of rows) {
    const b = await wgslBytes(task, r.config.index);
    console.log(`config ${r.config.index}: error ${r.result[1]}, ${typeof b === 'number' ? kb(b) : b}`);
    if (typeof b === 'number') sizes.push(b);
  }
  sizes.sort((a, b) => a - b);
  console.log(`${args.log}: ${rows.length} configs, WGSL median ${kb(q(sizes, 0.5))}, max ${kb(sizes.at(-1) ?? 0)}`);
  process.exit(0);
}
const n = intArg('bench/wgsl_size.ts', 'n', args.n);
const out: unknown[] = [];
for (const id of listArg(args.cases)) {
  const c = CASES[id];
  if (!c) throw new RangeError(`bench/wgsl_size.ts: unknown case '${id}' (known: ${Object.keys(CASES).join(', ')})`);
  const task = createTask(c.name, c.args as never, c.target);
  const rng = new Rng(intArg('bench/wgsl_size.ts', 'seed', args.seed, 0));
  const sizes: number[] = [];
  const errors: string[] = [];
  const t0 = performance.now();
  let biggest = { index: -1, bytes: 0 };
  for (let k = 0; k < n; k++) {
    const i = task.space.sampleValid(rng);
    if (i === undefined) break;
    const b = await wgslBytes(task, i);
    if (typeof b === 'string') errors.push(`${i}: ${b}`);
    else {
      sizes.push(b);
      if (b > biggest.bytes) biggest = { index: i, bytes: b };
    }
  }
  sizes.sort((a, b) => a - b);
  const def = task.defaultConfig?.();
  const defBytes = def ? await wgslBytes(task, def.index) : undefined;
  const row = {
    case: id, template: c.name, target: c.target, space: task.space.sizeText(), sampled: sizes.length, errors,
    min: sizes[0], p50: q(sizes, 0.5), p90: q(sizes, 0.9), p99: q(sizes, 0.99), max: sizes.at(-1), biggest,
    default: defBytes, seconds: (performance.now() - t0) / 1000,
  };
  out.push(row);
  console.log(`${id.padEnd(12)} ${c.name} '${c.target}' space ${row.space}: ${sizes.length} sampled, WGSL min ${kb(row.min ?? 0)}, ` +
    `p50 ${kb(row.p50)}, p90 ${kb(row.p90)}, p99 ${kb(row.p99)}, max ${kb(row.max ?? 0)} (config ${biggest.index}); default ` +
    `${typeof defBytes === 'number' ? kb(defBytes) : String(defBytes)}${errors.length ? `; ${errors.length} errors: ${errors[0]}` : ''} (${row.seconds.toFixed(0)} s)`);
}
if (args.json) writeFileSync(args.json, JSON.stringify(out, null, 1));
