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
});
