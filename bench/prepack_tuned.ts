// bench/prepack_tuned.ts — bench/prepack.ts --tuned: a product on a constant weight built as a model builds it (AlterDenseLayout
// on), once with today's records (the shipped TopHub logs: the plain task's record, tuned with the per-call pack in its
// timing) and once with a log of prepacked-task records (`tensortune tune --const-b`, timed on host-packed panels), timed
// by this process's CPU time in interleaved rounds, best kept. Never a test.

import { bestModelSeconds, seededArray } from './bench_util.js';

const { build } = await import('../relay/backend/build.js');
type IRModule = import('../relay/nodes.js').IRModule;

export interface TunedCase {
  readonly key: string;
  readonly name: string;
  readonly mod: () => IRModule;
  readonly inputs: Readonly<Record<string, readonly number[]>>;
  readonly flops?: number;
}

/** "index (record file:line, panels of bn | B as it is)" of a build's one product kernel. */
function configOf(lib: Awaited<ReturnType<typeof build>>): string {
  const a = lib.report.kernels.find((k) => k.anchor !== undefined)?.anchor;
  const packed = lib.plan.constants.find((c) => c.shape.length === 3);
  const how = packed !== undefined ? `panels of ${packed.shape[2]}` : 'B as it is';
  const from = a?.record !== undefined ? a.record.replace(/^.*\//, '') : 'fallback';
  return a === undefined ? '—' : `${a.source === 'log' ? a.configIndex : 'default'} (${from}, ${how})`;
}

/** Prints one row per case: today's records against the prepacked task's best of `log`, both prepacked builds. */
export async function tunedRows(log: string, cases: readonly TunedCase[], rounds: number, target: string): Promise<void> {
  console.log("| workload | today's record (TopHub) | time | prepacked-task best | time | today ÷ prepacked | prepacked GFLOP/s |");
  console.log('|---|---|---|---|---|---|---|');
  for (const c of cases) {
    const mod = c.mod();
    const today = await build(mod, { target });
    const tuned = await build(mod, { target, tuningLogs: [log] });
    const data = Object.fromEntries(Object.entries(c.inputs).map(([k, s], i) => [k, seededArray(s.reduce((a, b) => a * b, 1), 3 + i)]));
    const best = await bestModelSeconds({ today, tuned }, data, rounds);
    const ms = (n: 'today' | 'tuned'): string => `${(best[n] * 1e3).toFixed(3)} ms`;
    const gf = c.flops !== undefined ? (c.flops / best.tuned / 1e9).toFixed(1) : '—';
    console.log(`| ${c.name} | ${configOf(today)} | ${ms('today')} | ${configOf(tuned)} | ${ms('tuned')} | ${(best.today / best.tuned).toFixed(2)}× | ${gf} |`);
    today.dispose();
    tuned.dispose();
  }
}
