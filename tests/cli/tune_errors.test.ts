// tests/cli/tune_errors.test.ts — `tensortune tune`'s closing line names its failed candidates by kind, as `logs stats`
// does (a new user's trial, session 18: "(2 errors this run)" alone did not say the two were WebGPU run timeouts),
// and says what to do about WebGPU run timeouts (the driver's shader compile is in the first run).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MeasureErrorNo } from '../../autotune/measure/measure_types.js';
import { describeErrors } from '../../cli/tune_run.js';
import { runCli } from './run_cli.js';

describe('tune: failed candidates by kind', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tt-tune-errors-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists each kind with its count, most frequent first, and nothing when no candidate failed', () => {
    expect(describeErrors(new Map(), 'wasm')).toBe('');
    const counts = new Map([[MeasureErrorNo.WRONG_ANSWER, 1], [MeasureErrorNo.RUN_TIMEOUT, 3], [MeasureErrorNo.BUILD_TIMEOUT, 1]]);
    expect(describeErrors(counts, 'wasm')).toBe(": 3× RUN_TIMEOUT (7), 1× WRONG_ANSWER (5), 1× BUILD_TIMEOUT (6); each one's reason with -v or `tensortune logs stats`");
    // Equal counts by error number, whatever order the run met them in.
    const tied = new Map([[MeasureErrorNo.BUILD_TIMEOUT, 2], [MeasureErrorNo.RUNTIME_DEVICE, 2], [MeasureErrorNo.WRONG_ANSWER, 2]]);
    expect(describeErrors(tied, 'wasm')).toMatch(/^: 2× RUNTIME_DEVICE \(4\), 2× WRONG_ANSWER \(5\), 2× BUILD_TIMEOUT \(6\);/);
  });

  it('suggests a longer --timeout for WebGPU run timeouts only', () => {
    const timeouts = new Map([[MeasureErrorNo.RUN_TIMEOUT, 2]]);
    expect(describeErrors(timeouts, 'webgpu')).toContain('raise --timeout');
    expect(describeErrors(timeouts, 'wasm')).not.toContain('raise --timeout');
    expect(describeErrors(new Map([[MeasureErrorNo.WRONG_ANSWER, 2]]), 'webgpu')).not.toContain('raise --timeout');
  });

  it('a run whose every build times out says so on stdout and in --json, and exits 1', async () => {
    // 1 ms per build: no build worker can even start in time, so each candidate is a BUILD_TIMEOUT.
    const base = ['tune', '--op', 'dense', '--shape', '1,64,32', '--target', 'wasm -threads=1', '--trials', '2', '--timeout', '0.001'];
    const text = await runCli([...base, '--log', join(dir, 'a.jsonl')]);
    expect(text.code, text.stderr).toBe(1);
    expect(text.stdout).toContain('no successful candidate in 2 trials: 2× BUILD_TIMEOUT (6)');
    const json = await runCli([...base, '--log', join(dir, 'b.jsonl'), '--json', '--quiet']);
    expect(JSON.parse(json.stdout).errorKinds).toEqual({ BUILD_TIMEOUT: 2 });
  }, 300_000);
});
