// cli/build_run.ts — runs `tensortune build` and `tensortune bench`: pick the config (log, tophub or
// default), lower, compile; for bench also load, check against the untuned schedule, and time.

import { writeFileSync } from 'node:fs';
import { applyTemplate, type AppliedTemplate } from '../autotune/apply_template.js';
import { compile } from '../codegen/compile.js';
import { load } from '../runtime/build.js';
import type { CompiledArtifact } from '../codegen/artifact.js';
import type { NDArrayLike, TimeResult } from '../runtime/module.js';
import { array, empty, type NDArray } from '../runtime/ndarray.js';
import { lower } from '../schedule/lower.js';
import type { PrimFunc } from '../tir/nodes.js';
import { print } from '../tir/printer.js';
import { applyHistoryBest, loadTophub } from '../tuning-logs/apply_history_best.js';
import type { ConfigData, DispatchHit } from '../tuning-logs/dispatch_context.js';
import { withDispatchContext } from '../tuning-logs/dispatch_context.js';
import type { BenchArgs, BuildArgs } from './build_args.js';
import { ExitError } from './errors.js';
import { formatArgs, formatGflops, formatSeconds } from './format.js';
import { createTaskChecked, registerTemplates, resolveWorkload } from './workloads.js';

export interface Prepared {
  readonly applied: AppliedTemplate;
  readonly source: 'log' | 'tophub' | 'default';
  /** The record the config came from (the same answer applyTemplate got), when source is not 'default'. */
  readonly hit: DispatchHit | undefined;
  readonly func: PrimFunc;
  readonly artifact: CompiledArtifact;
}

/**
 * Picks the config exactly as a library build would (applyTemplate under applyHistoryBest), then lowers
 * and compiles: what `tensortune build --op …` writes (tests run it: load(artifact, func)).
 */
export async function prepare(a: BuildArgs): Promise<Prepared> {
  await registerTemplates();
  const w = resolveWorkload(a, a.target);
  createTaskChecked(w); // the op's own checks, as a usage error, before the build
  const ctx = a.logs.length > 0 ? applyHistoryBest(a.logs) : loadTophub(w.target);
  // applyTemplate reports the record it used (file, line, cost): what we print is what was built.
  const applied = await withDispatchContext(ctx, () => applyTemplate(w.taskName, w.args, w.target));
  const hit = applied.source === 'log' ? applied.hit : undefined;
  const source = applied.source === 'fallback' ? 'default' : a.logs.length > 0 ? 'log' : 'tophub';
  const func = lower(applied.schedule, applied.tensors, { name: w.op });
  let artifact: CompiledArtifact;
  try {
    artifact = await compile(func, w.target);
  } catch (e) {
    throw new ExitError(`compiling ${applied.task.name} for '${w.target}' failed: ${(e as Error).message}`, 1);
  }
  return { applied, source, hit, func, artifact };
}

function configSummary(p: Prepared): { text: string; json: Record<string, unknown> } {
  const task = p.applied.task;
  const config: ConfigData = p.applied.config.toData();
  const json: Record<string, unknown> = {
    task: task.name,
    args: task.args,
    target: task.target,
    flop: task.flop,
    source: p.source,
    config,
    ...(p.hit !== undefined
      ? { file: p.hit.file ?? null, line: p.hit.line ?? null, recordTarget: p.hit.recordTarget ?? null, recordMeanCost: p.hit.meanCost ?? null }
      : {}),
    ...(p.applied.note !== undefined ? { note: p.applied.note } : {}),
    ...(p.applied.skipped.length > 0
      ? { skipped: p.applied.skipped.map((s) => ({ index: s.config.index, file: s.file ?? null, line: s.line ?? null, reason: s.reason })) }
      : {}),
  };
  // Why the default config was used, a record from another target, and records refused: applyTemplate
  // warns about each once on stderr (as TVM's fallback warning); stdout only says what was built.
  let from: string;
  if (p.hit !== undefined) {
    const where = p.hit.file !== undefined ? `${p.hit.file}:${p.hit.line}` : 'records';
    const cost = p.hit.meanCost;
    const speed = cost !== undefined ? `: ${formatSeconds(cost)}, ${formatGflops(task.flop / cost / 1e9)}` : '';
    from = `config ${config.index} from ${p.source === 'tophub' ? 'tophub ' : ''}${where} (tuned on '${p.hit.recordTarget ?? task.target}'${speed})`;
  } else {
    from = 'default config';
  }
  const text = `${task.name} [${formatArgs(task.args)}] on '${task.target}': ${from}\n  knobs: ${JSON.stringify(config.entity)}`;
  return { text, json };
}

/** A Node process holding the WebGPU device never exits on its own: let it go when done. */
async function releaseGpu(target: string): Promise<void> {
  if (!target.startsWith('webgpu')) return;
  const { releaseWebGPU } = await import('../runtime/webgpu/device.js');
  await releaseWebGPU();
}

