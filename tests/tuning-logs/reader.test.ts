// tests/tuning-logs/reader.test.ts — streaming reads: order, torn last lines, garbage lines, strict mode.

import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRecords, loadRecordsSync, readEntries, readEntriesSync, type BadLine } from '../../tuning-logs/reader.js';
import { encodeRecord } from '../../tuning-logs/record.js';
import { rec, tempDir } from './helpers.js';

const dir = tempDir('reader');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function collectWarnings(): { warnings: string[]; onWarning: (m: string) => void } {
  const warnings: string[] = [];
  return { warnings, onWarning: (m) => warnings.push(m) };
}

describe('reading logs', () => {
  it('streams every record in file order, across chunk boundaries, sync and async alike', async () => {
    // ~3000 lines of ~250 bytes cross many 64 KiB chunks, so lines are split mid-chunk.
    const records = Array.from({ length: 3000 }, (_, i) => rec(i, 0.001 + i * 1e-7));
    const path = join(dir, 'big.jsonl');
    writeFileSync(path, records.map((r) => encodeRecord(r) + '\n').join(''));
    const got: number[] = [];
    for await (const e of readEntries(path)) got.push(e.record.config.index);
    expect(got).toEqual(records.map((r) => r.config.index));
    expect(loadRecordsSync(path)).toEqual(records);
    expect(await loadRecords([path, path])).toHaveLength(6000);
    const lines = [...readEntriesSync(path)].map((e) => e.line);
    expect(lines.slice(0, 3)).toEqual([1, 2, 3]);
  });

  it('skips a torn last line silently and keeps every finished record', async () => {
    const full = encodeRecord(rec(1, 0.002)) + '\n' + encodeRecord(rec(2, 0.003)) + '\n';
    const torn = encodeRecord(rec(3, 0.001)).slice(0, 57);
    const path = join(dir, 'torn.jsonl');
    writeFileSync(path, full + torn);
    const { warnings, onWarning } = collectWarnings();
    const recs = await loadRecords(path, { onWarning, strict: true });
    expect(recs.map((r) => r.config.index)).toEqual([1, 2]);
    expect(warnings).toEqual([]);
    const soft = collectWarnings();
    loadRecordsSync(path, { onWarning: soft.onWarning, warnTorn: true });
    expect(soft.warnings).toEqual([`${path}:3: torn last line skipped (a job killed while writing?)`]);
  });

  it('keeps a complete last record that only lacks its newline, sync and async (resume) alike', async () => {
    const path = join(dir, 'nonl.jsonl');
    writeFileSync(path, encodeRecord(rec(1, 0.002)) + '\n' + encodeRecord(rec(2, 0.003)));
    const { warnings, onWarning } = collectWarnings();
    expect(loadRecordsSync(path, { onWarning, warnTorn: true }).map((r) => r.config.index)).toEqual([1, 2]);
    expect((await loadRecords(path, { onWarning, warnTorn: true })).map((r) => r.config.index)).toEqual([1, 2]);
    const streamed: number[] = [];
    for await (const e of readEntries(path)) streamed.push(e.line);
    expect(streamed).toEqual([1, 2]);
    // A file that is only one unterminated record, larger than one 64 KiB read chunk.
    const big = { ...rec(3, 0.004), config: { index: 3, code_hash: null, entity: Array.from({ length: 4000 }, (_, k) => [`knob_${k}`, 'ot', k] as const) } };
    const single = join(dir, 'single-nonl.jsonl');
    writeFileSync(single, encodeRecord(big));
    expect(await loadRecords(single)).toEqual([big]);
    expect(loadRecordsSync(single)).toEqual([big]);
    expect(warnings).toEqual([]);
  });

  it('skips garbage lines with a warning naming file and line, and blank lines quietly', () => {
    const path = join(dir, 'garbage.jsonl');
    const lines = [encodeRecord(rec(1, 0.002)), 'this is not json', '', encodeRecord(rec(2, 0.003)), '{"input": 3}', encodeRecord(rec(3, 0.004)) + '\r'];
    writeFileSync(path, lines.join('\n') + '\n');
    const { warnings, onWarning } = collectWarnings();
    expect(loadRecordsSync(path, { onWarning }).map((r) => r.config.index)).toEqual([1, 2, 3]);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(new RegExp(`^${path}:2: malformed record skipped: not valid JSON`));
    expect(warnings[1]).toMatch(new RegExp(`^${path}:5: malformed record skipped: field input:`));
  });

  it('makes a garbage line an error in strict mode', async () => {
    const path = join(dir, 'strict.jsonl');
    writeFileSync(path, encodeRecord(rec(1, 0.002)) + '\n{broken\n' + encodeRecord(rec(2, 0.003)) + '\n');
    expect(() => loadRecordsSync(path, { strict: true })).toThrow(`${path}:2: malformed record`);
    await expect(loadRecords(path, { strict: true })).rejects.toThrow(`${path}:2: malformed record`);
  });

  it('hands bad lines over as data when asked', () => {
    const path = join(dir, 'badlines.jsonl');
    writeFileSync(path, 'x\n' + encodeRecord(rec(1, 0.002)) + '\n{"inp');
    const bad: BadLine[] = [];
    expect(loadRecordsSync(path, { onBadLine: (b) => bad.push(b) })).toHaveLength(1);
    expect(bad.map((b) => [b.line, b.torn])).toEqual([[1, false], [3, true]]);
  });

  it('names a missing log file', () => {
    expect(() => loadRecordsSync(join(dir, 'nope.jsonl'))).toThrow(/tuning log '.*nope.jsonl' does not exist/);
  });
});
