// autotune/measure/spawn_worker.ts — starts a job entry from a .ts source (under vitest/tsx) or a compiled .js file:
// in a worker thread, or in a child process (JobWorker's `isolation: 'process'`) behind the same face.

import { fork } from 'node:child_process';
import { Worker, type Transferable, type WorkerOptions } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ESM_PASSTHROUGH_REGISTER } from './esm_passthrough.js';

let tsxDir: string | undefined;

/** The tsx package's folder (for a TypeScript entry); throws a clear error when tsx is not installed. */
function tsxPackageDir(): string {
  if (tsxDir !== undefined) return tsxDir;
  const require = createRequire(import.meta.url);
  try {
    tsxDir = dirname(require.resolve('tsx/package.json'));
  } catch {
    throw new Error('cannot start a TypeScript worker: the tsx package is not installed (run the compiled dist/ build, or install tsx)');
  }
  return tsxDir;
}

/**
 * The URL of tsx's ESM registration API. Node 20 does not apply `--import tsx` given in a
 * Worker's execArgv (the hooks stay on the main thread), so a TypeScript worker registers
 * tsx itself, through this module, before importing its entry file. (The "import" condition of
 * tsx's "./esm/api" export; require.resolve would give the CJS build, whose register() does not
 * work from a data: URL module.)
 */
function resolveTsxApi(): string {
  return pathToFileURL(join(tsxPackageDir(), 'dist', 'esm', 'api', 'index.mjs')).href;
}

/** The sibling module `name` of `importMetaUrl`, with the caller's own extension (.ts in sources, .js in dist/). */
export function siblingModule(importMetaUrl: string, name: string): URL {
  const ext = importMetaUrl.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${name}${ext}`, importMetaUrl);
}

function checkEntry(entry: URL, what: string): void {
  if (entry.protocol !== 'file:') throw new Error(`${what}: expected a file: URL, got '${entry.href}'`);
}

/**
 * Starts `entry` in a worker thread. A `.ts` entry is loaded through a tiny bootstrap that
 * registers tsx first; a `.js` entry (compiled dist/) starts plainly, with no tsx needed.
 */
export function spawnWorker(entry: URL, options: WorkerOptions = {}): Worker {
  checkEntry(entry, 'spawnWorker');
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options);
  const boot = [
    `import { register } from ${JSON.stringify(resolveTsxApi())};`,
    'register();',
    // After tsx, so installed packages' ES modules skip its transform (binaryen's took 20–37 s a worker).
    `await import(${JSON.stringify(ESM_PASSTHROUGH_REGISTER)});`,
    `await import(${JSON.stringify(entry.href)});`,
  ].join('\n');
  return new Worker(new URL('data:text/javascript,' + encodeURIComponent(boot)), options);
}

/** What JobWorker needs of a worker thread or a child process. */
export interface JobHost {
  postMessage(message: unknown, transfer?: readonly Transferable[]): void;
  onMessage(listener: (message: unknown) => void): void;
  onError(listener: (error: Error) => void): void;
  /** `code`: the exit code, or the name of the signal that ended a child process ('SIGKILL', 'SIGABRT'). */
  onExit(listener: (code: number | string) => void): void;
  /** Ends it now (a child process by SIGKILL, which runs none of its destructors); settles once it is gone. */
  terminate(): Promise<unknown>;
  /** Lets our process exit while it runs. */
  unref(): void;
}

/** A worker thread as a JobHost. */
export function threadHost(worker: Worker): JobHost {
  return {
    postMessage: (message, transfer = []) => worker.postMessage(message, transfer as Transferable[]),
    onMessage: (listener) => worker.on('message', listener),
    onError: (listener) => worker.on('error', listener),
    onExit: (listener) => worker.on('exit', listener),
    terminate: () => worker.terminate(),
    unref: () => worker.unref(),
  };
}

/** Where a child process finds its worker data (JSON): serve_jobs.ts `jobWorkerData`. */
export const WORKER_DATA_ENV = 'TENSORTUNE_JOB_WORKER_DATA';

/**
 * Starts `entry` in a child process of its own, talking over the IPC channel with the structured clone
 * (typed arrays cross as in a worker's postMessage, copied; transfer lists are ignored). A `.ts` entry runs
 * under `--import tsx`. The child ends itself when our process goes (serve_jobs.ts). For jobs that must not
 * share our process: terminating a worker thread runs its native destructors, and Dawn's abort the whole
 * process when a WebGPU buffer mapping is pending ("GPUBuffer.cpp:74: Promise not resolved or rejected:
 * mapAsync()"); a hung driver thread cannot be stopped inside a process at all.
 */
export function spawnProcess(entry: URL, workerData?: unknown): JobHost {
  checkEntry(entry, 'spawnProcess');
  const ts = entry.pathname.endsWith('.ts');
  const child = fork(fileURLToPath(entry), [], {
    serialization: 'advanced',
    execArgv: ts ? ['--import', pathToFileURL(join(tsxPackageDir(), 'dist', 'loader.mjs')).href, '--import', ESM_PASSTHROUGH_REGISTER] : [],
    env: { ...process.env, [WORKER_DATA_ENV]: JSON.stringify(workerData ?? null) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let exited: Promise<void> | undefined;
  const gone = (): Promise<void> => exited ??= new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return {
    postMessage(message) {
      if (!child.connected) throw new Error('the child process is gone');
      child.send(message as object);
    },
    onMessage: (listener) => child.on('message', listener),
    onError: (listener) => child.on('error', listener),
    onExit: (listener) => child.on('exit', (code, signal) => listener(code ?? signal ?? 'unknown')),
    async terminate() {
      const done = gone();
      // Held referenced until it is gone: else an unref'd child's 'exit' may never come before our process ends.
      child.ref();
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await done;
    },
    unref() {
      child.unref();
      (child.channel as { unref?: () => void } | undefined)?.unref?.();
    },
  };
}
