// bench/pool.ts — per-kernel time of the pooling ops under ops.defaultSchedule on wasm (never a test):
// the ResNet-style test model's max pool, a ResNet-18 stem max pool, average pools and a global average
// pool, median µs of TVM's time evaluator. The machine may be shared: numbers are noisy.
// Run: npx tsx bench/pool.ts [target]   (default 'wasm -threads=1')

import type { Pool2dOptions } from '../ops/nn/pool.js';
import type { Tensor } from '../schedule/tensor.js';
import { benchArgs } from './bench_args.js';

const { positionals } = benchArgs({
  script: 'bench/pool.ts',
  about: 'Per-kernel time of the pooling ops under ops.defaultSchedule on wasm (median µs).',
  positionals: [{ name: 'target', help: "target string (default 'wasm -threads=1')" }],
  options: {}, help: {},
});
// The heavy modules load after the arguments are read, so --help and usage errors answer at once.
const { defaultSchedule } = await import('../ops/default_schedule.js');
const { avgPool2d, globalAvgPool2d, maxPool2d } = await import('../ops/nn/pool.js');
const { relu } = await import('../ops/elementwise.js');
const { build } = await import('../runtime/build.js');
const { array } = await import('../runtime/ndarray.js');
const { lower } = await import('../schedule/lower.js');
const { placeholder } = await import('../schedule/tensor.js');
const target = positionals[0] ?? 'wasm -threads=1';

interface Row { name: string; shape: number[]; make: (x: Tensor) => Tensor }
const p = (k: number, s: number, pad: number, extra: Partial<Pool2dOptions> = {}): Pool2dOptions => ({ kernel: [k, k], strides: [s, s], padding: [pad, pad, pad, pad], ...extra });
const ROWS: Row[] = [
  { name: 'resnet-style maxpool 3x3/2 p1, 8x20x20', shape: [1, 8, 20, 20], make: (x) => maxPool2d(x, p(3, 2, 1)) },
  { name: 'resnet-18 maxpool 3x3/2 p1, 64x112x112', shape: [1, 64, 112, 112], make: (x) => maxPool2d(x, p(3, 2, 1)) },
  { name: 'maxpool 2x2/2 + relu, 32x56x56', shape: [1, 32, 56, 56], make: (x) => relu(maxPool2d(x, p(2, 2, 0))) },
  { name: 'avgpool 3x3/1 p1, 32x28x28', shape: [1, 32, 28, 28], make: (x) => avgPool2d(x, p(3, 1, 1)) },
  { name: 'avgpool 2x2/2, 8x16x16 (unet)', shape: [1, 8, 16, 16], make: (x) => avgPool2d(x, p(2, 2, 0)) },
  { name: 'global avgpool 16x5x5', shape: [1, 16, 5, 5], make: (x) => globalAvgPool2d(x) },
  { name: 'global avgpool 512x7x7', shape: [1, 512, 7, 7], make: (x) => globalAvgPool2d(x) },
];

for (const r of ROWS) {
  const x = placeholder(r.shape, 'float32', 'x');
  const out = r.make(x);
  const s = defaultSchedule([out], target);
  const mod = await build(lower(s, [x, out], { name: 'pool' }), target);
  const a = [array(Float32Array.from({ length: r.shape.reduce((q, v) => q * v, 1) }, (_, i) => Math.sin(i)), r.shape), array(new Float32Array(out.dims.reduce((q, v) => q * v, 1)), [...out.dims])];
  const t = await mod.timeEvaluator({ number: 1, repeat: 15, minRepeatMs: 50 }).run(...a);
  console.log(`${r.name.padEnd(44)} ${(t.median * 1e6).toFixed(1).padStart(8)} µs`);
  a.forEach((q) => q.free());
  mod.dispose();
}
process.exit(0);
