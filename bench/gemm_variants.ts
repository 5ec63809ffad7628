// bench/gemm_variants.ts — the wasm matmul/dense/batch_matmul template's untuned default beside hand-given configs
// and tfjs-backend-wasm (1 thread), timed by the process's CPU time in interleaved rounds (best of the rounds), so a
// default or a knob (pack_b, tiles) can be judged against alternatives and the peer on a shared machine (never a test).
// GFLOP/s = 2·M·N·K (× batch) / CPU seconds.
// Run: nice -n 5 npx tsx bench/gemm_variants.ts MM-1024 '{"pack":{"pack_b":true}}' [--rounds=3] [--target=…]
//   (each variant: knob name → the entity value of that knob, as in a log record; other knobs as the default)

import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { createTask, tensorArg } from '../autotune/task.js';
import { defaultWorkloadsFile } from '../cli/workloads.js';
import { registerAll } from '../ops/register.js';
import { benchArgs, intArg, usageError } from './bench_args.js';
import { initTfjsWasm } from './tfjs_wasm.js';
import { buildVariants, cpuSeconds, seededArray } from './bench_util.js';

const SCRIPT = 'bench/gemm_variants.ts';
const { values: opt, positionals } = benchArgs({
  script: SCRIPT,
  about: 'the wasm product template: default config vs given variants vs tfjs-wasm (1 thread), by process CPU time, interleaved rounds.',
  positionals: [
    { name: 'workload', help: 'a matmul, dense or batch_matmul workload id of ../shared/workloads.json (MM-1024, DENSE-bert, …)' },
    { name: 'variants', help: 'JSON: {"name": {"knob": value, …}, …} (default {})' },
  ],
  options: { rounds: { type: 'string', default: '3' }, target: { type: 'string', default: 'wasm -threads=1' }, 'no-tfjs': { type: 'boolean', default: false } },
  help: { rounds: 'interleaved rounds (best kept)', target: 'our target (1 thread: CPU time is the kernel\'s)', 'no-tfjs': 'skip the tfjs-wasm peer' },
});
interface Gemm { id: string; op: string; M: number; K: number; N: number; B?: number }
const w = (JSON.parse(readFileSync(defaultWorkloadsFile(), 'utf8')) as { workloads: Gemm[] }).workloads.find((x) => x.id === positionals[0]);
if (!w || !['matmul', 'dense', 'batch_matmul'].includes(w.op)) usageError(SCRIPT, `'${positionals[0] ?? ''}' is not a matmul/dense/batch_matmul workload id of ${defaultWorkloadsFile()}`);
let variants: Record<string, Record<string, unknown>>;
try { variants = JSON.parse(positionals[1] ?? '{}') as typeof variants; } catch (e) { usageError(SCRIPT, `variants must be JSON: ${(e as Error).message}`); }
const rounds = intArg(SCRIPT, '--rounds', opt.rounds);
const target = opt.target;
const batch = w.op === 'batch_matmul' ? [w.B ?? 1] : [];
const aShape = [...batch, w.M, w.K];
const bShape = w.op === 'dense' ? [w.N, w.K] : [...batch, w.K, w.N];

registerAll();
if (!opt['no-tfjs']) await initTfjsWasm(1);
const task = createTask(`${w.op}.wasm`, [tensorArg(aShape), tensorArg(bShape)], target);
const flop = 2 * w.M * w.N * w.K * (batch[0] ?? 1);
const def = task.defaultConfig!()!.toData();
console.log(`# ${SCRIPT} ${w.id} ${task.name} on '${target}', V8 ${process.versions.v8}; default: ${JSON.stringify(def.entity)}`);
let runs: Map<string, () => Promise<void> | void>;
try { runs = await buildVariants(task, variants); } catch (e) { usageError(SCRIPT, (e as Error).message); }
if (!opt['no-tfjs']) {
  const a = tf.tensor(seededArray(aShape.reduce((x, y) => x * y, 1), 1), aShape);
  const b = tf.tensor(seededArray(bShape.reduce((x, y) => x * y, 1), 2), bShape);
  runs.set('tfjs-wasm', () => { const y = tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, false, w.op === 'dense'); y.dataSync(); y.dispose(); });
}

for (const fn of runs.values()) await fn();
const best = new Map<string, number>();
for (let r = 0; r < rounds; r++) for (const [n, fn] of runs) best.set(n, Math.min(best.get(n) ?? Infinity, await cpuSeconds(fn)));
const peer = best.get('tfjs-wasm');
for (const [n, t] of best) console.log(`${n}: ${(flop / t / 1e9).toFixed(2)} GFLOP/s${peer ? ` (${(peer / t).toFixed(2)}× tfjs-wasm)` : ''}`);
process.exit(0);
