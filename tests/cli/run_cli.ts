// tests/cli/run_cli.ts — runs the real `tensortune` command as a child process: from the sources
// through tsx by default (no `npm run build` needed, never stale), or the built dist/cli/main.js
// when TENSORTUNE_TEST_DIST=1 (after `npm run build`; several times faster to start).

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ESM_PASSTHROUGH_REGISTER } from '../../autotune/measure/esm_passthrough.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const USE_DIST = process.env.TENSORTUNE_TEST_DIST === '1';
export const MAIN = fileURLToPath(new URL(USE_DIST ? '../../dist/cli/main.js' : '../../cli/main.ts', import.meta.url));
// From sources: tsx, then the hook that loads installed ES modules untransformed (binaryen: 20–37 s a start under tsx alone).
const NODE_ARGS = USE_DIST ? [MAIN] : ['--import', 'tsx', '--import', ESM_PASSTHROUGH_REGISTER, MAIN];

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

/** Starts `tensortune ...args` without waiting (to signal it midway); `env` is added to the environment. */
export function startCli(args: readonly string[], opts: { cwd?: string; env?: Readonly<Record<string, string>> } = {}): ChildProcess {
  return spawn(process.execPath, [...NODE_ARGS, ...args], { cwd: opts.cwd ?? ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', ...opts.env } });
}

/**
 * Resolves when the child writes a stderr line matching `pattern` (an event, not a time); rejects
 * if it exits first. Collects all stderr into the returned getter.
 */
export function stderrOf(child: ChildProcess): { text: () => string; line: (pattern: RegExp) => Promise<string> } {
  let text = '';
  const waiters: { pattern: RegExp; resolve: (l: string) => void; reject: (e: Error) => void }[] = [];
  const check = (): void => {
    for (const w of [...waiters]) {
      const hit = text.split('\n').slice(0, -1).find((l) => w.pattern.test(l));
      if (hit !== undefined) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(hit);
      }
    }
  };
  child.stderr!.on('data', (d: Buffer) => {
    text += d.toString();
    check();
  });
  child.once('exit', (code, signal) => {
    for (const w of waiters.splice(0)) w.reject(new Error(`exited (${code ?? signal}) before writing a line matching ${w.pattern}; stderr:\n${text}`));
  });
  return {
    text: () => text,
    line: (pattern) => new Promise<string>((resolve, reject) => {
      waiters.push({ pattern, resolve, reject });
      check();
    }),
  };
}
