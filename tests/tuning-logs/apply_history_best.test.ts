// tests/tuning-logs/apply_history_best.test.ts — dispatch: exact target first, then same family with a note.

import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApplyHistoryBest, applyHistoryBest, loadTophub, tophubFiles } from '../../tuning-logs/apply_history_best.js';
import { currentDispatchContext, withDispatchContext } from '../../tuning-logs/dispatch_context.js';
import { encodeRecord, recordWorkloadKey } from '../../tuning-logs/record.js';
import { rec, tempDir } from './helpers.js';

const dir = tempDir('ahb');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const key = recordWorkloadKey(rec(0, 1));

describe('applyHistoryBest', () => {
  it('answers with the best config of the exact target, from files, with file and line', () => {
    const a = join(dir, 'a.jsonl');
    const b = join(dir, 'b.jsonl');
    writeFileSync(a, [rec(1, 0.004), rec(2, 0.002), rec(3, 0.0001, { errorNo: 5 })].map((r) => encodeRecord(r) + '\n').join(''));
    writeFileSync(b, [rec(4, 0.003), rec(5, 0.0015, { target: 'wasm -threads=2' })].map((r) => encodeRecord(r) + '\n').join(''));
    const ctx = applyHistoryBest([a, b]);
    expect(ctx.size).toEqual({ records: 5, workloads: 2, invalid: 0 });
    const hit = ctx.query('wasm', key);
    expect(hit?.config.index).toBe(2);
    expect(hit?.note).toBeUndefined();
    const l = ctx.lookup('wasm', key);
    expect([l?.file, l?.line, l?.exact]).toEqual([a, 2, true]);
    // Non-canonical spelling of the same target is the same target.
    expect(ctx.query('wasm   -threads=2', key)?.config.index).toBe(5);
  });

  it('falls back to the same target family and says so', () => {
    const ctx = applyHistoryBest([rec(1, 0.004, { target: 'wasm -threads=2' }), rec(2, 0.002, { target: 'wasm -simd=0' }), rec(3, 0.001, { target: 'webgpu' })]);
    const hit = ctx.query('wasm -threads=4', key);
    expect(hit?.config.index).toBe(2);
    expect(hit?.note).toBe("no record for target 'wasm -threads=4'; using the best record tuned for 'wasm -simd=0' (same target family 'wasm')");
    expect(ctx.query('webgpu -device=llvmpipe', key)?.config.index).toBe(3);
  });

  it('falls back among webgpu targets only with the same -subgroup-size (the warp knob makes the spaces differ)', () => {
    const sg = 'webgpu -device=llvmpipe -subgroup-size=8';
    const ctx = applyHistoryBest([rec(1, 0.001, { target: sg }), rec(2, 0.004, { target: 'webgpu' })]);
    expect(ctx.query(sg, key)?.config.index).toBe(1);
    // The subgroup record is faster, but a target without subgroups never gets it.
    expect(ctx.query('webgpu -device=llvmpipe', key)?.config.index).toBe(2);
    expect(ctx.query('webgpu -device=llvmpipe -subgroup-size=8 -max-workgroup-size=256', key)?.config.index).toBe(1);
    // Nor a target without -device (another adapter with subgroups of 8): a named device's record serves that device only.
    expect(ctx.query('webgpu -subgroup-size=8', key)).toBeUndefined();
    expect(ctx.query('webgpu -subgroup-size=16', key)).toBeUndefined();
    expect(applyHistoryBest([rec(1, 0.001, { target: sg })]).query('webgpu', key)).toBeUndefined();
  });

  it("serves a named device's webgpu record only to that device; a record without -device serves every device", () => {
    const lava = 'webgpu -device=llvmpipe';
    const ctx = applyHistoryBest([rec(1, 0.001, { target: lava }), rec(2, 0.004, { target: 'webgpu' })]);
    expect(ctx.query(lava, key)?.config.index).toBe(1);
    // The lavapipe record is faster, but plain webgpu (SwiftShader, GPUs) and other devices never get it: the
    // templates choose by device (lavapipe reads in place, 30× slower on SwiftShader).
    expect(ctx.query('webgpu', key)?.config.index).toBe(2);
    expect(ctx.query('webgpu -device=swiftshader', key)?.config.index).toBe(2);
    expect(applyHistoryBest([rec(1, 0.001, { target: lava })]).query('webgpu', key)).toBeUndefined();
    expect(applyHistoryBest([rec(1, 0.001, { target: lava })]).query('webgpu -device=nvidia', key)).toBeUndefined();
    // Without an exact record lavapipe takes the plain one, with a note.
    const plain = applyHistoryBest([rec(2, 0.004, { target: 'webgpu' })]).query(lava, key);
    expect(plain?.config.index).toBe(2);
    expect(plain?.note).toMatch(/tuned for 'webgpu'/);
  });

  it('answers nothing for an unknown workload or a family without records', () => {
    const ctx = applyHistoryBest([rec(1, 0.004)]);
    expect(ctx.query('wasm', recordWorkloadKey(rec(0, 1, { shape: [3, 3, 3] })))).toBeUndefined();
    expect(ctx.query('webgpu', key)).toBeUndefined();
    expect(new ApplyHistoryBest([]).query('wasm', key)).toBeUndefined();
  });

  it('is what templates see inside withDispatchContext', async () => {
    const ctx = applyHistoryBest([rec(1, 0.004), rec(2, 0.001)]);
    const seen = await withDispatchContext(ctx, () => currentDispatchContext()?.query('wasm', key)?.config.index);
    expect(seen).toBe(2);
    expect(currentDispatchContext()).toBeUndefined();
  });

  it('loads the shipped tophub logs, filtered by target family', () => {
    const files = tophubFiles();
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(f.endsWith('.jsonl')).toBe(true);
    // Independent reading of the shipped lines: the best (lowest mean cost, no error) per workload.
    const lines = files.flatMap((f) => readFileSync(f, 'utf8').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')));
    const rows = lines.map((l) => JSON.parse(l) as { input: [string, string, unknown[]]; config: { index: number }; result: [number[], number] });
    const wasmRows = rows.filter((r) => r.input[0].split(' ')[0] === 'wasm');
    expect(wasmRows.length).toBeGreaterThan(0);
    const wasm = loadTophub('wasm');
    expect(wasm.size.records).toBe(wasmRows.length);
    const mean = (r: (typeof rows)[number]): number => (r.result[1] === 0 ? r.result[0].reduce((a, b) => a + b, 0) / r.result[0].length : Infinity);
    const byKey = new Map<string, (typeof rows)[number]>();
    for (const r of wasmRows) {
      const k = JSON.stringify([r.input[0], JSON.stringify([r.input[1], r.input[2]])]);
      const cur = byKey.get(k);
      if (cur === undefined || mean(r) < mean(cur)) byKey.set(k, r);
    }
    expect(byKey.size).toBeGreaterThan(0);
    for (const [k, r] of byKey) {
      const [target, wkey] = JSON.parse(k) as [string, string];
      expect(wasm.query(target, wkey)?.config.index, k).toBe(r.config.index);
    }
    // With another family: none of those records, and no answer for their workloads.
    const gpu = loadTophub('webgpu');
    expect(gpu.size.records).toBe(rows.length - wasmRows.length);
    const [target, wkey] = JSON.parse([...byKey.keys()][0]!) as [string, string];
    expect(gpu.query(target, wkey)).toBeUndefined();
    expect(gpu.query('wasm', key)).toBeUndefined();
  });
});
