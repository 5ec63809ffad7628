// tests/runtime/time_evaluator_settle.test.ts — the time evaluator warms a kernel up until its parallel
// loops' dispatch decisions (runtime/parallel_cost.ts) are settled, so every timed run uses one decision
// per loop and a measurement's repeats never mix caller runs with worker runs. Fake clocks throughout:
// nothing depends on this machine's speed.

import { afterEach, describe, expect, it } from 'vitest';
import * as t from '../../tir/nodes.js';
import { compile } from '../../codegen/compile.js';
import { GraphExecutor } from '../../runtime/graph_executor.js';
import type { GraphPlan } from '../../runtime/graph_plan.js';
import { build, nd } from '../../runtime/index.js';
import { memoryPool } from '../../runtime/memory_pool.js';
import { LoopCosts, MAX_WORKER_TRIES, SAMPLE_CALLS, WASM_COST_MODEL, setParallelClock, setParallelCostModel } from '../../runtime/parallel_cost.js';
import { threadPool } from '../../runtime/thread_pool.js';
import { WasmModule } from '../../runtime/wasm_module.js';
import { MAX_SETTLE_RUNS, timeRuns } from '../../runtime/time_evaluator.js';

const realClock = setParallelClock(() => performance.now());
afterEach(() => {
  setParallelCostModel(WASM_COST_MODEL);
  setParallelClock(realClock);
});

/** How one call of a parallel loop ran: 'caller' / 'workers' (decided), 'sample-caller' / 'sample-workers' (deciding). */
type Mode = 'caller' | 'workers' | 'sample-caller' | 'sample-workers';

/**
 * A fake kernel of `loops` parallel loops, each called `callsPerRun` times per run, dispatched as
 * wasm_module.ts's parallel_for does. The parallel-cost clock makes a serial call of loop f take
 * `serialMs[f]` and a worker call `parallelMs[f]`; every call's mode is logged with whether the time
 * evaluator had started timing (its clock read at least once).
 */
function fakeKernel(serialMs: number[], parallelMs: number[], callsPerRun: number, maxThreads = 2) {
  const costs = new LoopCosts();
  let now = 0;
  let pending = 0;
  setParallelClock(() => {
    now += pending;
    pending = 0;
    return now;
  });
  let timing = false;
  const log: { fn: number; mode: Mode; timed: boolean }[] = [];
  const run = (): void => {
    for (let c = 0; c < callsPerRun; c++) {
      for (let fn = 0; fn < serialMs.length; fn++) {
        const iterations = 1000;
        const t = costs.plan(fn, iterations, maxThreads);
        let mode: Mode;
        if (t === 1) mode = 'caller';
        else if (t > 1) mode = 'workers';
        else if (t === 0) costs.sample(fn, iterations, 1, () => { pending = serialMs[fn]!; mode = 'sample-caller'; });
        else costs.sample(fn, iterations, -t, () => { pending = parallelMs[fn]!; mode = 'sample-workers'; });
        log.push({ fn, mode: mode!, timed: timing });
      }
    }
  };
  let evalNow = 0;
  const evalClock = (): number => {
    timing = true;
    return (evalNow += 1);
  };
  return { costs, run, log, evalClock };
}

