// runtime/parallel_chunks.ts — how the threads of a parallel loop share its iterations: each thread
// owns a contiguous range (a balanced static split, as TVM's parallel_for and OpenMP's static schedule)
// and claims it chunk by chunk; a thread done with its own range takes chunks left in the others'
// (work stealing), so a worker that wakes late, or is descheduled on a busy machine, does not leave
// the calling thread waiting with nothing to do. Written without closures or imports: the workers
// run the same functions, embedded as source (worker_source.ts).

/** The task area's layout (Int32 indices from its start), as worker_source.ts's TASK. */
export interface TaskLayout {
  readonly T: number; readonly CHUNK: number; readonly RANGES: number; readonly RANGE_INTS: number;
}

/** A parallel loop body: par_<i>(begin, end, args, scratch) of the wasm module. */
export type LoopBody = (begin: number, end: number, args: number, scratch: number) => void;

/**
 * A stepped loop's gate (runtime/parallel_steps.ts, a test hook): thread `me` waits for its step before a
 * claim (`begin` true) and ends it after running the chunk, or on finding nothing left (`begin` false).
 */
export type StepGate = (me: number, begin: boolean) => void;

// The workers run these two functions' own text (Function.prototype.toString): code instrumented into
// them (a mutation tester's switches) would not exist there, so they are left uninstrumented; the tests in
// tests/runtime/thread_pool.test.ts and thread_pool_steps.test.ts guard them (each was broken by hand once
// and the tests failed; the step tests run every interleaving the same way each time).
// Stryker disable all
/**
 * Runs chunks of the published task as thread `me` (0: the caller): its own range first, then what is
 * left of the others' ranges, in order from its own. A claim is one Atomics.add of CHUNK on a range's
 * cursor, so every chunk runs exactly once whichever thread claims it. Returns [own, stolen] iterations.
 * A throw from `body` propagates (the caller of this drains the task, then ends its step: drainChunks).
 * `gate` (tests only, ThreadPool.stepSchedule) orders the claims of all threads; a failed claim keeps the
 * step, so one step claims the next chunk wherever it is, or finds nothing left.
 */
export function runChunks(
  ctrl: Int32Array, task: number, me: number, body: LoopBody, args: number, scratch: number, L: TaskLayout, gate?: StepGate,
): [number, number] {
  const T = ctrl[task + L.T]!;
  const g = ctrl[task + L.CHUNK]!;
  let own = 0;
  let stolen = 0;
  for (let k = 0; k < T; k++) {
    const r = task + L.RANGES + ((me + k) % T) * L.RANGE_INTS;
    const end = ctrl[r + 1]!;
    for (;;) {
      if (gate !== undefined) gate(me, true);
      const b = Atomics.add(ctrl, r, g);
      if (b >= end) break;
      const e = Math.min(end, b + g);
      body(b, e, args, scratch);
      if (k === 0) own += e - b;
      else stolen += e - b;
      if (gate !== undefined) gate(me, false);
    }
  }
  if (gate !== undefined) gate(me, false);
  return [own, stolen];
}

/** Claims every chunk not yet claimed (after an error), so no thread starts another. */
export function drainChunks(ctrl: Int32Array, task: number, L: TaskLayout): void {
  const T = ctrl[task + L.T]!;
  for (let i = 0; i < T; i++) {
    const r = task + L.RANGES + i * L.RANGE_INTS;
    Atomics.store(ctrl, r, ctrl[r + 1]!);
  }
}
// Stryker restore all

/**
 * Writes the task's ranges: [begin, end) split into `threads` contiguous ranges of ⌈n / threads⌉ (the
 * last ones shorter or empty), each claimed `chunk` iterations at a time. Range i's words: next
 * unclaimed iteration, end, begin (kept for the statistics). Plain stores: the caller publishes them
 * to each worker with an Atomics.store of the worker's SEQ afterwards.
 */
export function writeRanges(ctrl: Int32Array, task: number, begin: number, end: number, threads: number, chunk: number, L: TaskLayout): void {
  const per = Math.ceil((end - begin) / threads);
  ctrl[task + L.T] = threads;
  ctrl[task + L.CHUNK] = chunk;
  for (let i = 0; i < threads; i++) {
    const r = task + L.RANGES + i * L.RANGE_INTS;
    const b = Math.min(end, begin + i * per);
    ctrl[r] = b;
    ctrl[r + 1] = Math.min(end, b + per);
    ctrl[r + 2] = b;
  }
}
