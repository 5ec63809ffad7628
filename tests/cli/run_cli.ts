// tests/cli/run_cli.ts — runs the real `tensortune` command as a child process: from the sources
// through tsx by default (no `npm run build` needed, never stale), or the built dist/cli/main.js
// when TENSORTUNE_TEST_DIST=1 (after `npm run build`; several times faster to start).

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const USE_DIST = process.env.TENSORTUNE_TEST_DIST === '1';
export const MAIN = fileURLToPath(new URL(USE_DIST ? '../../dist/cli/main.js' : '../../cli/main.ts', import.meta.url));
const NODE_ARGS = USE_DIST ? [MAIN] : ['--import', 'tsx', MAIN];

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `tensortune ...args` to completion. */
export function runCli(args: readonly string[], opts: { cwd?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...NODE_ARGS, ...args],
      { cwd: opts.cwd ?? ROOT, timeout: opts.timeoutMs ?? 400_000, maxBuffer: 64 << 20, env: { ...process.env, NO_COLOR: '1' } },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Starts `tensortune ...args` without waiting (to signal it midway). */
export function startCli(args: readonly string[], opts: { cwd?: string } = {}): ChildProcess {
  return spawn(process.execPath, [...NODE_ARGS, ...args], { cwd: opts.cwd ?? ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
}
