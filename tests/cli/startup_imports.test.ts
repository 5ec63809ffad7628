// tests/cli/startup_imports.test.ts — `tensortune` answers --help and usage errors without loading binaryen (the
// compiler's wasm backend, ~25 s to load under tsx, ~15 MB): the commands import the heavy layers only when they run.
// A resolve hook refuses the 'binaryen' specifier, so any import of it on the way fails the command. (Session 19: the
// roofline option's top-level import of the peak kernels made every start, --help included, take ~30 s.)

import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { MAIN, ROOT } from './run_cli.js';

const hooks = "export async function resolve(s, c, next) { if (s === 'binaryen') throw new Error('binaryen imported'); return next(s, c); }";
const register = `import { register } from 'node:module'; register(${JSON.stringify('data:text/javascript,' + encodeURIComponent(hooks))});`;
const NODE_ARGS = ['--import', 'data:text/javascript,' + encodeURIComponent(register), '--import', 'tsx'];

function run(args: readonly string[]): Promise<{ code: number; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...NODE_ARGS, ...args], { cwd: ROOT, timeout: 170_000, env: { ...process.env, NO_COLOR: '1' } }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr });
    });
  });
}

describe('tensortune start-up', () => {
  it('the hook does refuse binaryen (the control: importing it fails)', async () => {
    const r = await run(['-e', "await import('binaryen')", '--input-type=module']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/binaryen imported/);
  }, 180_000);

  it.each([
    [['--help'], 0, /Usage: tensortune/],
    [['tune', '--help'], 0, /--roofline-stop/],
    [['tune', '--op', 'dense', '--shape', '1,64,32', '--log', 'never-written.jsonl', '--roofline-stop', '0'], 2, /--roofline-stop '0': must be a number/],
  ] as const)('%j answers without importing binaryen', async (args, code, text) => {
    const r = await run([MAIN, ...args]);
    expect(r.stderr).not.toMatch(/binaryen imported/);
    expect(r.code).toBe(code);
    expect(r.stdout + r.stderr).toMatch(text);
  }, 180_000);
});
