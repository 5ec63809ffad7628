// tests/runtime/counting_loop.ts — a hand-made parallel loop body for the thread-pool tests: it counts its
// visits to each iteration (an atomic add), so an iteration run twice or never shows, and traps on demand
// (when run by a given thread, or at a given iteration), so error paths can be driven.

import binaryen from 'binaryen';
import { memoryPool } from '../../runtime/memory_pool.js';
import { threadPool, type ThreadPool } from '../../runtime/thread_pool.js';

export type Body = (begin: number, end: number, args: number, scratch: number) => void;

/** Counters for iterations [0, LIMIT). */
export const LIMIT = 1 << 16;
/** Scratch "addresses" handed to threads 0 (the caller), 1, 2, 3 (the body only compares them with the trap marker). */
export const SCRATCH = [1001, 1002, 1003, 1004];
export const NO_TRAP = -1;
/** Word indices at `args`: the thread marker, the counters (1 + i), the trapping iteration. */
const TRAP_THREAD = 0;
const TRAP_AT = 1 + LIMIT;

/**
 * par_0(begin, end, args, scratch): traps (unreachable) at once when scratch equals the i32 at args; else, for
 * every i in [begin, end), traps if i is the i32 at args + 4·TRAP_AT, then adds 1 to the i32 at args + 4 + 4·i.
 */
function countingModule(): Uint8Array {
  const m = new binaryen.Module();
  try {
    m.setFeatures(binaryen.Features.MVP | binaryen.Features.Atomics | binaryen.Features.BulkMemory);
    m.setMemory(1, 65536, null, [], true, false, 'mem');
    m.addMemoryImport('mem', 'env', 'memory', true);
    const i32 = binaryen.i32;
    const [b, e, args, scratch] = [0, 1, 2, 3];
    const get = (l: number): number => m.local.get(l, i32);
    const visit = m.drop(m.i32.atomic.rmw.add(4, m.i32.add(get(args), m.i32.shl(get(b), m.i32.const(2))), m.i32.const(1)));
    m.addFunction('par_0', binaryen.createType([i32, i32, i32, i32]), binaryen.none, [], m.block(null, [
      m.if(m.i32.eq(get(scratch), m.i32.load(4 * TRAP_THREAD, 4, get(args))), m.unreachable()),
      m.block('out', [m.loop('next', m.block(null, [
        m.br('out', m.i32.ge_s(get(b), get(e))),
        m.if(m.i32.eq(get(b), m.i32.load(4 * TRAP_AT, 4, get(args))), m.unreachable()),
        visit,
        m.local.set(b, m.i32.add(get(b), m.i32.const(1))),
        m.br('next'),
      ]))]),
    ]));
    m.addFunctionExport('par_0', 'par_0');
    if (!m.validate()) throw new Error('test module does not validate');
    return m.emitBinary();
  } finally {
    m.dispose();
  }
}

/** The process-wide pool with `workers` workers, the counting module registered in it, and its words. */
export interface CountingLoop {
  readonly pool: ThreadPool;
  /** Runs par_0 over [begin, end) on `threads` threads through ThreadPool.parallelFor; returns the hand-offs it took back. */
  run(begin: number, end: number, threads: number): number;
  /** Zeroes the counters; the thread whose scratch is `trapScratch`, and whoever runs iteration `trapAt`, traps. */
  reset(trapScratch?: number, trapAt?: number): void;
  /** The counter of iteration i. */
  count(i: number): number;
  /** Iterations of [0, LIMIT) whose counter is not 1 inside [begin, end) and 0 outside, at most 5. */
  wrongCounts(begin: number, end: number): string[];
  dispose(): void;
}

export async function countingLoop(workers: number): Promise<CountingLoop> {
  const mem = memoryPool();
  const pool = threadPool(mem.memory);
  await pool.ensureWorkers(workers);
  const module = await WebAssembly.compile(countingModule() as Uint8Array<ArrayBuffer>);
  const moduleId = await pool.register(module);
  const inst = await WebAssembly.instantiate(module, { env: { memory: mem.memory } });
  const body = inst.exports['par_0'] as Body;
  const args = mem.alloc(4 * (LIMIT + 2));
  const words = (): Int32Array => new Int32Array(mem.memory.buffer, args, LIMIT + 2);
  return {
    pool,
    run: (begin, end, threads) => pool.parallelFor(moduleId, 0, begin, end, args, threads, SCRATCH, body),
    reset(trapScratch = NO_TRAP, trapAt = NO_TRAP) {
      const w = words();
      w.fill(0);
      w[TRAP_THREAD] = trapScratch;
      w[TRAP_AT] = trapAt;
    },
    count: (i) => words()[1 + i]!,
    wrongCounts(begin, end) {
      const w = words();
      const bad: string[] = [];
      for (let i = 0; i < LIMIT && bad.length < 5; i++) {
        const want = i >= begin && i < end ? 1 : 0;
        if (w[1 + i] !== want) bad.push(`${i}: ${w[1 + i]}`);
      }
      return bad;
    },
    dispose() {
      pool.collectStats(false);
      pool.stepSchedule(undefined);
      pool.unregister(moduleId);
      mem.release(args);
    },
  };
}
