// tests/cli/tune_roofline.test.ts — `tensortune tune --roofline-stop`: bad fractions are usage errors naming the
// option; with a peak cache that makes the bound tiny, the job stops at its first batch and the closing line and
// --json say the bound, the best's share of it, and that the roofline stopped it.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { peakCacheKey, writePeakCache } from '../../autotune/roofline/peak_cache.js';
import { UsageError } from '../../cli/errors.js';
import { parseRooflineStop } from '../../cli/roofline_option.js';
import { runCli } from './run_cli.js';

describe('tune --roofline-stop', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tt-tune-roofline-'));
  const cache = join(dir, 'peak.json');
  const saved = process.env.TENSORTUNE_PEAK_CACHE;
  process.env.TENSORTUNE_PEAK_CACHE = cache;
  afterAll(() => {
    if (saved === undefined) delete process.env.TENSORTUNE_PEAK_CACHE;
    else process.env.TENSORTUNE_PEAK_CACHE = saved;
    rmSync(dir, { recursive: true, force: true });
  });
  const base = ['tune', '--op', 'dense', '--shape', '1,64,32', '--target', 'wasm -threads=1', '--trials', '6'];

  it.each(['0', '-1', '1.2', 'abc', ''])("parseRooflineStop refuses '%s' with a usage error naming the option", (v) => {
    expect(() => parseRooflineStop(v)).toThrow(UsageError);
    expect(() => parseRooflineStop(v)).toThrow(/--roofline-stop '.*': must be a number in \(0, 1\]/);
    expect(parseRooflineStop('0.85')).toBe(0.85);
  });

  it('the command exits 2 on a bad --roofline-stop', async () => {
    const r = await runCli([...base, '--log', join(dir, 'x.jsonl'), '--roofline-stop', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--roofline-stop '0': must be a number in \(0, 1\]/);
  }, 600_000);

  it('refuses --remeasure-peak without --roofline-stop, and a WebGPU target', async () => {
    const alone = await runCli([...base, '--log', join(dir, 'y.jsonl'), '--remeasure-peak']);
    expect([alone.code, alone.stderr]).toEqual([2, expect.stringMatching(/--remeasure-peak .* give --roofline-stop/)]);
    const gpu = await runCli(['tune', '--op', 'dense', '--shape', '1,64,32', '--target', 'webgpu', '--trials', '2', '--log', join(dir, 'z.jsonl'), '--roofline-stop', '0.85']);
    expect(gpu.code).toBe(2);
    expect(gpu.stderr).toMatch(/--roofline-stop: .*wasm targets only/);
  }, 600_000);

  it('stops at the first batch when the cached peak puts the bound below any candidate, and says so', async () => {
    // A 0.001 GFLOP/s, 1 GB/s "machine": every candidate is past 0.85 of the bound.
    writePeakCache(cache, peakCacheKey('wasm -threads=1'), {
      target: 'wasm -threads=1', threads: 1, gflops: 0.001, kernel: 'gemm 4×8', gbps: 1, measuredAt: '2026-12-02T06:00:00.000Z', cpuModel: 'test',
    });
    const text = await runCli([...base, '--batch', '2', '--log', join(dir, 'a.jsonl'), '--roofline-stop', '0.85']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stderr).toMatch(/roofline: peak 0\.00 GFLOP\/s .* cached from 2026-12-02/);
    expect(text.stdout).toMatch(/after 2 trials .*; roofline bound 0\.00 GFLOP\/s \(compute-bound, [\d.]+ FLOP\/B\), best at \d+ % of it, stopped by the roofline \(≥ 0\.85\) \(past the bound: the compute roof is a measured reference, not a limit\); records in/);
    const json = await runCli([...base, '--batch', '2', '--log', join(dir, 'b.jsonl'), '--roofline-stop', '0.85', '--json', '--quiet']);
    const r = JSON.parse(json.stdout);
    expect([r.trials, r.stoppedBy, r.roofline.stopped, r.roofline.fraction, r.roofline.boundGflops]).toEqual([2, 'roofline', true, 0.85, 0.001]);
    expect(r.roofline.bestShare).toBeGreaterThan(0.85);
  }, 600_000);
});
