// bench/gemm_tail_tile.ts — the wasm gemm template's untuned x tile where no whole vector divides N: the default
// (with pack_b, an x tile of 8 over a guarded tail for 2-D products) beside the same config with the whole-vector
// divisor tile it had before (8, 4, 2, else 1), on products with awkward N. CPU time, 1 thread, interleaved rounds,
// best kept. Never a test.
// Run: nice -n 10 npx tsx bench/gemm_tail_tile.ts [--rounds=3]

import { loadavg } from 'node:os';
import { createTask, tensorArg } from '../autotune/task.js';
import { setTemplateWarningSink } from '../autotune/apply_template.js';
import { registerAll } from '../ops/register.js';
import { benchArgs, intArg } from './bench_args.js';
import { buildVariants, cpuSeconds } from './bench_util.js';

const SCRIPT = 'bench/gemm_tail_tile.ts';
const { values: opt } = benchArgs({
  script: SCRIPT,
  about: "the gemm template's untuned x tile for N without a whole-vector divisor: default vs the divisor tile, wasm 1 thread, CPU time.",
  options: { rounds: { type: 'string', default: '3' } },
  help: { rounds: 'interleaved rounds (best kept)' },
});
const rounds = intArg(SCRIPT, '--rounds', opt.rounds);
registerAll();
setTemplateWarningSink(() => {});
const CASES: readonly (readonly ['dense' | 'matmul' | 'batch_matmul', readonly number[], readonly number[]])[] = [
  ['dense', [40, 120], [6625, 120]], ['dense', [32, 64], [1001, 64]], ['dense', [17, 37], [29, 37]],
  ['matmul', [64, 96], [96, 15]], ['matmul', [64, 96], [96, 21]], ['matmul', [64, 96], [96, 27]],
  ['batch_matmul', [8, 40, 40], [8, 40, 15]], ['batch_matmul', [8, 40, 40], [8, 40, 27]],
];
console.log(`# ${SCRIPT}, 'wasm -threads=1', CPU time, ${rounds} rounds, ${new Date().toISOString()}; load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.log('| product | default x tile | divisor x tile | default | divisor tile | divisor ÷ default |');
console.log('|---|---|---|---|---|---|');
for (const [op, a, b] of CASES) {
  const task = createTask(`${op}.wasm`, [tensorArg([...a]), tensorArg([...b])], 'wasm -threads=1');
  const N = op === 'dense' ? b[0]! : b[b.length - 1]!;
  const divisor = [8, 4, 2].find((f) => N % f === 0) ?? 1;
  const runs = await buildVariants(task, { divisor: { tile_x: [-1, divisor] } });
  const best: Record<string, number> = {};
  for (let r = 0; r < rounds; r++) for (const [n, fn] of runs) best[n] = Math.min(best[n] ?? Infinity, await cpuSeconds(fn));
  const ms = (n: string): string => `${(best[n]! * 1e3).toFixed(3)} ms`;
  console.log(`| ${op} [${a.join(', ')}]·[${b.join(', ')}] | ${task.defaultConfig!()!.getSplit('tile_x').size[1]} | ${divisor} | ${ms('default')} | ${ms('divisor')} | ${(best['divisor']! / best['default']!).toFixed(2)}× |`);
}
console.log(`# load at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')}, ${new Date().toISOString()}`);
process.exit(0);
