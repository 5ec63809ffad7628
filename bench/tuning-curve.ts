// bench/tuning-curve.ts — auto-tuning matmul on wasm: best GFLOP/s vs trials for random, GA and XGB search
// (JSON + SVG), trials to reach 90% of the best found; the tuned kernel beside tfjs-backend-wasm
// (1 thread) and onnxruntime-web (2 threads); and the webgpu template tuned on the adapter at hand.
// Run: npx tsx bench/tuning-curve.ts [--trials 300] [--seeds 3] [--size 512] [--webgpu-trials 32]
//      [--plan-size 64] [--tuners random,ga,xgb] [--no-peers] [--no-webgpu] [--out bench/out]
//      [--config INDEX --rounds 3]   (peers only for a given config: --trials 0 --tuners '')

import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import type { MeasureOption } from '../autotune/measure/measure.js';
import type { ConfigEntity } from '../autotune/space.js';
import type { Task } from '../autotune/task.js';
import type { Tuner } from '../autotune/tuner.js';
import { benchArgs, intArg, listArg } from './bench_args.js';

const SCRIPT = 'bench/tuning-curve.ts';
const { values: opt } = benchArgs({
  script: SCRIPT,
  about: 'Auto-tuning matmul on wasm: best GFLOP/s vs trials for random, GA and XGB (JSON + SVG); the tuned kernel beside tfjs-backend-wasm and onnxruntime-web; the webgpu template tuned.',
  options: {
    trials: { type: 'string', default: '300' },
    seeds: { type: 'string', default: '3' },
    size: { type: 'string', default: '512' },
    tuners: { type: 'string', default: 'random,ga,xgb' },
    'webgpu-trials': { type: 'string', default: '32' },
    /** AutoTVM's 64; a short run needs smaller plans for the model to be used at all. */
    'plan-size': { type: 'string', default: '64' },
    'no-peers': { type: 'boolean', default: false },
    'no-webgpu': { type: 'boolean', default: false },
    out: { type: 'string', default: 'bench/out' },
    /** Compare this config index with the peers instead of the best one tuned here. */
    config: { type: 'string' },
    rounds: { type: 'string', default: '3' },
  },
  help: {
    trials: 'trials per tuning run', seeds: 'seeds per tuner', size: 'matmul n (n³)', tuners: 'random, ga, xgb; comma-separated',
    'webgpu-trials': 'XGB trials of the webgpu template', 'plan-size': 'XGB model refit every this many results (AutoTVM: 64)',
    'no-peers': 'skip tfjs-backend-wasm and onnxruntime-web', 'no-webgpu': 'skip the webgpu part', out: 'output folder',
    config: 'compare this config index with the peers instead of the best tuned here', rounds: 'interleaved peer rounds',
  },
});
// The heavy modules load after the arguments are read, so --help and usage errors answer at once.
const { progressBar } = await import('../autotune/callbacks.js');
const { GATuner } = await import('../autotune/ga_tuner.js');
const { gflops, localBuilder, localRunner, measureOption } = await import('../autotune/measure/measure.js');
const { RandomTuner } = await import('../autotune/random_tuner.js');
const { FallbackConfigEntity } = await import('../autotune/fallback_config.js');
const { createTask } = await import('../autotune/task.js');
const { XGBTuner } = await import('../autotune/xgb_tuner.js');
const { registerAll } = await import('../ops/register.js');
const { buildWebGPU } = await import('../runtime/webgpu/build_webgpu.js');
const { getWebGPUContext } = await import('../runtime/webgpu/device.js');
const { hostArray, naiveMatmul, seeded } = await import('./bench_util.js');
const { tuningCurveChart } = await import('./tuning_curve_chart.js');
const nTrial = intArg(SCRIPT, '--trials', opt.trials, 0);
const nSeeds = intArg(SCRIPT, '--seeds', opt.seeds);
const n = intArg(SCRIPT, '--size', opt.size);
const tunerNames = listArg(opt.tuners);
const planSize = intArg(SCRIPT, '--plan-size', opt['plan-size']);
const flop = 2 * n * n * n;
const args = [['TENSOR', [n, n], 'float32'], ['TENSOR', [n, n], 'float32']] as const;

function makeTuner(kind: string, task: Task, seed: number): Tuner {
  if (kind === 'random') return new RandomTuner(task, { seed });
  if (kind === 'ga') return new GATuner(task, { seed });
  if (kind === 'xgb') return new XGBTuner(task, { seed, planSize });
  throw new Error(`unknown tuner '${kind}' (expected random, ga or xgb)`);
}

function newMeasure(): MeasureOption {
  return measureOption({ builder: localBuilder({ timeout: 60 }), runner: localRunner({ number: 1, repeat: 3, timeout: 120 }) });
}

