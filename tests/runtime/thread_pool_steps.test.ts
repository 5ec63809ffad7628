// tests/runtime/thread_pool_steps.test.ts — each interleaving the thread pool handles, run the same way every
// time through its test hook (ThreadPool.stepSchedule: the order in which the threads take their steps,
// runtime/parallel_steps.ts): a worker finishing the caller's range, a late worker taken back, the caller
// stealing part or all of a worker's range, a worker that traps before or after the caller steals its
// chunk, a caller that traps, three threads at once. Each checks which iterations ran (exactly once, or
// exactly those before the trap, against the list written out here), who ran them (the statistics), and
// the error; then a loop without a schedule runs exactly. No test depends on timing or retries.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { countingLoop, SCRATCH, type CountingLoop } from './counting_loop.js';

let loop: CountingLoop;

beforeAll(async () => {
  loop = await countingLoop(2);
}, 60_000);

afterAll(() => loop.dispose());

afterEach(() => {
  loop.pool.stepSchedule(undefined);
  loop.pool.collectStats(false);
});

/** Thread numbers in a schedule: the caller, the first and second workers. */
const C = 0;
const W = 1;
const W2 = 2;

/**
 * Runs [3, 8) on 2 threads (the caller's range [3, 6), the worker's [6, 8), one iteration a chunk) following
 * `steps`, with the thread whose scratch is `trapScratch` trapping whenever it runs a chunk; returns the
 * error (undefined if none), the iterations that ran (each must have run at most once) and the statistics.
 */
function stepped(steps: number[], trapScratch?: number, [begin, end, threads] = [3, 8, 2]): { error: unknown; ran: number[]; stats: ReturnType<CountingLoop['pool']['stats']> } {
  const { pool } = loop;
  loop.reset(trapScratch);
  pool.collectStats(true);
  pool.stepSchedule(steps);
  let error: unknown;
  try {
    loop.run(begin, end, threads);
  } catch (e) {
    error = e;
  } finally {
    pool.stepSchedule(undefined);
  }
  const stats = pool.stats();
  pool.collectStats(false);
  const ran: number[] = [];
  for (let i = 0; i < end + 8; i++) {
    expect(loop.count(i), `iteration ${i} ran ${loop.count(i)} times`).toBeLessThanOrEqual(1);
    if (loop.count(i) === 1) ran.push(i);
  }
  return { error, ran, stats };
}

const range = (b: number, e: number): number[] => Array.from({ length: e - b }, (_, k) => b + k);

/** A loop without a schedule afterwards runs every iteration exactly once: no state left behind. */
function runsCleanAfter(): void {
  for (const threads of [2, 3]) {
    loop.reset();
    loop.run(0, 1001, threads);
    expect(loop.wrongCounts(0, 1001), `${threads} threads`).toEqual([]);
  }
}

