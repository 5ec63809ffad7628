// tests/cli/tune_warm_start.test.ts — `tensortune tune --warm-start default,<log>`: the job measures the template's
// default config first, then the earlier log's best configs (another target of the same template), and says so.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeRecord, meanCost } from '../../tuning-logs/record.js';
import { runCli } from './run_cli.js';

const dir = mkdtempSync(join(tmpdir(), 'tt-warm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const FAST = ['--number', '1', '--repeat', '1', '--min-repeat-ms', '0', '--batch', '2', '--timeout', '60', '--quiet'];
const records = (f: string) => readFileSync(f, 'utf8').trimEnd().split('\n').map(decodeRecord);

describe('tune --warm-start', () => {
  it('measures the default, then the earlier log\'s best configs transferred to this target', async () => {
    const old = join(dir, 'old.jsonl');
    const a = await runCli(['tune', '--op', 'matmul', '--shape', '24,20,28', '--target', 'wasm -threads=1', '--trials', '4', '--tuner', 'random', '--seed', '2', '-o', old, ...FAST]);
    expect(a.code, a.stderr).toBe(0);
    const fresh = join(dir, 'new.jsonl');
    const b = await runCli(['tune', '--op', 'matmul', '--shape', '24,20,28', '--target', 'wasm', '--trials', '5', '--tuner', 'ga',
      '--warm-start', `default,${old}`, '-o', fresh, '--json', ...FAST]);
    expect(b.code, b.stderr).toBe(0);
    const prior = records(old);
    const def = prior[0]!; // that job measured the default first too
    const byCost = prior.slice(1).filter((r) => Number.isFinite(meanCost(r))).sort((x, y) => meanCost(x) - meanCost(y));
    const got = records(fresh).map((r) => JSON.stringify(r.config.entity));
    expect(got.slice(0, 1 + byCost.length)).toEqual([def, ...byCost].map((r) => JSON.stringify(r.config.entity)));
    expect(JSON.parse(b.stdout).warmStart).toEqual({ configs: 1 + byCost.length, transferred: byCost.length, otherTemplate: 0, invalid: 0 });
  }, 420_000);

  it('refuses it for a model, and --plan-size for another tuner than xgb', async () => {
    const m = await runCli(['tune', 'model.onnx', '--warm-start', 'default', '-o', join(dir, 'm.jsonl')]);
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/--warm-start, --plan-size and --mutation-share tune one operator/);
    const g = await runCli(['tune', '--op', 'matmul', '--shape', '8,8,8', '--tuner', 'ga', '--plan-size', '4', '-o', join(dir, 'g.jsonl')]);
    expect(g.code).toBe(2);
    expect(g.stderr).toMatch(/--plan-size and --mutation-share are options of the xgb tuner/);
  });
});
