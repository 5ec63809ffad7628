// tests/tuning-logs/writer.test.ts — appends: whole lines, torn-tail repair, two processes on one log.

import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRecordsSync } from '../../tuning-logs/reader.js';
import { decodeRecord, encodeRecord } from '../../tuning-logs/record.js';
import { LogWriter, appendRecord } from '../../tuning-logs/writer.js';
import { rec, tempDir } from './helpers.js';

const dir = tempDir('writer');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
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
    const round = 100;
    // Both writers start each round of 100 records together (a barrier over stdin/stdout), so they
    // really write at the same time in every round, on any machine at any load: no waiting on time.
    const writers = ['a', 'b'].map((id) => spawn(process.execPath, ['--import', 'tsx', child, path, id, String(n), String(round)], { stdio: ['pipe', 'pipe', 'inherit'] }));
    const readers = writers.map((w) => createInterface({ input: w.stdout! })[Symbol.asyncIterator]());
    const exits = writers.map((w) => new Promise<number | null>((r) => w.once('exit', r)));
    for (let k = 0; k < n / round; k++) {
      const said = await Promise.all(readers.map((r) => r.next()));
      expect(said.map((x) => x.value)).toEqual([`ready ${k}`, `ready ${k}`]);
      for (const w of writers) w.stdin!.write('go\n');
    }
    expect((await Promise.all(readers.map((r) => r.next()))).map((x) => x.value)).toEqual(['done', 'done']);
    expect(await Promise.all(exits)).toEqual([0, 0]);
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines.pop()).toBe(''); // the file ends with a newline
    expect(lines).toHaveLength(2 * n);
    const seen = { a: [] as number[], b: [] as number[] };
    for (const line of lines) {
      const r = decodeRecord(line); // throws on any interleaved line
      const id = r.input[1] === 'writera.wasm' ? 'a' : 'b';
      seen[id].push(r.config.index);
    }
    // Each writer's records arrive whole and in its own order.
    expect(seen.a).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(seen.b).toEqual(Array.from({ length: n }, (_, i) => i));
    // Lines of up to ~20 KB were written: far beyond PIPE_BUF.
    expect(Math.max(...lines.map((l) => l.length))).toBeGreaterThan(16384);
    // No record of round k comes before the last record of round k-1 of the other writer: the barrier
    // held, so the two processes were released into every round together (the sequential case a
    // slow start used to produce — all of a, then all of b — cannot happen).
    const positions = { a: [] as number[], b: [] as number[] };
    lines.forEach((line, pos) => positions[line.includes('"writera.wasm"') ? 'a' : 'b'].push(pos));
    for (let k = 1; k < n / round; k++) {
      for (const [x, y] of [['a', 'b'], ['b', 'a']] as const) {
        expect(positions[x][k * round]!).toBeGreaterThan(positions[y][k * round - 1]!);
      }
    }
  }, 300_000);
});
