// tests/tuning-logs/writer.test.ts — appends: whole lines, torn-tail repair, two processes on one log.

import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRecordsSync } from '../../tuning-logs/reader.js';
import { decodeRecord, encodeRecord } from '../../tuning-logs/record.js';
import { LogWriter, appendRecord } from '../../tuning-logs/writer.js';
import { rec, tempDir } from './helpers.js';

const dir = tempDir('writer');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const run = promisify(execFile);
const child = fileURLToPath(new URL('./fixtures/concurrent_writer.ts', import.meta.url));

describe('LogWriter / appendRecord', () => {
  it('appends one line per record, each readable back exactly', () => {
    const path = join(dir, 'a.jsonl');
    const w = new LogWriter(path);
    const records = [rec(1, 0.01), rec(2, 0.02, { errorNo: 4 }), rec(3, 0.03)];
    for (const r of records) w.write(r);
    w.close();
    appendRecord(path, rec(4, 0.04));
    expect(w.count).toBe(3);
    expect(readFileSync(path, 'utf8')).toBe([...records, rec(4, 0.04)].map((r) => encodeRecord(r) + '\n').join(''));
    expect(() => w.write(rec(5, 0.05))).toThrow(/closed/);
  });

  it('ends a torn last line before appending, so the new record is not glued to it', () => {
    const path = join(dir, 'torn.jsonl');
    writeFileSync(path, encodeRecord(rec(1, 0.01)) + '\n' + encodeRecord(rec(2, 0.02)).slice(0, 40));
    appendRecord(path, rec(3, 0.03));
    const warnings: string[] = [];
    expect(loadRecordsSync(path, { onWarning: (m) => warnings.push(m) }).map((r) => r.config.index)).toEqual([1, 3]);
    expect(warnings).toHaveLength(1); // the old fragment is now a whole (bad) line of its own
  });

  it('never interleaves bytes of two processes appending thousands of records to one log', async () => {
    const path = join(dir, 'shared.jsonl');
    const n = 2000;
    const args = (id: string): string[] => ['--import', 'tsx', child, path, id, String(n)];
    await Promise.all([run(process.execPath, args('a')), run(process.execPath, args('b'))]);
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines.pop()).toBe(''); // the file ends with a newline
    expect(lines).toHaveLength(2 * n);
    const seen = { a: [] as number[], b: [] as number[] };
    let switches = 0;
    let prev = '';
    for (const line of lines) {
      const r = decodeRecord(line); // throws on any interleaved line
      const id = r.input[1] === 'writera.wasm' ? 'a' : 'b';
      seen[id].push(r.config.index);
      if (prev !== '' && id !== prev) switches++;
      prev = id;
    }
    // Each writer's records arrive whole and in its own order.
    expect(seen.a).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(seen.b).toEqual(Array.from({ length: n }, (_, i) => i));
    // Lines of up to ~20 KB were written: far beyond PIPE_BUF.
    expect(Math.max(...lines.map((l) => l.length))).toBeGreaterThan(16384);
    // The two processes really did write at the same time (otherwise this test proves nothing).
    expect(switches).toBeGreaterThan(10);
  });
});
