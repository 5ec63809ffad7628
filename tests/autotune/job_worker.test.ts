// tests/autotune/job_worker.test.ts — jobs answer, hangs time out, crashes are contained, workers are replaced.

import { afterAll, describe, expect, it } from 'vitest';
import { JobWorker } from '../../autotune/measure/job_worker.js';

type Req = { op: 'echo'; value: number } | { op: 'hang' } | { op: 'exit' } | { op: 'throw' };
const entry = new URL('./fixtures/job_fixture_worker.ts', import.meta.url);

describe('JobWorker', () => {
  const w = new JobWorker<Req, number>(entry);
  afterAll(() => w.close());

  it('answers a job', async () => {
    const out = await w.run({ op: 'echo', value: 21 }, 5000);
    expect(out).toMatchObject({ kind: 'done', value: 42 });
  });

  it('reports a hanging job as a timeout and serves the next job from a fresh worker', async () => {
    const out = await w.run({ op: 'hang' }, 200);
    expect(out.kind).toBe('timeout');
    expect(await w.run({ op: 'echo', value: 5 }, 5000)).toMatchObject({ kind: 'done', value: 10 });
  });

  it('reports a worker that exits as a crash and recovers', async () => {
    const out = await w.run({ op: 'exit' }, 5000);
    expect(out).toMatchObject({ kind: 'crash' });
    if (out.kind === 'crash') expect(out.message).toMatch(/code 3/);
    expect(await w.run({ op: 'echo', value: 1 }, 5000)).toMatchObject({ kind: 'done', value: 2 });
  });

  it('reports a handler that throws as a crash and recovers', async () => {
    const out = await w.run({ op: 'throw' }, 5000);
    expect(out).toMatchObject({ kind: 'crash' });
    if (out.kind === 'crash') expect(out.message).toMatch(/handler blew up/);
    expect(await w.run({ op: 'echo', value: 3 }, 5000)).toMatchObject({ kind: 'done', value: 6 });
  });

  it('reports a worker whose setup fails, with the setup error', async () => {
    const bad = new JobWorker<Req, number>(entry, { failSetup: true });
    const out = await bad.run({ op: 'echo', value: 1 }, 5000);
    await bad.close();
    expect(out.kind).toBe('crash');
    if (out.kind === 'crash') expect(out.message).toMatch(/setup refused on purpose/);
  });

  it('ends a job whose worker is closed under it', async () => {
    const c = new JobWorker<Req, number>(entry);
    await c.run({ op: 'echo', value: 1 }, 5000);
    const pending = c.run({ op: 'hang' }, 60_000);
    await new Promise((r) => setTimeout(r, 100));
    await c.close();
    const out = await pending;
    expect(out).toMatchObject({ kind: 'crash' });
    if (out.kind === 'crash') expect(out.message).toMatch(/closed while running/);
  });

  it('refuses use after close', async () => {
    const c = new JobWorker<Req, number>(entry);
    await c.close();
    await expect(c.run({ op: 'echo', value: 1 }, 100)).rejects.toThrow(/after close/);
  });
});
