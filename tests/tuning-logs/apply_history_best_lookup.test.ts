// tests/tuning-logs/apply_history_best_lookup.test.ts — the exact shape of ApplyHistoryBest.lookup
// and query answers: `exact` is true only for the asked target itself (a same-family fallback says
// false and carries the note), and `file`/`line` appear only for records read from a file (records
// given as objects have no such keys, not `undefined` ones). Expected answers worked out by hand.

import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApplyHistoryBest, applyHistoryBest } from '../../tuning-logs/apply_history_best.js';
import { encodeRecord, recordWorkloadKey } from '../../tuning-logs/record.js';
import { rec, tempDir } from './helpers.js';

const dir = tempDir('ahb-lookup');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const key = recordWorkloadKey(rec(0, 1));

describe('ApplyHistoryBest.lookup', () => {
  it('a same-family fallback is not exact and says which target it used', () => {
    const f = join(dir, 'fam.jsonl');
    const fast = rec(7, 0.001, { target: 'wasm -threads=2' });
    writeFileSync(f, [rec(6, 0.003, { target: 'wasm -threads=4' }), fast].map((r) => encodeRecord(r) + '\n').join(''));
    const ctx = applyHistoryBest([f]);
    const l = ctx.lookup('wasm', key)!;
    expect(l.exact).toBe(false);
    expect([l.config.index, l.file, l.line]).toEqual([7, f, 2]);
    expect(l.note).toBe("no record for target 'wasm'; using the best record tuned for 'wasm -threads=2' (same target family 'wasm')");
    // The exact target of a record answers exactly, without a note.
    const e = ctx.lookup('wasm -threads=4', key)!;
    expect([e.exact, e.config.index, e.line, 'note' in e]).toEqual([true, 6, 1, false]);
  });

  it('records given as objects answer without file or line keys, exact or not', () => {
    const r1 = rec(1, 0.002);
    const r2 = rec(2, 0.001, { target: 'wasm -threads=2' });
    const ctx = new ApplyHistoryBest([r1, r2]);
    expect(ctx.lookup('wasm', key)).toStrictEqual({ record: r1, config: r1.config, exact: true });
    const fam = ctx.lookup('wasm -simd=0', key)!;
    expect(Object.keys(fam).sort()).toEqual(['config', 'exact', 'note', 'record']);
    expect(fam.exact).toBe(false);
    const q = ctx.query('wasm', key)!;
    expect(Object.keys(q).sort()).toEqual(['config', 'meanCost', 'recordTarget']);
    expect(q.meanCost).toBeCloseTo(0.002, 12);
  });
  it('a fallback takes the nearest thread count first, then the fastest: a 1-thread record is not served to a threaded build while a threaded one exists', () => {
    // Costs chosen so that the fastest record overall is always the wrong one for the query.
    const one = rec(1, 0.001, { target: 'wasm -threads=1' });
    const four = rec(4, 0.004, { target: 'wasm -threads=4' });
    const dflt = rec(9, 0.009, { target: 'wasm' });
    const simd0 = rec(5, 0.002, { target: 'wasm -simd=0 -threads=1' });
    const ctx = new ApplyHistoryBest([one, four, dflt, simd0]);
    // Multi-threaded queries: the threaded records, fastest first ('wasm' = all cores counts as threaded).
    expect(ctx.lookup('wasm -threads=2', key)!.config.index).toBe(4);
    expect(ctx.lookup('wasm -threads=4 -simd=0', key)!.config.index).toBe(4);
    // The same thread count beats a faster record of the same class (both default: 'wasm', 9 ms, over 4 ms).
    expect(ctx.lookup('wasm -relaxed-simd=1', key)!.config.index).toBe(9);
    expect(ctx.lookup('wasm -threads=4 -relaxed-simd=1', key)!.config.index).toBe(4);
    expect(new ApplyHistoryBest([rec(2, 0.001, { target: 'wasm -threads=2' }), four]).lookup('wasm -threads=4 -opt=3', key)!.config.index).toBe(4);
    // A single-threaded query: the 1-thread records (exact first, else the nearest).
    expect(ctx.lookup('wasm -threads=1 -relaxed-simd=1', key)!.config.index).toBe(1);
    expect(new ApplyHistoryBest([simd0, four]).lookup('wasm -threads=1', key)!.config.index).toBe(5);
    // With no record of the same class, the other class still answers (with its note).
    const only1 = new ApplyHistoryBest([one]).lookup('wasm -threads=2', key)!;
    expect([only1.config.index, only1.exact]).toEqual([1, false]);
    expect(only1.note).toBe("no record for target 'wasm -threads=2'; using the best record tuned for 'wasm -threads=1' (same target family 'wasm')");
  });
});
