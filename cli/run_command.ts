// cli/run_command.ts — `tensortune run <bundle>` and the model form of `tensortune bench <bundle>`: load a bundle with the
// runtime only (no compiler), feed .npy or seeded random inputs, print or save outputs; time the model
// and, with --compare onnxruntime, onnxruntime-web on the source ONNX file in the same process.

import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { HostTensor } from '../runtime/npy.js';
import { encodeNpy } from '../runtime/npy.js';
import { loadBundle, type LoadedBundle } from '../runtime/standalone.js';
import { wasmOptions } from '../target/index.js';
import { ExitError, UsageError } from './errors.js';
import { formatSeconds } from './format.js';
import { maxRelativeError, ortModel, timeLatency, warmUp } from './model_bench.js';
import { parseInputFiles, prepareInputs, summarize, type TensorSummary } from './model_inputs.js';
import { outputOf, outputOption, type OutputOpts } from './output_option.js';
import { parseIntOption } from './parse.js';
import { profileBundle, profileSettings, renderProfile, type RawProfileOpts } from './run_profile.js';

interface RawRunOpts extends RawProfileOpts {
  input?: string[];
  random?: boolean;
  seed: string;
  out?: string;
  json?: boolean;
  profile?: boolean;
}

export interface RawModelBenchOpts extends RawRunOpts {
  compare?: string;
  model?: string;
  repeat: string;
  minRepeatMs: string;
  /** Warm-up per side before timing, milliseconds (at least 10 runs as well). */
  warmupMs?: string;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/**
 * Says on stderr how the loading of a WebGPU bundle's kernels goes: the driver compiles every shader, which on
 * lavapipe with a cold Mesa shader cache takes minutes (docs/webgpu.md "Session 18"). A terminal gets one line
 * redrawn; a log gets the start, each tenth and the end.
 */
export function kernelProgress(write: (s: string) => void = (s) => process.stderr.write(s), tty = process.stderr.isTTY === true): (done: number, total: number, stage: 'create' | 'dispatch') => void {
  const start = performance.now();
  let shown = -1;
  return (done, total, stage) => {
    const tenth = Math.floor((done * 10) / Math.max(1, total));
    if (!tty && done !== 0 && done !== total && tenth === shown) return;
    shown = tenth;
    const what = stage === 'create' ? `creating ${total} WebGPU pipelines` : `first dispatch of ${total} WebGPU kernels (the driver compiles each)`;
    const line = `${what}: ${done}/${total} (${((performance.now() - start) / 1000).toFixed(0)} s)`;
    write(tty ? `\r\x1b[K${line}${done === total ? '\n' : ''}` : `${line}\n`);
  };
}

async function open(dir: string): Promise<LoadedBundle> {
  if (!existsSync(dir)) throw new UsageError(`bundle folder '${dir}' does not exist; make one with: tensortune build model.onnx --target wasm -o ${dir}`);
  // `tensortune build --op … -o dense.wasm` writes one kernel file: say what it is rather than offering to build a
  // bundle over it.
  if (!statSync(dir).isDirectory()) {
    throw new UsageError(`'${dir}' is a file, not a bundle folder: run and bench take the folder that tensortune build model.onnx -o <folder> makes ` +
      `(a single operator's kernel file from tensortune build --op is timed with tensortune bench --op … --log …)`);
  }
  try {
    return await loadBundle(dir, { onProgress: kernelProgress() });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

async function inference(b: LoadedBundle, inputs: ReadonlyMap<string, HostTensor>): Promise<HostTensor[]> {
  const outs = await b.executor.run(Object.fromEntries([...inputs].map(([k, v]) => [k, v.data])));
  try {
    return outs.map((o) => ({ data: o.toArray(), shape: [...o.shape], dtype: o.dtype }));
  } finally {
    for (const o of outs) o.free();
  }
}

function describe(name: string, s: TensorSummary): string {
  const f = (v: number): string => (Number.isFinite(v) ? Number(v.toPrecision(5)).toString() : String(v));
  return `${name}: [${s.shape.join(', ')}] ${s.dtype}  min ${f(s.min)}  max ${f(s.max)}  mean ${f(s.mean)}  argmax ${s.argmax}` +
    `${s.nonFinite > 0 ? `  NON-FINITE ${s.nonFinite}` : ''}\n  first: ${s.first.map(f).join(', ')}`;
}

async function releaseDevice(b: LoadedBundle): Promise<void> {
  b.executor.dispose();
  if (b.manifest.target.startsWith('webgpu')) {
    const { releaseWebGPU } = await import('../runtime/webgpu/device.js');
    await releaseWebGPU();
  }
}

async function runCommand(dir: string, o: RawRunOpts): Promise<void> {
  const files = parseInputFiles(o.input);
  const seed = parseIntOption(o.seed, '--seed', 0);
  const profile = profileSettings(o, o.profile ?? false);
  const b = await open(dir);
  try {
    const inputs = prepareInputs(b.manifest.inputs, files, o.random ?? false, seed);
    if (profile !== undefined) {
      const p = await profileBundle(b, Object.fromEntries([...inputs].map(([k, v]) => [k, v.data])), profile);
      process.stdout.write(renderProfile(b, p, profile, o.json ?? false) + '\n');
      return;
    }
    const t0 = performance.now();
    const outs = await inference(b, inputs);
    const seconds = (performance.now() - t0) / 1000;
    const names = b.manifest.outputs.map((x) => x.name);
    const written: string[] = [];
    if (o.out !== undefined) {
      mkdirSync(o.out, { recursive: true });
      outs.forEach((t, i) => {
        // Output names may hold '/' or ':' (ONNX allows any string): keep file names plain.
        const file = join(o.out!, `${names[i]!.replace(/[^A-Za-z0-9_.-]+/g, '_')}.npy`);
        writeFileSync(file, encodeNpy(t));
        written.push(file);
      });
    }
    const summaries = outs.map((t) => summarize(t));
    if (o.json) {
      process.stdout.write(JSON.stringify({ bundle: resolve(dir), target: b.manifest.target, seconds, outputs: names.map((n, i) => ({ name: n, ...summaries[i]!, file: written[i] ?? null })) }, null, 2) + '\n');
    } else {
      process.stdout.write(`${b.manifest.target}: ran in ${formatSeconds(seconds)} (first run, kernels loaded)\n`);
      names.forEach((n, i) => process.stdout.write(describe(n, summaries[i]!) + (written[i] ? `\n  saved ${written[i]}` : '') + '\n'));
    }
    if (summaries.some((s) => s.nonFinite > 0)) throw new ExitError('an output holds NaN or infinite values', 1);
  } finally {
    await releaseDevice(b);
  }
}

/** The source ONNX file: --model, else the path the build recorded (relative to the bundle folder if not absolute). */
function modelFile(dir: string, b: LoadedBundle, given: string | undefined): string {
  if (given !== undefined) return given;
  const rec = (b.manifest['model'] as { file?: string } | undefined)?.file;
  if (rec === undefined) throw new UsageError('--compare onnxruntime needs the ONNX file: this bundle does not record it; pass --model model.onnx');
  return isAbsolute(rec) ? rec : resolve(dir, rec);
}

/** `tensortune bench <bundle>` (registered by build_command.ts, which shares `bench` with the operator form). */
export async function benchBundle(dir: string, o: RawModelBenchOpts): Promise<void> {
  if (o.compare !== undefined && o.compare !== 'onnxruntime') throw new UsageError(`--compare '${o.compare}': expected onnxruntime`);
  const files = parseInputFiles(o.input);
  const seed = parseIntOption(o.seed, '--seed', 0);
  const repeat = parseIntOption(o.repeat, '--repeat', 1);
  const minRepeatMs = parseIntOption(o.minRepeatMs, '--min-repeat-ms', 0);
  const b = await open(dir);
  try {
    const inputs = prepareInputs(b.manifest.inputs, files, o.random ?? files.length === 0, seed);
    const ours = await inference(b, inputs);
    const feeds = Object.fromEntries([...inputs].map(([k, v]) => [k, v.data]));
    const warmupMs = parseIntOption(o.warmupMs ?? '500', '--warmup-ms', 0);
    await warmUp(async () => { for (const x of await b.executor.run(feeds)) x.free(); }, { minMs: warmupMs });
    const t = await b.executor.benchmark(feeds, { number: 1, repeat, minRepeatMs });
    const lat = { median: t.median, p90: [...t.results].sort((x, y) => x - y)[Math.max(0, Math.ceil(0.9 * t.results.length) - 1)]!, mean: t.mean, min: t.min, samples: t.results, number: t.number };
    // A wasm bundle runs on -threads=N, or on every available core when the target leaves it open
    // (target/options.ts); onnxruntime-web gets the same count, so the comparison is like for like.
    const threads = b.manifest.target.startsWith('wasm') ? wasmOptions(b.manifest.target).threads : 0;
    const threadsText = threads > 0 ? `, ${threads} thread${threads === 1 ? '' : 's'}` : '';
    const result: Record<string, unknown> = { bundle: resolve(dir), target: b.manifest.target, tunedOn: b.manifest.tunedOn ?? null, latency: lat };
    let line = `tensortune (${b.manifest.target}${threadsText}): median ${formatSeconds(lat.median)}, p90 ${formatSeconds(lat.p90)} (${t.results.length} measurements × ${t.number} runs)`;
    if (o.compare === 'onnxruntime') {
      const file = modelFile(dir, b, o.model);
      if (!existsSync(file)) throw new UsageError(`--compare onnxruntime: ONNX file '${file}' does not exist; pass --model model.onnx`);
      const ortThreads = threads > 0 ? threads : 2;
      const ort = await ortModel(new Uint8Array(readFileSync(file)), b.manifest.inputs, ortThreads);
      try {
        const theirs = await ort.run(inputs);
        const err = Math.max(...ours.map((x, i) => maxRelativeError(x, theirs[i]!)));
        await warmUp(() => ort.run(inputs), { minMs: warmupMs });
        const peer = await timeLatency(() => ort.run(inputs), { repeat, minRepeatMs });
        result['onnxruntime'] = { threads: ort.threads, latency: peer, maxRelativeError: err, ratio: peer.median / lat.median };
        line += `\nonnxruntime-web (wasm, ${ort.threads} thread${ort.threads === 1 ? "" : "s"}): median ${formatSeconds(peer.median)}, p90 ${formatSeconds(peer.p90)}` +
          `\nratio: tensortune is ${(peer.median / lat.median).toFixed(2)}× onnxruntime-web's speed (median); outputs agree to ${err.toExponential(1)} (max relative)`;
        if (!(err <= 1e-3)) throw new ExitError(`outputs differ from onnxruntime-web by ${err.toExponential(2)} (relative): the comparison is not like for like`, 1);
      } finally {
        await ort.release();
      }
    }
    process.stdout.write((o.json ? JSON.stringify(result, null, 2) : line) + '\n');
  } finally {
    await releaseDevice(b);
  }
}

const IO_HELP = `
Inputs: --input name=file.npy per model input (NumPy .npy, C order, little-endian; floats become
float32, integers int32), or --random for seeded uniform values (floats in [-1, 1), ints in [0, 10));
both together: the files given, random for the rest.`;

export function addRunCommand(program: Command): void {
  outputOption(program.command('run'), 'save each output as <dir>/<name>.npy', '<dir>')
    .argument('<bundle>', 'bundle folder written by `tensortune build -o`')
    .description('run a built model once (runtime only, no compiler) and print or save its outputs')
    .option('--input <name=file.npy>', 'an input from a .npy file (repeatable)', collect)
    .option('--random', 'random values for the inputs not given')
    .option('--seed <n>', 'seed of --random', '0')
    .option('--json', 'print a JSON summary on stdout')
    .option('--profile', 'time every kernel where it runs in the model (median over --runs runs) and print a table instead of the outputs')
    .option('--runs <n>', 'profiled runs (with --profile; default 50)')
    .option('--timer <clock>', "with --profile: 'wall' (default) or 'process-cpu' (CPU time of this process; -threads=1 only)")
    .option('--top <n>', 'with --profile: show the n slowest kernels (the totals still cover all)')
    .option('--sort <order>', "with --profile: 'time' (slowest first, default) or 'order' (plan order)")
    .addHelpText('after', `${IO_HELP}

--profile (wasm bundles): per kernel the median and mean µs, its share of the sum of medians, the fused
operators, argument shapes, and its schedule (log/tophub config index, the template's default, or '-'
for kernels without a tunable operator); then the sum beside whole runs timed without per-kernel clocks.

Examples:
  $ tensortune run out/ --input data=cat.npy -o results/
  $ tensortune run out/ --random --json
  $ tensortune run out/ --random --profile --timer process-cpu --top 15`)
    .action((dir: string, o: RawRunOpts & OutputOpts) => runCommand(dir, { ...o, out: outputOf(o, 'run') }));

}