interface Run { tuner: string; seed: number; gflops: number[]; best: number[]; bestConfig: number | null; seconds: number }

/** One tuning job; per-trial GFLOP/s in measurement order (0 for failed candidates). */
async function tuneOnce(kind: string, seed: number, task: Task, mo: MeasureOption): Promise<Run> {
  const tuner = makeTuner(kind, task, seed);
  const perTrial: number[] = [];
  const start = Date.now();
  await tuner.tune({
    nTrial, measureOption: mo, batchSize: 8,
    // Compare the search algorithms themselves: no tuner gets the template default for free.
    measureDefaultFirst: false,
    callbacks: [
      (_t, inputs, results) => { inputs.forEach((inp, k) => perTrial.push(gflops(inp.task, results[k]!))); },
      progressBar(nTrial, { prefix: `[${kind} seed ${seed}]` }),
    ],
  });
  const best: number[] = [];
  perTrial.forEach((g, i) => best.push(Math.max(g, best[i - 1] ?? 0)));
  return { tuner: kind, seed, gflops: perTrial, best, bestConfig: tuner.bestConfig?.index ?? null, seconds: (Date.now() - start) / 1000 };
}

/** GFLOP/s of one config from its fastest repeat (5 repeats of ≥ 200 ms each). */
async function measureConfig(mo: MeasureOption, task: Task, config: ConfigEntity): Promise<number> {
  const [r] = await mo.measureBatch([{ task, config }]);
  if (r!.errorNo !== 0) throw new Error(`measuring config ${config.index} on ${task.target} failed: ${r!.errorMsg ?? r!.errorNo}`);
  return task.flop / Math.min(...r!.costs) / 1e9;
}

/** Fastest seconds per run of `fn` over 5 repeats of enough runs to last ≥ 200 ms each. */
async function timeIt(fn: () => unknown | Promise<unknown>): Promise<number> {
  await fn();
  let number = 1;
  for (;;) {
    const t = performance.now();
    for (let i = 0; i < number; i++) await fn();
    if (performance.now() - t >= 200 || number >= 1024) break;
    number *= 2;
  }
  const times: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    for (let i = 0; i < number; i++) await fn();
    times.push((performance.now() - t) / 1000 / number);
  }
  return Math.min(...times);
}

function inputs(): [Float32Array, Float32Array] {
  const a = Float32Array.from({ length: n * n }, (_, i) => ((i * 7919) % 13) / 13 - 0.5);
  const b = Float32Array.from({ length: n * n }, (_, i) => ((i * 104729) % 17) / 17 - 0.5);
  return [a, b];
}

/** A peer ready to time: GFLOP/s of one timing, and its thread count. */
interface Peer { time(): Promise<number>; threads: number }

/** @tensorflow/tfjs-backend-wasm matMul (XNNPACK; one thread in Node). */
async function tfjsWasm(): Promise<Peer> {
  const tf = await import('@tensorflow/tfjs-core');
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  if (!(await tf.setBackend('wasm'))) throw new Error('tf.setBackend("wasm") failed');
  await tf.ready();
  const [a, b] = inputs();
  const ta = tf.tensor2d(a, [n, n]);
  const tb = tf.tensor2d(b, [n, n]);
  const run = (): void => { const c = tf.matMul(ta, tb); c.dataSync(); c.dispose(); };
  return { time: async () => flop / (await timeIt(run)) / 1e9, threads: wasm.getThreadsCount() };
}

/** Protobuf field encoders, enough for a one-node ONNX model. */
const varint = (v: number): number[] => { const o: number[] = []; while (v > 127) { o.push((v & 127) | 128); v = Math.floor(v / 128); } o.push(v); return o; };
const fVarint = (f: number, v: number): number[] => [...varint(f << 3), ...varint(v)];
const fBytes = (f: number, b: readonly number[]): number[] => [...varint((f << 3) | 2), ...varint(b.length), ...b];
const utf8 = (s: string): number[] => [...Buffer.from(s, 'utf8')];

/** ONNX ModelProto (opset 13) with one MatMul node C = A·B, float32 [n, n] each. */
function matmulOnnx(): Uint8Array {
  const valueInfo = (name: string): number[] => {
    const dims = [n, n].flatMap((d) => fBytes(1, fVarint(1, d)));
    return [...fBytes(1, utf8(name)), ...fBytes(2, fBytes(1, [...fVarint(1, 1), ...fBytes(2, dims)]))];
  };
  const node = [...fBytes(1, utf8('A')), ...fBytes(1, utf8('B')), ...fBytes(2, utf8('C')), ...fBytes(3, utf8('mm')), ...fBytes(4, utf8('MatMul'))];
  const graph = [...fBytes(1, node), ...fBytes(2, utf8('matmul')), ...fBytes(11, valueInfo('A')), ...fBytes(11, valueInfo('B')), ...fBytes(12, valueInfo('C'))];
  return Uint8Array.from([...fVarint(1, 8), ...fBytes(8, [...fBytes(1, []), ...fVarint(2, 13)]), ...fBytes(7, graph)]);
}

