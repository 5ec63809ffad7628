// bench/winograd_accuracy.ts — how many float32 bits Winograd loses: conv2d_winograd (F(2×2, 3×3)),
// conv2d_winograd_m4 (F(4×4, 3×3)) and the direct conv2d_nchw kernel, untuned defaults with the weights transformed
// on the host (as a model build runs them), against a float64 direct convolution in plain JS, on 3×3 stride-1 pad-1
// workloads (C2, C6, C9, C12 sizes) with uniform [−1, 1) data and weights. Prints per kernel the largest error
// relative to the largest output, max |y − ref| / max |ref|, and the largest error relative to its own output's
// scale Σ|x|·|w| (the bound a float32 dot product of that length meets), and the median elementwise relative error.
// The tolerances of tests/ops/conv2d_winograd_m4.test.ts come from these numbers. Never a test.
// Run: nice -n 10 npx tsx bench/winograd_accuracy.ts [--only=C2,C6] [--seed=1]

import { buildCandidate } from '../autotune/measure/build_candidate.js';
import { createTask, tensorArg } from '../autotune/task.js';
import { winogradWeightTransform } from '../ops/nn/conv2d_winograd.js';
import { registerAll } from '../ops/register.js';
import { load } from '../runtime/build.js';
import { array } from '../runtime/ndarray.js';
import { benchArgs, intArg, listArg } from './bench_args.js';
import { loadWorkloads } from './ops_kernels.js';

const SCRIPT = 'bench/winograd_accuracy.ts';
const { values: opt } = benchArgs({
  script: SCRIPT,
  about: 'Winograd F(2×2) and F(4×4) vs the direct kernel: float32 error against a float64 direct convolution.',
  options: { only: { type: 'string', default: 'C2,C6,C9,C12' }, seed: { type: 'string', default: '1' } },
  help: { only: 'conv2d workload ids (3×3, stride 1)', seed: 'data seed' },
});
const seed = intArg(SCRIPT, '--seed', opt.seed);
registerAll();

function uniform(n: number, s: number): Float32Array {
  let x = (s * 2654435761) >>> 0;
  return Float32Array.from({ length: n }, () => { x = (Math.imul(x, 1664525) + 1013904223) >>> 0; return x / 2 ** 31 - 1; });
}

/** float64 direct 3×3 convolution, pad 1, stride 1, and per output Σ|x|·|w| (its rounding scale). */
function reference(x: Float32Array, w: Float32Array, C: number, H: number, W: number, O: number): { y: Float64Array; scale: Float64Array } {
  const y = new Float64Array(O * H * W);
  const scale = new Float64Array(O * H * W);
  for (let o = 0; o < O; o++) for (let c = 0; c < C; c++) for (let ky = 0; ky < 3; ky++) for (let kx = 0; kx < 3; kx++) {
    const g = w[((o * C + c) * 3 + ky) * 3 + kx]!;
    for (let h = 0; h < H; h++) {
      const ih = h + ky - 1;
      if (ih < 0 || ih >= H) continue;
      for (let v = 0; v < W; v++) {
        const iw = v + kx - 1;
        if (iw < 0 || iw >= W) continue;
        const d = x[(c * H + ih) * W + iw]!;
        y[(o * H + h) * W + v]! += d * g;
        scale[(o * H + h) * W + v]! += Math.abs(d * g);
      }
    }
  }
  return { y, scale };
}

async function run(template: string, args: unknown[], inputs: Float32Array[]): Promise<Float32Array> {
  const task = createTask(template, args as Parameters<typeof createTask>[1], 'wasm -threads=1');
  const b = await buildCandidate({ taskName: task.name, args: task.args, target: task.target, configIndex: task.defaultConfig!()!.index });
  if (!b.artifact) throw new Error(`${template}: did not build (${b.errorMsg?.split('\n')[0]})`);
  const m = await load(b.artifact);
  const arrays = task.naive().tensors.map((t, i) => array(i < inputs.length ? inputs[i]! : new Float32Array(t.dims.reduce((a, c) => a * c, 1)), [...t.dims]));
  await m.run(...arrays);
  const out = arrays[arrays.length - 1]!.toArray() as Float32Array;
  arrays.forEach((a) => a.free());
  m.dispose();
  return out;
}

const fmt = (v: number): string => v.toExponential(2);
console.log(`# ${SCRIPT} — ${new Date().toISOString()}, seed ${seed}, data and weights uniform [−1, 1), untuned defaults, wasm -threads=1`);
console.log('| workload | kernel | max err ÷ max |ref| | max err ÷ Σ|x·w| | median rel. err |');
console.log('|---|---|---|---|---|');
const only = listArg(opt.only);
for (const w of loadWorkloads().filter((x) => only.includes(x.id))) {
  const { C, H, W, O } = w as unknown as { C: number; H: number; W: number; O: number };
  const x = uniform(C * H * W, seed * 7 + 1);
  const g = uniform(O * C * 9, seed * 7 + 2);
  const ref = reference(x, g, C, H, W, O);
  const maxRef = ref.y.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
  const X = tensorArg([1, C, H, W]);
  const p4 = [1, 1, 1, 1];
  const kernels: [string, Promise<Float32Array>][] = [
    ['conv2d_nchw (direct)', run('conv2d_nchw.wasm', [X, tensorArg([O, C, 3, 3]), [1, 1], p4, [1, 1], 1], [x, g])],
    ['winograd F(2×2, 3×3)', run('conv2d_winograd.wasm', [X, tensorArg([16, O, C]), p4], [x, winogradWeightTransform(g, [O, C, 3, 3], 2)])],
    ['winograd F(4×4, 3×3)', run('conv2d_winograd_m4.wasm', [X, tensorArg([36, O, C]), p4], [x, winogradWeightTransform(g, [O, C, 3, 3], 4)])],
  ];
  for (const [name, p] of kernels) {
    const y = await p;
    let maxErr = 0, maxScaled = 0;
    const rel: number[] = [];
    y.forEach((v, i) => {
      const e = Math.abs(v - ref.y[i]!);
      maxErr = Math.max(maxErr, e);
      maxScaled = Math.max(maxScaled, e / ref.scale[i]!);
      rel.push(e / Math.max(Math.abs(ref.y[i]!), 1e-30));
    });
    rel.sort((a, b) => a - b);
    console.log(`| ${w.id} | ${name} | ${fmt(maxErr / maxRef)} | ${fmt(maxScaled)} | ${fmt(rel[rel.length >> 1]!)} |`);
  }
}
