// tests/cli/tune_const_b.test.ts — `tensortune tune --op dense|matmul|batch_matmul --const-b`: the prepacked task (B a
// model's constant weight, packed at build time, not timed) writes records under 'dense_prepacked.wasm' /
// 'batch_matmul_prepacked.wasm' on the original shapes, warm-started from the plain task's records; the hint of a
// build without records names --const-b; bad uses (an op without B, a WebGPU target, a model) are usage errors
// naming the problem.

import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tuneCommand } from '../../autotune/apply_template.js';
import { createTask, tensorArg } from '../../autotune/task.js';
import { UsageError } from '../../cli/errors.js';
import { registerTemplates, resolveWorkload } from '../../cli/workloads.js';
import { decodeRecord, encodeRecord, makeRecord } from '../../tuning-logs/record.js';
import { tempDir } from '../tuning-logs/helpers.js';
import { runCli } from './run_cli.js';

const dir = tempDir('cli-const-b');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(async () => registerTemplates());
const FAST = ['--number', '1', '--repeat', '1', '--min-repeat-ms', '0', '--timeout', '60'];
const T = (s: number[]): unknown => ['TENSOR', s, 'float32'];

describe('--const-b', () => {
  it('resolves dense, matmul and batch_matmul to their prepacked tasks on the original shapes; the hint of a build names the flag', () => {
    const d = resolveWorkload({ op: 'dense', shape: '1,37,29', constB: true }, 'wasm -threads=1');
    expect([d.taskName, d.args]).toEqual(['dense_prepacked.wasm', [T([1, 37]), T([29, 37])]]);
    const m = resolveWorkload({ op: 'matmul', shape: '5,7,11', constB: true }, 'wasm');
    expect([m.taskName, m.args]).toEqual(['matmul_prepacked.wasm', [T([5, 7]), T([7, 11])]]);
    const b = resolveWorkload({ op: 'batch_matmul', shape: '3,17,37,29', constB: true }, 'wasm');
    expect([b.taskName, b.args]).toEqual(['batch_matmul_prepacked.wasm', [T([3, 17, 37]), T([3, 37, 29])]]);
    expect(tuneCommand(createTask(b.taskName, b.args, 'wasm'))).toBe("tensortune tune --op batch_matmul --shape 3,17,37,29 --const-b --target 'wasm'");
    expect(tuneCommand(createTask(d.taskName, d.args, 'wasm -threads=1'))).toBe("tensortune tune --op dense --shape 1,37,29 --const-b --target 'wasm -threads=1'");
  });

  it('refuses an op without a constant B, a WebGPU target and a model, naming why', async () => {
    expect(() => resolveWorkload({ op: 'conv2d', shape: 'C=3,H=5,W=5,O=4,kernel=3', constB: true }, 'wasm')).toThrow(UsageError);
    expect(() => resolveWorkload({ op: 'conv2d', shape: 'C=3,H=5,W=5,O=4,kernel=3', constB: true }, 'wasm'))
      .toThrow('--const-b: --op conv2d has no constant weight B to pack at build time (--const-b tunes a product on a model\'s constant weight: --op dense or --op matmul or --op batch_matmul)');
    expect(() => resolveWorkload({ op: 'batch_matmul', shape: '2,3,4,5', constB: true }, 'webgpu')).toThrow("--const-b: only wasm builds pack a constant B");
    expect(() => resolveWorkload({ op: 'dense', shape: '1,37,29', constB: true }, 'webgpu')).toThrow("--const-b: only wasm builds pack a constant B (target 'webgpu'");
    const r = await runCli(['tune', 'model.onnx', '--const-b', '-o', join(dir, 'x.jsonl')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--const-b tunes one product');
  }, 120_000);

  it('tunes dense 1×37·29ᵀ as the prepacked task, warm-started from a plain record', async () => {
    const plain = createTask('dense.wasm', [tensorArg([1, 37]), tensorArg([29, 37])], 'wasm -threads=1');
    let packing = 0;
    while (!(plain.space.isIndexValid(packing) && plain.space.entityAt(packing).getKnob('pack_b').val === true)) packing++;
    const old = join(dir, 'plain.jsonl');
    writeFileSync(old, encodeRecord(makeRecord({ target: 'wasm -threads=1', taskName: 'dense.wasm', args: plain.args, config: plain.space.entityAt(packing).toData(), costs: [1e-4], errorNo: 0, allCost: 1, timestamp: 1.8e9 })) + '\n');
    const log = join(dir, 'fc.jsonl');
    const t = await runCli(['tune', '--op', 'dense', '--shape', '1,37,29', '--const-b', '--target', 'wasm -threads=1', '--trials', '4', '--tuner', 'random',
      '--warm-start', `default,${old}`, '-o', log, '--json', '--quiet', ...FAST]);
    expect(t.stderr).toBe('');
    expect(t.code).toBe(0);
    const records = readFileSync(log, 'utf8').trimEnd().split('\n').map((l) => decodeRecord(l));
    expect(records).toHaveLength(4);
    for (const r of records) expect(r.input.slice(0, 3)).toEqual(['wasm -threads=1', 'dense_prepacked.wasm', [T([1, 37]), T([29, 37])]]);
    // The plain record's config is measured (second, after the default) in this task, with B fed as panels: no error.
    const warm = records.find((r) => r.config.index === packing);
    expect(warm?.result[1]).toBe(0);
    expect(records.every((r) => r.result[1] === 0)).toBe(true);
  }, 300_000);

  it('tunes batch_matmul 3×17×37·[3, 37, 29] as the prepacked task', async () => {
    const log = join(dir, 'bmm.jsonl');
    const t = await runCli(['tune', '--op', 'batch_matmul', '--shape', '3,17,37,29', '--const-b', '--target', 'wasm -threads=1', '--trials', '3', '--tuner', 'random',
      '--warm-start', 'default', '-o', log, '--json', '--quiet', ...FAST]);
    expect(t.stderr).toBe('');
    expect(t.code).toBe(0);
    const records = readFileSync(log, 'utf8').trimEnd().split('\n').map((l) => decodeRecord(l));
    expect(records).toHaveLength(3);
    for (const r of records) expect(r.input.slice(0, 3)).toEqual(['wasm -threads=1', 'batch_matmul_prepacked.wasm', [T([3, 17, 37]), T([3, 37, 29])]]);
    expect(records.every((r) => r.result[1] === 0)).toBe(true);
  }, 300_000);
});
