// tests/autotune/measure.test.ts — builder and runner in workers: good candidates are timed and checked;
// instantiation/compile errors, build hangs, run hangs, traps, bad artifacts and wrong answers each
// become one record with AutoTVM's error number while the batch goes on.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  errorName, gflops, localBuilder, localRunner, measureOption, MeasureErrorNo, type BuildResult, type MeasureInput,
} from '../../autotune/measure/measure.js';
import { computeReference } from '../../autotune/measure/reference.js';
import { ConfigSpace } from '../../autotune/space.js';
import { runCandidate } from '../../autotune/measure/run_candidate.js';
import { createTask, tensorArg, type Task } from '../../autotune/task.js';
import { registerAll } from '../../ops/register.js';
import { compile } from '../../codegen/compile.js';
import * as tir from '../../tir/nodes.js';
import { registerTestTemplates } from './fixtures/test_templates.js';

const [M, K, N] = [12, 10, 20];
const args = [tensorArg([M, K]), tensorArg([K, N])];

/** A kernel with the matmul's parameters but the body given. */
async function handMade(body: (A: tir.Buffer, B: tir.Buffer, C: tir.Buffer) => tir.Stmt): Promise<BuildResult> {
  const A = tir.buffer('A', [M * K], 'float32');
  const B = tir.buffer('B', [K * N], 'float32');
  const C = tir.buffer('C', [M * N], 'float32');
  const f = tir.primFunc('hand', [A, B, C], body(A, B, C), { argShapes: [[M, K], [K, N], [M, N]] });
  return { errorNo: MeasureErrorNo.NO_ERROR, artifact: await compile(f, 'wasm -threads=1'), timeCost: 0 };
}

const zero = tir.intImm(0);
/** C[0] += A[0], (2³¹-1)² times: far beyond any timeout, and nothing can fold it away. */
const hang = await handMade((A, _B, C) => tir.forLoop(tir.variable('i'), 0, 2 ** 31 - 1, 'serial',
  tir.forLoop(tir.variable('j'), 0, 2 ** 31 - 1, 'serial',
    tir.bufferStore(C, tir.add(tir.bufferLoad(C, [zero]), tir.bufferLoad(A, [zero])), [zero]))));
/** A store 2 GB past C: outside linear memory, a trap. */
const trap = await handMade((_A, _B, C) => tir.bufferStore(C, tir.floatImm(1), [tir.intImm(500_000_000)]));
/** Writes zeros everywhere: a wrong answer. */
const wrong = await handMade((_A, _B, C) => {
  const i = tir.variable('i');
  return tir.forLoop(i, 0, M * N, 'serial', tir.bufferStore(C, tir.floatImm(0), [i]));
});

