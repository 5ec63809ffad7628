// bench/conv_cpu.ts — the conv/depthwise workloads of ../shared/workloads.json, our untuned wasm default (direct
// NCHW, NCHWc, Winograd; depthwise also packed NCHW4c, with the layout transforms in the kernel ('nchwc') or data
// and output already packed ('nchwc packed', as between packed layers of a model: tfjs-wasm's NHWC is its
// native layout too) beside tfjs-backend-wasm (1 thread), timed in interleaved rounds by the process's CPU
// time (user + system), not wall time: on the shared 2-core machine at load 10–20 wall times swing 2–3× from
// descheduling while CPU time stays within ~10–20 %. Also A/B of the wasm.hoistInvariants pass (--no-hoist
// adds a column built without it). Never a test. GFLOP/s = 2 × multiply-adds / CPU seconds, the best round.
// Run: npx tsx bench/conv_cpu.ts [--only=D1,C6] [--rounds=4] [--no-hoist] [--target='wasm -threads=1 -relaxed-simd=1'] [--log=tuning-logs/tophub/wasm_threads1.jsonl]

import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { setTemplateWarningSink } from '../autotune/apply_template.js';
import { defaultWorkloadsFile } from '../cli/workloads.js';
import { scheduleAnchor } from '../ops/anchor.js';
import { conv2d } from '../ops/nn/conv2d.js';
import { conv2dNCHWc, nchwcBlocks, packData, unpackOutput } from '../ops/nn/conv2d_nchwc.js';
import { conv2dWinograd } from '../ops/nn/conv2d_winograd.js';
import { depthwiseConv2dNCHWc } from '../ops/nn/depthwise_conv2d_nchwc.js';
import { registerAll } from '../ops/register.js';
import { scheduleRootInjective } from '../ops/templates/anchor_templates.js';
import { build } from '../runtime/build.js';
import { array } from '../runtime/ndarray.js';
import { lower } from '../schedule/lower.js';
import { createSchedule } from '../schedule/schedule.js';
import { placeholder, type Tensor } from '../schedule/tensor.js';
import { withPassContext } from '../tir/pass_context.js';
import { applyHistoryBest } from '../tuning-logs/apply_history_best.js';
import { withDispatchContext } from '../tuning-logs/dispatch_context.js';
import { initTfjsWasm } from './tfjs_wasm.js';
import { benchArgs, intArg, listArg } from './bench_args.js';
import { cpuSeconds } from './bench_util.js';

interface ConvWorkload { readonly id: string; readonly op: string; readonly C: number; readonly H: number; readonly W: number; readonly O?: number; readonly R: number; readonly stride: number; readonly pad: number }

const SCRIPT = 'bench/conv_cpu.ts';
const { values: opt } = benchArgs({
  script: SCRIPT,
  about: 'conv/depthwise workloads: our untuned wasm defaults vs tfjs-wasm (1 thread), by process CPU time in interleaved rounds.',
  options: {
    only: { type: 'string', default: '' },
    rounds: { type: 'string', default: '4' },
    'no-hoist': { type: 'boolean', default: false },
    target: { type: 'string', default: 'wasm -threads=1' },
    log: { type: 'string', default: '' },
  },
  help: {
    only: 'workload ids, comma-separated (default: every conv2d and depthwise_conv2d workload)',
    rounds: 'interleaved rounds (best kept)',
    'no-hoist': 'also build each variant without the wasm.hoistInvariants pass',
    target: "our target (1 thread: CPU time is the kernel's; -relaxed-simd=1 needs node --experimental-wasm-relaxed-simd)",
    log: 'tuning log(s), comma-separated: every variant also built from its best record there (applyHistoryBest; rows "<variant> tuned"), e.g. tuning-logs/tophub/wasm_threads1.jsonl',
  },
});
const rounds = intArg(SCRIPT, '--rounds', opt.rounds);
const only = listArg(opt.only);
const target = opt.target;
const logs = listArg(opt.log);

function seeded(n: number, seed: number): Float32Array {
  let x = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 31 - 1;
  });
}

type Variant = 'direct' | 'nchwc' | 'nchwc packed' | 'winograd';

