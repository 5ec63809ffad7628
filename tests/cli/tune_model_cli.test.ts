// tests/cli/tune_model_cli.test.ts — `tensortune tune model.onnx` for real (the ResNet-style test model,
// every trial built and timed on this machine), then `build --log` taking the tuned records.

import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BundleManifest } from '../../runtime/bundle.js';
import { decodeRecord } from '../../tuning-logs/record.js';
import { resnet } from '../relay/models/zoo.js';
import { tempDir } from '../tuning-logs/helpers.js';
import { runCli } from './run_cli.js';

const dir = tempDir('tune-model-cli');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const FAST = ['--number', '1', '--repeat', '1', '--min-repeat-ms', '0', '--timeout', '30'];

describe('tensortune tune model.onnx', () => {
  it('tunes every task of the model, logs each trial, and build uses the records', async () => {
    const model = join(dir, 'resnet.onnx');
    writeFileSync(model, resnet().bytes);
    const log = join(dir, 'resnet.jsonl');
    const t = await runCli(['tune', model, '--target', 'wasm -threads=1', '--trials', '12', '--tuner', 'random', '--log', log, '--json', ...FAST]);
    expect(t.code, t.stderr).toBe(0);
    const events = t.stdout.trim().split('\n').map((l) => JSON.parse(l) as { kind: string; trials: number; tasks?: { name: string; trials: number; weight: number }[]; stoppedBy?: string });
    expect(events[0]!.kind).toBe('start');
    const done = events.at(-1)!;
    expect(done.kind).toBe('done');
    expect(done.stoppedBy).toBe('nTrial');
    expect(done.trials).toBe(12);
    const tasks = done.tasks!;
    expect(tasks.length).toBeGreaterThan(1);
    expect(tasks.every((x) => x.trials >= 1)).toBe(true); // a warm-up round each
    expect(tasks.some((x) => x.name.startsWith('conv2d'))).toBe(true);
    const records = readFileSync(log, 'utf8').trim().split('\n').map(decodeRecord);
    expect(records).toHaveLength(12);

    const out = join(dir, 'out');
    const b = await runCli(['build', model, '--target', 'wasm -threads=1', '--log', log, '-o', out]);
    expect(b.code, b.stderr).toBe(0);
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as BundleManifest;
    const fromLog = m.kernels.filter((k) => k['source'] === 'log') as unknown as { record: { file: string; line: number; entry: { config: { index: number } } }; config: { index: number } }[];
    expect(fromLog.length).toBeGreaterThan(0);
    for (const k of fromLog) {
      expect(k.record.file).toBe(log);
      expect(k.config.index).toBe(k.record.entry.config.index);
    }
    expect(m.tunedOn).not.toBeNull();
  }, 900_000);

  it('takes --trials-per-round (TVM num_measures_per_round) for short budgets, and refuses 0', async () => {
    const model = join(dir, 'resnet-rounds.onnx');
    writeFileSync(model, resnet().bytes);
    const log = join(dir, 'resnet-rounds.jsonl');
    const t = await runCli(['tune', model, '--target', 'wasm -threads=1', '--trials', '6', '--trials-per-round', '1', '--tuner', 'random', '--log', log, '--json', ...FAST]);
    expect(t.code, t.stderr).toBe(0);
    const events = t.stdout.trim().split('\n').map((l) => JSON.parse(l) as { kind: string; trialsPerRound?: number; tasks?: { trials: number }[] });
    expect(events[0]!.trialsPerRound).toBe(1);
    // 6 tasks, one trial per round: the warm-up round alone spends the 6 trials, one per task.
    expect(events.at(-1)!.tasks!.map((x) => x.trials)).toEqual([1, 1, 1, 1, 1, 1]);
    const bad = await runCli(['tune', model, '--trials-per-round', '0', '--log', log]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--trials-per-round/);

    // --trials is a total: the same count again with --resume measures nothing and says how to go on.
    const again = await runCli(['tune', model, '--target', 'wasm -threads=1', '--trials', '6', '--trials-per-round', '1', '--tuner', 'random', '--log', log, '--resume', ...FAST]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/6 trials \(0 this run\)/);
    expect(again.stdout).toMatch(/the log already holds 6 trials for these tasks; --trials is a total, so raise it \(e\.g\. --trials 12\)/);
  }, 900_000);

  it('refuses fewer trials than tasks as a usage error, before any log is written', async () => {
    const model = join(dir, 'resnet-few.onnx');
    writeFileSync(model, resnet().bytes);
    const log = join(dir, 'resnet-few.jsonl');
    const t = await runCli(['tune', model, '--target', 'wasm -threads=1', '--trials', '2', '--log', log]);
    expect(t.code).toBe(2);
    expect(t.stderr).toMatch(/--trials 2 is fewer than the model's 6 tunable tasks; give at least 6/);
    expect(existsSync(log)).toBe(false);
  }, 300_000);
});