/** onnxruntime-web's wasm execution provider with 2 threads. */
async function ortWeb(): Promise<Peer> {
  const ort = await import('onnxruntime-web');
  ort.env.wasm.numThreads = 2;
  const sess = await ort.InferenceSession.create(matmulOnnx(), { executionProviders: ['wasm'] });
  const [a, b] = inputs();
  const feeds = { A: new ort.Tensor('float32', a, [n, n]), B: new ort.Tensor('float32', b, [n, n]) };
  return { time: async () => flop / (await timeIt(() => sess.run(feeds))) / 1e9, threads: Number(ort.env.wasm.numThreads) };
}

/**
 * The tuned config beside the peers, like with like (1 thread vs tfjs, 2 threads vs ORT). The
 * machine may be shared, so the four are timed in interleaved rounds and each keeps its best
 * (fastest-repeat) figure: the least disturbed measurement of each.
 */
async function comparePeers(config: number, rounds: number): Promise<Record<string, unknown>> {
  const t1 = createTask('matmul.wasm', args, 'wasm -threads=1');
  const t2 = createTask('matmul.wasm', args, 'wasm -threads=2');
  const mo = measureOption({ builder: localBuilder({ timeout: 60 }), runner: localRunner({ repeat: 5, minRepeatMs: 200, timeout: 120 }) });
  const tfjs = await tfjsWasm();
  const ort = await ortWeb();
  const best = { ours1: 0, tfjs: 0, ours2: 0, ort: 0 };
  try {
    for (let r = 0; r < rounds; r++) {
      best.ours1 = Math.max(best.ours1, await measureConfig(mo, t1, t1.space.get(config)));
      best.tfjs = Math.max(best.tfjs, await tfjs.time());
      best.ours2 = Math.max(best.ours2, await measureConfig(mo, t2, t2.space.get(config)));
      best.ort = Math.max(best.ort, await ort.time());
    }
  } finally {
    await mo.close();
  }
  console.log(`\ntuned kernel (config ${config}), best of ${rounds} interleaved rounds, GFLOP/s:`);
  console.log(`  wasm -threads=1 ${best.ours1.toFixed(2)}  vs tfjs-backend-wasm (${tfjs.threads} thread) ${best.tfjs.toFixed(2)}  ratio ${(best.ours1 / best.tfjs).toFixed(2)}`);
  console.log(`  wasm -threads=2 ${best.ours2.toFixed(2)}  vs onnxruntime-web wasm (${ort.threads} threads) ${best.ort.toFixed(2)}  ratio ${(best.ours2 / best.ort).toFixed(2)}`);
  return {
    tunedConfig: t1.space.get(config).toData(), rounds, statistic: 'fastest repeat, best round',
    tensortuneThreads1: best.ours1, tfjsWasm: { gflops: best.tfjs, threads: tfjs.threads }, ratioVsTfjs: best.ours1 / best.tfjs,
    tensortuneThreads2: best.ours2, ortWeb: { gflops: best.ort, threads: ort.threads }, ratioVsOrt: best.ours2 / best.ort,
  };
}

/** The naive WebGPU matmul (one output per thread, 8×8 workgroups, no tiling): the baseline. */
async function webgpuNaive(): Promise<number> {
  const mod = await buildWebGPU(naiveMatmul(n, n, n, 8), 'webgpu');
  const t = await mod.timeEvaluator({ number: 1, repeat: 3, minRepeatMs: 200 })
    .run(hostArray([n, n], 'float32', seeded(1)), hostArray([n, n], 'float32', seeded(2)), hostArray([n, n]));
  mod.dispose();
  return flop / t.median / 1e9;
}

