// bench/model_kernels.ts — per-kernel time of a generated test model built with relay (never a test): each
// kernel of the plan loaded alone, bound to fresh arrays of its argument shapes and timed (median µs of
// TVM's time evaluator), with the whole model's median. The machine may be shared: numbers are noisy.
// Run: npx tsx bench/model_kernels.ts [model=resnet] [threads=1] [--alter (build with alterOpLayout: NCHW[x]c convs)]

import { build } from '../relay/backend/build.js';
import { fromOnnx } from '../relay/frontend/onnx.js';
import { array } from '../runtime/ndarray.js';
import { timeRuns } from '../runtime/time_evaluator.js';
import { loadWasm } from '../runtime/wasm_module.js';
import { inputData } from '../tests/relay/models/reference.js';
import { ZOO } from '../tests/relay/models/zoo.js';
import { benchArgs, intArg, usageError } from './bench_args.js';

const SCRIPT = 'bench/model_kernels.ts';
const { values: opt, positionals: pos } = benchArgs({
  script: SCRIPT,
  about: 'Per-kernel time of a generated test model built with relay, each kernel timed alone, and the whole model.',
  positionals: [{ name: 'model', help: `one of ${Object.keys(ZOO).join(', ')} (default resnet)` }, { name: 'threads', help: 'wasm threads (default 1)' }],
  options: { alter: { type: 'boolean', default: false } },
  help: { alter: 'build with alterOpLayout (NCHW[x]c convolutions)' },
});
const alterOpLayout = opt.alter;
const name = (pos[0] ?? 'resnet') as keyof typeof ZOO;
const threads = intArg(SCRIPT, 'threads', pos[1] ?? '1');
if (!(name in ZOO)) usageError(SCRIPT, `model must be one of ${Object.keys(ZOO).join(', ')}, got '${name}'`);
const m = ZOO[name]();
const lib = await build(fromOnnx(m.bytes, { shapes: m.inputs }), { target: `wasm -threads=${threads}`, tuningLogs: [], alterOpLayout });
const data = Object.fromEntries(Object.entries(m.inputs).map(([k, s], i) => [k, inputData(s, 3 + i)]));
let total = 0;
for (const k of lib.plan.kernels) {
  const mod = await loadWasm(k.artifact);
  const args = k.args.map((a) => array(new Float32Array(a.shape.reduce((p, v) => p * v, 1)).map((_, i) => Math.sin(i)), [...a.shape]));
  const call = mod.bind(...args);
  const t = await timeRuns(call, { repeat: 15, minRepeatMs: 20 });
  total += t.median;
  console.log(`${k.name.padEnd(48)} ${k.args.map((a) => `[${a.shape.join('x')}]`).join(' ').padEnd(60)} ${(t.median * 1e6).toFixed(1).padStart(7)} µs`);
  args.forEach((a) => a.free());
}
const whole = await lib.benchmark(data, { repeat: 9, minRepeatMs: 50 });
console.log(`sum of kernels ${(total * 1e6).toFixed(1)} µs; whole model median ${(whole.median * 1e6).toFixed(1)} µs`);
process.exit(0);
