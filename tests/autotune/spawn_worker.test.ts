// tests/autotune/spawn_worker.test.ts — TypeScript and JavaScript worker entries start and answer.

import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { siblingModule, spawnWorker } from '../../autotune/measure/spawn_worker.js';

function ask(w: Worker, n: number): Promise<{ value: number; ext: string }> {
  return new Promise((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
    w.postMessage(n);
  });
}

describe('spawnWorker', () => {
  it('runs a .ts worker entry through tsx, with workerData and relative imports', async () => {
    const w = spawnWorker(new URL('./fixtures/echo_worker.ts', import.meta.url), { workerData: { offset: 10 } });
    try {
      expect(await ask(w, 32)).toEqual({ value: 42, ext: '.ts' });
    } finally {
      await w.terminate();
    }
  });

  it('runs a plain .js worker entry without tsx', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tt-worker-'));
    const file = join(dir, 'w.js');
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    writeFileSync(file, "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', (n) => parentPort.postMessage({ value: n * 2, ext: '.js' }));\n");
    const w = spawnWorker(pathToFileURL(file));
    try {
      expect(await ask(w, 21)).toEqual({ value: 42, ext: '.js' });
    } finally {
      await w.terminate();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports an error thrown while the worker module loads', async () => {
    const w = spawnWorker(new URL('./fixtures/missing_worker.ts', import.meta.url));
    const err = await new Promise<Error>((resolve) => w.once('error', resolve));
    expect(String(err)).toMatch(/missing_worker/);
    await w.terminate();
  });

  it('picks the sibling module with the caller extension', () => {
    expect(siblingModule('file:///a/b/local_builder.ts', 'build_worker').href).toBe('file:///a/b/build_worker.ts');
    expect(siblingModule('file:///a/b/local_builder.js', 'build_worker').href).toBe('file:///a/b/build_worker.js');
  });
});
