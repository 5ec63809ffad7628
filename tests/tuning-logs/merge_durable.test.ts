// tests/tuning-logs/merge_durable.test.ts — `logs merge` replaces its output (possibly one of its
// inputs) by writing a temporary file and renaming it. Durable only if the temporary file's bytes
// are on disk before the rename (otherwise an OS crash or power cut after the rename can leave an
// empty or truncated log in place of the original) and the directory entry is synced after it:
// the standard write–fsync–rename–fsync(dir) sequence. Checked with a spy on fsync: one fsync of the
// complete temporary file before the rename, one of the folder after, none per record.

import * as fs from 'node:fs';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { merge } from '../../tuning-logs/ops.js';
import { encodeRecord } from '../../tuning-logs/record.js';
import { rec, tempDir } from './helpers.js';

/** For each fsync: whether the fd is a directory, its size, and what `out` held at that moment. */
const syncs = vi.hoisted(() => [] as { dir: boolean; size: number; out: string | undefined }[]);
const watched = vi.hoisted(() => ({ out: '' }));
vi.mock('node:fs', async (importOriginal) => {
  const orig = await importOriginal<typeof import('node:fs')>();
  return {
    ...orig,
    fsyncSync: vi.fn((fd: number) => {
      const st = orig.fstatSync(fd);
      syncs.push({ dir: st.isDirectory(), size: st.size, out: orig.existsSync(watched.out) ? orig.readFileSync(watched.out, 'utf8') : undefined });
      orig.fsyncSync(fd);
    }),
  };
});

const dir = tempDir('merge-durable');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => { syncs.length = 0; vi.mocked(fs.fsyncSync).mockClear(); });

const lines = (rs: ReturnType<typeof rec>[]): string => rs.map((r) => encodeRecord(r) + '\n').join('');

describe('merge durability', () => {
  it('fsyncs the complete temporary file once before the rename, then the folder', () => {
    const a = join(dir, 'a.jsonl');
    const b = join(dir, 'b.jsonl');
    const out = join(dir, 'all.jsonl');
    const ra = [rec(1, 0.01), rec(2, 0.02), rec(3, 0.03)];
    const rb = [rec(4, 0.04), rec(2, 0.02), rec(5, 0.05)];
    writeFileSync(a, lines(ra));
    writeFileSync(b, lines(rb));
    watched.out = out;
    expect(merge([a, b], out)).toEqual({ read: 6, written: 5, duplicates: 1 });
    const merged = lines([...ra, rb[0]!, rb[2]!]);
    expect(readFileSync(out, 'utf8')).toBe(merged);
    const files = syncs.filter((s) => !s.dir);
    expect(files).toEqual([{ dir: false, size: Buffer.byteLength(merged), out: undefined }]);
    expect(syncs.filter((s) => s.dir)).toHaveLength(1);
    expect(syncs.at(-1)!.dir).toBe(true);
  });

  it('merging a log into itself: the original stays in place until the synced copy replaces it', () => {
    const a = join(dir, 'self.jsonl');
    const b = join(dir, 'other.jsonl');
    const ra = [rec(1, 0.01), rec(2, 0.02)];
    writeFileSync(a, lines(ra));
    writeFileSync(b, lines([rec(3, 0.03)]));
    watched.out = a;
    expect(merge([a, b], a)).toEqual({ read: 3, written: 3, duplicates: 0 });
    const file = syncs.filter((s) => !s.dir);
    expect(file).toHaveLength(1);
    expect(file[0]!.out).toBe(lines(ra));
    expect(readFileSync(a, 'utf8')).toBe(lines([...ra, rec(3, 0.03)]));
  });
});
