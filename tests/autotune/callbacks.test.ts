// tests/autotune/callbacks.test.ts — progressBar output (TTY redraw, plain lines) and logToFile records.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { logToFile, progressBar } from '../../autotune/callbacks.js';
import { RandomTuner } from '../../autotune/random_tuner.js';
import { decodeRecord } from '../../tuning-logs/record.js';
import { FakeMeasure, syntheticTask } from './synthetic.js';

const dir = mkdtempSync(join(tmpdir(), 'tt-cb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sink(isTTY: boolean): { out: string[]; stream: never } {
  const out: string[] = [];
  return { out, stream: { isTTY, write: (s: string) => { out.push(s); return true; } } as never };
}

describe('progressBar', () => {
  it('redraws one line on a TTY and ends it when done', async () => {
    const { out, stream } = sink(true);
    const tuner = new RandomTuner(syntheticTask(), { seed: 1 });
    await tuner.tune({ nTrial: 16, batchSize: 8, measureOption: new FakeMeasure(), callbacks: [progressBar(16, { prefix: '[t]', stream })] });
    expect(out.length).toBe(2);
    expect(out[0]!.startsWith('\r[t] Current/Best:')).toBe(true);
    expect(out[0]).toMatch(/Progress: \(8\/16\) \| errors \d+ \| [\d.]+ s \| ETA \d+s$/);
    expect(out[1]!.endsWith('\n')).toBe(true);
    const best = (tuner.bestFlops / 1e9).toFixed(2);
    expect(out[1]).toContain(`/${best.padStart(7)} GFLOP/s`);
  });

  it('writes plain lines elsewhere', async () => {
    const { out, stream } = sink(false);
    const tuner = new RandomTuner(syntheticTask(), { seed: 2 });
    await tuner.tune({ nTrial: 12, batchSize: 4, measureOption: new FakeMeasure(), callbacks: [progressBar(12, { stream })] });
    expect(out.length).toBe(3);
    expect(out.every((l) => l.endsWith('\n') && !l.startsWith('\r'))).toBe(true);
    expect(out[2]).toMatch(/Progress: \(12\/12\) \| errors 0/);
  });
});

describe('logToFile', () => {
  it('appends one AutoTVM-layout record per result, errors included', async () => {
    const log = join(dir, 'a.jsonl');
    const task = syntheticTask();
    const m = new FakeMeasure(new Set([task.space.get(0).index]));
    const tuner = new RandomTuner(task, { seed: 5 });
    await tuner.tune({ nTrial: 10, batchSize: 5, measureOption: m, callbacks: [logToFile(log, { device: { cpu: 'test' } })] });
    const recs = readFileSync(log, 'utf8').trim().split('\n').map(decodeRecord);
    expect(recs.map((r) => r.config.index)).toEqual(m.seen);
    expect(recs[0]!.input.slice(0, 2)).toEqual(['wasm', 'synthetic.test']);
    expect(recs[0]!.config.entity[0]![1]).toBe('sp');
    expect(recs[0]!.device).toEqual({ cpu: 'test', target: 'wasm' });
  });
});
