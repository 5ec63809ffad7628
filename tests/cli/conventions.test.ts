// tests/cli/conventions.test.ts — tvmc's conventions (issue 9 item 9): -o/--output for what a command
// writes with the older long names still working, -v/--verbose, and --help examples on every command.
// In-process (createProgram/runCli with stdout captured), so no child process per case.

import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { buildArgs } from '../../cli/build_args.js';
import { UsageError } from '../../cli/errors.js';
import { outputOf, setVerbosity, verbosity } from '../../cli/output_option.js';
import { createProgram, runCli } from '../../cli/program.js';
import { tuneArgs } from '../../cli/tune_args.js';
import { encodeRecord } from '../../tuning-logs/record.js';
import { rec, tempDir } from '../tuning-logs/helpers.js';

const dir = tempDir('cli-conventions');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  vi.restoreAllMocks();
  setVerbosity(0);
});

/** Runs the command line in this process; returns exit code and what went to stdout and stderr. */
async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => { stdout += String(s); return true; });
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => { stderr += String(s); return true; });
  try {
    const code = await runCli(argv);
    return { code, stdout, stderr };
  } finally {
    vi.restoreAllMocks();
  }
}

function allCommands(c: Command, path: string[] = []): [string, Command][] {
  return c.commands.flatMap((sub) => [[[...path, sub.name()].join(' '), sub] as [string, Command], ...allCommands(sub, [...path, sub.name()])]);
}

const base = {
  op: 'dense', shape: '1,1024,1000', target: 'wasm', trials: '50', tuner: 'xgb', featureType: 'itervar', seed: '0',
  number: '4', repeat: '3', minRepeatMs: '50', timeout: '10',
};

describe('tvmc conventions', () => {
  it('every command has --help with examples that run the command itself', async () => {
    const commands = allCommands(createProgram());
    expect(commands.map(([n]) => n).sort()).toEqual(expect.arrayContaining(['tune', 'build', 'bench', 'logs', 'logs best', 'logs merge', 'logs stats', 'logs validate', 'logs plot']));
    for (const [name] of commands) {
      const h = await cli([...name.split(' '), '--help']);
      expect(h.code, name).toBe(0);
      expect(h.stdout, name).toContain('Examples:');
      expect(h.stdout, name).toContain(`$ tensortune ${name}`);
    }
    const top = await cli(['--help']);
    expect(top.stdout).toMatch(/-v, --verbose/);
    expect(top.stdout).toMatch(/-o\/--output/);
  });

  it('-o/--output names what a command writes; the older --out and --log keep working', async () => {
    expect(tuneArgs({ ...base, output: 'a.jsonl' }).log).toBe('a.jsonl');
    expect(tuneArgs({ ...base, log: 'b.jsonl' }).log).toBe('b.jsonl');
    expect(tuneArgs({ ...base, output: 'c.jsonl', log: 'c.jsonl' }).log).toBe('c.jsonl');
    expect(() => tuneArgs({ ...base, output: 'c.jsonl', log: 'd.jsonl' })).toThrow("-o/--output 'c.jsonl' and --log 'd.jsonl' disagree");
    expect(() => tuneArgs(base)).toThrow(UsageError);
    expect(buildArgs({ op: 'dense', shape: '1,2,3', target: 'wasm', output: 'k.wasm' }).out).toBe('k.wasm');
    expect(buildArgs({ op: 'dense', shape: '1,2,3', target: 'wasm', out: 'k.wasm' }).out).toBe('k.wasm');
    expect(() => outputOf({}, 'logs merge', true)).toThrow("logs merge: required option '-o, --output <file>' not specified");

    const a = join(dir, 'a.jsonl');
    const b = join(dir, 'b.jsonl');
    writeFileSync(a, [rec(1, 0.004), rec(2, 0.002)].map((r) => encodeRecord(r) + '\n').join(''));
    writeFileSync(b, encodeRecord(rec(3, 0.001)) + '\n');
    for (const flag of ['-o', '--output', '--out']) {
      const out = join(dir, `merged${flag}.jsonl`);
      const m = await cli(['logs', 'merge', a, b, flag, out]);
      expect(m.code, flag).toBe(0);
      expect(readFileSync(out, 'utf8').trimEnd().split('\n')).toHaveLength(3);
    }
    const missing = await cli(['logs', 'merge', a, b]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '-o, --output <file>' not specified");
    // The old short flag of build (`-o out` was "unknown option '-o'") parses now: the usage error is about --op instead.
    const build = await cli(['build', '--shape', '1,2,3', '-o', join(dir, 'k.wasm')]);
    expect(build.code).toBe(2);
    expect(build.stderr).toMatch(/give --op and --shape/);
    expect(build.stderr).not.toMatch(/unknown option '-o'/);
  });

  it('-v/--verbose raises the verbosity before or after the subcommand; an unexpected error shows its stack with -v', async () => {
    const v = await cli(['-v', 'logs', 'stats', join(dir, 'a.jsonl'), '--json']);
    expect(v.code).toBe(0);
    expect(verbosity()).toBe(1);
    const vv = await cli(['logs', 'stats', join(dir, 'a.jsonl'), '-vv', '--json']);
    expect(vv.code).toBe(0);
    expect(verbosity()).toBe(2);
    // A log path that is a folder: an unexpected error (EISDIR), not a usage error.
    const quiet = await cli(['logs', 'validate', dir]);
    expect(quiet.code).toBe(1);
    expect(quiet.stderr).toContain('(run with -v for the stack trace)');
    expect(quiet.stderr).not.toMatch(/\n\s+at /);
    const loud = await cli(['logs', 'validate', dir, '-v']);
    expect(loud.code).toBe(1);
    expect(loud.stderr).toMatch(/\n\s+at /);
  });
});
