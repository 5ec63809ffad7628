// tests/cli/tune_build.test.ts — end to end through the command: tune a small matmul, build with the
// log, and check the build used the log's best record; kill a job (SIGKILL) and resume it; Ctrl-C.

import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeRecord, meanCost, type LogRecord } from '../../tuning-logs/record.js';
import { tempDir } from '../tuning-logs/helpers.js';
import { runCli, startCli, stderrOf } from './run_cli.js';

const dir = tempDir('cli-tune');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// Short measurements: these tests check bookkeeping, not speed.
const FAST = ['--number', '1', '--repeat', '2', '--min-repeat-ms', '0', '--timeout', '20'];
// Each test starts the compiler and its worker threads a few times: seconds on an idle machine,
// minutes on a shared and loaded one.
const E2E_TIMEOUT = 400_000;

/** Every line of a log, each checked: any partial or interleaved line fails the test. */
function logLines(path: string): LogRecord[] {
  const text = readFileSync(path, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text.trimEnd().split('\n').map((l) => decodeRecord(l));
}

describe('tensortune tune + build', () => {
  it('tunes a small matmul for 16 trials and builds it with the best record of the log', async () => {
    const log = join(dir, 'mm.jsonl');
    const t = await runCli(['-v', 'tune', '--op', 'matmul', '--shape', '24,32,40', '--target', 'wasm -threads=1', '--trials', '16', '--tuner', 'xgb', '--seed', '3', '-o', log, '--json', '--quiet', ...FAST]);
    expect(t.code).toBe(0);
    const summary = JSON.parse(t.stdout) as { trials: number; measured: number; bestConfig: { index: number } | null; bestGflops: number };
    expect(summary.trials).toBe(16);
    const records = logLines(log);
    expect(records).toHaveLength(16);
    expect(new Set(records.map((r) => r.config.index)).size).toBe(16);
    expect(records.every((r) => r.input[0] === 'wasm -threads=1' && r.input[1] === 'matmul.wasm')).toBe(true);
    expect(records[0]!.device?.threads).toBe(1);
    // -v: one stderr line per trial, in log order, with the config and its speed or error.
    expect(t.stderr.trimEnd().split('\n')).toEqual(records.map((r, i) =>
      expect.stringMatching(new RegExp(`^trial ${i + 1}: config ${r.config.index}: ${r.result[1] === 0 ? '[\\d.]+ GFLOP/s' : '[A-Z_]+ \\(' + r.result[1] + '\\)'}`))));
    // The best record, found independently of the library's `best`.
    const ok = records.map((r, i) => ({ r, i })).filter(({ r }) => r.result[1] === 0);
    expect(ok.length).toBeGreaterThan(0);
    const bestAt = ok.reduce((a, b) => (meanCost(b.r) < meanCost(a.r) ? b : a));
    expect(summary.bestConfig?.index).toBe(bestAt.r.config.index);
    expect(summary.bestGflops).toBeCloseTo((2 * 24 * 32 * 40) / meanCost(bestAt.r) / 1e9, 6);

    const out = join(dir, 'mm.wasm');
    const b = await runCli(['build', '--op', 'matmul', '--shape', '24,32,40', '--target', 'wasm -threads=1', '--log', log, '--out', out, '--json']);
    expect(b.code).toBe(0);
    const built = JSON.parse(b.stdout) as { source: string; config: { index: number; entity: unknown }; file: string; line: number; bytes: number };
    expect(built.source).toBe('log');
    expect(built.config.index).toBe(bestAt.r.config.index);
    expect(built.config.entity).toEqual(bestAt.r.config.entity);
    expect([built.file, built.line]).toEqual([log, bestAt.i + 1]);
    const wasm = readFileSync(out);
    expect([...wasm.subarray(0, 4)]).toEqual([0x00, 0x61, 0x73, 0x6d]); // "\0asm"
    expect(built.bytes).toBe(wasm.length);

    // bench: the same config, checked against the untuned schedule, then timed.
    const bench = await runCli(['bench', '--op', 'matmul', '--shape', '24,32,40', '--target', 'wasm -threads=1', '--log', log, '--repeat', '3', '--min-repeat-ms', '5', '--json']);
    expect(bench.code).toBe(0);
    const br = JSON.parse(bench.stdout) as { config: { index: number }; flop: number; maxRelativeError: number; latency: { mean: number; median: number; min: number; results: number[] }; gflops: { mean: number } };
    expect(br.config.index).toBe(bestAt.r.config.index);
    expect(br.maxRelativeError).toBeLessThanOrEqual(1e-3);
    expect(br.latency.results).toHaveLength(3);
    expect(br.latency.min).toBeLessThanOrEqual(br.latency.median);
    expect(br.latency.min).toBe(Math.min(...br.latency.results));
    expect(br.gflops.mean).toBeCloseTo(br.flop / br.latency.mean / 1e9, 9);

    // Without a record for this shape: the template's default config, and a warning naming the tune command.
    const f = await runCli(['build', '--op', 'matmul', '--shape', '8,8,8', '--target', 'wasm -threads=1', '--log', log]);
    expect(f.code).toBe(0);
    expect(f.stderr).toMatch(/tensortune tune --op matmul --shape 8,8,8/);
    expect(f.stdout).toMatch(/default config/);
  }, E2E_TIMEOUT);

  it('resumes a SIGKILLed job without losing or repeating records', async () => {
    const log = join(dir, 'killed.jsonl');
    const args = ['tune', '--op', 'matmul', '--shape', '16,16,16', '--target', 'wasm -threads=1', '--trials', '24', '--tuner', 'random', '--batch', '2', '--log', log, '--quiet', ...FAST];
    // The job holds after its 6th record until signalled: the kill lands at a known point.
    const child = startCli(args, { env: { TENSORTUNE_HOLD_AFTER_RECORD: '6' } });
    const err = stderrOf(child);
    try {
      await err.line(/^holding after record 6$/);
    } finally {
      child.kill('SIGKILL');
    }
    await new Promise((r) => child.once('exit', r));
    const before = logLines(log);
    expect(before).toHaveLength(6);

    // The same command without --resume refuses to mix two jobs in one log.
    const again = await runCli(args);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already has 6 records .* pass --resume/);

    const r = await runCli([...args, '--resume', '--json']);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as { trials: number; resumed: number; measured: number };
    expect(summary.resumed).toBe(6);
    expect(summary.measured).toBe(24 - 6);
    const after = logLines(log);
    expect(after).toHaveLength(24);
    expect(after.slice(0, 6)).toEqual(before); // nothing rewritten
    expect(new Set(after.map((x) => x.config.index)).size).toBe(24); // nothing measured twice
  }, E2E_TIMEOUT);

  it('stops cleanly on Ctrl-C (SIGINT) with every finished record whole, exit 130', async () => {
    const log = join(dir, 'interrupted.jsonl');
    // Batches of 2; the job holds after its second batch (record 4) until the signal comes.
    const child = startCli(['tune', '--op', 'matmul', '--shape', '16,16,16', '--target', 'wasm -threads=1', '--trials', '200', '--tuner', 'random', '--batch', '2', '--log', log, ...FAST],
      { env: { TENSORTUNE_HOLD_AFTER_RECORD: '4' } });
    const err = stderrOf(child);
    try {
      await err.line(/^holding after record 4$/);
    } catch (e) {
      child.kill('SIGKILL');
      throw e;
    }
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    expect(code).toBe(130);
    expect(err.text()).toMatch(/SIGINT: stopping after the batch in flight/);
    // Every finished record is whole, and no new batch was started after the signal.
    const records = logLines(log);
    expect(records).toHaveLength(4);
    expect(new Set(records.map((x) => x.config.index)).size).toBe(4);
  }, E2E_TIMEOUT);
});
