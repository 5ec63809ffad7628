// tests/bench/search_readings.test.ts — bench/search_readings.ts: first readings over several results files, in file
// order, failed trials skipped, entries grouped and skipped by the caller's key.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstReadings } from '../../bench/search_readings.js';

const info = (id: string, target: string, defaultGflops: number) => ({ id, target, defaultGflops, title: id, spaceSize: 10, bestKnown: 0, bestConfig: null, distinct: 0, secondsPerMeasurement: 0 });
const run = (configs: number[], gflops: number[]) => ({ task: 't', tuner: 'x', seed: 1, configs, gflops });

describe('firstReadings', () => {
  it('keeps each config\'s first positive reading in file order, per key, and skips what the key refuses', () => {
    const dir = mkdtempSync(join(tmpdir(), 'readings-'));
    const a = join(dir, 'a.json');
    const b = join(dir, 'b.json');
    writeFileSync(a, JSON.stringify({ results: [
      { info: info('C2', 'wasm -threads=1', 30), runs: [run([1, 2, 3], [10, 0, 12]), run([2, 1], [20, 99])] },
      { info: info('D1', 'wasm -threads=1', 5), runs: [run([7], [7])] },
    ] }));
    writeFileSync(b, JSON.stringify({ results: [
      { info: info('C2', 'wasm -threads=2', 31), runs: [run([3, 4], [50, 40])] },
      { info: info('MM', 'wasm -threads=1', 1), runs: [run([9], [9])] },
    ] }));
    const seen: string[] = [];
    const byId = firstReadings([a, b], (i, f) => { seen.push(`${i.id}@${f === a ? 'a' : 'b'}`); return i.id === 'MM' ? undefined : i.id; });
    expect(seen).toEqual(['C2@a', 'D1@a', 'C2@b', 'MM@b']);
    expect([...byId.keys()]).toEqual(['C2', 'D1']);
    // config 2 failed in the first run (0), so its first reading is the second run's 20; 1 keeps 10, 3 keeps 12 (a's).
    expect([...byId.get('C2')!.cost]).toEqual([[1, 10], [3, 12], [2, 20], [4, 40]]);
    expect(byId.get('C2')!.info.defaultGflops).toBe(30);
    const byTask = firstReadings([a, b], (i) => `${i.id} ${i.target}`);
    expect(byTask.get('C2 wasm -threads=2')!.cost.get(3)).toBe(50);
    expect(byTask.get('C2 wasm -threads=2')!.info.defaultGflops).toBe(31);
  });
});
