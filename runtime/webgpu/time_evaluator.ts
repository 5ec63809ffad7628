// runtime/webgpu/time_evaluator.ts — TVM's time evaluator over a "run n times, say how long it
// took" primitive: raise `number` until one measurement lasts minRepeatMs, then `repeat` times.

import type { TimeEvaluatorOptions, TimeResult } from '../module.js';

/** Runs the kernel `n` times back to back and returns the seconds that took (device time where known). */
export type BatchTimer = (n: number) => Promise<number>;

function checkCount(name: string, v: number, min: number): number {
  if (!Number.isInteger(v) || v < min) throw new Error(`timeEvaluator: ${name} must be an integer ≥ ${min}, got ${v}`);
  return v;
}

export function summarize(results: readonly number[], number: number): TimeResult {
  const sorted = [...results].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const mean = results.reduce((a, b) => a + b, 0) / results.length;
  return { results: [...results], mean, median, min: sorted[0]!, number };
}

/** Seconds per run for each repeat. One untimed warm-up run comes first. */
export async function timeBatches(timer: BatchTimer, opts: TimeEvaluatorOptions = {}): Promise<TimeResult> {
  let number = checkCount('number', opts.number ?? 10, 1);
  const repeat = checkCount('repeat', opts.repeat ?? 3, 1);
  const minRepeatMs = opts.minRepeatMs ?? 0;
  if (!(minRepeatMs >= 0)) throw new Error(`timeEvaluator: minRepeatMs must be ≥ 0, got ${minRepeatMs}`);
  await timer(1);
  const minSeconds = minRepeatMs / 1000;
  const results: number[] = [];
  for (let r = 0; r < repeat; r++) {
    let seconds = await timer(number);
    // As TVM: grow `number` until one measurement lasts long enough to trust the clock.
    // A batch the clock did not see (0 s) is no time: grow it as a short one, so costs stay positive.
    while (seconds < minSeconds || seconds <= 0) {
      const scale = seconds > 0 ? Math.min(minSeconds / seconds * 1.2, 10) : 10;
      number = Math.max(number + 1, Math.ceil(number * scale));
      seconds = await timer(number);
    }
    results.push(seconds / number);
  }
  return summarize(results, number);
}
