// bench/interleave.ts — side-by-side timing for A/B benches (never a test): every side timed once a round, the
// order reversed every other round (A B, B A, …), so a change of the machine's load falls on all sides alike.

import type { Timer } from '../runtime/module.js';
import { timeRuns } from '../runtime/time_evaluator.js';

export interface InterleaveOptions {
  /** Rounds; each times every side once. */
  readonly rounds: number;
  /** Runs per reading; a reading is their median. */
  readonly repeat: number;
  /** Each reading lasts at least this long (ms). Default 20. */
  readonly minRepeatMs?: number;
  /** Default 'process-cpu' (the machines are shared: CPU time of this process, not the wall clock). */
  readonly timer?: Timer;
}

/**
 * Times `runs` interleaved: per side, one reading (ms, the median of `repeat` runs) a round. Returns each side's
 * readings in round order, the same order as `runs`.
 */
export async function interleavedReadings(runs: readonly (() => Promise<unknown> | unknown)[], o: InterleaveOptions): Promise<number[][]> {
  const ms = runs.map(() => [] as number[]);
  const order = runs.map((_, i) => i);
  for (let r = 0; r < o.rounds; r++) {
    for (const i of r % 2 === 0 ? order : [...order].reverse()) {
      const t = await timeRuns(async () => { await runs[i]!(); }, { number: 1, repeat: o.repeat, minRepeatMs: o.minRepeatMs ?? 20, timer: o.timer ?? 'process-cpu' });
      ms[i]!.push(t.median * 1000);
    }
  }
  return ms;
}
