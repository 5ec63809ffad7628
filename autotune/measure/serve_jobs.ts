// autotune/measure/serve_jobs.ts — the worker side of JobWorker: answer one job message at a time.

import { parentPort, type Transferable } from 'node:worker_threads';
import type { FromWorker, ToWorker } from './job_worker.js';

export interface JobAnswer<Res> {
  readonly res: Res;
  readonly transfer?: readonly Transferable[];
}

/**
 * Runs `setup` once, reports ready (or the setup error), then answers each job with `handle`.
 * `handle` must turn its own failures into a `Res`; a throw here is a crash of the worker. It may call
 * `stage()` when a stage of the job is done: the caller's timeout (JobWorker.run) then starts again.
 */
export function serveJobs<Req, Res>(setup: () => Promise<void>, handle: (req: Req, stage: () => void) => Promise<JobAnswer<Res>>): void {
  const port = parentPort;
  if (!port) throw new Error('serveJobs: must run inside a worker thread');
  const post = (m: FromWorker<Res>, transfer: readonly Transferable[] = []): void => port.postMessage(m, transfer as Transferable[]);
  let queue: Promise<void> = Promise.resolve();
  setup().then(
    () => {
      port.on('message', (m: ToWorker<Req>) => {
        if (m.kind !== 'job') return;
        queue = queue.then(async () => {
          const answer = await handle(m.req, () => post({ kind: 'stage', id: m.id }));
          post({ kind: 'result', id: m.id, res: answer.res }, answer.transfer);
        });
      });
      post({ kind: 'ready' });
    },
    (e: unknown) => post({ kind: 'startup-error', message: e instanceof Error ? e.stack ?? e.message : String(e) }),
  );
}