/** Builds one variant's untuned default (as bench/ops.ts does) and returns a closure running it. */
async function ours(w: ConvWorkload, variant: Variant, hoist: boolean, tuned = false): Promise<() => Promise<void>> {
  const dw = w.op === 'depthwise_conv2d';
  const O = dw ? w.C : w.O!;
  const X = placeholder([1, w.C, w.H, w.W], 'float32', 'X');
  let inputs: Tensor[];
  let anchor: Tensor;
  let out: Tensor;
  if (dw && variant !== 'direct') {
    // depthwise_conv2d_NCHWc with 4-channel blocks (one f32x4 per pixel), weights packed as at build time.
    const b = 4;
    if (w.C % b !== 0) throw new RangeError(`${SCRIPT}: ${w.id}: C ${w.C} is not a multiple of 4 (the packed depthwise variant's block)`);
    const Wp = placeholder([w.C / b, 1, w.R, w.R, 1, b], 'float32', 'Wp');
    const packedIO = variant === 'nchwc packed';
    const Xin = packedIO ? placeholder([1, w.C / b, w.H, w.W, b], 'float32', 'Xp') : X;
    anchor = depthwiseConv2dNCHWc(packedIO ? Xin : packData(X, b), Wp, { strides: w.stride, padding: w.pad });
    out = packedIO ? anchor : unpackOutput(anchor);
    inputs = [Xin, Wp];
  } else if (variant === 'nchwc') {
    const { icBlock, ocBlock } = nchwcBlocks(w.C, O);
    const Wp = placeholder([O / ocBlock, w.C / icBlock, w.R, w.R, icBlock, ocBlock], 'float32', 'Wp');
    anchor = conv2dNCHWc(packData(X, icBlock), Wp, { strides: w.stride, padding: w.pad });
    out = unpackOutput(anchor);
    inputs = [X, Wp];
  } else {
    // Winograd takes its weights transformed on the host ([16, O, C], winogradWeightTransform), as NCHWc takes
    // them packed: both are done once at build time.
    const Wt = variant === 'winograd' ? placeholder([16, O, w.C], 'float32', 'U') : placeholder([O, dw ? 1 : w.C, w.R, w.R], 'float32', 'W');
    anchor = variant === 'winograd' ? conv2dWinograd(X, Wt, { padding: w.pad }) : conv2d(X, Wt, { strides: w.stride, padding: w.pad, groups: dw ? w.C : 1 });
    out = anchor;
    inputs = [X, Wt];
  }
  const s = createSchedule([out]);
  if (tuned) await withDispatchContext(applyHistoryBest(logs), () => scheduleAnchor(s, anchor, [out], target));
  else scheduleAnchor(s, anchor, [out], target);
  scheduleRootInjective(s);
  if (variant === 'nchwc') {
    for (const st of s.stages) if (st.name === 'data_vec') st.computeInline();
    const u = s.stage(out);
    if (u.steps.length === 0) u.parallel(u.fuse(u.axis[0]!, u.axis[1]!));
  }
  const f = lower(s, [...inputs, out], { name: `${w.id}_${variant.replace(/\W/g, '_')}` });
  const mod = await withPassContext({ disabledPasses: hoist ? [] : ['wasm.hoistInvariants'] }, () => build(f, target));
  const arrays = [...inputs, out].map((t, i) => array(seeded(t.dims.reduce((a, b) => a * b, 1), i + 1), [...t.dims]));
  return async () => { await mod.run(...arrays); };
}

function tfjs(w: ConvWorkload): () => void {
  const dw = w.op === 'depthwise_conv2d';
  const x = tf.tensor4d(seeded(w.C * w.H * w.W, 1), [1, w.H, w.W, w.C]);
  const pad: [[number, number], [number, number], [number, number], [number, number]] = [[0, 0], [w.pad, w.pad], [w.pad, w.pad], [0, 0]];
  const f = dw ? tf.tensor4d(seeded(w.R * w.R * w.C, 2), [w.R, w.R, w.C, 1]) : tf.tensor4d(seeded(w.R * w.R * w.C * w.O!, 2), [w.R, w.R, w.C, w.O!]);
  return () => {
    const y = dw ? tf.depthwiseConv2d(x, f as tf.Tensor4D, w.stride, pad) : tf.conv2d(x, f as tf.Tensor4D, w.stride, pad);
    y.dataSync();
    y.dispose();
  };
}


async function main(): Promise<void> {
  registerAll();
  setTemplateWarningSink(() => undefined);
  await initTfjsWasm(1);
  const all = (JSON.parse(readFileSync(defaultWorkloadsFile(), 'utf8')) as { workloads: ConvWorkload[] }).workloads
    .filter((w) => (w.op === 'conv2d' || w.op === 'depthwise_conv2d') && (only.length === 0 || only.includes(w.id)));
  console.log(`# ${SCRIPT}: GFLOP/s by process CPU time, best of ${rounds} interleaved rounds; ${target} vs tfjs-wasm 1 thread; V8 ${process.versions.v8}`);
  console.log('| workload | variant | ours | tfjs-wasm | ours / tfjs |');
  console.log('|---|---|---|---|---|');
  for (const w of all) {
    const O = w.op === 'depthwise_conv2d' ? w.C : w.O!;
    const OH = Math.floor((w.H + 2 * w.pad - w.R) / w.stride) + 1;
    const OW = Math.floor((w.W + 2 * w.pad - w.R) / w.stride) + 1;
    const flop = 2 * O * OH * OW * (w.op === 'depthwise_conv2d' ? 1 : w.C) * w.R * w.R;
    const variants: Variant[] = w.op === 'depthwise_conv2d' ? ['direct', 'nchwc', 'nchwc packed'] : w.R === 3 && w.stride === 1 ? ['direct', 'nchwc', 'winograd'] : ['direct', 'nchwc'];
    const runs: [string, () => Promise<void> | void][] = [];
    for (const v of variants) {
      runs.push([v, await ours(w, v, true)]);
      if (opt['no-hoist']) runs.push([`${v} (no hoist)`, await ours(w, v, false)]);
      if (logs.length > 0) runs.push([`${v} tuned`, await ours(w, v, true, true)]);
    }
    runs.push(['tfjs', tfjs(w)]);
    const best = new Map<string, number>();
    for (const [, fn] of runs) await fn(); // warm-up (and V8's tier-up from Liftoff)
    for (let r = 0; r < rounds; r++) {
      for (const [name, fn] of runs) best.set(name, Math.min(best.get(name) ?? Infinity, await cpuSeconds(fn)));
    }
    const peer = best.get('tfjs')!;
    for (const [name] of runs.filter(([n]) => n !== 'tfjs')) {
      const t = best.get(name)!;
      console.log(`| ${w.id} | ${name} | ${(flop / t / 1e9).toFixed(2)} | ${(flop / peer / 1e9).toFixed(2)} | ${(peer / t).toFixed(2)}× |`);
    }
  }
  process.exit(0);
}

await main();
