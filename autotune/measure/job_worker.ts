// autotune/measure/job_worker.ts — one worker (a thread, or a child process with `isolation: 'process'`) that runs
// jobs one at a time with a timeout; a job that hangs or crashes the worker is reported as such and the worker is
// replaced, never the caller hurt. A job may post 'stage' messages: each ends a stage, and the timeout starts again
// for the next one.

import type { Transferable } from 'node:worker_threads';
import { spawnProcess, spawnWorker, threadHost, type JobHost } from './spawn_worker.js';

/** How a job ended: its answer, or why there is none. */
export type JobOutcome<Res> =
  | { readonly kind: 'done'; readonly value: Res; readonly seconds: number }
  /** `stage`: how many stages the job had finished (its 'stage' messages) when its time ran out. */
  | { readonly kind: 'timeout'; readonly seconds: number; readonly stage: number }
  | { readonly kind: 'crash'; readonly message: string; readonly seconds: number; readonly atStartup?: boolean };

/** Messages between a JobWorker and its worker entry (see `serveJobs`). */
export type ToWorker<Req> = { readonly kind: 'job'; readonly id: number; readonly req: Req };
export type FromWorker<Res> =
  | { readonly kind: 'ready' }
  | { readonly kind: 'startup-error'; readonly message: string }
  /** Job `id` finished a stage (e.g. a WebGPU candidate's shader compile): its timeout starts again. */
  | { readonly kind: 'stage'; readonly id: number }
  | { readonly kind: 'result'; readonly id: number; readonly res: Res }
  /** A child process's handler threw (a worker thread's error reaches us as its 'error' event instead). */
  | { readonly kind: 'fatal'; readonly message: string };

/**
 * Where jobs run. 'thread' (default): a worker thread, cheap to start. 'process': a child process of its own, for
 * jobs whose worker must be ended safely at any moment — a WebGPU candidate: terminating a worker thread with a
 * Dawn buffer mapping pending aborts our whole process, and a hung driver cannot be stopped inside a process.
 */
export type JobIsolation = 'thread' | 'process';

interface Live {
  readonly worker: JobHost;
  readonly ready: Promise<void>;
  /** Set by whoever ends this worker, so its 'exit' is not mistaken for a crash. */
  retired: boolean;
  onMessage?: (m: FromWorker<unknown>) => void;
  onDeath?: (message: string) => void;
}

/** Startup (module loading, tsx transpiling) is not part of any job's timeout, but is bounded. */
const STARTUP_LIMIT_MS = 120_000;

export class JobWorker<Req, Res> {
  private live: Live | undefined;
  private nextId = 1;
  private busy = false;
  private closed = false;

  /** `workerData`: given to each worker (serve_jobs.ts `jobWorkerData`); JSON data for 'process' isolation. */
  constructor(private readonly entry: URL, private readonly workerData: unknown = undefined, readonly isolation: JobIsolation = 'thread') {}

  /**
   * Runs one job; `timeoutMs` counts from when the job is handed to a ready worker, and again from each
   * 'stage' message the job posts (serveJobs' `stage()`), so every stage of the job gets the whole timeout.
   * A job past its time is a timeout and its worker is ended (the next job gets a fresh one). `transfer` is
   * moved to a worker thread; a child process gets copies.
   */
  async run(req: Req, timeoutMs: number, transfer: readonly Transferable[] = []): Promise<JobOutcome<Res>> {
    if (this.closed) throw new Error('JobWorker: used after close()');
    if (this.busy) throw new Error('JobWorker: one job at a time');
    this.busy = true;
    try {
      let live: Live;
      try {
        live = this.ensure();
        await live.ready;
      } catch (e) {
        this.retire();
        return { kind: 'crash', message: `worker failed to start: ${errorText(e)}`, seconds: 0, atStartup: true };
      }
      return await this.dispatch(live, req, timeoutMs, transfer);
    } finally {
      this.busy = false;
    }
  }

  /** Terminates the worker (if any); the JobWorker cannot be used afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    await this.retire();
  }

  private dispatch(live: Live, req: Req, timeoutMs: number, transfer: readonly Transferable[]): Promise<JobOutcome<Res>> {
    const id = this.nextId++;
    const start = performance.now();
    const seconds = (): number => (performance.now() - start) / 1000;
    return new Promise<JobOutcome<Res>>((resolve) => {
      const finish = (outcome: JobOutcome<Res>): void => {
        clearTimeout(timer);
        live.onMessage = undefined;
        live.onDeath = undefined;
        resolve(outcome);
      };
      let stage = 0;
      const onTimeout = (): void => {
        void this.retire();
        finish({ kind: 'timeout', seconds: seconds(), stage });
      };
      let timer = setTimeout(onTimeout, Math.max(1, timeoutMs));
      live.onMessage = (m) => {
        if (m.kind === 'stage' && m.id === id) {
          stage++;
          clearTimeout(timer);
          timer = setTimeout(onTimeout, Math.max(1, timeoutMs));
          return;
        }
        if (m.kind === 'result' && m.id === id) finish({ kind: 'done', value: m.res as Res, seconds: seconds() });
      };
      live.onDeath = (message) => {
        void this.retire();
        finish({ kind: 'crash', message, seconds: seconds() });
      };
      const msg: ToWorker<Req> = { kind: 'job', id, req };
      try {
        live.worker.postMessage(msg, transfer as Transferable[]);
      } catch (e) {
        finish({ kind: 'crash', message: `could not send the job: ${errorText(e)}`, seconds: seconds() });
      }
    });
  }

  private ensure(): Live {
    if (this.live) return this.live;
    const worker: JobHost = this.isolation === 'process' ? spawnProcess(this.entry, this.workerData) : threadHost(spawnWorker(this.entry, { workerData: this.workerData }));
    // A forgotten pool must not keep the process alive; pending jobs hold their own timers.
    worker.unref();
    let live!: Live;
    const ready = new Promise<void>((resolve, reject) => {
      const limit = setTimeout(() => reject(new Error(`no ready message within ${STARTUP_LIMIT_MS} ms`)), STARTUP_LIMIT_MS);
      const settle = (): void => clearTimeout(limit);
      worker.onMessage((message) => {
        const m = message as FromWorker<unknown>;
        if (m.kind === 'ready') { settle(); resolve(); return; }
        if (m.kind === 'startup-error') { settle(); reject(new Error(m.message)); return; }
        if (m.kind === 'fatal') { live.onDeath?.(`worker crashed: ${m.message}`); return; }
        live.onMessage?.(m);
      });
      worker.onError((e) => {
        settle();
        reject(e);
        live.onDeath?.(`worker crashed: ${errorText(e)}`);
      });
      worker.onExit((code) => {
        settle();
        const how = typeof code === 'number' ? `code ${code}` : `signal ${code}`;
        reject(new Error(`worker exited with ${how} before it was ready`));
        // A job still pending here lost its worker: to a crash, or to close() while it ran.
        live.onDeath?.(live.retired ? 'the worker was closed while running the job' : `worker exited unexpectedly with ${how}`);
        if (this.live === live) this.live = undefined;
      });
    });
    ready.catch(() => undefined);
    live = { worker, ready, retired: false };
    this.live = live;
    return live;
  }

  private async retire(): Promise<void> {
    const live = this.live;
    this.live = undefined;
    if (!live || live.retired) return;
    live.retired = true;
    await live.worker.terminate();
  }
}

export function errorText(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
