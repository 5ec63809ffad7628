// tests/autotune/job_worker.test.ts — jobs answer, hangs time out, crashes are contained, workers are replaced:
// in a worker thread and in a child process (`isolation: 'process'`, WebGPU candidates' isolation) alike.

import { afterAll, describe, expect, it } from 'vitest';
import { JobWorker, type JobIsolation } from '../../autotune/measure/job_worker.js';

type Req = { op: 'echo'; value: number } | { op: 'hang'; started?: Int32Array } | { op: 'exit' } | { op: 'throw' } | { op: 'busy'; ms: number; value: number }
  | { op: 'staged'; ms: readonly number[]; value: number } | { op: 'signal' };

/** Generous: these jobs take microseconds; the limit only guards against a hung test on a loaded machine. */
const QUICK = 60_000;
const entry = new URL('./fixtures/job_fixture_worker.ts', import.meta.url);

describe.each<JobIsolation>(['thread', 'process'])('JobWorker (%s)', (isolation) => {
  const w = new JobWorker<Req, number>(entry, undefined, isolation);
  afterAll(() => w.close());

  it('answers a job', async () => {
    const out = await w.run({ op: 'echo', value: 21 }, QUICK);
    expect(out).toMatchObject({ kind: 'done', value: 42 });
  });

  it('reports a hanging job as a timeout and serves the next job from a fresh worker', async () => {
    const out = await w.run({ op: 'hang' }, 200);
    expect(out).toMatchObject({ kind: 'timeout', stage: 0 });
    expect(await w.run({ op: 'echo', value: 5 }, QUICK)).toMatchObject({ kind: 'done', value: 10 });
  });

  it('the timeout covers each stage of a job, not their sum: a stage message starts it again', async () => {
    const s = new JobWorker<Req, number>(entry, undefined, isolation);
    await s.run({ op: 'echo', value: 1 }, QUICK);
    // Two stages of 2 s, each within the 3.5 s timeout though both together are not (1.5 s slack each for a loaded machine).
    expect(await s.run({ op: 'staged', ms: [2000, 2000], value: 9 }, 3500)).toMatchObject({ kind: 'done', value: 18 });
    // The same work in one stage times out: the stage message is what restarted the clock.
    expect(await s.run({ op: 'busy', ms: 4000, value: 9 }, 3500)).toMatchObject({ kind: 'timeout', stage: 0 });
    // A stage past the timeout is still one, and the timeout says which stage it was in.
    expect(await s.run({ op: 'staged', ms: [100, 4000], value: 9 }, 3500)).toMatchObject({ kind: 'timeout', stage: 1 });
    // A fresh worker serves the next job.
    expect(await s.run({ op: 'echo', value: 2 }, QUICK)).toMatchObject({ kind: 'done', value: 4 });
    await s.close();
  }, 120_000);

  it('reports a worker that exits as a crash and recovers', async () => {
    const out = await w.run({ op: 'exit' }, QUICK);
    expect(out).toMatchObject({ kind: 'crash' });
    if (out.kind === 'crash') expect(out.message).toBe('worker exited unexpectedly with code 3');
    expect(await w.run({ op: 'echo', value: 1 }, QUICK)).toMatchObject({ kind: 'done', value: 2 });
  });

  it('reports a handler that throws as a crash and recovers', async () => {
    const out = await w.run({ op: 'throw' }, QUICK);
    expect(out).toMatchObject({ kind: 'crash' });
    if (out.kind === 'crash') expect(out.message).toMatch(/handler blew up/);
    expect(await w.run({ op: 'echo', value: 3 }, QUICK)).toMatchObject({ kind: 'done', value: 6 });
  });

  it('reports a worker whose setup fails, with the setup error', async () => {
    const bad = new JobWorker<Req, number>(entry, { failSetup: true }, isolation);
    const out = await bad.run({ op: 'echo', value: 1 }, QUICK);
    await bad.close();
    expect(out.kind).toBe('crash');
    if (out.kind === 'crash') expect(out.message).toMatch(/setup refused on purpose/);
  });

  it('refuses use after close', async () => {
    const c = new JobWorker<Req, number>(entry, undefined, isolation);
    await c.close();
    await expect(c.run({ op: 'echo', value: 1 }, 100)).rejects.toThrow(/after close/);
  });
});

// A child process can be ended by a signal (in a thread the fixture's signal would end the test's own process).
describe('JobWorker (process only)', () => {
  it('reports a job whose process a signal ended as a crash naming the signal, and recovers', async () => {
    const p = new JobWorker<Req, number>(entry, undefined, 'process');
    try {
      const out = await p.run({ op: 'signal' }, QUICK);
      expect(out).toMatchObject({ kind: 'crash' });
      if (out.kind === 'crash') expect(out.message).toBe('worker exited unexpectedly with signal SIGTERM');
      expect(await p.run({ op: 'echo', value: 4 }, QUICK)).toMatchObject({ kind: 'done', value: 8 });
    } finally {
      await p.close();
    }
  }, 120_000);
});

// The job tells us it began through shared memory, which only a thread shares.
describe('JobWorker (thread only)', () => {
  it('ends a job whose worker is closed under it', async () => {
    const c = new JobWorker<Req, number>(entry);
    await c.run({ op: 'echo', value: 1 }, QUICK);
    // Wait until the worker is inside the job (an event from the worker), not for some milliseconds.
    const started = new Int32Array(new SharedArrayBuffer(4));
    const pending = c.run({ op: 'hang', started }, 600_000);
    // Atomics.waitAsync is in Node 20 but not in this TypeScript lib (ES2024).
    const waitAsync = (Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number): { async: boolean; value: Promise<string> | string } }).waitAsync;
    const wait = waitAsync(started, 0, 0);
    if (wait.async) await wait.value;
    expect(Atomics.load(started, 0)).toBe(1);
    await c.close();
    const out = await pending;
    expect(out).toMatchObject({ kind: 'crash' });
    if (out.kind === 'crash') expect(out.message).toMatch(/closed while running/);
  });
});
