// tests/cli/progress.test.ts — the tuning progress line: bar, best GFLOP/s, errors, ETA, throttling.

import { describe, expect, it } from 'vitest';
import type { Tuner } from '../../autotune/tuner.js';
import { progress, progressLine } from '../../cli/progress.js';

class FakeStream {
  isTTY = false;
  out = '';
  write(s: string): boolean {
    this.out += s;
    return true;
  }
}

/** Only the fields the progress line reads. */
function tunerState(trials: number, nTrial: number, bestFlops: number, errorCount: number, ttl: number): Tuner {
  return { trials, nTrial, bestFlops, errorCount, ttl } as unknown as Tuner;
}

describe('progress', () => {
  it('draws trials, best GFLOP/s, errors and ETA', () => {
    const line = progressLine({ prefix: '', trials: 12, nTrial: 48, bestGflops: 23.456, errors: 2, etaSeconds: 75 });
    expect(line).toBe('[######..................] 12/48  best 23.5 GFLOP/s  errors 2  ETA 1m15s');
  });

  it('estimates the ETA from trials measured in this run only, and throttles non-terminal output', () => {
    let t = 0;
    const stream = new FakeStream();
    const p = progress(10, { stream: stream as unknown as NodeJS.WriteStream, now: () => t, intervalMs: 1000 });
    t = 4000; // 4 s for 4 trials after resuming 10: 1 s per trial, 6 left
    void p.callback(tunerState(14, 20, 5e9, 1, 100), [], []);
    t = 4500; // within the interval: no new line
    void p.callback(tunerState(16, 20, 6e9, 1, 100), [], []);
    p.finish(tunerState(20, 20, 7e9, 1, 0));
    const lines = stream.out.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/14\/20 {2}best 5\.00 GFLOP\/s {2}errors 1 {2}ETA 6s$/);
    expect(lines[1]).toMatch(/^\[#{24}\] 20\/20 {2}best 7\.00 GFLOP\/s {2}errors 1$/);
  });
});