describe('timeRuns waits for the parallel loops to settle', () => {
  // Loop 0: worth the workers and faster there; loop 1: worth them by the cost model but slower there
  // (a loaded machine); loop 2: too small for a second thread (stays on the caller, never sampled).
  const serialMs = [1, 0.5, 0.00001];
  const parallelMs = [0.4, 0.9, 0.00001];

  for (const callsPerRun of [1, 2, 3]) {
    it(`every timed run uses the settled decision of every loop (${callsPerRun} call(s) per loop per run)`, async () => {
      const k = fakeKernel(serialMs, parallelMs, callsPerRun);
      const r = await timeRuns(k.run, { number: 2, repeat: 3 }, k.evalClock, () => k.costs.sampledCalls);
      expect(r.results).toHaveLength(3);
      const timed = k.log.filter((e) => e.timed);
      expect(timed.length).toBe(2 * 3 * 3 * callsPerRun);
      expect(timed.filter((e) => e.mode.startsWith('sample'))).toEqual([]);
      expect(new Set(timed.filter((e) => e.fn === 0).map((e) => e.mode))).toEqual(new Set(['workers']));
      expect(new Set(timed.filter((e) => e.fn === 1).map((e) => e.mode))).toEqual(new Set(['caller']));
      expect(new Set(timed.filter((e) => e.fn === 2).map((e) => e.mode))).toEqual(new Set(['caller']));
      // The deciding calls all happened in the warm-up: first SAMPLE_CALLS on the caller, then the workers (one
      // more call than SAMPLE_CALLS: the first one pays a parked worker's wake-up and is not timed) vs the caller.
      const warm = k.log.filter((e) => !e.timed && e.fn === 0).map((e) => e.mode);
      expect(warm.filter((m) => m === 'sample-caller')).toHaveLength(2 * SAMPLE_CALLS);
      expect(warm.filter((m) => m === 'sample-workers')).toHaveLength(SAMPLE_CALLS + 1);
      expect(k.costs.usesWorkers(0)).toBe(true);
      expect(k.costs.usesWorkers(1)).toBe(false);
    });
  }

  it('without the sampling counter the first timed runs still sample (the behaviour this guards against)', async () => {
    const k = fakeKernel(serialMs, parallelMs, 1);
    await timeRuns(k.run, { number: 2, repeat: 3 }, k.evalClock);
    expect(k.log.filter((e) => e.timed && e.mode.startsWith('sample')).length).toBeGreaterThan(0);
  });

  it('a runtime that never settles is warmed up at most MAX_SETTLE_RUNS times, then timed', async () => {
    let samples = 0;
    let runs = 0;
    let timing = false;
    let warmRuns = 0;
    const r = await timeRuns(() => { runs++; samples++; if (!timing) warmRuns++; }, { number: 1, repeat: 2 }, () => { timing = true; return runs; }, () => samples);
    expect(warmRuns).toBe(MAX_SETTLE_RUNS);
    expect(r.results).toHaveLength(2);
  });

  it('a single-threaded module (no counter) gets one warm-up run, as TVM', async () => {
    let runs = 0;
    let timing = false;
    let warmRuns = 0;
    await timeRuns(() => { runs++; if (!timing) warmRuns++; }, { number: 1, repeat: 1 }, () => { timing = true; return runs; });
    expect(warmRuns).toBe(1);
  });
});

describe('a wasm module at -threads=2 hands the time evaluator its sampling counter', () => {
  it('warms up through the whole decision, then times on the decided workers', async () => {
    const n = 4099;
    const X = t.buffer('X', [n], 'float32');
    const Y = t.buffer('Y', [n], 'float32');
    const i = t.variable('i');
    const x = t.bufferLoad(X, [i]);
    const func = t.primFunc('square3', [X, Y], t.forLoop(i, 0, n, 'parallel', t.bufferStore(Y, t.mul(t.mul(x, x), t.floatImm(3)), [i])), { argShapes: [[n], [n]] });
    const pool = threadPool(memoryPool().memory);
    // A hand-off "takes" 0.1 ms, a caller run 1 ms (under RACE_BELOW_NS, so it is raced): the workers win.
    let now = 0;
    let before = -1;
    setParallelClock(() => {
      if (before < 0) { before = pool.dispatches; return now; }
      now += pool.dispatches > before ? 0.1 : 1;
      before = -1;
      return now;
    });
    const m = await build(func, 'wasm -threads=2');
    if (!(m instanceof WasmModule)) throw new Error('expected a wasm module');
    const xs = nd.array(Float32Array.from({ length: n }, (_, k) => (k % 13) - 6));
    const ys = nd.empty([n]);
    const d0 = pool.dispatches;
    const r = await m.timeEvaluator({ number: 1, repeat: 2 }).run(xs, ys);
    expect(r.results).toHaveLength(2);
    // Warm-up: SAMPLE_CALLS on the caller, then worker calls until SAMPLE_CALLS found the worker awake (the real
    // worker may miss a loop this short; at most MAX_WORKER_TRIES) and SAMPLE_CALLS caller ones, then one settled run
    // on the workers; then 2 timed runs on the workers. A worker that missed every try leaves the loop on the
    // caller: no hand-off after the tries. A single warm-up (no counter) would time sampling calls instead.
    const workers = m.parallelDecisions[0];
    expect(workers).toBeDefined();
    const tries = m.sampledCalls - (workers ? 2 : 1) * SAMPLE_CALLS;
    expect(tries).toBeGreaterThan(SAMPLE_CALLS);
    expect(tries).toBeLessThanOrEqual(MAX_WORKER_TRIES);
    expect(pool.dispatches - d0).toBe(tries + (workers ? 1 + 2 : 0));
    expect(Array.from(ys.data).every((v, k) => v === Math.fround(Math.fround(((k % 13) - 6) ** 2) * 3))).toBe(true);
    m.dispose?.();
  });
});