export async function runBuild(a: BuildArgs): Promise<void> {
  try {
    await buildOnce(a);
  } finally {
    await releaseGpu(a.target);
  }
}

export async function runBench(a: BenchArgs): Promise<void> {
  try {
    await benchOnce(a);
  } finally {
    await releaseGpu(a.target);
  }
}

async function buildOnce(a: BuildArgs): Promise<void> {
  const p = await prepare(a);
  if (a.out !== undefined) writeFileSync(a.out, p.artifact.bytes);
  const { text, json } = configSummary(p);
  if (a.json) {
    const out = { ...json, format: p.artifact.format, bytes: p.artifact.bytes.length, out: a.out ?? null, ...(a.printIr ? { ir: print(p.func) } : {}) };
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    return;
  }
  process.stdout.write(text + '\n');
  if (a.printIr) process.stdout.write(print(p.func) + '\n');
  process.stdout.write(`compiled ${p.artifact.format}, ${p.artifact.bytes.length} bytes${a.out !== undefined ? ` → ${a.out}` : ''}\n`);
}

/** xorshift32: seeded inputs so bench runs are repeatable. */
function randomFill(n: number, seed: number): Float32Array {
  let s = (seed * 2654435761 + 1) >>> 0 || 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = s / 4294967296 - 0.5;
  }
  return out;
}

/** Inputs filled with seeded random values, outputs zeroed, in the template's argument order. */
function makeArgs(p: Prepared, seed: number): NDArray[] {
  const outputs = new Set(p.applied.task.outputIndices);
  return p.applied.tensors.map((t, i) => {
    const shape = t.dims;
    const n = shape.reduce((x, y) => x * y, 1);
    return outputs.has(i) ? empty(shape, t.dtype) : array(randomFill(n, seed + i), shape, t.dtype);
  });
}

/**
 * Largest difference between the tuned and the untuned schedule's outputs, relative to the
 * output's scale. The reference always runs on single-threaded wasm: an untuned schedule binds
 * no GPU threads, and the CPU is the independent check a GPU result needs anyway.
 */
async function checkAgainstNaive(p: Prepared, args: readonly NDArrayLike[]): Promise<number> {
  const naive = p.applied.task.naive();
  const f = lower(naive.schedule, naive.tensors, { name: 'reference' });
  const mod = await load(await compile(f, 'wasm -threads=1'), f);
  try {
    const refArgs = args.map((x, i) => (p.applied.task.outputIndices.includes(i) ? empty(x.shape, x.dtype) : array(x.data.slice(), x.shape, x.dtype)));
    await mod.run(...refArgs);
    let worst = 0;
    for (const i of p.applied.task.outputIndices) {
      const got = args[i]!.data;
      const want = refArgs[i]!.data;
      let scale = 1e-6;
      for (let k = 0; k < want.length; k++) scale = Math.max(scale, Math.abs(want[k]!));
      for (let k = 0; k < want.length; k++) worst = Math.max(worst, Math.abs(got[k]! - want[k]!) / scale);
    }
    for (const x of refArgs) x.free();
    return worst;
  } finally {
    mod.dispose();
  }
}

async function benchOnce(a: BenchArgs): Promise<void> {
  const p = await prepare(a);
  const mod = await load(p.artifact, p.func);
  const args = makeArgs(p, a.seed);
  let t: TimeResult;
  let error: number | undefined;
  try {
    await mod.run(...args);
    if (a.check) {
      error = await checkAgainstNaive(p, args);
      if (!(error <= 1e-3)) throw new ExitError(`wrong answer: output differs from the untuned schedule by ${error.toExponential(2)} (relative)`, 1);
    }
    t = await mod.timeEvaluator({ number: a.number, repeat: a.repeat, minRepeatMs: a.minRepeatMs }).run(...args);
  } finally {
    for (const x of args) x.free();
    mod.dispose();
  }
  const flop = p.applied.task.flop;
  const { text, json } = configSummary(p);
  const result = {
    ...json,
    device: mod.info,
    latency: { mean: t.mean, median: t.median, min: t.min, results: t.results, number: t.number },
    gflops: { mean: flop / t.mean / 1e9, best: flop / t.min / 1e9 },
    ...(error !== undefined ? { maxRelativeError: error } : {}),
  };
  if (a.json) {
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    return;
  }
  process.stdout.write(text + '\n');
  if (a.printIr) process.stdout.write(print(p.func) + '\n');
  process.stdout.write(
    `latency: mean ${formatSeconds(t.mean)}, median ${formatSeconds(t.median)}, min ${formatSeconds(t.min)} ` +
      `(${t.results.length} measurements × ${t.number} runs)\n` +
      `speed: ${formatGflops(result.gflops.mean)} at the mean, ${formatGflops(result.gflops.best)} at the min` +
      (error !== undefined ? `; output matches the untuned schedule (max rel. error ${error.toExponential(1)})` : '') + '\n',
  );
}
