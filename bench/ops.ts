// bench/ops.ts — the operator benchmark (never a test): every workload of ../shared/workloads.json built from
// ops/ with scheduleAnchor, untuned (the template fallback) and tuned (shipped TopHub logs, when they have a
// record), beside the peers in the same run: @tensorflow/tfjs-backend-wasm (1 thread) against wasm -threads=1,
// onnxruntime-web (wasm EP, a one-node ONNX model: bench/ort_one_node.ts) with the same thread count as the
// target (--ort-threads, default the last of --threads; ORT fixes its thread count once per process),
// @tensorflow/tfjs-backend-webgpu against webgpu (with --webgpu); dense and matmul also prepacked (the weight a
// constant, as in a model and as ORT gets it: bench/ops_prepacked.ts); conv2d also as NCHWc, (3×3, stride 1)
// Winograd F(2×2, 3×3) and im2col + gemm (conv2d_gemm; 'gemm nchwc': conv2d_gemm_NCHWc with the 'nchwc' row's transforms), counted at the direct convolution's FLOPs; depthwise also as depthwise_conv2d_NCHWc
// on NCHW4c data and output (packed in and out, as between packed layers of a model; tfjs-wasm's NHWC too). GFLOP/s (2 × multiply-adds; the best of the
// repeats: the machine is shared) and ratios (ours ÷ peer: > 1 is faster than the peer).
// Run: npx tsx bench/ops.ts [--only=C6,MM-512] [--threads=1,2] [--ort-threads=1] [--no-ort] [--webgpu | --webgpu-only] [--repeat=5] [--timer=process-cpu]   (--help)

import { benchArgs, intArg, listArg, usageError } from './bench_args.js';
import { initTfjsWasm } from './tfjs_wasm.js';

const SCRIPT = 'bench/ops.ts';
const { values: opt } = benchArgs({
  script: SCRIPT,
  about: 'Every workload of ../shared/workloads.json on wasm (untuned, TopHub-tuned) beside tfjs-wasm and onnxruntime-web; --webgpu adds webgpu beside tfjs-webgpu.',
  options: {
    only: { type: 'string', default: '' },
    threads: { type: 'string', default: '1' },
    'ort-threads': { type: 'string' },
    'no-ort': { type: 'boolean', default: false },
    webgpu: { type: 'boolean', default: false },
    'webgpu-only': { type: 'boolean', default: false },
    repeat: { type: 'string', default: '5' },
    timer: { type: 'string', default: 'wall' },
    also: { type: 'string', default: '' },
  },
  help: {
    only: 'workload ids, comma-separated (e.g. C6,MM-512); all when empty',
    threads: 'wasm thread counts, comma-separated',
    'ort-threads': 'onnxruntime-web threads (fixed once per process); default: the last of --threads',
    'no-ort': 'skip onnxruntime-web',
    webgpu: 'also webgpu vs @tensorflow/tfjs-backend-webgpu',
    'webgpu-only': 'only webgpu vs tfjs-webgpu (no wasm rows, no wasm peers)',
    repeat: 'timed repeats per measurement (best kept)',
    also: 'more wasm attribute sets, comma-separated (-strength-reduce=0): a row each beside the plain wasm target\'s (A/B of a codegen option; tuned only where TopHub has that exact target)',
    timer: "wall | process-cpu: what a measurement reads; process-cpu (the process's CPU time, steady on a loaded machine, as autotune's runner) only with --threads=1 and onnxruntime-web on 1 thread, no webgpu",
  },
});
// The heavy modules load after the arguments are read, so --help and usage errors answer at once.
const tf = await import('@tensorflow/tfjs-core');
type TfTensor = import('@tensorflow/tfjs-core').Tensor;
const { setTemplateWarningSink } = await import('../autotune/apply_template.js');
const { registerAll } = await import('../ops/register.js');
const { getWebGPUContext } = await import('../runtime/webgpu/device.js');
const { timeRuns } = await import('../runtime/time_evaluator.js');
const { ortSeconds } = await import('./ort_one_node.js');
const { defaultWorkloadsFile } = await import('../cli/workloads.js');
const { buildOurs, loadWorkloads, make, seeded } = await import('./ops_kernels.js');
const { buildPrepacked } = await import('./ops_prepacked.js');
type Workload = import('./ops_kernels.js').Workload;
type Variant = import('./ops_kernels.js').Variant;
const only = listArg(opt.only);
const threads = listArg(opt.threads).map((t) => intArg(SCRIPT, '--threads', t));
const repeat = intArg(SCRIPT, '--repeat', opt.repeat);
const webgpuOnly = opt['webgpu-only'];
const withWebGPU = opt.webgpu || webgpuOnly;
const ortThreads = intArg(SCRIPT, '--ort-threads', opt['ort-threads'] ?? String(threads[threads.length - 1]));
const withOrt = !opt['no-ort'];
const timer = opt.timer as 'wall' | 'process-cpu';
if (timer !== 'wall' && timer !== 'process-cpu') usageError(SCRIPT, `--timer: expected wall or process-cpu, got '${opt.timer}'`);
if (timer === 'process-cpu') {
  // CPU time is a run's time only when one thread does all the work in this process.
  if (threads.some((t) => t !== 1)) usageError(SCRIPT, '--timer process-cpu needs --threads=1 (worker threads add their CPU time up)');
  if (withOrt && ortThreads !== 1) usageError(SCRIPT, '--timer process-cpu needs --ort-threads=1 (or --no-ort)');
  if (withWebGPU) usageError(SCRIPT, "--timer process-cpu cannot time webgpu (the GPU's work is not this process's CPU time)");
}

