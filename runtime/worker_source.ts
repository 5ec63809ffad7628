// runtime/worker_source.ts — the code a pool worker runs, as plain JavaScript source, so the same
// text starts a Node worker_thread (eval) or a browser Web Worker (Blob URL) without a bundler or tsx,
// and the shared control array's layout that it and runtime/thread_pool.ts agree on.

import { drainChunks, runChunks } from './parallel_chunks.js';
import { awaitStep, endStep } from './parallel_steps.js';

/**
 * One worker's slot in the shared control array (Int32 indices). SEQ: the task the caller published
 * (30-bit, wrapping); TAKEN: 2·seq once the worker took task seq, 2·seq + 1 once the caller took it
 * back before the worker woke (whoever moves it first wins, by compareExchange); DONE: the last task
 * the worker finished; PARKED: 1 while the worker sleeps in Atomics.waitAsync. Counters (written only
 * while the pool collects statistics, ThreadPool.collectStats): tasks run, iterations of its own range
 * and of others' ranges, tasks that found it parked, and the caller's iterations done before it started.
 * The counters sit on their own cache line, away from the hand-off words.
 */
export const SLOT = {
  SEQ: 0, TAKEN: 1, DONE: 2, PARKED: 3, MODULE: 4, FN: 5, ARGS: 6, SCRATCH: 7, ERROR: 8,
  RAN: 16, OWN: 17, STOLEN: 18, PARKED_WAKES: 19, LAG: 20,
  MSG: 32, INTS: 96,
} as const;

/** Ranges the task area holds: the most workers a pool starts (ThreadPool.ensureWorkers), and the caller. */
const MAX_THREADS = 65;

/**
 * The task area after the slots (Int32 indices from its start): HOT (workers spin instead of parking,
 * ThreadPool.beginRun), STATS (collect the counters), T (threads taking part), CHUNK (iterations a claim
 * takes), the step words of a test schedule (STEPS, TURN, STRAY: parallel_steps.ts), then per thread
 * i < T a range on its own cache line (parallel_chunks.ts writeRanges), then the schedule itself.
 */
export const TASK = {
  HOT: 0, STATS: 1, T: 2, CHUNK: 3, STEPS: 4, TURN: 5, STRAY: 6, RANGES: 16, RANGE_INTS: 16,
  SCHEDULE: 16 + MAX_THREADS * 16, SCHEDULE_MAX: 64,
} as const;

/** Sequence numbers wrap within 30 bits, so 2·seq + 1 fits an Int32. */
export const SEQ_MASK = 0x3fffffff;

