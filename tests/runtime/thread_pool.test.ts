// tests/runtime/thread_pool.test.ts — ThreadPool.parallelFor on its own, with a hand-made loop body that
// counts its visits to each iteration (an atomic add per iteration): every iteration runs exactly once for
// extents 1, 2, 3, odd, below the thread count and large, from any begin, back to back; the counters add up
// to the iterations run; a throwing worker or caller is reported without a hang and the pool runs on.

import binaryen from 'binaryen';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryPool } from '../../runtime/memory_pool.js';
import { threadPool, type ThreadPool } from '../../runtime/thread_pool.js';

type Body = (begin: number, end: number, args: number, scratch: number) => void;

/**
 * par_0(begin, end, args, scratch): traps (unreachable) when scratch equals the i32 at args, else adds 1
 * to the i32 at args + 4 + 4·i for every i in [begin, end). par_1 the same, spinning `spin` times first
 * per iteration (the i32 at args + 4 + 4·LIMIT), so a call lasts long enough for the worker to wake.
 */
function countingModule(): Uint8Array {
  const m = new binaryen.Module();
  try {
    m.setFeatures(binaryen.Features.MVP | binaryen.Features.Atomics | binaryen.Features.BulkMemory);
    m.setMemory(1, 65536, null, [], true, false, 'mem');
    m.addMemoryImport('mem', 'env', 'memory', true);
    const i32 = binaryen.i32;
    const [b, e, args, scratch, k] = [0, 1, 2, 3, 4];
    const get = (l: number): number => m.local.get(l, i32);
    for (const [name, spin] of [['par_0', false], ['par_1', true]] as const) {
      const visit = m.drop(m.i32.atomic.rmw.add(4, m.i32.add(get(args), m.i32.shl(get(b), m.i32.const(2))), m.i32.const(1)));
      const wait = m.block(null, [
        m.local.set(k, m.i32.load(4 + 4 * LIMIT, 4, get(args))),
        m.loop('spin', m.if(m.i32.gt_s(get(k), m.i32.const(0)), m.block(null, [m.local.set(k, m.i32.sub(get(k), m.i32.const(1))), m.br('spin')]))),
      ]);
      m.addFunction(name, binaryen.createType([i32, i32, i32, i32]), binaryen.none, [i32], m.block(null, [
        m.if(m.i32.eq(get(scratch), m.i32.load(0, 4, get(args))), m.unreachable()),
        m.block('out', [m.loop('next', m.block(null, [
          m.br('out', m.i32.ge_s(get(b), get(e))),
          ...(spin ? [wait] : []),
          visit,
          m.local.set(b, m.i32.add(get(b), m.i32.const(1))),
          m.br('next'),
        ]))]),
      ]));
      m.addFunctionExport(name, name);
    }
    if (!m.validate()) throw new Error('test module does not validate');
    return m.emitBinary();
  } finally {
    m.dispose();
  }
}

/** Counters for iterations [0, LIMIT). */
const LIMIT = 1 << 16;
/** Scratch "addresses" handed to the threads (the body only compares them with the trap marker). */
const SCRATCH = [1001, 1002, 1003, 1004];
const NO_TRAP = -1;

let pool: ThreadPool;
let moduleId: number;
let bodies: Body[];
let args: number;

beforeAll(async () => {
  const mem = memoryPool();
  pool = threadPool(mem.memory);
  await pool.ensureWorkers(3);
  const module = await WebAssembly.compile(countingModule() as Uint8Array<ArrayBuffer>);
  moduleId = await pool.register(module);
  const inst = await WebAssembly.instantiate(module, { env: { memory: mem.memory } });
  bodies = [inst.exports['par_0'] as Body, inst.exports['par_1'] as Body];
  args = mem.alloc(4 * (LIMIT + 2));
}, 60_000);

afterAll(() => {
  pool.collectStats(false);
  pool.unregister(moduleId);
  memoryPool().release(args);
});

const words = (): Int32Array => new Int32Array(memoryPool().memory.buffer, args, LIMIT + 2);

/** Zeroes the counters, sets the trap marker and the per-iteration spin. */
function reset(trapScratch = NO_TRAP, spin = 0): void {
  const w = words();
  w.fill(0);
  w[0] = trapScratch;
  w[1 + LIMIT] = spin;
}

/** Iterations of [0, LIMIT) whose counter is not `want` (1 inside [begin, end), 0 outside), at most 5. */
function wrongCounts(begin: number, end: number): string[] {
  const w = words();
  const bad: string[] = [];
  for (let i = 0; i < LIMIT && bad.length < 5; i++) {
    const want = i >= begin && i < end ? 1 : 0;
    if (w[1 + i] !== want) bad.push(`${i}: ${w[1 + i]}`);
  }
  return bad;
}