const workloads = loadWorkloads();
for (const id of only) if (!workloads.some((w) => w.id === id)) usageError(SCRIPT, `--only: no workload '${id}' in ${defaultWorkloadsFile()} (ids: ${workloads.map((w) => w.id).join(', ')})`);

/** Seconds per run of our build (best of `repeat`), or the reason there is none. */
async function ours(w: Workload, target: string, tuned: boolean, variant: Variant | 'prepacked' = ''): Promise<number | string> {
  const built = variant === 'prepacked' ? await buildPrepacked(w, target, tuned) : await buildOurs(w, target, tuned, variant);
  if (typeof built === 'string') return built;
  const { mod, arrays } = built;
  try {
    const t = await mod.timeEvaluator({ number: 1, repeat, minRepeatMs: 200, timer }).run(...arrays);
    return t.min;
  } finally {
    arrays.forEach((a) => a.free());
    mod.dispose();
  }
}

/** Seconds per run of the same op on the current tfjs backend (NHWC convolutions, as tfjs runs them). */
async function tfjs(w: Workload): Promise<number> {
  // tfjs-webgpu in Node has no synchronous readback (it needs OffscreenCanvas): read back asynchronously there.
  const sync = (t: TfTensor): Promise<void> | void => {
    if (tf.getBackend() === 'webgpu') return t.data().then(() => t.dispose());
    t.dataSync();
    t.dispose();
  };
  let run: () => Promise<void> | void;
  const keep: TfTensor[] = [];
  const t = <T extends TfTensor>(x: T): T => { keep.push(x); return x; };
  switch (w.op) {
    case 'matmul': case 'dense': {
      const a = t(tf.tensor2d(seeded(w.M! * w.K!, 1), [w.M!, w.K!]));
      const b = t(w.op === 'dense' ? tf.tensor2d(seeded(w.N! * w.K!, 2), [w.N!, w.K!]) : tf.tensor2d(seeded(w.K! * w.N!, 2), [w.K!, w.N!]));
      run = () => sync(tf.matMul(a, b, false, w.op === 'dense'));
      break;
    }
    case 'batch_matmul': {
      const a = t(tf.tensor3d(seeded(w.B! * w.M! * w.K!, 1), [w.B!, w.M!, w.K!]));
      const b = t(tf.tensor3d(seeded(w.B! * w.K! * w.N!, 2), [w.B!, w.K!, w.N!]));
      run = () => sync(tf.matMul(a, b));
      break;
    }
    default: {
      const dw = w.op === 'depthwise_conv2d';
      const x = t(tf.tensor4d(seeded(w.C! * w.H! * w.W!, 1), [1, w.H!, w.W!, w.C!]));
      const pad: [[number, number], [number, number], [number, number], [number, number]] = [[0, 0], [w.pad!, w.pad!], [w.pad!, w.pad!], [0, 0]];
      if (dw) {
        const f = t(tf.tensor4d(seeded(w.R! * w.R! * w.C!, 2), [w.R!, w.R!, w.C!, 1]));
        run = () => sync(tf.depthwiseConv2d(x, f, w.stride!, pad));
      } else {
        const f = t(tf.tensor4d(seeded(w.R! * w.R! * w.C! * w.O!, 2), [w.R!, w.R!, w.C!, w.O!]));
        run = () => sync(tf.conv2d(x, f, w.stride!, pad));
      }
    }
  }
  await run();
  const r = await timeRuns(run, { number: 1, repeat, minRepeatMs: 200, timer });
  keep.forEach((x) => x.dispose());
  return r.min;
}