/** The webgpu template on the adapter at hand: naive kernel, untuned fallback config, XGB-tuned best. */
async function webgpuPart(trials: number): Promise<Record<string, unknown>> {
  const adapter = (await getWebGPUContext()).info;
  const naive = await webgpuNaive();
  const task = createTask('matmul.webgpu', args, 'webgpu');
  const mo = measureOption({ builder: localBuilder({ timeout: 60 }), runner: localRunner({ number: 1, repeat: 3, timeout: 120 }) });
  try {
    const fallback = new FallbackConfigEntity();
    task.instantiate(fallback);
    const fallbackConfig = task.space.entityFromData(fallback.toData());
    const tuner = new XGBTuner(task, { seed: 1, planSize: Math.min(planSize, Math.max(8, trials >> 1)) });
    await tuner.tune({ nTrial: trials, measureOption: mo, batchSize: 8, callbacks: [progressBar(trials, { prefix: '[webgpu xgb]' })] });
    const [fb] = await mo.measureBatch([{ task, config: fallbackConfig }]);
    const fallbackGflops = gflops(task, fb!);
    const tuned = tuner.bestFlops / 1e9;
    return {
      adapter, trials, naiveGflops: naive, ratioTunedOverNaive: tuned / naive, fallbackConfig: fallbackConfig.toData(), fallbackGflops, tunedGflops: tuned,
      tunedConfig: tuner.bestConfig?.toData() ?? null, ratioTunedOverFallback: fallbackGflops > 0 ? tuned / fallbackGflops : null,
    };
  } finally {
    await mo.close();
  }
}

async function main(): Promise<void> {
  registerAll();
  const task = createTask('matmul.wasm', args, 'wasm');
  console.log(`matmul ${n}³ on ${task.target} (${cpus().length} cores: ${cpus()[0]?.model ?? '?'}), space ${task.space.length} configs, ${nTrial} trials × ${nSeeds} seeds × [${tunerNames.join(', ')}]`);
  const runs: Run[] = [];
  const mo = newMeasure();
  try {
    for (let seed = 1; seed <= nSeeds; seed++) {
      for (const kind of tunerNames) runs.push(await tuneOnce(kind, seed, task, mo));
    }
  } finally {
    await mo.close();
  }
  const overall = Math.max(0, ...runs.flatMap((r) => r.best));
  const to90 = (r: Run): number | null => { const i = r.best.findIndex((g) => g >= 0.9 * overall); return i < 0 ? null : i + 1; };
  const trialsTo90: Record<string, (number | null)[]> = {};
  for (const r of runs) (trialsTo90[r.tuner] ??= []).push(to90(r));
  console.log(`\nbest found overall: ${overall.toFixed(2)} GFLOP/s`);
  for (const [t, v] of Object.entries(trialsTo90)) {
    const best = runs.filter((r) => r.tuner === t).map((r) => r.best[r.best.length - 1] ?? 0);
    console.log(`${t.padEnd(7)} trials to 90% of it: ${v.map((x) => x ?? `>${nTrial}`).join(', ')}   final best: ${best.map((b) => b.toFixed(2)).join(', ')} GFLOP/s`);
  }

  const result: Record<string, unknown> = {
    date: new Date().toISOString(), machine: { cpu: cpus()[0]?.model ?? '?', cores: cpus().length, node: process.versions.node, v8: process.versions.v8 },
    task: { name: task.name, args, target: task.target, flop, spaceSize: task.space.length }, nTrial, seeds: nSeeds, xgbPlanSize: planSize,
    runs, overallBestGflops: overall, trialsTo90,
  };

  const bestRun = runs.length > 0 ? runs.reduce((a, b) => ((a.best.at(-1) ?? 0) >= (b.best.at(-1) ?? 0) ? a : b)) : undefined;
  const peerConfig = opt.config !== undefined ? intArg(SCRIPT, '--config', opt.config, 0) : bestRun?.bestConfig ?? null;
  if (!opt['no-peers'] && peerConfig !== null) result['peers'] = await comparePeers(peerConfig, intArg(SCRIPT, '--rounds', opt.rounds));
  if (!opt['no-webgpu']) {
    try {
      const wg = await webgpuPart(intArg(SCRIPT, '--webgpu-trials', opt['webgpu-trials']));
      result['webgpu'] = wg;
      const f = (k: string) => (wg[k] as number).toFixed(2);
      console.log(`\nwebgpu matmul ${n}³ (${JSON.stringify(wg['adapter'])}): naive ${f('naiveGflops')}, template fallback ${f('fallbackGflops')}, tuned (${wg['trials']} trials) ${f('tunedGflops')} GFLOP/s; tuned/naive ${f('ratioTunedOverNaive')}x`);
    } catch (e) {
      result['webgpu'] = { error: (e as Error).message };
      console.log(`\nwebgpu part skipped: ${(e as Error).message}`);
    }
  }
  mkdirSync(opt.out, { recursive: true });
  writeFileSync(`${opt.out}/tuning-curve.json`, JSON.stringify(result, null, 1));
  writeFileSync(`${opt.out}/tuning-curve.svg`, tuningCurveChart(runs, n));
  console.log(`\nwrote ${opt.out}/tuning-curve.json and ${opt.out}/tuning-curve.svg`);
}

await main();
process.exit(0);
