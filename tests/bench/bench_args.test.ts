// tests/bench/bench_args.test.ts — the benches' one argument reader (bench/bench_args.ts): both `--key value`
// and `--key=value` (the spellings README and docs use), defaults, positionals, --help, and bad usage named.

import { describe, expect, it } from 'vitest';
import { listArg, readBenchArgs, usageText, type BenchUsage } from '../../bench/bench_args.js';

const usage = {
  script: 'bench/demo.ts',
  about: 'A demo bench.',
  positionals: [{ name: 'rounds', help: 'rounds (default 3)' }],
  options: {
    only: { type: 'string', default: '' },
    repeat: { type: 'string', default: '5' },
    webgpu: { type: 'boolean', default: false },
    out: { type: 'string' },
  },
  help: { only: 'workload ids', repeat: 'repeats', webgpu: 'also webgpu', out: 'where to write' },
} as const satisfies BenchUsage<Record<string, { type: 'string' | 'boolean'; default?: string | boolean }>>;

describe('readBenchArgs', () => {
  it('reads --key=value and --key value alike, with defaults and positionals', () => {
    const a = readBenchArgs(usage, ['--only=C6,MM-512', '--repeat', '3', '--webgpu', '7']);
    expect(a.kind).toBe('ok');
    if (a.kind !== 'ok') return;
    expect(a.parsed.values).toEqual({ only: 'C6,MM-512', repeat: '3', webgpu: true });
    expect(a.parsed.positionals).toEqual(['7']);
    const b = readBenchArgs(usage, []);
    expect(b.kind === 'ok' && b.parsed.values).toEqual({ only: '', repeat: '5', webgpu: false });
  });

  it('names an unknown option, a missing value and an extra argument', () => {
    expect(readBenchArgs(usage, ['--onyl=C6'])).toEqual({ kind: 'error', message: expect.stringMatching(/Unknown option '--onyl'/) });
    expect(readBenchArgs(usage, ['--repeat'])).toEqual({ kind: 'error', message: expect.stringMatching(/--repeat <value>' argument missing/) });
    expect(readBenchArgs(usage, ['1', '2'])).toEqual({ kind: 'error', message: "unexpected argument '2' (takes 1: rounds)" });
    expect(readBenchArgs({ ...usage, positionals: [] }, ['1'])).toEqual({ kind: 'error', message: "unexpected argument '1' (this bench takes options only)" });
  });

  it('--help (or -h) lists every option with its default, and the positionals', () => {
    const h = readBenchArgs(usage, ['--only=C6', '--help']);
    expect(h).toEqual({ kind: 'help', text: usageText(usage) });
    expect(readBenchArgs(usage, ['-h']).kind).toBe('help');
    const lines = usageText(usage).split('\n');
    expect(lines[0]).toBe('usage: npx tsx bench/demo.ts [rounds] [options]');
    expect(lines).toContain('A demo bench.');
    expect(lines).toContain(`  ${'rounds'.padEnd(24)} rounds (default 3)`);
    expect(lines).toContain(`  ${'--only <value>'.padEnd(24)} workload ids`);
    expect(lines).toContain(`  ${'--repeat <value>'.padEnd(24)} repeats (default: 5)`);
    expect(lines).toContain(`  ${'--webgpu'.padEnd(24)} also webgpu`);
  });

  it('lists drop blanks', () => {
    expect(listArg(' a, b,,c ')).toEqual(['a', 'b', 'c']);
    expect(listArg('')).toEqual([]);
  });
});
