// tests/cli/build_records.test.ts — `tensortune build` with records that do not fit: the build says which
// record it skipped and why, uses the best one that fits, and never reports "no tuning record" when
// there were records (issue 9 item 6: before, a record whose index disagreed with its entity stopped
// the build with "internal: the config the build used is not the one the log lookup reports").

import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTask, tensorArg } from '../../autotune/task.js';
import { registerAll } from '../../ops/register.js';
import { encodeRecord, makeRecord, type LogRecord } from '../../tuning-logs/record.js';
import { tempDir } from '../tuning-logs/helpers.js';
import { runCli } from './run_cli.js';

const dir = tempDir('cli-build-records');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
registerAll();
const task = createTask('matmul.wasm', [tensorArg([64, 64]), tensorArg([64, 64])], 'wasm -threads=1');
const E2E_TIMEOUT = 300_000;

function record(entityOf: number, cost: number, index = entityOf): LogRecord {
  return makeRecord({
    target: task.target, taskName: task.name, args: task.args,
    config: { ...task.space.get(entityOf).toData(), index },
    costs: [cost], errorNo: 0, allCost: 0.2, timestamp: 1763942400,
  });
}

function log(name: string, records: readonly LogRecord[]): string {
  const path = join(dir, name);
  writeFileSync(path, records.map((r) => encodeRecord(r) + '\n').join(''));
  return path;
}

const BUILD = ['build', '--op', 'matmul', '--shape', '64,64,64', '--target', 'wasm -threads=1'];

describe('tensortune build with records that do not fit', () => {
  it('skips a record whose index disagrees with its entity and builds with the best one that fits', async () => {
    const path = log('lying.jsonl', [record(1911, 0.0001, 0), record(77, 0.002)]);
    const r = await runCli([...BUILD, '--log', path, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { source: string; config: { index: number }; file: string; line: number; recordMeanCost: number; skipped: { index: number; line: number; reason: string }[] };
    expect(out.source).toBe('log');
    expect([out.config.index, out.file, out.line, out.recordMeanCost]).toEqual([77, path, 2, 0.002]);
    expect(out.skipped).toEqual([{ index: 0, file: path, line: 1, reason: expect.stringMatching(/config\.index 0 disagrees with its entity, which is config 1911/) }]);
    expect(r.stderr).toContain(`config 0 from ${path}:1: config.index 0 disagrees with its entity`);
    expect(r.stderr).not.toMatch(/internal/);
  }, E2E_TIMEOUT);

  it('with no record that fits: the default config, saying the records do not fit (not "no tuning record")', async () => {
    const path = log('only-lying.jsonl', [record(1911, 0.0001, 0)]);
    const r = await runCli([...BUILD, '--log', path]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/: default config\n/);
    // The reason is printed once, on stderr (as TVM's fallback warning), not again on stdout.
    expect(r.stdout).not.toMatch(/tuning record|do not fit|disagrees/);
    expect(r.stderr).toMatch(/no usable tuning record for matmul\.wasm \(.*\) on 'wasm -threads=1': 1 record\(s\) do not fit the template's current space \(config 0 from .*only-lying\.jsonl:1: config\.index 0 disagrees/);
    expect(r.stderr).not.toMatch(/no tuning record/);
    expect(r.stderr).toContain("Re-tune with: tensortune tune --op matmul --shape 64,64,64 --target 'wasm -threads=1'");
  }, E2E_TIMEOUT);

  it('with a better record that does not fit: the skipped record is named once, on stderr', async () => {
    const path = log('lying2.jsonl', [record(1911, 0.0001, 0), record(77, 0.002)]);
    const r = await runCli([...BUILD, '--log', path]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`: config 77 from ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2 `));
    expect(r.stdout).not.toMatch(/skipped|disagrees/);
    expect(r.stderr.match(/skipped 1 better tuning record/g)).toHaveLength(1);
  }, E2E_TIMEOUT);
});

describe('tensortune build without a record: the fallback notice once, on stderr', () => {
  const shape = ['build', '--op', 'matmul', '--shape', '9,10,11', '--target', 'wasm -threads=1', '--log', join(dir, 'empty.jsonl')];
  writeFileSync(join(dir, 'empty.jsonl'), '');

  it('text: stdout says which config was built; stderr says why and how to tune, once', async () => {
    const r = await runCli(shape);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^matmul\.wasm \[.*\] on 'wasm -threads=1': default config\n {2}knobs: /);
    expect(r.stdout).not.toMatch(/tuning record|note:|tune --op/);
    expect(r.stderr.match(/no tuning record for matmul\.wasm/g)).toHaveLength(1);
    expect(r.stderr).toContain("Tune it with: tensortune tune --op matmul --shape 9,10,11 --target 'wasm -threads=1'");
  }, E2E_TIMEOUT);

  it('--json: stdout is one JSON document, the notice stays on stderr', async () => {
    const r = await runCli([...shape, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { source: string; config: { index: number } };
    expect(out.source).toBe('default');
    expect(r.stderr.match(/no tuning record for matmul\.wasm/g)).toHaveLength(1);
  }, E2E_TIMEOUT);
});
