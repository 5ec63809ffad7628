// bench/model_ab.ts — built bundles of one model side by side (never a test): each bundle loaded with the runtime only,
// onnxruntime-web (wasm, 1 thread) on the bundle's source ONNX file, outputs compared first, then rounds of
// interleaved measurements timed by the process's CPU time (the machine is shared: CPU time does not count what
// the OS gave to other processes; both sides run on this thread alone with -threads=1 and ORT-web numThreads 1).
// Prints per side the median ms over rounds (each round the median of TVM-style repeats) and the ratio to ORT-web.
// Run: npx tsx bench/model_ab.ts <bundle> [<bundle> …] [--rounds 5] [--repeat 15] [--min-repeat-ms 40] [--timer process-cpu|wall]

import { readFileSync } from 'node:fs';
import { benchArgs, intArg, usageError } from './bench_args.js';

const SCRIPT = 'bench/model_ab.ts';
const { values: opt, positionals } = benchArgs({
  script: SCRIPT,
  about: 'Bundles of one model (e.g. before/after a change) and onnxruntime-web, interleaved, process CPU time.',
  positionals: [1, 2, 3, 4].map((i) => ({ name: `bundle${i}`, help: i === 1 ? 'bundle folders written by tensortune build -o (wasm -threads=1), up to 4' : '' })),
  options: {
    rounds: { type: 'string', default: '5' },
    repeat: { type: 'string', default: '15' },
    'min-repeat-ms': { type: 'string', default: '40' },
    timer: { type: 'string', default: 'process-cpu' },
  },
  help: { rounds: 'interleaved rounds', repeat: 'measurements per side per round', 'min-repeat-ms': 'each measurement at least this long', timer: 'process-cpu or wall' },
});
if (positionals.length === 0) usageError(SCRIPT, 'give at least one bundle folder');
if (opt.timer !== 'process-cpu' && opt.timer !== 'wall') usageError(SCRIPT, `--timer must be process-cpu or wall, got '${opt.timer}'`);
const timer = opt.timer as 'process-cpu' | 'wall';
const rounds = intArg(SCRIPT, 'rounds', opt.rounds);
const repeat = intArg(SCRIPT, 'repeat', opt.repeat);
const minRepeatMs = intArg(SCRIPT, 'min-repeat-ms', opt['min-repeat-ms']);
const { loadBundle } = await import('../runtime/standalone.js');
const { interleavedReadings } = await import('./interleave.js');
const { prepareInputs } = await import('../cli/model_inputs.js');
const { maxRelativeError, ortModel, warmUp } = await import('../cli/model_bench.js');
const { median } = await import('simple-statistics');

const bundles = await Promise.all(positionals.map((d) => loadBundle(d)));
const first = bundles[0]!;
const inputs = prepareInputs(first.manifest.inputs, [], true, 0);
const feeds = Object.fromEntries([...inputs].map(([k, v]) => [k, v.data]));
const modelFile = (first.manifest['model'] as { file: string }).file;
const ort = await ortModel(new Uint8Array(readFileSync(modelFile)), first.manifest.inputs, 1);
const want = await ort.run(inputs);
interface Side { readonly name: string; readonly once: () => Promise<void> | void; readonly ms: number[] }
const sides: Side[] = [];
for (const [i, b] of bundles.entries()) {
  if (!b.manifest.target.startsWith('wasm') || !/-threads=1\b/.test(b.manifest.target)) usageError(SCRIPT, `${positionals[i]}: target '${b.manifest.target}' is not wasm -threads=1 (CPU time needs one thread)`);
  const outs = await b.executor.run(feeds);
  const err = Math.max(...outs.map((o, j) => maxRelativeError({ data: o.toArray(), shape: [...o.shape], dtype: o.dtype }, want[j]!)));
  for (const o of outs) o.free();
  console.log(`${positionals[i]}: ${b.executor.plan.kernels.length} kernels, outputs agree with onnxruntime-web to ${err.toExponential(1)} (max relative)`);
  if (!(err <= 1e-3)) throw new Error(`${positionals[i]}: outputs differ from onnxruntime-web by ${err}`);
  // The executor's own loop (inputs set once) for ours, as GraphExecutor.benchmark times it.
  sides.push({ name: positionals[i]!, once: async () => { for (const o of await b.executor.run(feeds)) o.free(); }, ms: [] });
}
sides.push({ name: 'onnxruntime-web (1 thread)', once: async () => { await ort.run(inputs); }, ms: [] });
for (const s of sides) await warmUp(s.once, { minMs: 500 });
(await interleavedReadings(sides.map((s) => s.once), { rounds, repeat, minRepeatMs, timer })).forEach((ms, i) => sides[i]!.ms.push(...ms));
const peer = median(sides[sides.length - 1]!.ms);
console.log(`\n${rounds} rounds × ${repeat} measurements (≥ ${minRepeatMs} ms each), timer ${timer}; per round the median, then the median over rounds:`);
console.log('| side | median ms | rounds (ms) | ORT-web ÷ side |\n|---|---|---|---|');
for (const s of sides) console.log(`| ${s.name} | ${median(s.ms).toFixed(3)} | ${s.ms.map((x) => x.toFixed(2)).join(', ')} | ${(peer / median(s.ms)).toFixed(2)}× |`);
await ort.release();
process.exit(0);