const run = (fn: number, begin: number, end: number, threads: number): number =>
  pool.parallelFor(moduleId, fn, begin, end, args, threads, SCRATCH, bodies[fn]!);

/**
 * Runs the slow body (2000 spins an iteration) over 4096 iterations on `threads` threads, the thread whose
 * scratch is `trapScratch` trapping whenever it runs a chunk, up to 10 times until a run throws; returns that
 * error (undefined if none did). Which thread runs which chunk depends on timing (work stealing): a run in
 * which the trapping thread ran nothing must count every iteration exactly once.
 */
function firstTrap(trapScratch: number, threads: number): unknown {
  for (let tries = 0; tries < 10; tries++) {
    reset(trapScratch, 2000);
    try {
      run(1, 0, 4096, threads);
      expect(wrongCounts(0, 4096)).toEqual([]);
    } catch (e) {
      return e;
    }
  }
  return undefined;
}

describe('ThreadPool.parallelFor', () => {
  it('runs every iteration exactly once, for extents 1, 2, 3, odd, under the thread count and large, from any begin', () => {
    for (const threads of [2, 3, 4]) {
      for (const [begin, end] of [[0, 1], [0, 2], [0, 3], [5, 8], [0, 7], [3, 12], [0, 17], [1, 100], [0, 1001], [7, 4099], [0, LIMIT]]) {
        reset();
        run(0, begin!, end!, threads);
        expect(wrongCounts(begin!, end!), `[${begin}, ${end}) on ${threads} threads`).toEqual([]);
      }
    }
  });

  it('runs consecutive loops back to back, each exactly once, and its counts add up to the iterations', () => {
    pool.collectStats(true);
    reset();
    const ranges = [[0, 9], [9, 10], [10, 333], [333, 1000], [1000, 1003], [1003, 5000]];
    let takenBack = 0;
    for (let r = 0; r < 3; r++) for (const [b, e] of ranges) takenBack += run(0, b!, e!, 2);
    const w = words();
    const bad = Array.from({ length: 5000 }, (_, i) => i).filter((i) => w[1 + i] !== 3);
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
    pool.collectStats(true);
    reset();
    run(0, 0, 1000, 2);
    pool.collectStats(false);
    run(0, 0, 1000, 2);
    const s = pool.stats();
    expect(s.loops).toBe(1);
    expect(s.callerOwn + s.callerStolen + s.workers[0]!.own + s.workers[0]!.stolen).toBe(1000);
    pool.collectStats(true);
    expect(pool.stats().loops).toBe(0);
    expect(pool.stats().workers.every((w) => w.ran + w.own + w.stolen + w.cancelled + w.parkedWakes + w.lagIters === 0)).toBe(true);
    pool.collectStats(false);
  });

  it('lets a worker that wakes share the work of a long loop', () => {
    pool.collectStats(true);
    // ~2000 spins per iteration × 4096 iterations: long enough that a worker wakes within the loop.
    let ran = 0;
    for (let tries = 0; tries < 10 && ran === 0; tries++) {
      reset(NO_TRAP, 2000);
      run(1, 0, 4096, 2);
      expect(wrongCounts(0, 4096)).toEqual([]);
      ran = pool.stats().workers[0]!.own + pool.stats().workers[0]!.stolen;
    }
    expect(ran).toBeGreaterThan(0);
    pool.collectStats(false);
  });

  it('reports a worker that throws, without a hang, and runs the next loop exactly', () => {
    // The worker traps whenever it takes part; on a busy machine the caller may run every chunk itself first.
    const error = firstTrap(SCRATCH[1]!, 2);
    expect(String(error)).toMatch(/parallel loop failed in worker 0: .*unreachable/);
    reset();
    run(0, 0, 4099, 2);
    expect(wrongCounts(0, 4099)).toEqual([]);
  });

  it('rethrows the caller\'s own trap after its workers are done, and runs the next loop exactly', () => {
    // The caller traps whenever it runs a chunk. With work stealing, workers that run while the caller is
    // descheduled (2 cores, 3 threads) can claim every chunk, the caller's range too, before its first claim:
    // the slow body (2000 spins an iteration) makes that rare, and a few tries make it negligible.
    const error = firstTrap(SCRATCH[0]!, 3);
    // Rethrown as itself (a RuntimeError from the caller's instance), not as a worker's failure.
    expect(String(error)).toMatch(/unreachable/);
    expect(String(error)).not.toMatch(/parallel loop failed in worker/);
    reset();
    run(0, 0, 1000, 3);
    expect(wrongCounts(0, 1000)).toEqual([]);
  });
});