// Worker start-up under tsx on a loaded 2-core machine takes tens of seconds: limits are for hangs only.
describe('measure', { timeout: 600_000 }, () => {
  let task: Task;
  beforeAll(() => {
    registerAll();
    registerTestTemplates();
    task = createTask('matmul.wasm', args, 'wasm -threads=2');
  });

  // Few workers on purpose: each one starting under tsx costs seconds on a busy machine. Timeouts are
  // generous (a good candidate must never hit one, however loaded the machine): the candidates that
  // should time out never finish at all (a 60 s spin, a (2³¹)² loop), so the outcome does not depend
  // on the machine's speed.
  const builder = localBuilder({ timeout: 20, nParallel: 2 });
  const runner = localRunner({ number: 2, repeat: 3, timeout: 15 });
  const option = measureOption({ builder, runner });
  afterAll(() => option.close(), 120_000);

  it('builds in parallel, then checks and times each candidate', async () => {
    // The nearest valid config at or below each index (the space refuses some knob combinations: multiFilter).
    const valid = (i: number): number => {
      while (!task.space.isIndexValid(i)) i--;
      return i;
    };
    const inputs: MeasureInput[] = [0, 17, 123, task.space.length - 1].map(valid).map((i) => ({ task, config: task.space.entityAt(i) }));
    const results = await option.measureBatch(inputs);
    expect(results).toHaveLength(inputs.length);
    for (const r of results) {
      expect(r.errorMsg).toBeUndefined();
      // NO_ERROR means the output matched the reference (wrong answers are error 5, tested below).
      expect(r.errorNo).toBe(MeasureErrorNo.NO_ERROR);
      expect(r.costs).toHaveLength(3);
      expect(r.costs.every((c) => c > 0 && Number.isFinite(c))).toBe(true);
      // Costs are seconds per run: 3 repeats × ≥ 2 runs each fit inside the candidate's wall time
      // (milliseconds or a per-repeat total would not).
      expect(2 * r.costs.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(r.allCost);
      expect(r.device).toMatchObject({ target: 'wasm -threads=2' });
      expect(gflops(task, r)).toBeCloseTo(task.flop / (r.costs.reduce((a, b) => a + b, 0) / 3) / 1e9, 6);
    }
  });

  it('records instantiation errors, compile errors and build timeouts, and the batch goes on', async () => {
    const faulty = createTask('test.faulty', args, 'wasm');
    const modes = ['ok', 'throw', 'spin', 'bind', 'ok'];
    const inputs = modes.map((m) => ({ task: faulty, config: faulty.space.entityAt(['ok', 'throw', 'spin', 'bind'].indexOf(m)) }));
    const builds = await builder.build(inputs);
    expect(builds.map((b) => errorName(b.errorNo))).toEqual(['NO_ERROR', 'INSTANTIATION_ERROR', 'BUILD_TIMEOUT', 'COMPILE_HOST', 'NO_ERROR']);
    expect(builds[1]!.errorMsg).toMatch(/faulty template refuses this config/);
    expect(builds[2]!.errorMsg).toMatch(/timeout of 20 s/);
    expect(builds[3]!.errorMsg).toMatch(/compile/);
    const results = await runner.run(inputs, builds);
    expect(results.map((r) => r.errorNo)).toEqual([0, 1, 6, 2, 0]);
  });

  it('records a hang, a trap, a bad artifact and a wrong answer, and times the good one after them', async () => {
    const good = (await builder.build([{ task, config: task.space.entityAt(5) }]))[0]!;
    const garbage: BuildResult = { errorNo: 0, timeCost: 0, artifact: { ...good.artifact!, bytes: new Uint8Array([0, 97, 115, 109, 9, 9, 9]) } };
    const builds = [hang, trap, garbage, wrong, good];
    const inputs = builds.map(() => ({ task, config: task.space.entityAt(5) }));
    const results = await runner.run(inputs, builds);
    expect(results.map((r) => errorName(r.errorNo))).toEqual(['RUN_TIMEOUT', 'RUNTIME_DEVICE', 'RUNTIME_DEVICE', 'WRONG_ANSWER', 'NO_ERROR']);
    expect(results[3]!.errorMsg).toMatch(/wrong answer: C\[0\] = 0, expected/);
    expect(results[4]!.costs).toHaveLength(3);
  });

  it('records an output 1% off the reference as a wrong answer with the default tolerance', async () => {
    // The kernel stores reference × (1 + 1e-2), element by element: close, but not right.
    const ref = await computeReference(task);
    const [outIndex, want] = [...ref.expected][0]!;
    expect(outIndex).toBe(2);
    const scaled = Float32Array.from(want, (w) => w * 1.01);
    const offByOnePercent = await handMade((_A, _B, C) =>
      tir.seq(Array.from(scaled, (v, i) => tir.bufferStore(C, tir.floatImm(v), [tir.intImm(i)]))));
    const exact = await handMade((_A, _B, C) =>
      tir.seq(Array.from(want, (v, i) => tir.bufferStore(C, tir.floatImm(v), [tir.intImm(i)]))));
    const inputs = [0, 1].map(() => ({ task, config: task.space.entityAt(5) }));
    // `runner` sets only number, repeat and timeout: rtol and atol are the defaults.
    const results = await runner.run(inputs, [offByOnePercent, exact]);
    expect(results.map((r) => errorName(r.errorNo))).toEqual(['WRONG_ANSWER', 'NO_ERROR']);
    expect(results[0]!.errorNo).toBe(5);
    expect(results[0]!.errorMsg).toMatch(/wrong answer: C\[\d+\] = .*rtol 0\.001, atol 0\.001/);
  });

  it('skips the check when asked, and flushes caches between repeats (runCandidate in-process)', async () => {
    const ref = await computeReference(task);
    const res = await runCandidate({
      artifact: wrong.artifact!, specs: ref.specs, initial: ref.initial, expected: [],
      number: 1, repeat: 2, minRepeatMs: 0, flushBytes: 1 << 20, rtol: 1e-3, atol: 1e-3,
    });
    expect(res.errorNo).toBe(MeasureErrorNo.NO_ERROR);
    expect(res.costs).toHaveLength(2);
  });

  it('builds on the calling thread when asked (no workers, same error numbers)', async () => {
    const faulty = createTask('test.faulty', args, 'wasm');
    const inProcess = localBuilder({ inProcess: true });
    const outside = { task: faulty, config: ConfigSpace.fromData({ index: 99, code_hash: null, entity: [['mode', 'ot', 'ok']] }) };
    const builds = await inProcess.build([...[0, 1, 3].map((i) => ({ task: faulty, config: faulty.space.entityAt(i) })), outside]);
    expect(builds.map((b) => b.errorNo)).toEqual([0, 1, 2, 1]);
    expect(builds[3]!.errorMsg).toMatch(/config index 99 is not in the space of test.faulty/);
    expect(builds[0]!.artifact!.format).toBe('wasm');
    await inProcess.close();
  });

  it('computes GFLOP/s from the FLOP count and the mean cost; 0 for errors', () => {
    const ok = { costs: [0.001, 0.003], errorNo: MeasureErrorNo.NO_ERROR, allCost: 1, timestamp: 0 };
    expect(gflops({ flop: 2e6 }, ok)).toBeCloseTo(1, 10);
    expect(gflops({ flop: 2e6 }, { ...ok, errorNo: MeasureErrorNo.WRONG_ANSWER })).toBe(0);
    expect(Object.values(MeasureErrorNo)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('rejects bad options with clear errors', () => {
    expect(() => localBuilder({ timeout: 0 })).toThrow(/timeout must be > 0/);
    expect(() => localBuilder({ nParallel: 0 })).toThrow(/nParallel/);
    expect(() => localRunner({ repeat: 0 })).toThrow(/repeat must be an integer/);
  });
});
