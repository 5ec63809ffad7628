// tests/autotune/run_budget.test.ts — a WebGPU candidate whose timed runs would exceed the runner's budget
// answers RUN_TIMEOUT from inside the run (terminating a Dawn worker with a mapping pending aborts the
// process), after its output was checked; within the budget it is timed as before. Its checked first run
// (the driver's shader compile) ends a stage: `compiled` restarts the runner's timeout.

import { beforeAll, describe, expect, it } from 'vitest';
import { buildCandidate } from '../../autotune/measure/build_candidate.js';
import { MeasureErrorNo } from '../../autotune/measure/measure_types.js';
import { computeReference } from '../../autotune/measure/reference.js';
import { runCandidate, type RunJob } from '../../autotune/measure/run_candidate.js';
import { createTask, tensorArg } from '../../autotune/task.js';
import { registerAll } from '../../ops/register.js';

describe('runCandidate budget (WebGPU)', () => {
  let job: RunJob;
  beforeAll(async () => {
    registerAll();
    const task = createTask('matmul.webgpu', [tensorArg([32, 32]), tensorArg([32, 32])], 'webgpu');
    const built = await buildCandidate({ taskName: task.name, args: task.args, target: task.target, configIndex: task.defaultConfig!()!.index });
    if (!built.artifact) throw new Error(`build failed: ${built.errorNo} ${built.errorMsg}`);
    const ref = await computeReference(task, { seed: 1, interpretFlopLimit: 2e7 });
    job = { artifact: built.artifact!, specs: ref.specs, initial: ref.initial, expected: [...ref.expected], number: 4, repeat: 3, minRepeatMs: 0, flushBytes: 0, rtol: 1e-3, atol: 1e-3 };
  }, 120_000);

  it('a budget the checked run already uses up gives RUN_TIMEOUT, saying why', async () => {
    const r = await runCandidate({ ...job, budgetMs: 1e-6 });
    expect(r.errorNo).toBe(MeasureErrorNo.RUN_TIMEOUT);
    expect(r.errorMsg).toMatch(/^run exceeded the timeout: one run took \d+ ms, so 4×3 timed runs would exceed 0\.0 s/);
    expect(r.costs).toEqual([]);
  }, 120_000);

  it('a wrong answer is still reported as one, before the budget', async () => {
    const [i, want] = job.expected[0]!;
    const r = await runCandidate({ ...job, budgetMs: 1e-6, expected: [[i, want.map((v) => v + 1) as Float32Array]] });
    expect(r.errorNo).toBe(MeasureErrorNo.WRONG_ANSWER);
  }, 120_000);

  it('within the budget (or without one) the candidate is timed: repeat costs', async () => {
    for (const budgetMs of [600_000, undefined]) {
      const r = await runCandidate({ ...job, ...(budgetMs !== undefined ? { budgetMs } : {}) });
      expect(r.errorNo, r.errorMsg).toBe(MeasureErrorNo.NO_ERROR);
      expect(r.costs).toHaveLength(3);
    }
  }, 120_000);

  it('says `compiled` once, after the checked first run (which holds the shader compile) and before the timing', async () => {
    const events: string[] = [];
    const timed = { ...job, number: 1, repeat: 1 };
    const r = await runCandidate(timed, () => events.push('compiled'));
    events.push('answered');
    expect(r.errorNo, r.errorMsg).toBe(MeasureErrorNo.NO_ERROR);
    expect(events).toEqual(['compiled', 'answered']);
    // A wrong answer ends the job before any timing: no stage to restart the clock for.
    const [i, want] = job.expected[0]!;
    let calls = 0;
    const wrong = await runCandidate({ ...job, expected: [[i, want.map((v) => v + 1) as Float32Array]] }, () => { calls++; });
    expect(wrong.errorNo).toBe(MeasureErrorNo.WRONG_ANSWER);
    expect(calls).toBe(0);
  }, 120_000);
});