const fmt = (flop: number, v: number | string | undefined): string => (typeof v === 'number' ? (flop / v / 1e9).toFixed(2) : v ?? '—');
const ratio = (a: number | string | undefined, b: number | string | undefined): string => (typeof a === 'number' && typeof b === 'number' ? `${(b / a).toFixed(2)}×` : '—');

async function main(): Promise<void> {
  registerAll();
  setTemplateWarningSink(() => undefined);
  await initTfjsWasm(1);
  console.log(`# tensortune ops benchmark — GFLOP/s, best of ${repeat}, timed by ${timer === "wall" ? "wall clock (shared machine: noisy)" : "process CPU time"}; V8 ${process.versions.v8}`);
  console.log(`# peers: tfjs-wasm 1 thread; onnxruntime-web wasm ${withOrt ? `${ortThreads} thread(s), on the rows of wasm -threads=${ortThreads}` : 'not run (--no-ort)'}`);
  console.log('| workload | target | untuned | tuned (TopHub) | tfjs-wasm | ORT-web | untuned / tfjs | tuned / tfjs | untuned / ORT | tuned / ORT |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const w of webgpuOnly ? [] : workloads.filter((x) => only.length === 0 || only.includes(x.id))) {
    const { flop } = make(w);
    const peer = await tfjs(w);
    const ort = withOrt && threads.includes(ortThreads) ? await ortSeconds(w, ortThreads, repeat, seeded, timer).catch((e: Error) => `ORT failed: ${e.message.split('\n')[0]}`) : undefined;
    const row = (name: string, target: string, u: number | string, tu: number | string, o: number | string | undefined): void => {
      console.log(`| ${name} | ${target} | ${fmt(flop, u)} | ${fmt(flop, tu)} | ${fmt(flop, peer)} | ${fmt(flop, o)} | ${ratio(u, peer)} | ${ratio(tu, peer)} | ${ratio(u, o)} | ${ratio(tu, o)} |`);
    };
    for (const n of threads) {
      const target = `wasm -threads=${n}`;
      const o = n === ortThreads ? ort : undefined;
      row(w.id, target, await ours(w, target, false), await ours(w, target, true), o);
      for (const attrs of listArg(opt.also)) row(w.id, `${target} ${attrs}`, await ours(w, `${target} ${attrs}`, false), await ours(w, `${target} ${attrs}`, true), o);
      // The weight as a model's constant (the prepacked task, packed on the host where the config packs): what a model
      // build runs, and what onnxruntime-web (weights as initializers, prepacked at session creation) is given.
      if (w.op === 'dense' || w.op === 'matmul') row(`${w.id} (prepacked)`, target, await ours(w, target, false, 'prepacked'), await ours(w, target, true, 'prepacked'), o);
      if (w.op === 'depthwise_conv2d' && w.C! % 4 === 0) {
        row(`${w.id} (nchwc packed)`, target, await ours(w, target, false, 'nchwc packed'), await ours(w, target, true, 'nchwc packed'), o);
      }
      if (w.op === 'conv2d') {
        for (const variant of ['nchwc', 'winograd', 'winograd m4', 'gemm', 'gemm nchwc'] as const) {
          if (variant.startsWith('winograd') && (w.R !== 3 || w.stride !== 1)) continue;
          row(`${w.id} (${variant})`, target, await ours(w, target, false, variant), await ours(w, target, true, variant), o);
        }
      }
    }
  }
  if (withWebGPU) {
    // tfjs-backend-webgpu registers itself only if `navigator.gpu` exists when it is imported: give it Dawn's.
    const g = globalThis as { navigator?: { gpu?: GPU } };
    if (!g.navigator) Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true, writable: true });
    g.navigator!.gpu = (await getWebGPUContext()).gpu;
    await import('@tensorflow/tfjs-backend-webgpu');
    const ok = await tf.setBackend('webgpu').catch(() => false);
    for (const w of workloads.filter((x) => only.length === 0 || only.includes(x.id))) {
      const { flop } = make(w);
      const peer = ok ? await tfjs(w) : 'unavailable';
      const u = await ours(w, 'webgpu', false);
      const tu = await ours(w, 'webgpu', true);
      console.log(`| ${w.id} | webgpu | ${fmt(flop, u)} | ${fmt(flop, tu)} | ${fmt(flop, peer)} (tfjs-webgpu) | — | ${ratio(u, peer)} | ${ratio(tu, peer)} | — | — |`);
    }
  }
  process.exit(0);
}

await main();
