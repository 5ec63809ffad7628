// tests/autotune/roofline_bound.test.ts — the roofline bound's arithmetic (compute- and memory-bound examples, units),
// a real task's minimum bytes, the fraction check; the peak cache round-trip, a corrupt cache re-measured (never a
// crash), higherPeak; and a real (tiny) peak measurement, asserted only to be finite, positive and well shaped.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTask, tensorArg } from '../../autotune/task.js';
import { checkRooflineFraction, rooflineBound, taskMinBytes, taskRooflineBound } from '../../autotune/roofline/bound.js';
import { measureWasmPeak, type MachinePeak } from '../../autotune/roofline/peak.js';
import { higherPeak, machinePeak, peakCacheKey, readPeakCache } from '../../autotune/roofline/peak_cache.js';
import { registerAll } from '../../ops/register.js';

describe('rooflineBound', () => {
  const roof = { gflops: 40, gbps: 20 };

  it('is the compute peak when the intensity × bandwidth roof is higher (FLOP/s, FLOP/B)', () => {
    // 2e9 FLOP over 1e7 bytes: 200 FLOP/B × 20 GB/s = 4000 GFLOP/s > 40 → 40e9 FLOP/s.
    expect(rooflineBound(2e9, 1e7, roof)).toEqual({ boundFlops: 40e9, intensity: 200, limitedBy: 'compute' });
  });

  it('is intensity × bandwidth when that is lower', () => {
    // 1e6 FLOP over 4e6 bytes: 0.25 FLOP/B × 20e9 B/s = 5e9 FLOP/s < 40e9.
    expect(rooflineBound(1e6, 4e6, roof)).toEqual({ boundFlops: 5e9, intensity: 0.25, limitedBy: 'memory' });
  });

  it('meets at the ridge point, peak ÷ bandwidth FLOP/B', () => {
    expect(rooflineBound(2e6, 1e6, roof).boundFlops).toBe(40e9);
  });

  it.each([['flop', [0, 1, roof]], ['bytes', [1, NaN, roof]], ['peak gflops', [1, 1, { gflops: -1, gbps: 1 }]], ['bandwidth gbps', [1, 1, { gflops: 1, gbps: Infinity }]]] as const)(
    'refuses a bad %s with a RangeError naming it', (name, [f, b, r]) => {
      expect(() => rooflineBound(f, b, r)).toThrow(new RegExp(`rooflineBound: ${name} must be a finite positive number`));
    });
});

describe("a task's bound", () => {
  beforeAll(() => registerAll());

  it('counts each tensor once: matmul 512³ moves A, B and C (3 × 1 MiB) at 2·512³ FLOP', () => {
    const task = createTask('matmul.wasm', [tensorArg([512, 512]), tensorArg([512, 512])], 'wasm -threads=1');
    expect(taskMinBytes(task)).toBe(3 * 512 * 512 * 4);
    const b = taskRooflineBound(task, { gflops: 40, gbps: 20 });
    expect(b.intensity).toBeCloseTo((2 * 512 ** 3) / (3 * 512 * 512 * 4), 9);
    expect(b.limitedBy).toBe('compute');
  });

  it('takes shapes no tile divides: dense 7×13 → 11 is memory-bound on a 40 GFLOP/s, 1 GB/s roof', () => {
    const task = createTask('dense.wasm', [tensorArg([7, 13]), tensorArg([11, 13])], 'wasm -threads=1');
    const bytes = (7 * 13 + 11 * 13 + 7 * 11) * 4;
    expect(taskMinBytes(task)).toBe(bytes);
    const b = taskRooflineBound(task, { gflops: 40, gbps: 1 });
    expect(b).toEqual({ boundFlops: (task.flop / bytes) * 1e9, intensity: task.flop / bytes, limitedBy: 'memory' });
  });
});

