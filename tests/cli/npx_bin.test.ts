// tests/cli/npx_bin.test.ts — the README's `npx tensortune …` works from the repository folder after
// setup (`npm run build`): npm runs the package's own bin, dist/cli/main.js, which must be executable
// (tsc writes it 0644; a new user got "tensortune: Permission denied").

import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './run_cli.js';

const BIN = join(ROOT, 'dist/cli/main.js');

function npx(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('npx', ['--no-install', 'tensortune', ...args], { cwd: ROOT, timeout: 120_000, env: { ...process.env, NO_COLOR: '1' } }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr });
    });
  });
}

describe('npx tensortune (the built command)', () => {
  it('is built and executable', () => {
    expect(existsSync(BIN), `${BIN} is missing: run \`npm run build\` (scripts/setup.sh does)`).toBe(true);
    expect(statSync(BIN).mode & 0o111, 'dist/cli/main.js is not executable: `npm run build` must chmod it').not.toBe(0);
  });

  it('runs from the repository folder as the README shows', async () => {
    const v = await npx(['--version']);
    expect(v.stderr).not.toMatch(/Permission denied/);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = await npx(['tune', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--op/);
  });
});
