// tests/tuning-logs/task_key.test.ts — one function decides which records are the same workload
// and target (groupKey/taskKey, canonical target): `logs best`, `logs stats`, builds
// (ApplyHistoryBest), tuner resume and the resume count agree. Four records on two canonical
// targets are two groups everywhere.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTask, tensorArg } from '../../autotune/task.js';
import { RandomTuner } from '../../autotune/random_tuner.js';
import { registerAll } from '../../ops/register.js';
import { applyHistoryBest } from '../../tuning-logs/apply_history_best.js';
import { best, stats } from '../../tuning-logs/ops.js';
import { encodeRecord, recordWorkloadKey } from '../../tuning-logs/record.js';
import { groupKey, isRecordOf, taskKey } from '../../tuning-logs/task_key.js';
import { rec, tempDir } from './helpers.js';

// Two canonical targets, each written two ways (attribute order, spacing).
const records = [
  rec(1, 4e-3, { target: 'wasm -threads=2 -simd=1' }),
  rec(2, 3e-3, { target: 'wasm  -simd=1   -threads=2' }),
  rec(3, 5e-3, { target: 'wasm -threads=4' }),
  rec(0, 2e-3, { target: ' wasm -threads=4 ' }),
];

beforeAll(() => registerAll());

describe('task key', () => {
  it('equal for one canonical target, different across targets and workloads; lenient on foreign targets', () => {
    expect(groupKey(records[0]!)).toBe(groupKey(records[1]!));
    expect(groupKey(records[2]!)).toBe(groupKey(records[3]!));
    expect(groupKey(records[0]!)).not.toBe(groupKey(records[2]!));
    expect(groupKey(rec(1, 1e-3, { shape: [8, 8, 9] }))).not.toBe(groupKey(rec(1, 1e-3)));
    expect(taskKey('llvm  -mcpu=skylake', 'w')).toBe(taskKey('llvm -mcpu=skylake', 'w'));
  });

  it('logs best and logs stats group four records on two canonical targets into two, as builds do', () => {
    const winners = best(records);
    expect(winners.map((r) => r.config.index)).toEqual([2, 0]);
    const s = stats(records);
    expect(s.map((w) => [w.target, w.records, w.bestIndex])).toEqual([['wasm -simd=1 -threads=2', 2, 2], ['wasm -threads=4', 2, 0]]);
    const ctx = applyHistoryBest(records);
    expect(ctx.size.workloads).toBe(2);
    const wkey = recordWorkloadKey(records[0]!);
    // The build's pick for each target is logs best's winner for it.
    expect(ctx.lookup('wasm -simd=1 -threads=2', wkey)!.record).toBe(winners[0]);
    expect(ctx.lookup('wasm   -threads=4', wkey)!.record).toBe(winners[1]);
  });

  it('tuner resume takes the records of its canonical target only', async () => {
    const task = createTask('matmul.wasm', [tensorArg([8, 8]), tensorArg([8, 8])], 'wasm -threads=2 -simd=1');
    expect(records.filter((r) => isRecordOf(r, task)).length).toBe(2);
    const mine = records.slice(0, 2).map((r, i) => ({ ...r, config: task.space.entityAt(i + 3).toData() }));
    const dir = tempDir('taskkey');
    const log = join(dir, 'x.jsonl');
    writeFileSync(log, [...mine, ...records.slice(2)].map((r) => encodeRecord(r) + '\n').join('') + '{"input": ["llvm"\n');
    const tuner = new RandomTuner(task, { seed: 1 });
    expect(await tuner.resumeFrom(log)).toBe(2);
  });
});
