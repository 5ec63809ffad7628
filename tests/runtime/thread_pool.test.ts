// tests/runtime/thread_pool.test.ts — ThreadPool.parallelFor on its own, with a hand-made loop body that
// counts its visits to each iteration (tests/runtime/counting_loop.ts): every iteration runs exactly once for
// extents 1, 2, 3, odd, below the thread count and large, from any begin, back to back; the counters add up
// to the iterations run; a trap is reported without a hang, whichever thread hit it, and the pool runs on.
// Which thread runs which chunk is not fixed here (work stealing, timing): tests/runtime/thread_pool_steps.test.ts
// runs each interleaving the pool handles, every time the same, through its step-schedule hook.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countingLoop, LIMIT, NO_TRAP, type CountingLoop } from './counting_loop.js';

let loop: CountingLoop;

beforeAll(async () => {
  loop = await countingLoop(3);
}, 60_000);

afterAll(() => loop.dispose());

describe('ThreadPool.parallelFor', () => {
  it('runs every iteration exactly once, for extents 1, 2, 3, odd, under the thread count and large, from any begin', () => {
    for (const threads of [2, 3, 4]) {
      for (const [begin, end] of [[0, 1], [0, 2], [0, 3], [5, 8], [0, 7], [3, 12], [0, 17], [1, 100], [0, 1001], [7, 4099], [0, LIMIT]]) {
        loop.reset();
        loop.run(begin!, end!, threads);
        expect(loop.wrongCounts(begin!, end!), `[${begin}, ${end}) on ${threads} threads`).toEqual([]);
      }
    }
  });

  it('runs consecutive loops back to back, each exactly once, and its counts add up to the iterations', () => {
    const { pool } = loop;
    pool.collectStats(true);
    loop.reset();
    const ranges = [[0, 9], [9, 10], [10, 333], [333, 1000], [1000, 1003], [1003, 5000]];
    let takenBack = 0;
    for (let r = 0; r < 3; r++) for (const [b, e] of ranges) takenBack += loop.run(b!, e!, 2);
    const bad = Array.from({ length: 5000 }, (_, i) => i).filter((i) => loop.count(i) !== 3);
    expect(bad.slice(0, 5)).toEqual([]);
    const s = pool.stats();
    // A loop of one iteration runs on the caller without a hand-off, and is not counted.
    const handedOut = ranges.filter(([b, e]) => e! - b! > 1);
    expect(s.loops).toBe(3 * handedOut.length);
    const worker = s.workers[0]!;
    expect(s.callerOwn + s.callerStolen + worker.own + worker.stolen).toBe(3 * handedOut.reduce((a, [b, e]) => a + e! - b!, 0));
    // Each hand-off was either taken by the worker or taken back by the caller.
    expect(worker.ran + worker.cancelled).toBe(3 * handedOut.length);
    // parallelFor returns the hand-offs it took back (what LoopCosts's race leaves out of its timings).
    expect(takenBack).toBe(worker.cancelled);
    pool.collectStats(false);
  });

  it('counts nothing while statistics are off, and starts from zero when they are turned on', () => {
    const { pool } = loop;
    pool.collectStats(true);
    loop.reset();
    loop.run(0, 1000, 2);
    pool.collectStats(false);
    loop.run(0, 1000, 2);
    const s = pool.stats();
    expect(s.loops).toBe(1);
    expect(s.callerOwn + s.callerStolen + s.workers[0]!.own + s.workers[0]!.stolen).toBe(1000);
    pool.collectStats(true);
    expect(pool.stats().loops).toBe(0);
    expect(pool.stats().workers.every((w) => w.ran + w.own + w.stolen + w.cancelled + w.parkedWakes + w.lagIters === 0)).toBe(true);
    pool.collectStats(false);
  });

  it('reports a trap, whichever thread hits it, without a hang; no iteration runs twice; the next loop runs exactly', () => {
    // Iteration 2000 of [0, 4096) traps for whoever claims it (caller or worker: timing decides, and neither
    // outcome is asserted). After the trap no thread starts another chunk, so some iterations never run.
    for (const threads of [2, 3]) {
      loop.reset(NO_TRAP, 2000);
      expect(() => loop.run(0, 4096, threads), `${threads} threads`).toThrow(/unreachable/);
      expect(loop.count(2000)).toBe(0);
      const twice = Array.from({ length: 4096 }, (_, i) => i).filter((i) => loop.count(i) > 1);
      expect(twice).toEqual([]);
      loop.reset();
      loop.run(0, 4099, threads);
      expect(loop.wrongCounts(0, 4099), `after the trap, ${threads} threads`).toEqual([]);
    }
  });
});
