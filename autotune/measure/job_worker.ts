// autotune/measure/job_worker.ts — one worker thread that runs jobs one at a time with a timeout; a job that
// hangs or crashes the worker is reported as such and the worker is replaced, never the caller hurt.
// With `drainMs`, a timed-out job's worker is not terminated at once but let finish (up to drainMs more)
// before the next job: terminating a worker that holds a Dawn (WebGPU) buffer mapping aborts the process.
// A job may post 'stage' messages: each ends a stage, and the timeout starts again for the next one.

import type { Transferable, Worker } from 'node:worker_threads';
import { spawnWorker } from './spawn_worker.js';

/** How a job ended: its answer, or why there is none. */
export type JobOutcome<Res> =
  | { readonly kind: 'done'; readonly value: Res; readonly seconds: number }
  | { readonly kind: 'timeout'; readonly seconds: number }
  | { readonly kind: 'crash'; readonly message: string; readonly seconds: number; readonly atStartup?: boolean };

/** Messages between a JobWorker and its worker entry (see `serveJobs`). */
export type ToWorker<Req> = { readonly kind: 'job'; readonly id: number; readonly req: Req };
export type FromWorker<Res> =
  | { readonly kind: 'ready' }
  | { readonly kind: 'startup-error'; readonly message: string }
  /** Job `id` finished a stage (e.g. a WebGPU candidate's shader compile): its timeout starts again. */
  | { readonly kind: 'stage'; readonly id: number }
  | { readonly kind: 'result'; readonly id: number; readonly res: Res };

interface Live {
  readonly worker: Worker;
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
  /** Settles when a timed-out job left running (drain mode) has finished or its worker was ended. */
  private draining: Promise<void> | undefined;

  constructor(private readonly entry: URL, private readonly workerData: unknown = undefined) {}

  /**
   * Runs one job; `timeoutMs` counts from when the job is handed to a ready worker, and again from each
   * 'stage' message the job posts (serveJobs' `stage()`), so every stage of the job gets the whole timeout.
   *
   * `drainMs`: on a timeout, leave the job running and wait (before the next job or close) up to this many
   * more milliseconds for it to end, terminating the worker only if it has not; the job still counts as a
   * timeout. For jobs whose worker must not be terminated mid-job (WebGPU through Dawn).
   */
  async run(req: Req, timeoutMs: number, transfer: readonly Transferable[] = [], drainMs?: number): Promise<JobOutcome<Res>> {
    if (this.closed) throw new Error('JobWorker: used after close()');
    if (this.busy) throw new Error('JobWorker: one job at a time');
    this.busy = true;
    try {
      await this.drain();
      let live: Live;
      try {
        live = this.ensure();
        await live.ready;
      } catch (e) {
        this.retire();
        return { kind: 'crash', message: `worker failed to start: ${errorText(e)}`, seconds: 0, atStartup: true };
      }
      return await this.dispatch(live, req, timeoutMs, transfer, drainMs);
    } finally {
      this.busy = false;
    }
  }

  /** Terminates the worker (if any); the JobWorker cannot be used afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    await this.drain();
    await this.retire();
  }

  private async drain(): Promise<void> {
    const d = this.draining;
    this.draining = undefined;
    if (d) await d;
  }

  private dispatch(live: Live, req: Req, timeoutMs: number, transfer: readonly Transferable[], drainMs?: number): Promise<JobOutcome<Res>> {
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
      const onTimeout = (): void => {
        if (drainMs === undefined) {
          void this.retire();
          finish({ kind: 'timeout', seconds: seconds() });
          return;
        }
        finish({ kind: 'timeout', seconds: seconds() });
        // Drain: the worker finishes the job (its answer is dropped) and serves the next one; past drainMs it is ended.
        this.draining = new Promise<void>((done) => {
          const end = (): void => {
            clearTimeout(limit);
            live.onMessage = undefined;
            live.onDeath = undefined;
            done();
          };
          const limit = setTimeout(() => { void this.retire().then(end); }, Math.max(1, drainMs));
          live.onMessage = (m) => { if (m.kind === 'result' && m.id === id) end(); };
          live.onDeath = () => { void this.retire(); end(); };
        });
      };
      let timer = setTimeout(onTimeout, Math.max(1, timeoutMs));
      live.onMessage = (m) => {
        if (m.kind === 'stage' && m.id === id) {
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
    const worker = spawnWorker(this.entry, { workerData: this.workerData });
    // A forgotten pool must not keep the process alive; pending jobs hold their own timers.
    worker.unref();
    let live!: Live;
    const ready = new Promise<void>((resolve, reject) => {
      const limit = setTimeout(() => reject(new Error(`no ready message within ${STARTUP_LIMIT_MS} ms`)), STARTUP_LIMIT_MS);
      const settle = (): void => clearTimeout(limit);
      worker.on('message', (m: FromWorker<unknown>) => {
        if (m.kind === 'ready') { settle(); resolve(); return; }
        if (m.kind === 'startup-error') { settle(); reject(new Error(m.message)); return; }
        live.onMessage?.(m);
      });
      worker.on('error', (e) => {
        settle();
        reject(e);
        live.onDeath?.(`worker crashed: ${errorText(e)}`);
      });
      worker.on('exit', (code) => {
        settle();
        reject(new Error(`worker exited with code ${code} before it was ready`));
        // A job still pending here lost its worker: to a crash, or to close() while it ran.
        live.onDeath?.(live.retired ? 'the worker was closed while running the job' : `worker exited unexpectedly with code ${code}`);
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
