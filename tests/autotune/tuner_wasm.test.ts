// tests/autotune/tuner_wasm.test.ts — end to end: XGBTuner (itervar features) tunes a small matmul on the real
// wasm target with the local builder and runner, logs every trial, and resumes from the log.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { logToFile, progressBar } from '../../autotune/callbacks.js';
import { gflops, localBuilder, localRunner, measureOption, type MeasureOption } from '../../autotune/measure/measure.js';
import { createTask } from '../../autotune/task.js';
import { XGBTuner } from '../../autotune/xgb_tuner.js';
import { registerAll } from '../../ops/register.js';
import { decodeRecord } from '../../tuning-logs/record.js';

const dir = mkdtempSync(join(tmpdir(), 'tt-tune-wasm-'));
let mo: MeasureOption | undefined;
afterAll(async () => {
  await mo?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('tuning a matmul on wasm', () => {
  it('measures distinct configs, logs them, keeps the best and resumes without repeats', async () => {
    registerAll();
    const task = createTask('matmul.wasm', [['TENSOR', [64, 64], 'float32'], ['TENSOR', [64, 64], 'float32']], 'wasm -threads=1');
    mo = measureOption({ builder: localBuilder({ nParallel: 2, timeout: 30 }), runner: localRunner({ number: 2, repeat: 2, timeout: 30 }) });
    const log = join(dir, 'mm.jsonl');
    const lines: string[] = [];
    const stream = { isTTY: false, write: (s: string) => { lines.push(s); return true; } } as unknown as NodeJS.WritableStream;
    const tuner = new XGBTuner(task, { seed: 1, planSize: 4, optimizer: { nIter: 20, parallelSize: 16 } });
    const first = await tuner.tune({
      nTrial: 4, measureOption: mo, batchSize: 4,
      callbacks: [logToFile(log), progressBar(4, { prefix: '[matmul]', stream: stream as never })],
    });
    expect(first.trials).toBe(4);
    const records = readFileSync(log, 'utf8').trim().split('\n').map(decodeRecord);
    expect(records.length).toBe(4);
    expect(new Set(records.map((r) => r.config.index)).size).toBe(4);
    const ok = records.filter((r) => r.result[1] === 0);
    expect(ok.length).toBeGreaterThan(0);
    const bestLogged = Math.max(...ok.map((r) => gflops(task, { costs: r.result[0], errorNo: 0, allCost: 0, timestamp: 0 })));
    expect(first.bestFlops / 1e9).toBeCloseTo(bestLogged, 6);
    expect(lines.length).toBe(1);
    expect(lines[0]).toMatch(/\[matmul\] Current\/Best: .* GFLOP\/s \| Progress: \(4\/4\) \| errors \d+/);

    const again = new XGBTuner(task, { seed: 2, planSize: 4, optimizer: { nIter: 20, parallelSize: 16 } });
    const second = await again.tune({ nTrial: 6, measureOption: mo, batchSize: 4, resume: log, callbacks: [logToFile(log)] });
    expect(second.measured).toBe(2);
    const all = readFileSync(log, 'utf8').trim().split('\n').map(decodeRecord);
    expect(all.length).toBe(6);
    expect(new Set(all.map((r) => r.config.index)).size).toBe(6);
    expect(second.bestFlops).toBeGreaterThanOrEqual(first.bestFlops);
  });
});