describe('checkRooflineFraction', () => {
  it('accepts (0, 1]', () => {
    expect(checkRooflineFraction(0.85)).toBe(0.85);
    expect(checkRooflineFraction(1)).toBe(1);
  });
  it.each([0, -0.1, 1.5, NaN, Infinity, '0.5', undefined])('refuses %s, naming the option', (x) => {
    expect(() => checkRooflineFraction(x, '--roofline-stop')).toThrow(RangeError);
    expect(() => checkRooflineFraction(x, '--roofline-stop')).toThrow(/^--roofline-stop must be a number in \(0, 1\]/);
  });
});

const fakePeak = (gflops: number, gbps: number): MachinePeak => ({
  target: 'wasm -threads=1', threads: 1, gflops, kernel: 'gemm 4×8', gbps, measuredAt: '2026-12-02T06:00:00.000Z', cpuModel: 'test CPU',
});

describe('the peak cache', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tt-peak-'));
  let calls = 0;
  const measure = (g: number, b: number) => () => { calls++; return Promise.resolve(fakePeak(g, b)); };

  it('measures once, then reads the file (per host and target)', async () => {
    const file = join(dir, 'a', 'peak.json');
    calls = 0;
    const first = await machinePeak('wasm -threads=1', { cacheFile: file, measure: measure(40, 20) });
    expect([first.fromCache, calls]).toEqual([false, 1]);
    const again = await machinePeak('wasm -threads=1', { cacheFile: file, measure: measure(1, 1) });
    expect([again.fromCache, calls, again.peak]).toEqual([true, 1, fakePeak(40, 20)]);
    expect(readPeakCache(file).peaks[peakCacheKey('wasm -threads=1')]).toEqual(fakePeak(40, 20));
    // Another target is another entry; the first stays.
    await machinePeak('wasm -threads=2', { cacheFile: file, measure: measure(80, 30) });
    expect(Object.keys(readPeakCache(file).peaks)).toHaveLength(2);
  });

  it('re-measures on request and keeps the higher of each roof', async () => {
    const file = join(dir, 'b.json');
    await machinePeak('wasm -threads=1', { cacheFile: file, measure: measure(40, 20) });
    const r = await machinePeak('wasm -threads=1', { cacheFile: file, remeasure: true, measure: measure(30, 25) });
    expect([r.fromCache, r.peak.gflops, r.peak.gbps]).toEqual([false, 40, 25]);
    expect(higherPeak(fakePeak(30, 25), fakePeak(41, 2))).toMatchObject({ gflops: 41, gbps: 25 });
  });

  it.each([['not JSON', '{ "version": 1, "peaks": '], ['another shape', '[1, 2]'], ['a bad entry', '{ "version": 1, "peaks": { "k": { "gflops": -3 } } }']])(
    'a cache file that is %s is reported and measured again, never a crash', async (_what, text) => {
      const file = join(dir, `bad-${_what.replace(/ /g, '-')}.json`);
      writeFileSync(file, text);
      expect(readPeakCache(file).problem).toMatch(new RegExp(`peak cache '${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}'`));
      const r = await machinePeak('wasm -threads=1', { cacheFile: file, measure: measure(40, 20) });
      expect(r.fromCache).toBe(false);
      expect(r.note).toMatch(/measured again and rewrote it/);
      expect(JSON.parse(readFileSync(file, 'utf8')).version).toBe(1);
    });
});

describe('measureWasmPeak', () => {
  it('returns finite positive GFLOP/s and GB/s for the target and its threads', async () => {
    const p = await measureWasmPeak('wasm -threads=1', { rounds: 1, ms: 5, streamMiB: 4 });
    expect(p).toMatchObject({ target: 'wasm -threads=1', threads: 1 });
    for (const v of [p.gflops, p.gbps]) expect(Number.isFinite(v) && v > 0).toBe(true);
    expect(p.kernel).toMatch(/^gemm \d+×\d+$/);
    expect(Number.isNaN(Date.parse(p.measuredAt))).toBe(false);
  }, 60_000);

  it('refuses a WebGPU target, saying to give the bound', async () => {
    await expect(measureWasmPeak('webgpu')).rejects.toThrow(/only wasm targets.*boundFlops/);
  });
});
