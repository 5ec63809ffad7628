// runtime/parallel_steps.ts — a test hook of the thread pool: a step schedule fixes the order in which
// the threads of a parallel loop take their steps, so each interleaving the pool handles (a worker that
// traps before or after the caller steals its chunk, a caller that traps, a late worker taken back, a
// worker finishing the caller's range) runs the same way every time, whatever the machine's load
// (ThreadPool.stepSchedule). Off, it costs one test per loop: no thread waits at a gate or reads these
// words. Written without closures or imports, as parallel_chunks.ts: the workers run this text too.
//
// A thread's steps, in its order. Thread 0 (the caller): one step per chunk it claims and runs (own
// range first, then the others' in order), one step that finds nothing left, then one step per worker
// w = 1 … T−1 taking back w's hand-off (done only if w has not taken it; else the caller waits for w).
// Worker w: one step taking its hand-off (skipped if the caller took it back first), then one step per
// chunk it claims and runs, and one that finds nothing left. A step that traps ends after the thread
// has drained the task (parallel_chunks.ts drainChunks), so what the next thread finds is fixed too.
// When the schedule is used up every thread runs freely, so a schedule only needs the prefix that
// matters, up to the caller's last take-back.

import type { StepGate } from './parallel_chunks.js';

/** The step words' Int32 indices from the task area's start (worker_source.ts TASK). */
export interface StepLayout {
  /** Schedule length (0: no schedule), index of the next step, 1 + the step that never came (0: none). */
  readonly STEPS: number; readonly TURN: number; readonly STRAY: number;
  /** The schedule's thread numbers, at most SCHEDULE_MAX. */
  readonly SCHEDULE: number; readonly SCHEDULE_MAX: number;
}

// The workers run awaitStep's and endStep's own text: left uninstrumented by a mutation tester, as
// parallel_chunks.ts's; tests/runtime/thread_pool_steps.test.ts guards them.
// Stryker disable all
/**
 * Waits until the schedule's next step is thread `me`'s, or the schedule is used up. With `guard`, gives
 * up and returns false once ctrl[guard] is no longer `guardValue` (a worker waiting to take its hand-off
 * returns when the caller took it back; the word is read after the turn, so a stale turn is never
 * trusted). After 20 s in which no thread took a step it records the step as never taken (STRAY), turns
 * the schedule off so every thread runs on, and returns: a schedule naming a step no thread can take
 * fails the loop with an error (ThreadPool.parallelFor) instead of hanging it.
 */
export function awaitStep(ctrl: Int32Array, task: number, me: number, L: StepLayout, guard = -1, guardValue = 0): boolean {
  const n = ctrl[task + L.STEPS]!;
  let seen = -1;
  let deadline = 0;
  for (;;) {
    const turn = Atomics.load(ctrl, task + L.TURN);
    if (guard >= 0 && Atomics.load(ctrl, guard) !== guardValue) return false;
    if (turn >= n || ctrl[task + L.SCHEDULE + turn] === me) return true;
    // The patience runs from the last step any thread took, so a long schedule on a starved machine is no fault.
    if (turn !== seen) {
      seen = turn;
      deadline = performance.now() + 20_000;
    } else if (performance.now() > deadline) {
      Atomics.compareExchange(ctrl, task + L.STRAY, 0, turn + 1);
      Atomics.store(ctrl, task + L.TURN, n);
      Atomics.notify(ctrl, task + L.TURN);
      return true;
    }
    try {
      Atomics.wait(ctrl, task + L.TURN, turn, 20);
    } catch {
      // A page's main thread may not block: spin.
    }
  }
}

/** Ends thread `me`'s step if it holds the turn (no other thread moves the turn while it is `me`'s). */
export function endStep(ctrl: Int32Array, task: number, me: number, L: StepLayout): void {
  const turn = Atomics.load(ctrl, task + L.TURN);
  if (turn < ctrl[task + L.STEPS]! && ctrl[task + L.SCHEDULE + turn] === me) {
    Atomics.store(ctrl, task + L.TURN, turn + 1);
    Atomics.notify(ctrl, task + L.TURN);
  }
}
// Stryker restore all

/** The caller's gate for runChunks (a worker builds its own from this file's text: worker_source.ts). */
export function stepGate(ctrl: Int32Array, task: number, L: StepLayout): StepGate {
  return (me, begin) => {
    if (begin) awaitStep(ctrl, task, me, L);
    else endStep(ctrl, task, me, L);
  };
}

/**
 * Returns `steps` if it is a schedule a loop on `threads` threads can follow.
 * @throws RangeError for more than SCHEDULE_MAX steps, or a thread number not an integer in [0, threads)
 */
export function checkSchedule(steps: readonly number[], threads: number, L: StepLayout): readonly number[] {
  if (steps.length > L.SCHEDULE_MAX || steps.some((k) => !Number.isInteger(k) || k < 0)) {
    throw new RangeError(`thread pool: a step schedule is at most ${L.SCHEDULE_MAX} thread numbers ≥ 0, got [${steps.join(', ')}]`);
  }
  const beyond = steps.find((k) => k >= threads);
  if (beyond !== undefined) throw new RangeError(`thread pool: the step schedule names thread ${beyond}, but this loop runs on ${threads} threads`);
  return steps;
}

/** Writes the schedule for the next loop (plain stores, published with the workers' SEQ). */
export function writeSchedule(ctrl: Int32Array, task: number, steps: readonly number[], L: StepLayout): void {
  for (let i = 0; i < steps.length; i++) ctrl[task + L.SCHEDULE + i] = steps[i]!;
  ctrl[task + L.STEPS] = steps.length;
  ctrl[task + L.TURN] = 0;
  ctrl[task + L.STRAY] = 0;
}

/**
 * After a stepped loop, once every thread is done: throws if its schedule was not followed (a step that
 * never came, or steps left over), naming the step.
 */
export function checkScheduleFollowed(ctrl: Int32Array, task: number, L: StepLayout): void {
  const n = ctrl[task + L.STEPS]!;
  const stray = ctrl[task + L.STRAY]!;
  const turn = Atomics.load(ctrl, task + L.TURN);
  const at = (k: number): string => `step ${k} (thread ${ctrl[task + L.SCHEDULE + k]})`;
  let why: string | undefined;
  if (stray > 0) why = `${at(stray - 1)} never came: that thread had no such step left, or waited on another that never came`;
  else if (turn < n) why = `the loop ended before ${at(turn)}: the schedule names more steps than the threads took`;
  if (why === undefined) return;
  const steps = Array.from({ length: n }, (_, k) => ctrl[task + L.SCHEDULE + k]);
  throw new Error(`thread pool: the step schedule [${steps.join(', ')}] was not followed: ${why}`);
}
