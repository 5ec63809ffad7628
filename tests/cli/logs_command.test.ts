// tests/cli/logs_command.test.ts — `tensortune logs …` end to end, as a child process.

import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTask } from '../../autotune/task.js';
import { registerAll } from '../../ops/register.js';
import { loadRecordsSync } from '../../tuning-logs/reader.js';
import { encodeRecord, type LogRecord } from '../../tuning-logs/record.js';
import { rec as fakeRec, tempDir } from '../tuning-logs/helpers.js';
import { runCli } from './run_cli.js';

registerAll();

/** A matmul record whose config is config `index` of the real 'matmul.wasm' space (so the CLI's template check accepts it). */
function rec(index: number, cost: number, o: Parameters<typeof fakeRec>[2] = {}): LogRecord {
  const r = fakeRec(index, cost, o);
  const task = createTask(r.input[1], r.input[2], r.input[0]);
  return { ...r, config: task.space.get(index).toData() };
}

const dir = tempDir('cli-logs');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeLog(name: string, records: readonly LogRecord[], tail = ''): string {
  const path = join(dir, name);
  writeFileSync(path, records.map((r) => encodeRecord(r) + '\n').join('') + tail);
  return path;
}

describe('tensortune logs', () => {
  const a = writeLog('a.jsonl', [rec(1, 0.004), rec(2, 0.002), rec(3, 1, { errorNo: 5 })], '{"input": ["wa');
  const b = writeLog('b.jsonl', [rec(2, 0.002), rec(4, 0.001, { shape: [16, 16, 16] })]);

  it('best: prints the best record per workload with GFLOP/s from the template, and writes them', async () => {
    const out = join(dir, 'best.jsonl');
    const r = await runCli(['logs', 'best', a, b, '--out', out, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as { configIndex: number; gflops: number | null; file: string; line: number }[];
    expect(rows.map((x) => x.configIndex)).toEqual([2, 4]);
    expect([rows[0]!.file, rows[0]!.line]).toEqual([a, 2]);
    // matmul 8x8x8 is 2·8·8·8 FLOP; the mean of [0.9c, 1.1c] is c.
    expect(rows[0]!.gflops).toBeCloseTo((2 * 8 * 8 * 8) / 0.002 / 1e9, 9);
    expect(loadRecordsSync(out).map((x) => x.config.index)).toEqual([2, 4]);
  });

  it('merge, stats and validate work together; validate exits 1 on bad lines', async () => {
    const out = join(dir, 'merged.jsonl');
    const m = await runCli(['logs', 'merge', a, b, '-o', out]);
    expect(m.code).toBe(0);
    expect(m.stdout).toMatch(/4 records \(1 duplicates dropped\)/);
    const s = await runCli(['logs', 'stats', out, '--json']);
    expect(s.code).toBe(0);
    const st = JSON.parse(s.stdout) as { records: number; ok: number; errors: Record<string, number>; bestIndex: number }[];
    expect(st.map((x) => [x.records, x.ok, x.bestIndex])).toEqual([[3, 2, 2], [1, 1, 4]]);
    expect(st[0]!.errors).toEqual({ 5: 1 });
    const good = await runCli(['logs', 'validate', a]);
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/3 records, 0 bad lines, torn last line \(harmless\)/);
    const badPath = join(dir, 'bad.jsonl');
    writeFileSync(badPath, readFileSync(b, 'utf8') + 'oops\n');
    const bad = await runCli(['logs', 'validate', badPath]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/line 3: not valid JSON/);
  });

  it('stats names the summed measurement time and the wall clock apart (parallel builds make the sum larger)', async () => {
    // Four records, each 6 s of build + run (all_cost) from parallel workers, written 1 s apart.
    const t0 = 1763942400;
    const records = [1, 2, 3, 4].map((i) => {
      const r = rec(i, 0.001 * i);
      return { ...r, result: [r.result[0], r.result[1], 6, t0 + i - 1] } as LogRecord;
    });
    const path = writeLog('parallel.jsonl', records);
    const r = await runCli(['logs', 'stats', path]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('  measurement time (sum over records) 24s; wall clock first→last record 3s\n');
    expect(r.stdout).not.toMatch(/measuring took/);
    const j = await runCli(['logs', 'stats', path, '--json']);
    const st = JSON.parse(j.stdout) as { secondsSpent: number; firstTimestamp: number; lastTimestamp: number }[];
    expect([st[0]!.secondsSpent, st[0]!.lastTimestamp - st[0]!.firstTimestamp]).toEqual([24, 3]);
  });

  it('plot writes an SVG with one curve per file and workload', async () => {
    const svg = join(dir, 'curve.svg');
    const r = await runCli(['logs', 'plot', a, b, '-o', svg, '--title', 'demo']);
    expect(r.code).toBe(0);
    const text = readFileSync(svg, 'utf8');
    expect(text.match(/<polyline/g)).toHaveLength(3);
    expect(text).toContain('best GFLOP/s');
  });

  it('bad usage exits 2 with a message naming the problem', async () => {
    const missing = await runCli(['logs', 'stats', join(dir, 'none.jsonl')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/log file '.*none.jsonl' does not exist/);
    const unknown = await runCli(['logs', 'stats', a, '--frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown option '--frobnicate'/);
    const strict = await runCli(['logs', 'stats', join(dir, 'bad.jsonl'), '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/bad.jsonl:3: malformed record/);
  });

  it('records that validate only by layout: a lying index and a negative cost are bad lines, never the best', async () => {
    // Fastest: index 0 but the entity of config 1911; then a negative cost; then two honest records.
    const lying = { ...rec(1911, 0.0001), config: { ...rec(1911, 0.0001).config, index: 0 } };
    const negative = encodeRecord(rec(9, 1)).replace(/"result":\[\[[^\]]*\]/, '"result":[[-0.5]');
    const path = join(dir, 'claims.jsonl');
    writeFileSync(path, [encodeRecord(lying), negative, encodeRecord(rec(2, 0.002)), encodeRecord(rec(7, 0.003))].map((l) => l + '\n').join(''));
    const v = await runCli(['logs', 'validate', path]);
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(/2 records, 2 bad lines/);
    expect(v.stdout).toMatch(/line 1: config 0 of matmul\.wasm: config\.index 0 disagrees with its entity, which is config 1911/);
    expect(v.stdout).toMatch(/line 2: field result\[0\] \(costs\): expected positive seconds/);
    const b = await runCli(['logs', 'best', path, '--json']);
    expect(b.code).toBe(0);
    expect((JSON.parse(b.stdout) as { configIndex: number }[]).map((x) => x.configIndex)).toEqual([2]);
    expect(b.stderr).toMatch(new RegExp(`skipped config 0 from ${path}:1: config\\.index 0 disagrees`));
    expect(b.stderr).toMatch(new RegExp(`${path}:2: malformed record skipped: field result\\[0\\]`));
    const st = await runCli(['logs', 'stats', path, '--json']);
    const s0 = (JSON.parse(st.stdout) as { bestCost: number; bestIndex: number; records: number; ok: number; invalid: number }[])[0]!;
    expect(s0).toMatchObject({ bestIndex: 2, records: 3, ok: 2, invalid: 1 });
    expect(s0.bestCost).toBeCloseTo(0.002, 12);
  });
});
