// tests/autotune/spawn_process.test.ts — spawnProcess (autotune/measure/spawn_worker.ts, session 18), the child
// process behind JobWorker's `isolation: 'process'`, on its own: a .ts entry runs under tsx with its worker data
// (JSON, through the environment) and talks over IPC with the structured clone (typed arrays cross as such); a .js entry runs plainly; onExit
// gives the exit code, or the signal's name; terminate() kills by SIGKILL and settles only once the child is gone
// (its 'exit' seen), also when it had already exited; posting to a child that is gone is a clear error.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { spawnProcess, type JobHost } from '../../autotune/measure/spawn_worker.js';

const fixture = new URL('./fixtures/job_fixture_worker.ts', import.meta.url);

/** The next message from `host` that satisfies `want`. */
function next(host: JobHost, want: (m: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  return new Promise((resolve) => host.onMessage((m) => { if (want(m as Record<string, unknown>)) resolve(m as Record<string, unknown>); }));
}

/** Resolves to `what` if `p` settles within `ms`, else to 'pending' (a terminate that never settles fails the test, not hangs it). */
function within<T>(p: Promise<T>, ms: number): Promise<T | 'pending'> {
  return Promise.race([p, new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), ms).unref())]);
}

/** The exit code or signal name onExit reports, as a promise. */
function exitOf(host: JobHost): Promise<number | string> {
  return new Promise((resolve) => host.onExit(resolve));
}

describe('spawnProcess', () => {
  it('runs a .ts entry under tsx: ready, a job answered, then SIGKILLed by terminate (its exit seen first)', async () => {
    const host = spawnProcess(fixture);
    const exit = exitOf(host);
    let exited: number | string | undefined;
    void exit.then((c) => { exited = c; });
    try {
      await next(host, (m) => m.kind === 'ready');
      const answer = next(host, (m) => m.kind === 'result');
      host.postMessage({ kind: 'job', id: 7, req: { op: 'echo', value: 21 } });
      expect(await answer).toEqual({ kind: 'result', id: 7, res: 42 });
      // A hanging job: only a kill ends it. terminate settles after the child's 'exit', with SIGKILL.
      host.postMessage({ kind: 'job', id: 8, req: { op: 'hang' } });
      expect(await within(host.terminate(), 30_000)).not.toBe('pending');
      expect(exited).toBe('SIGKILL');
    } finally {
      await host.terminate();
    }
  }, 60_000);

  it('passes its worker data as JSON (a setup told to fail says so) and reports a plain exit by its code', async () => {
    const bad = spawnProcess(fixture, { failSetup: true });
    const refused = await next(bad, (m) => m.kind === 'startup-error');
    expect(String(refused.message)).toMatch(/setup refused on purpose/);
    await bad.terminate();

    const host = spawnProcess(fixture);
    const exit = exitOf(host);
    await next(host, (m) => m.kind === 'ready');
    host.postMessage({ kind: 'job', id: 1, req: { op: 'exit' } });
    expect(await exit).toBe(3);
    // Already gone: terminate still settles, and a new message is refused with a clear error.
    expect(await within(host.terminate(), 10_000)).not.toBe('pending');
    expect(() => host.postMessage({ kind: 'job', id: 2, req: { op: 'echo', value: 1 } })).toThrow(/child process is gone/);
  }, 60_000);

  it('reports a child ended by a signal by the signal\'s name', async () => {
    const host = spawnProcess(fixture);
    const exit = exitOf(host);
    await next(host, (m) => m.kind === 'ready');
    host.postMessage({ kind: 'job', id: 1, req: { op: 'signal' } });
    expect(await exit).toBe('SIGTERM');
    await host.terminate();
  }, 60_000);

  it('runs a plain .js entry without tsx', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tt-process-'));
    const file = join(dir, 'child.js');
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    // Answers with its worker data, the typed array it got, and whether a TypeScript loader is on its command line.
    writeFileSync(file, [
      "process.on('message', (m) => process.send({ value: m.n * 2, arr: m.arr, data: JSON.parse(process.env.TENSORTUNE_JOB_WORKER_DATA), execArgv: process.execArgv }));",
      "process.on('disconnect', () => process.exit(0));",
    ].join('\n'));
    const host = spawnProcess(pathToFileURL(file), [1, 'two']);
    try {
      const answer = next(host, () => true);
      // The structured clone both ways: a Float32Array arrives as one (JSON would make it a plain object).
      host.postMessage({ n: 21, arr: new Float32Array([1.5, -2]) });
      const got = await answer;
      expect(got).toEqual({ value: 42, arr: new Float32Array([1.5, -2]), data: [1, 'two'], execArgv: [] });
      expect(got.arr).toBeInstanceOf(Float32Array);
    } finally {
      await host.terminate();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('refuses an entry that is not a file: URL', () => {
    expect(() => spawnProcess(new URL('https://example.com/w.js'))).toThrow(/spawnProcess: expected a file: URL, got 'https:\/\/example.com\/w.js'/);
  });
});
