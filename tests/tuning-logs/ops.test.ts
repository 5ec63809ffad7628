// tests/tuning-logs/ops.test.ts — best, merge, stats and validate over real log files.

import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { best, merge, stats, validate } from '../../tuning-logs/ops.js';
import { loadRecordsSync } from '../../tuning-logs/reader.js';
import { encodeRecord, meanCost, type LogRecord } from '../../tuning-logs/record.js';
import { rec, tempDir } from './helpers.js';

const dir = tempDir('ops');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeLog(name: string, records: readonly LogRecord[], tail = ''): string {
  const path = join(dir, name);
  writeFileSync(path, records.map((r) => encodeRecord(r) + '\n').join('') + tail);
  return path;
}

describe('best', () => {
  it('picks the lowest mean cost per workload and target, ignoring failed records', () => {
    const records = [
      rec(1, 0.004),
      rec(2, 0.002),
      rec(3, 0.0001, { errorNo: 5 }), // wrong answer: fast but never chosen
      rec(4, 0.003),
      rec(5, 0.005, { target: 'wasm -threads=2' }),
      rec(6, 0.001, { target: 'wasm -threads=2' }),
      rec(7, 0.009, { shape: [16, 16, 16] }),
      rec(8, 0.0001, { shape: [32, 32, 32], errorNo: 4 }),
    ];
    const b = best(records);
    expect(b.map((r) => [r.input[0], r.config.index])).toEqual([['wasm', 2], ['wasm -threads=2', 6], ['wasm', 7]]);
  });

  it('agrees with a brute-force minimum on random logs', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ cost: fc.double({ min: 1e-6, max: 1, noNaN: true }), err: fc.boolean(), t: fc.nat(2) }), { maxLength: 60 }), (rows) => {
        const targets = ['wasm', 'wasm -threads=2', 'webgpu'];
        const records = rows.map((x, i) => rec(i, x.cost, { target: targets[x.t]!, errorNo: x.err ? 4 : 0 }));
        const b = best(records);
        for (const t of targets) {
          const ok = records.filter((r) => r.input[0] === t && r.result[1] === 0);
          const got = b.filter((r) => r.input[0] === t);
          if (ok.length === 0) expect(got).toEqual([]);
          else expect(meanCost(got[0]!)).toBe(Math.min(...ok.map(meanCost)));
        }
      }),
    );
  });
});

describe('merge', () => {
  it('concatenates logs in order, drops exact duplicates and skips torn lines', () => {
    const a = writeLog('m_a.jsonl', [rec(1, 0.01), rec(2, 0.02)], '{"input": ["wa');
    const b = writeLog('m_b.jsonl', [rec(2, 0.02), rec(3, 0.03)]);
    const out = join(dir, 'm_out.jsonl');
    expect(merge([a, b], out)).toEqual({ read: 4, written: 3, duplicates: 1 });
    expect(loadRecordsSync(out).map((r) => r.config.index)).toEqual([1, 2, 3]);
    // Merging into one of the inputs is safe (temporary file + rename).
    expect(merge([b, a], b)).toEqual({ read: 4, written: 3, duplicates: 1 });
    expect(loadRecordsSync(b).map((r) => r.config.index)).toEqual([2, 3, 1]);
    expect(() => merge([], out)).toThrow(/no input logs/);
  });
});

describe('stats', () => {
  it('counts records and errors per workload and reports the best in GFLOP/s', () => {
    const records = [rec(1, 0.004), rec(2, 0.002), rec(3, 1, { errorNo: 5 }), rec(4, 1, { errorNo: 7 }), rec(5, 1, { errorNo: 7 }), rec(2, 0.003), rec(9, 0.5, { shape: [4, 4, 4] })];
    const s = stats(records, { flopOf: (name, args) => (name === 'matmul.wasm' && Array.isArray(args[0]) ? 2 * 8 * 8 * 8 : undefined) });
    expect(s).toHaveLength(2);
    const m = s[0]!;
    expect(m.records).toBe(6);
    expect(m.ok).toBe(3);
    expect(m.errors).toEqual({ 5: 1, 7: 2 });
    expect(m.bestIndex).toBe(2);
    expect(m.bestAtTrial).toBe(2);
    expect(m.bestCost).toBeCloseTo(0.002, 12);
    expect(m.bestGflops).toBeCloseTo(1024 / 0.002 / 1e9, 12);
    expect(m.distinctConfigs).toBe(5);
    expect(m.secondsSpent).toBeCloseTo(1.5, 12);
    expect(m.firstTimestamp).toBe(1763942401);
    expect(m.lastTimestamp).toBe(1763942405);
  });
});

describe('validate', () => {
  it('reports bad lines by number and treats a torn last line as harmless', () => {
    const good = encodeRecord(rec(1, 0.01));
    const path = join(dir, 'v.jsonl');
    writeFileSync(path, [good, 'garbage', good, '{"input": []}', good].join('\n') + '\n{"inp');
    const v = validate(path);
    expect(v.records).toBe(3);
    expect(v.bad.map((b) => b.line)).toEqual([2, 4]);
    expect(v.bad[1]!.message).toMatch(/^field input:/);
    expect(v.tornLastLine?.line).toBe(6);
    expect(v.ok).toBe(false);
    const clean = writeLog('clean.jsonl', [rec(1, 0.01)], '{"inp');
    expect(validate(clean).ok).toBe(true);
    expect(readFileSync(clean, 'utf8').endsWith('{"inp')).toBe(true); // validate never rewrites
  });
});