describe('GraphExecutor.benchmark warms a model up as the time evaluator warms a kernel', () => {
  it('repeats warm-up runs until the kernels\' parallel loops settled, so no timed run samples', async () => {
    // Two kernels, one parallel loop each, called once per model run: each loop needs at least 3·SAMPLE_CALLS + 1
    // sampled calls (caller, then workers, then caller) before its decision is final.
    const n = 4099;
    const square3 = (name: string): t.PrimFunc => {
      const X = t.buffer('X', [n], 'float32');
      const Y = t.buffer('Y', [n], 'float32');
      const i = t.variable('i');
      const x = t.bufferLoad(X, [i]);
      return t.primFunc(name, [X, Y], t.forLoop(i, 0, n, 'parallel', t.bufferStore(Y, t.mul(t.mul(x, x), t.floatImm(3)), [i])), { argShapes: [[n], [n]] });
    };
    const tensor = (storage: number) => ({ storage, shape: [n], dtype: 'float32' as const });
    const plan: GraphPlan = {
      format: 'tensortune-graph-plan', version: 1, target: 'wasm -threads=2', storages: [4 * n, 4 * n, 4 * n],
      inputs: [{ name: 'x', ...tensor(0) }], outputs: [{ name: 'z', ...tensor(2) }], constants: [],
      kernels: [
        { name: 'a', artifact: await compile(square3('a'), 'wasm -threads=2'), args: [tensor(0), tensor(1)] },
        { name: 'b', artifact: await compile(square3('b'), 'wasm -threads=2'), args: [tensor(1), tensor(2)] },
      ],
    };
    // Every timed loop call "takes" 1 ms on the fake clock: enough work for a second thread, so both loops
    // go through the whole sampled decision.
    let now = 0;
    setParallelClock(() => (now += 0.5));
    const exec = await GraphExecutor.load(plan);
    const x = Float32Array.from({ length: n }, (_, k) => ((k % 7) - 3) / 4);
    expect(exec.sampledCalls).toBe(0);
    const r = await exec.benchmark({ x }, { number: 1, repeat: 1 });
    expect(r.results).toHaveLength(1);
    const settled = exec.sampledCalls;
    // Per loop SAMPLE_CALLS + the worker tries (≥ SAMPLE_CALLS + 1, the real worker may miss some) + SAMPLE_CALLS,
    // or SAMPLE_CALLS + the tries where it missed too many.
    expect(settled).toBeGreaterThanOrEqual(2 * (3 * SAMPLE_CALLS + 1));
    expect(settled).toBeLessThanOrEqual(2 * (2 * SAMPLE_CALLS + MAX_WORKER_TRIES));
    // A run after the benchmark samples nothing more: the timed run used the settled decisions too.
    // (With a single warm-up run, 2 runs would have sampled 2 calls per loop, and this run a third.)
    const [z] = await exec.run({ x });
    expect(exec.sampledCalls).toBe(settled);
    const sq3 = (v: number): number => Math.fround(Math.fround(v * v) * 3);
    expect(Array.from(z!.data)).toEqual(Array.from(x, (v) => sq3(sq3(v))));
    z!.free();
    exec.dispose();
  }, 60_000);

  it('a single-threaded model reports no sampling (one warm-up run, as TVM)', async () => {
    const X = t.buffer('X', [8], 'float32');
    const i = t.variable('i');
    const f = t.primFunc('neg', [X], t.forLoop(i, 0, 8, 'parallel', t.bufferStore(X, t.mul(t.bufferLoad(X, [i]), t.floatImm(-1)), [i])), { argShapes: [[8]] });
    const tensor = { storage: 0, shape: [8], dtype: 'float32' as const };
    const exec = await GraphExecutor.load({
      format: 'tensortune-graph-plan', version: 1, target: 'wasm -threads=1', storages: [32],
      inputs: [{ name: 'x', ...tensor }], outputs: [{ name: 'x_out', ...tensor }], constants: [],
      kernels: [{ name: 'neg', artifact: await compile(f, 'wasm -threads=1'), args: [tensor] }],
    });
    await exec.benchmark({ x: new Float32Array(8) }, { number: 1, repeat: 1 });
    expect(exec.sampledCalls).toBe(0);
    exec.dispose();
  });
});
