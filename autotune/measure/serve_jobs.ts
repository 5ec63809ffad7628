// autotune/measure/serve_jobs.ts — the worker side of JobWorker: answer one job message at a time, in a worker
// thread (parentPort) or in a child process (the IPC channel: spawn_worker.ts `spawnProcess`).

import { parentPort, Worker, workerData, type Transferable } from 'node:worker_threads';
import type { FromWorker, ToWorker } from './job_worker.js';
import { WORKER_DATA_ENV } from './spawn_worker.js';

export interface JobAnswer<Res> {
  readonly res: Res;
  readonly transfer?: readonly Transferable[];
}

/** The data JobWorker was given for its workers: `workerData` in a thread, the JSON its child process was started with. */
export function jobWorkerData(): unknown {
  if (parentPort) return workerData;
  const raw = process.env[WORKER_DATA_ENV];
  return raw === undefined ? undefined : JSON.parse(raw);
}

interface Port {
  post(m: FromWorker<unknown>, transfer?: readonly Transferable[]): void;
  onMessage(f: (m: ToWorker<unknown>) => void): void;
  /** A job's handler threw: a worker thread dies of the unhandled error; a child process says why, then exits. */
  fail(e: unknown): void;
}

function threadPort(port: NonNullable<typeof parentPort>): Port {
  return {
    post: (m, transfer = []) => port.postMessage(m, transfer as Transferable[]),
    onMessage: (f) => port.on('message', f),
    fail: (e) => { throw e; },
  };
}

function processPort(): Port {
  const send = process.send?.bind(process);
  if (!send) throw new Error('serveJobs: must run inside a worker thread or a child process with an IPC channel');
  // Our parent is gone (it exited, or was killed): nothing is left to answer. A plain exit runs no Dawn teardown
  // of pending work (that abort is a worker thread's terminate).
  process.on('disconnect', () => process.exit(0));
  exitWithParent();
  return {
    post: (m) => { send(m); },
    onMessage: (f) => process.on('message', f as (m: unknown) => void),
    fail: (e) => {
      send({ kind: 'fatal', message: e instanceof Error ? e.stack ?? e.message : String(e) }, undefined, {}, () => process.exit(1));
    },
  };
}

/**
 * 'disconnect' only fires when the event loop is free; a job that spins (a kernel that never returns) would keep
 * this child running after its parent was SIGKILLed. So a worker thread, with a loop of its own, checks four times a
 * second that the parent is still ours (an orphan is re-parented) and ends the process by SIGKILL (no teardown).
 */
function exitWithParent(): void {
  const watch = "const { workerData } = require('node:worker_threads');"
    + " setInterval(() => { if (process.ppid !== workerData) process.kill(process.pid, 'SIGKILL'); }, 250);";
  new Worker(watch, { eval: true, workerData: process.ppid }).unref();
}

/**
 * Runs `setup` once, reports ready (or the setup error), then answers each job with `handle`.
 * `handle` must turn its own failures into a `Res`; a throw here is a crash of the worker. It may call
 * `stage()` when a stage of the job is done: the caller's timeout (JobWorker.run) then starts again.
 */
export function serveJobs<Req, Res>(setup: () => Promise<void>, handle: (req: Req, stage: () => void) => Promise<JobAnswer<Res>>): void {
  const port = parentPort ? threadPort(parentPort) : processPort();
  let queue: Promise<void> = Promise.resolve();
  setup().then(
    () => {
      port.onMessage((m) => {
        if (m.kind !== 'job') return;
        const job = m as ToWorker<Req>;
        queue = queue.then(async () => {
          const answer = await handle(job.req, () => port.post({ kind: 'stage', id: job.id }));
          port.post({ kind: 'result', id: job.id, res: answer.res }, answer.transfer);
        }).catch((e: unknown) => port.fail(e));
      });
      port.post({ kind: 'ready' });
    },
    (e: unknown) => port.post({ kind: 'startup-error', message: e instanceof Error ? e.stack ?? e.message : String(e) }),
  );
}