const BODY = `
const S = ${JSON.stringify(SLOT)};
const TASK = ${JSON.stringify(TASK)};
const exportsById = new Map();
let ctrl = null, base = 0, task = 0, me = 0, memory = null;
// Bound by name whatever a bundler calls the functions (their text needs only its parameters and globals).
const runChunks = (${runChunks.toString()});
const drainChunks = (${drainChunks.toString()});
const awaitStep = (${awaitStep.toString()});
const endStep = (${endStep.toString()});
const gate = (me, begin) => { if (begin) awaitStep(ctrl, task, me, TASK); else endStep(ctrl, task, me, TASK); };
function handle(msg) {
  if (msg.type === 'init') {
    ctrl = new Int32Array(msg.ctrl); base = msg.slot * S.INTS; task = msg.task; me = msg.slot + 1; memory = msg.memory;
    loop();
    post({ type: 'ready' });
  } else if (msg.type === 'load') {
    try {
      const inst = new WebAssembly.Instance(msg.module, { env: { memory, parallel_for: () => { throw new Error('nested parallel dispatch from a worker'); } } });
      exportsById.set(msg.id, { exports: inst.exports, pars: [] });
      post({ type: 'loaded', id: msg.id });
    } catch (e) {
      post({ type: 'loaded', id: msg.id, error: String(e && e.message || e) });
    }
  } else if (msg.type === 'unload') {
    exportsById.delete(msg.id);
  }
}
// After a task, spin for the next one (timing loops dispatch back to back) before parking in
// waitAsync, which keeps the event loop free for 'load' messages but wakes slowly (~0.1-1 ms).
// The spin lasts about what a wake-up costs (1 ms), so idling costs at most twice the best choice
// in hindsight (competitive spinning); at 0.25 ms, a kernel whose caller-side work between two
// handed-out loops (MM-512's B packing) ran longer found the worker parked at every call. While the
// hot flag is set (a model run, ThreadPool.beginRun/endRun), spin without limit.
const SPIN_MS = 1;
async function loop() {
  let seen = Atomics.load(ctrl, base + S.SEQ);
  for (;;) {
    let cur = Atomics.load(ctrl, base + S.SEQ);
    const until = performance.now() + SPIN_MS;
    while (cur === seen && (Atomics.load(ctrl, task + TASK.HOT) !== 0 || performance.now() < until)) cur = Atomics.load(ctrl, base + S.SEQ);
    let parked = 0;
    while (cur === seen) {
      // PARKED is set before waitAsync looks at SEQ: a caller that publishes meanwhile either sees it and notifies, or changed SEQ first.
      Atomics.store(ctrl, base + S.PARKED, 1);
      const w = Atomics.waitAsync(ctrl, base + S.SEQ, seen);
      if (w.async) await w.value;
      Atomics.store(ctrl, base + S.PARKED, 0);
      parked = 1;
      cur = Atomics.load(ctrl, base + S.SEQ);
      if (Atomics.load(ctrl, task + TASK.HOT) !== 0) break; // a run began: spin again
    }
    if (cur === seen) continue;
    seen = cur;
    // Take the task unless the caller already took it back (it ran every chunk while this worker slept).
    const taken = Atomics.load(ctrl, base + S.TAKEN);
    if ((taken >>> 1) === seen) continue;
    // A test's step schedule (parallel_steps.ts): taking the hand-off is this worker's first step.
    const stepped = Atomics.load(ctrl, task + TASK.STEPS) !== 0;
    if (stepped && !awaitStep(ctrl, task, me, TASK, base + S.TAKEN, taken)) continue;
    // A failed take never holds the turn (the caller's take-back is a step of its own): nothing to end.
    if (Atomics.compareExchange(ctrl, base + S.TAKEN, taken, seen * 2) !== taken) continue;
    if (stepped) endStep(ctrl, task, me, TASK);
    const stats = Atomics.load(ctrl, task + TASK.STATS) !== 0;
    if (stats) ctrl[base + S.LAG] += Math.min(Atomics.load(ctrl, task + TASK.RANGES), ctrl[task + TASK.RANGES + 1]) - ctrl[task + TASK.RANGES + 2];
    let err = 0;
    try {
      const ex = exportsById.get(ctrl[base + S.MODULE]);
      if (!ex) throw new Error('module ' + ctrl[base + S.MODULE] + ' is not loaded in this worker');
      const fn = ctrl[base + S.FN];
      const body = ex.pars[fn] || (ex.pars[fn] = ex.exports['par_' + fn]);
      const [own, stolen] = runChunks(ctrl, task, me, body, ctrl[base + S.ARGS], ctrl[base + S.SCRATCH], TASK, stepped ? gate : undefined);
      if (stats) { ctrl[base + S.RAN]++; ctrl[base + S.OWN] += own; ctrl[base + S.STOLEN] += stolen; ctrl[base + S.PARKED_WAKES] += parked; }
    } catch (e) {
      err = 1;
      drainChunks(ctrl, task, TASK);
      if (stepped) endStep(ctrl, task, me, TASK);
      const text = String(e && e.message || e).slice(0, S.INTS - S.MSG - 1);
      for (let i = 0; i < text.length; i++) ctrl[base + S.MSG + i] = text.charCodeAt(i);
      ctrl[base + S.MSG + text.length] = 0;
    }
    ctrl[base + S.ERROR] = err;
    Atomics.store(ctrl, base + S.DONE, seen);
    Atomics.notify(ctrl, base + S.DONE);
  }
}
`;

/** Source for a Node worker started with { eval: true }. */
export const NODE_WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const post = (m) => parentPort.postMessage(m);
parentPort.on('message', (m) => handle(m));
${BODY}`;

/** Source for a browser Web Worker (module-less classic worker). */
export const BROWSER_WORKER_SOURCE = `
const post = (m) => self.postMessage(m);
self.onmessage = (e) => handle(e.data);
${BODY}`;
