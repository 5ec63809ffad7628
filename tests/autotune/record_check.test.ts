// tests/autotune/record_check.test.ts — a record whose index disagrees with its entity, or whose entity
// does not fit the template, counts nowhere: builds (applyTemplate), validate, best and resumed tuning
// all pass it over the same way, and say which record and why.

import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyTemplate, resetTemplateWarnings, setTemplateWarningSink } from '../../autotune/apply_template.js';
import { configProblem, recordChecker } from '../../autotune/record_check.js';
import { RandomTuner } from '../../autotune/random_tuner.js';
import { createTask, tensorArg, type Task } from '../../autotune/task.js';
import { registerAll } from '../../ops/register.js';
import { applyHistoryBest } from '../../tuning-logs/apply_history_best.js';
import { withDispatchContext } from '../../tuning-logs/dispatch_context.js';
import { best, validate } from '../../tuning-logs/ops.js';
import { loadRecordsSync } from '../../tuning-logs/reader.js';
import { encodeRecord, makeRecord, type LogRecord } from '../../tuning-logs/record.js';
import { tempDir } from '../tuning-logs/helpers.js';

const dir = tempDir('record-check');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const args = [tensorArg([64, 64]), tensorArg([64, 64])];

let task: Task;
beforeAll(() => {
  registerAll();
  task = createTask('matmul.wasm', args, 'wasm');
});

/** A record of the 64³ matmul: entity of config `entityOf`, index field `index` (they agree unless told otherwise). */
function record(entityOf: number, cost: number, index = entityOf): LogRecord {
  return makeRecord({
    target: 'wasm', taskName: 'matmul.wasm', args: task.args,
    config: { ...task.space.get(entityOf).toData(), index },
    costs: [cost], errorNo: 0, allCost: 0.2, timestamp: 1763942400 + entityOf,
  });
}

function writeLog(name: string, records: readonly LogRecord[]): string {
  const path = join(dir, name);
  writeFileSync(path, records.map((r) => encodeRecord(r) + '\n').join(''));
  return path;
}

function warningsDuring<T>(fn: () => Promise<T>): Promise<{ value: T; warnings: string[] }> {
  resetTemplateWarnings();
  const warnings: string[] = [];
  const prev = setTemplateWarningSink((m) => warnings.push(m));
  return fn().then((value) => ({ value, warnings })).finally(() => setTemplateWarningSink(prev));
}

describe('index and entity must agree', () => {
  it('configProblem names the disagreement and the config the entity really is', () => {
    expect(task.space.length).toBeGreaterThan(1911);
    expect(configProblem(task, task.space.get(1911).toData())).toBeUndefined();
    expect(configProblem(task, { ...task.space.get(1911).toData(), index: 0 }))
      .toBe(`config.index 0 disagrees with its entity, which is config 1911 of template 'matmul.wasm' (space of ${task.space.length})`);
    expect(configProblem(task, { index: 3, code_hash: null, entity: [['tile_y', 'sp', [-1, 3]]] })).toMatch(/its entity does not fit the space of template 'matmul.wasm'/);
  });

  it('a build skips the record (index 0, entity of 1911), says why, and uses the best record that fits', async () => {
    // The lying record is the fastest; a slower honest one exists.
    const path = writeLog('lying.jsonl', [record(1911, 0.001, 0), record(77, 0.002)]);
    const { value: applied, warnings } = await warningsDuring(() => withDispatchContext(applyHistoryBest(path), () => applyTemplate('matmul.wasm', args, 'wasm')));
    expect(applied.source).toBe('log');
    expect(applied.config.toData().index).toBe(77);
    expect(applied.hit).toMatchObject({ file: path, line: 2, meanCost: 0.002, recordTarget: 'wasm' });
    expect(applied.skipped).toEqual([expect.objectContaining({ file: path, line: 1, reason: expect.stringMatching(/config.index 0 disagrees with its entity, which is config 1911/) })]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`config 0 from ${path}:1: config.index 0 disagrees with its entity, which is config 1911`);
    expect(warnings[0]).toContain(`using config 77 from ${path}:2`);
  });

  it('with only the lying record, the build falls back and says the record does not fit (not "no record")', async () => {
    const path = writeLog('only-lying.jsonl', [record(1911, 0.001, 0)]);
    const { value: applied, warnings } = await warningsDuring(() => withDispatchContext(applyHistoryBest(path), () => applyTemplate('matmul.wasm', args, 'wasm')));
    expect(applied.source).toBe('fallback');
    expect(applied.hit).toBeUndefined();
    expect(applied.skipped).toHaveLength(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^tensortune: no usable tuning record for matmul\.wasm .* 1 record\(s\) do not fit/);
    expect(warnings[0]).toContain('Re-tune with: tensortune tune --op matmul --shape 64,64,64');
  });

  it('validate (with the template check) and best agree with the build', () => {
    const path = writeLog('mixed.jsonl', [record(1911, 0.001, 0), record(77, 0.002), record(5, 0.003)]);
    const check = recordChecker();
    const v = validate(path, { check });
    expect(v.ok).toBe(false);
    expect(v.records).toBe(2);
    expect(v.bad.map((b) => [b.line, b.kind])).toEqual([[1, 'does-not-fit']]);
    expect(v.bad[0]!.message).toMatch(/^config 0 of matmul\.wasm: config\.index 0 disagrees with its entity, which is config 1911/);
    // Without the template check only the layout is checked: the record looks fine.
    expect(validate(path).ok).toBe(true);
    const skipped: number[] = [];
    const winners = best(loadRecordsSync(path), { check, onSkip: (r) => skipped.push(r.config.index) });
    expect(winners.map((r) => r.config.index)).toEqual([77]);
    expect(skipped).toEqual([0]);
    // Records of templates this process does not have are not judged (another tool's records).
    expect(check({ ...record(5, 0.003), input: ['wasm', 'conv2d_nchw.cuda', [], {}] })).toBeUndefined();
    expect(check({ ...record(5, 0.003), input: ['wasm', 'matmul.wasm', [['TENSOR', [3], 'float32']], {}] })).toMatch(/its task does not fit template 'matmul.wasm'/);
  });

  it('resumed tuning does not count the lying record as config 0 or 1911', async () => {
    const path = writeLog('resume.jsonl', [record(1911, 0.001, 0), record(77, 0.002)]);
    const tuner = new RandomTuner(task, { seed: 1 });
    expect(await tuner.resumeFrom(path)).toBe(1);
    expect(tuner.isMeasured(77)).toBe(true);
    expect(tuner.isMeasured(0)).toBe(false);
    expect(tuner.isMeasured(1911)).toBe(false);
    expect(tuner.bestConfig?.index).toBe(77);
  });
});
