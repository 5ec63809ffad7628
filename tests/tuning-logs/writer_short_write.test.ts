// tests/tuning-logs/writer_short_write.test.ts — a short write (the disk filled up part way through
// a record's line): LogWriter.write throws an error naming the log, the byte counts and the likely
// cause, and ends the torn line with a newline so the next record starts on a line of its own (the
// reader then skips the torn fragment and reads the rest). The short write is simulated with a
// spy on writeSync that writes only the first bytes of the next line.

import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadRecordsSync, type BadLine } from '../../tuning-logs/reader.js';
import { encodeRecord } from '../../tuning-logs/record.js';
import { LogWriter } from '../../tuning-logs/writer.js';
import { rec, tempDir } from './helpers.js';

/** When set, the next writeSync of a Buffer writes only this many bytes and reports that. */
const short = vi.hoisted(() => ({ next: undefined as number | undefined }));
vi.mock('node:fs', async (importOriginal) => {
  const orig = await importOriginal<typeof import('node:fs')>();
  return {
    ...orig,
    writeSync: vi.fn((fd: number, data: unknown, ...rest: unknown[]) => {
      if (short.next !== undefined && Buffer.isBuffer(data)) {
        const k = short.next;
        short.next = undefined;
        return orig.writeSync(fd, data, 0, k);
      }
      return (orig.writeSync as (...a: unknown[]) => number)(fd, data, ...rest);
    }),
  };
});

const dir = tempDir('short-write');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('LogWriter on a short write', () => {
  it('throws naming the log and the byte counts, and ends the torn line', () => {
    const path = join(dir, 'full.jsonl');
    const w = new LogWriter(path, { fsync: false });
    w.write(rec(1, 0.01));
    const line = encodeRecord(rec(2, 0.02)) + '\n';
    short.next = 10;
    expect(() => w.write(rec(2, 0.02))).toThrow(
      `tuning log '${path}': short write (10 of ${Buffer.byteLength(line)} bytes); is the disk full?`,
    );
    expect(w.count).toBe(1);
    // Space again: the next record lands on its own line after the terminated fragment.
    w.write(rec(3, 0.03));
    w.close();
    const text = readFileSync(path, 'utf8');
    expect(text).toBe(encodeRecord(rec(1, 0.01)) + '\n' + line.slice(0, 10) + '\n' + encodeRecord(rec(3, 0.03)) + '\n');
    const bad: BadLine[] = [];
    expect(loadRecordsSync(path, { onBadLine: (b) => bad.push(b) }).map((r) => r.config.index)).toEqual([1, 3]);
    expect(bad.map((b) => [b.line, b.kind])).toEqual([[2, 'malformed']]);
  });
});