describe('ThreadPool.parallelFor, each interleaving by a step schedule', () => {
  it('a worker that finishes its range goes on with the caller\'s, while the caller has not claimed any', () => {
    // The worker takes its hand-off, runs 6 and 7, then the caller's 3, 4, 5, finds nothing left; the caller
    // finds nothing, fails to take the hand-off back (taken) and waits for the worker.
    const { error, ran, stats } = stepped([W, W, W, W, W, W, W, C, C]);
    expect(error).toBeUndefined();
    expect(ran).toEqual(range(3, 8));
    expect(stats.workers[0]).toMatchObject({ ran: 1, cancelled: 0, own: 2, stolen: 3 });
    expect([stats.callerOwn, stats.callerStolen]).toEqual([0, 0]);
    runsCleanAfter();
  });

  it('chunks of several iterations with a short last one: the worker steals the caller\'s half after its first chunk', () => {
    // [0, 41) on 2 threads: ranges [0, 21) and [21, 41), chunks of ⌈21 / 8⌉ = 3 (the worker's last one 2
    // long). The caller runs [0, 3); the worker takes its hand-off, runs its 7 chunks, then the caller's
    // 6 left, and finds nothing; the caller finds nothing and cannot take the hand-off back.
    const { error, ran, stats } = stepped([C, W, ...Array(7 + 6 + 1).fill(W), C, C], undefined, [0, 41, 2]);
    expect(error).toBeUndefined();
    expect(ran).toEqual(range(0, 41));
    expect(stats.workers[0]).toMatchObject({ ran: 1, own: 20, stolen: 18 });
    expect([stats.callerOwn, stats.callerStolen]).toEqual([3, 0]);
  });

  it('a worker that has not woken when every chunk is claimed is taken back and never runs', () => {
    // The caller runs 3, 4, 5, steals 6 and 7, finds nothing left, takes the hand-off back.
    const { error, ran, stats } = stepped([C, C, C, C, C, C, C]);
    expect(error).toBeUndefined();
    expect(ran).toEqual(range(3, 8));
    expect(stats.workers[0]).toMatchObject({ ran: 0, cancelled: 1, own: 0, stolen: 0 });
    expect([stats.callerOwn, stats.callerStolen]).toEqual([3, 2]);
    // The worker wakes (if ever) to a hand-off taken back, and takes the next one as usual.
    runsCleanAfter();
  });

  it('the caller steals part of a worker\'s range while the worker runs the rest', () => {
    // Caller: 3, 4, 5; worker takes its hand-off; caller steals 6; worker runs 7 and finds nothing left.
    const { error, ran, stats } = stepped([C, C, C, W, C, W, W, C, C]);
    expect(error).toBeUndefined();
    expect(ran).toEqual(range(3, 8));
    expect(stats.workers[0]).toMatchObject({ ran: 1, cancelled: 0, own: 1, stolen: 0 });
    expect([stats.callerOwn, stats.callerStolen]).toEqual([3, 1]);
  });

  it('a worker that would trap but finds its range stolen runs nothing, and the loop succeeds', () => {
    // The caller runs all five; the worker takes its hand-off late and finds nothing left (no chunk, no trap).
    const { error, ran, stats } = stepped([C, C, C, C, C, W, W, C, C], SCRATCH[1]);
    expect(error).toBeUndefined();
    expect(ran).toEqual(range(3, 8));
    expect(stats.workers[0]).toMatchObject({ ran: 1, own: 0, stolen: 0 });
  });

  it('a worker that traps before the caller steals its chunks: reported as the worker\'s, and its chunks are not run by anyone', () => {
    // Caller runs 3; the worker takes its hand-off and traps in 6, draining the task; the caller then finds
    // nothing left (not 4, 5 or 7), so only 3 ran.
    const { error, ran } = stepped([C, W, W], SCRATCH[1]);
    expect(String(error)).toMatch(/^Error: parallel loop failed in worker 0: .*unreachable/);
    expect(ran).toEqual([3]);
    runsCleanAfter();
  });

  it('a worker that traps after the caller stole one of its chunks: reported as the worker\'s, nothing after it runs', () => {
    // Caller runs 3, 4, 5 and steals 6; the worker takes its hand-off and traps in 7.
    const { error, ran } = stepped([C, C, C, C, W, W], SCRATCH[1]);
    expect(String(error)).toMatch(/^Error: parallel loop failed in worker 0: .*unreachable/);
    expect(ran).toEqual([3, 4, 5, 6]);
    runsCleanAfter();
  });

  it('a caller that traps: its own error is rethrown after the worker is done, and the worker starts no chunk after it', () => {
    // The worker takes its hand-off and runs 6; the caller traps in 3 and drains; the worker finds nothing left.
    const { error, ran, stats } = stepped([W, W, C], SCRATCH[0]);
    expect(error).toBeInstanceOf(WebAssembly.RuntimeError);
    expect(String(error)).toMatch(/unreachable/);
    expect(ran).toEqual([6]);
    expect(stats.workers[0]).toMatchObject({ ran: 1, own: 1, stolen: 0 });
    runsCleanAfter();
  });

  it('three threads on 7 iterations: one worker runs everything, the other is late and taken back', () => {
    // Ranges [0, 3) caller, [3, 6) worker 1, [6, 7) worker 2. Worker 1 takes its hand-off, runs 3, 4, 5,
    // steals 6 (worker 2's range), then 0, 1, 2 (the caller's), finds nothing left; the caller finds
    // nothing, fails to take worker 1's hand-off back, takes worker 2's back.
    const { error, ran, stats } = stepped([W, W, W, W, W, W, W, W, W, C, C, C], undefined, [0, 7, 3]);
    expect(error).toBeUndefined();
    expect(ran).toEqual(range(0, 7));
    expect(stats.workers[0]).toMatchObject({ ran: 1, cancelled: 0, own: 3, stolen: 4 });
    expect(stats.workers[1]).toMatchObject({ ran: 0, cancelled: 1, own: 0, stolen: 0 });
    expect([stats.callerOwn, stats.callerStolen]).toEqual([0, 0]);
    runsCleanAfter();
  });

  it('three threads: worker 2 traps in the caller\'s range after worker 1 ran its own; no chunk runs after the trap', () => {
    // Worker 1 takes its hand-off and runs 3, 4, 5; worker 2 takes its hand-off and traps in its first chunk,
    // 6, draining the task: the caller's range [0, 3) is never run, by the caller or a worker.
    const { error, ran } = stepped([W, W, W, W, W2, W2], SCRATCH[2], [0, 7, 3]);
    expect(String(error)).toMatch(/^Error: parallel loop failed in worker 1: .*unreachable/);
    expect(ran).toEqual([3, 4, 5]);
    runsCleanAfter();
  });

  it('a schedule the threads cannot follow fails the loop with the step it names, not a hang', () => {
    // The caller takes the hand-off back at step 6, so the worker never takes step 7.
    expect(stepped([C, C, C, C, C, C, C, W]).error).toMatchObject({ message: expect.stringMatching(/schedule \[0, 0, 0, 0, 0, 0, 0, 1\] was not followed: the loop ended before step 7 \(thread 1\)/) });
    // A thread the loop does not have, a schedule too long, a negative thread.
    expect(stepped([C, W2]).error).toMatchObject({ message: expect.stringMatching(/names thread 2, but this loop runs on 2 threads/) });
    expect(() => loop.pool.stepSchedule(new Array(65).fill(0))).toThrow(/at most 64 thread numbers/);
    expect(() => loop.pool.stepSchedule([0, -1])).toThrow(/at most 64 thread numbers ≥ 0, got \[0, -1\]/);
    runsCleanAfter();
  });
});
