// tests/tuning-logs/writer_fsync.test.ts — durability: LogWriter fsyncs once per record unless told not to.

import * as fs from 'node:fs';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { encodeRecord } from '../../tuning-logs/record.js';
import { LogWriter, appendRecord } from '../../tuning-logs/writer.js';
import { rec, tempDir } from './helpers.js';

/** File size at each fsync: proves the fsync came after the record's bytes were written. */
const sizesAtSync = vi.hoisted(() => [] as number[]);
vi.mock('node:fs', async (importOriginal) => {
  const orig = await importOriginal<typeof import('node:fs')>();
  return {
    ...orig,
    fsyncSync: vi.fn((fd: number) => {
      sizesAtSync.push(orig.fstatSync(fd).size);
      orig.fsyncSync(fd);
    }),
  };
});

const dir = tempDir('fsync');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fsync = vi.mocked(fs.fsyncSync);
beforeEach(() => {
  fsync.mockClear();
  sizesAtSync.length = 0;
});

describe('LogWriter fsync', () => {
  it('fsyncs the log once per record by default, after the record is written', () => {
    const path = join(dir, 'durable.jsonl');
    const w = new LogWriter(path);
    const records = [rec(1, 0.01), rec(2, 0.02), rec(3, 0.03)];
    for (const r of records) w.write(r);
    w.close();
    expect(fsync).toHaveBeenCalledTimes(3);
    // Each fsync came after its own line was complete in the file.
    const ends = records.map((_, i) => records.slice(0, i + 1).reduce((n, r) => n + Buffer.byteLength(encodeRecord(r) + '\n'), 0));
    expect(sizesAtSync).toEqual(ends);
    expect(readFileSync(path, 'utf8').split('\n')).toHaveLength(4);
  });

  it('appendRecord fsyncs too; { fsync: false } turns it off', () => {
    const path = join(dir, 'opt.jsonl');
    appendRecord(path, rec(1, 0.01));
    expect(fsync).toHaveBeenCalledTimes(1);
    fsync.mockClear();
    const w = new LogWriter(path, { fsync: false });
    w.write(rec(2, 0.02));
    w.write(rec(3, 0.03));
    w.close();
    appendRecord(path, rec(4, 0.04), { fsync: false });
    expect(fsync).not.toHaveBeenCalled();
    const w2 = new LogWriter(path, { fsync: true });
    w2.write(rec(5, 0.05));
    w2.close();
    expect(fsync).toHaveBeenCalledTimes(1);
  });
});
