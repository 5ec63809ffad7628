// autotune/measure/spawn_worker.ts — starts a worker thread from a .ts source (under vitest/tsx) or a compiled .js file.

import { Worker, type WorkerOptions } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

let tsxApiUrl: string | undefined;

/**
 * The URL of tsx's ESM registration API. Node 20 does not apply `--import tsx` given in a
 * Worker's execArgv (the hooks stay on the main thread), so a TypeScript worker registers
 * tsx itself, through this module, before importing its entry file.
 */
function resolveTsxApi(): string {
  if (tsxApiUrl !== undefined) return tsxApiUrl;
  const require = createRequire(import.meta.url);
  let pkgJson: string;
  try {
    pkgJson = require.resolve('tsx/package.json');
  } catch {
    throw new Error('cannot start a TypeScript worker: the tsx package is not installed (run the compiled dist/ build, or install tsx)');
  }
  // The "import" condition of tsx's "./esm/api" export; require.resolve would give the CJS build,
  // whose register() does not work from a data: URL module.
  tsxApiUrl = pathToFileURL(join(dirname(pkgJson), 'dist', 'esm', 'api', 'index.mjs')).href;
  return tsxApiUrl;
}

/** The sibling module `name` of `importMetaUrl`, with the caller's own extension (.ts in sources, .js in dist/). */
export function siblingModule(importMetaUrl: string, name: string): URL {
  const ext = importMetaUrl.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${name}${ext}`, importMetaUrl);
}

/**
 * Starts `entry` in a worker thread. A `.ts` entry is loaded through a tiny bootstrap that
 * registers tsx first; a `.js` entry (compiled dist/) starts plainly, with no tsx needed.
 */
export function spawnWorker(entry: URL, options: WorkerOptions = {}): Worker {
  if (entry.protocol !== 'file:') throw new Error(`spawnWorker: expected a file: URL, got '${entry.href}'`);
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options);
  const boot = [
    `import { register } from ${JSON.stringify(resolveTsxApi())};`,
    'register();',
    `await import(${JSON.stringify(entry.href)});`,
  ].join('\n');
  return new Worker(new URL('data:text/javascript,' + encodeURIComponent(boot)), options);
}
