// tests/tuning-logs/record_claims.test.ts — a record is checked for what it claims, not only for its
// layout: costs finite and positive, an error number AutoTVM knows. The reader, validate, best, stats
// and applyHistoryBest agree on which records count, and say why one does not.

import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyHistoryBest, recordSkipReason } from '../../tuning-logs/apply_history_best.js';
import { best, stats, validate } from '../../tuning-logs/ops.js';
import { loadRecords, loadRecordsSync } from '../../tuning-logs/reader.js';
import { decodeRecord, encodeRecord, MAX_ERROR_NO, recordWorkloadKey, type LogRecord } from '../../tuning-logs/record.js';
import { rec, tempDir } from './helpers.js';

const dir = tempDir('claims');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The line of `r` with its result replaced (bypassing makeRecord's checks, as a hand-edited log would). */
function lineWithResult(r: LogRecord, result: unknown[]): string {
  return encodeRecord(r).replace(/"result":\[[^\]]*\][^\]]*\]/, `"result":${JSON.stringify(result)}`);
}

const good = rec(1, 0.004);
const negative = lineWithResult(rec(2, 1), [[-0.5], 0, 0.3, 1763942402]);
const zero = lineWithResult(rec(3, 1), [[0, 0.001], 0, 0.3, 1763942403]);
const unknownError = lineWithResult(rec(4, 1), [[1e9], 9, 0.3, 1763942404]);

describe('what a record claims', () => {
  it('refuses negative or zero costs of a successful record, naming the field', () => {
    expect(() => decodeRecord(negative)).toThrow(/field result\[0\] \(costs\): expected positive seconds .* got \[-0.5\]/);
    expect(() => decodeRecord(zero)).toThrow(/field result\[0\] \(costs\): expected positive seconds/);
    // A failed record's costs are AutoTVM's [1e9] placeholder: any finite numbers are accepted there.
    expect(decodeRecord(lineWithResult(rec(5, 1), [[1e9], 4, 0.3, 1763942405])).result[1]).toBe(4);
  });

  it('refuses an error number AutoTVM does not have', () => {
    expect(MAX_ERROR_NO).toBe(8);
    expect(() => decodeRecord(unknownError)).toThrow(/field result\[1\] \(error number\): expected one of AutoTVM's error numbers 0..8, got 9/);
    for (let e = 1; e <= 8; e++) expect(decodeRecord(lineWithResult(rec(6, 1), [[1e9], e, 0.3, 1])).result[1]).toBe(e);
  });

  it('the reader, validate, best, stats and applyHistoryBest agree: the negative-cost record never wins', async () => {
    const path = join(dir, 'mixed.jsonl');
    writeFileSync(path, [encodeRecord(good), negative, zero, unknownError].map((l) => l + '\n').join(''));
    const warnings: string[] = [];
    const records = loadRecordsSync(path, { onWarning: (m) => warnings.push(m) });
    expect(records.map((r) => r.config.index)).toEqual([1]);
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toMatch(new RegExp(`^${path}:2: malformed record skipped: field result\\[0\\] \\(costs\\)`));
    expect(warnings[2]).toMatch(new RegExp(`^${path}:4: malformed record skipped: field result\\[1\\] \\(error number\\)`));
    expect((await loadRecords(path, { onWarning: () => undefined })).map((r) => r.config.index)).toEqual([1]);
    const v = validate(path);
    expect(v.bad.map((b) => [b.line, b.kind])).toEqual([[2, 'malformed'], [3, 'malformed'], [4, 'malformed']]);
    expect([v.records, v.ok]).toEqual([1, false]);
    expect(best(records).map((r) => r.config.index)).toEqual([1]);
    const s = stats(records);
    expect(s[0]!.bestCost).toBeCloseTo(0.004, 12);
    expect(s[0]!.bestCost).toBeGreaterThan(0);
    const ctx = applyHistoryBest(path, { onWarning: () => undefined });
    expect(ctx.query('wasm', recordWorkloadKey(good))?.config.index).toBe(1);
  });

  it('records handed over as objects get the same rule, and the reason is said', () => {
    // Objects that never went through the reader (built in memory, or by another tool's code).
    const neg = { ...rec(2, 1), result: [[-0.5], 0, 0.3, 1763942402] } as unknown as LogRecord;
    const badErr = { ...rec(4, 1), result: [[0.0001], 11, 0.3, 1763942404] } as unknown as LogRecord;
    expect(recordSkipReason(neg)).toMatch(/result\[0\] \(costs\)/);
    expect(recordSkipReason(badErr)).toMatch(/error number/);
    expect(recordSkipReason(good)).toBeUndefined();
    expect(recordSkipReason(rec(7, 1, { errorNo: 5 }))).toBe('measurement failed (error number 5)');
    const skipped: [number, string][] = [];
    const winners = best([good, neg], { onSkip: (r, why) => skipped.push([r.config.index, why]) });
    expect(winners.map((r) => r.config.index)).toEqual([1]);
    expect(skipped).toHaveLength(1);
    expect(skipped[0]![0]).toBe(2);
    expect(skipped[0]![1]).toMatch(/positive seconds/);
    const ctx = applyHistoryBest([good, neg]);
    expect(ctx.query('wasm', recordWorkloadKey(good))?.config.index).toBe(1);
    expect(ctx.size).toEqual({ records: 2, workloads: 1, invalid: 1 });
    expect(stats([good, neg])[0]).toMatchObject({ records: 2, ok: 1, invalid: 1, bestIndex: 1 });
  });

  it('best and applyHistoryBest pick the same record under the same check, skipping refused ones', () => {
    const recs = [rec(1, 0.004), rec(2, 0.001), rec(3, 0.002), rec(4, 0.002), rec(5, 0.001, { target: 'wasm  -threads=2' }), rec(6, 0.0005, { target: 'wasm -threads=2' })];
    const refuse = new Set([2, 6]);
    const check = (r: LogRecord): string | undefined => (refuse.has(r.config.index) ? 'refused by the test' : undefined);
    const skipped: number[] = [];
    const b = best(recs, { check, onSkip: (r) => skipped.push(r.config.index) });
    // 'wasm  -threads=2' and 'wasm -threads=2' are one target: one group.
    expect(b.map((r) => [r.input[0], r.config.index])).toEqual([['wasm', 3], ['wasm  -threads=2', 5]]);
    expect(skipped).toEqual([2, 6]);
    const ctx = applyHistoryBest(recs);
    const seen: number[] = [];
    const q = (t: string): number | undefined =>
      ctx.query(t, recordWorkloadKey(recs[0]!), { check: (c) => (refuse.has(c.index) ? 'refused' : undefined), onSkip: (s) => seen.push(s.config.index) })?.config.index;
    expect(q('wasm')).toBe(3); // 2 is faster but refused; 3 and 4 tie, the earlier wins
    expect(q('wasm -threads=2')).toBe(5);
    expect(seen).toEqual([2, 6]);
    expect(ctx.query('wasm', recordWorkloadKey(recs[0]!))?.config.index).toBe(2); // no check: the fastest
    // Nothing passes: no answer (the caller falls back and says why, from onSkip).
    expect(ctx.query('wasm -simd=0', recordWorkloadKey(recs[0]!), { check: () => 'never' })).toBeUndefined();
  });
});
