// tests/runtime/parallel_dispatch.test.ts — when a parallel loop goes to the workers: Eigen's
// thread-count rule, the sampled serial/parallel decision (with a fake clock, so nothing depends on
// this machine's speed), the serial path and the worker path giving the same bits as plain JS, the
// graph executor's hot-worker runs matching onnxruntime-node, and a worker's trap during a hot run
// reported, with the pool cooled and usable afterwards.

import { afterEach, describe, expect, it } from 'vitest';
import * as t from '../../tir/nodes.js';
import { compile } from '../../codegen/compile.js';
import { build, nd } from '../../runtime/index.js';
import { GraphExecutor } from '../../runtime/graph_executor.js';
import type { GraphPlan } from '../../runtime/graph_plan.js';
import { memoryPool } from '../../runtime/memory_pool.js';
import {
  ALWAYS_PARALLEL, EIGEN_COST_MODEL, LoopCosts, RACE_BELOW_NS, SAMPLE_CALLS, WAKE_WAIT_MS, WASM_COST_MODEL, WORKER_TRIES, MAX_WORKER_TRIES, parallelThreads, setParallelClock,
  setParallelCostModel,
} from '../../runtime/parallel_cost.js';
import { threadPool } from '../../runtime/thread_pool.js';
import { build as relayBuild } from '../../relay/backend/build.js';
import { fromOnnx } from '../../relay/frontend/onnx.js';
import { inputData, ortRun, relError } from '../relay/models/reference.js';
import { mobilenet, resnet } from '../relay/models/zoo.js';

const realClock = setParallelClock(() => performance.now());
afterEach(() => {
  setParallelCostModel(WASM_COST_MODEL);
  setParallelClock(realClock);
});

/** Y[i] = X[i]² · 3 (+ Y[i] when `accumulate`) over n elements (any n), one parallel loop. */
function squareAxpy(n: number, accumulate = true): t.PrimFunc {
  const X = t.buffer('X', [n], 'float32');
  const Y = t.buffer('Y', [n], 'float32');
  const i = t.variable('i');
  const x = t.bufferLoad(X, [i]);
  const term = t.mul(t.mul(x, x), t.floatImm(3));
  const body = t.forLoop(i, 0, n, 'parallel', t.bufferStore(Y, accumulate ? t.add(term, t.bufferLoad(Y, [i])) : term, [i]));
  return t.primFunc(accumulate ? 'square_axpy' : 'square_scale', [X, Y], body, { argShapes: [[n], [n]] });
}

const squared = (v: number): number => Math.fround(Math.fround(v * v) * 3);

function seeded(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

/**
 * A fake clock for the sampled decision: a call that handed work to the workers "takes"
 * `parallelMs`, one that did not `serialMs`.
 */
function fakeClock(serialMs: number, parallelMs: number): () => number {
  const pool = threadPool(memoryPool().memory);
  let now = 0;
  let before = -1;
  return () => {
    if (before < 0) {
      before = pool.dispatches;
      return now;
    }
    now += pool.dispatches > before ? parallelMs : serialMs;
    before = -1;
    return now;
  };
}

describe('parallelThreads (Eigen TensorCostModel::numThreads)', () => {
  it('keeps small work on one thread and adds a thread per 30 µs beyond the start-up cost', () => {
    setParallelCostModel(EIGEN_COST_MODEL);
    expect(parallelThreads(0, 8)).toBe(1);
    expect(parallelThreads(30_000, 8)).toBe(1);
    expect(parallelThreads(62_000, 8)).toBe(1); // (62 − 30) / 30 + 0.9 = 1.97
    expect(parallelThreads(63_000, 8)).toBe(2);
    expect(parallelThreads(93_000, 8)).toBe(3);
    expect(parallelThreads(1e9, 8)).toBe(8);
    expect(parallelThreads(1e9, 1)).toBe(1);
    setParallelCostModel(ALWAYS_PARALLEL);
    expect(parallelThreads(0, 4)).toBe(4);
    expect(() => setParallelCostModel({ startupNs: -1, perThreadNs: 0 })).toThrow(/startupNs must be a finite number ≥ 0/);
  });

  it('by default (WASM_COST_MODEL) a second thread from 21 µs of work, where Eigen\'s constants wanted 63 µs', () => {
    expect(parallelThreads(20_000, 2)).toBe(1); // (20 − 10) / 10 + 0.9 = 1.9
    expect(parallelThreads(21_000, 2)).toBe(2);
    expect(parallelThreads(50_000, 2)).toBe(2); // MM-128's product loop: on one thread under Eigen's constants
    expect(parallelThreads(31_000, 8)).toBe(3);
  });
});

describe('LoopCosts: the sampled decision', () => {
  const run = (costs: LoopCosts, now: { ms: number }, serialMs: number, parallelMs: number, iterations = 1000): number => {
    const t = costs.plan(0, iterations, 2);
    if (t === 0) costs.sample(0, iterations, 1, () => void (now.ms += serialMs));
    else if (t < 0) costs.sample(0, iterations, -t, () => void (now.ms += parallelMs));
    return t;
  };

  it('samples on the caller first, and a small loop never leaves it', () => {
    const now = { ms: 0 };
    setParallelClock(() => now.ms);
    const costs = new LoopCosts();
    const plans = Array.from({ length: 10 }, () => run(costs, now, 0.01, 0.001));
    expect(plans).toEqual([...new Array<number>(SAMPLE_CALLS).fill(0), ...new Array<number>(10 - SAMPLE_CALLS).fill(1)]);
  });

  it('times a loop under RACE_BELOW_NS on the workers once they are awake, then on the caller, and keeps the faster way', () => {
    const now = { ms: 0 };
    setParallelClock(() => now.ms);
    // 1 ms of work per call (1000 iterations of 1 µs): worth a second thread, under the race limit.
    const fast = new LoopCosts();
    const plans = Array.from({ length: 13 }, () => run(fast, now, 1, 0.6));
    expect(plans.slice(0, SAMPLE_CALLS)).toEqual([0, 0, 0]);
    // The first worker call paid the worker's wake-up: SAMPLE_CALLS + 1 worker calls, then SAMPLE_CALLS on the caller.
    expect(plans.slice(SAMPLE_CALLS, 3 * SAMPLE_CALLS + 1)).toEqual([-2, -2, -2, -2, 0, 0, 0]);
    expect(plans.slice(3 * SAMPLE_CALLS + 1)).toEqual([2, 2, 2]);
    expect(fast.usesWorkers(0)).toBe(true);
    expect(fast.race(0)).toMatchObject({ workerCalls: SAMPLE_CALLS + 1, counted: SAMPLE_CALLS });
    // Workers slower than the caller (a busy machine): back to the caller for good.
    const slow = new LoopCosts();
    const after = Array.from({ length: 13 }, () => run(slow, now, 1, 1.2));
    expect(after.slice(3 * SAMPLE_CALLS + 1)).toEqual([1, 1, 1]);
    expect(slow.usesWorkers(0)).toBe(false);
  });

  it('leaves out worker calls a worker missed and the call after each (its wake-up), and gives up after WORKER_TRIES', () => {
    const now = { ms: 0 };
    setParallelClock(() => now.ms);
    /** Like run, but a worker call reports `missed[k]` hand-offs taken back (k: the k-th worker call) and takes `ms[k]`. */
    const runMissing = (costs: LoopCosts, missed: number[], ms: number[]): number[] => {
      const plans: number[] = [];
      let k = 0;
      for (let c = 0; c < 40; c++) {
        const t = costs.plan(0, 1000, 2);
        plans.push(t);
        if (t === 0) costs.sample(0, 1000, 1, () => void (now.ms += 1));
        else if (t < 0) {
          const i = k++;
          costs.sample(0, 1000, -t, () => { now.ms += ms[i] ?? 0.6; return missed[i] ?? 0; });
        }
      }
      return plans;
    };
    // Missed, joined (awake only from the next call), fast, missed, joined, fast, fast: the 3 counted are fast,
    // though the calls the worker missed or woke for took longer than the caller.
    const late = new LoopCosts();
    const plans = runMissing(late, [1, 0, 0, 1, 0, 0, 0], [1.1, 1.1, 0.6, 1.1, 1.1, 0.6, 0.6]);
    expect(plans.slice(SAMPLE_CALLS, SAMPLE_CALLS + 7)).toEqual(new Array<number>(7).fill(-2));
    expect(late.race(0)).toMatchObject({ workerCalls: 7, counted: 3 });
    expect(late.race(0).parallelNs).toBeCloseTo(600, 6);
    expect(late.usesWorkers(0)).toBe(true);
    // A worker that misses every call: WORKER_TRIES worker calls, then the caller for good, with no caller race.
    const never = new LoopCosts();
    const lost = runMissing(never, new Array<number>(50).fill(1), []);
    expect(lost.slice(SAMPLE_CALLS, SAMPLE_CALLS + WORKER_TRIES)).toEqual(new Array<number>(WORKER_TRIES).fill(-2));
    expect(lost.slice(SAMPLE_CALLS + WORKER_TRIES)).toEqual(new Array<number>(40 - SAMPLE_CALLS - WORKER_TRIES).fill(1));
    expect(never.usesWorkers(0)).toBe(false);
    expect(never.race(0)).toMatchObject({ workerCalls: WORKER_TRIES, counted: 0 });
    expect(never.sampledCalls).toBe(SAMPLE_CALLS + WORKER_TRIES);
    // Calls shorter than a wake-up (0.1 ms each): the race waits for the worker past WORKER_TRIES, until the
    // worker calls have lasted WAKE_WAIT_MS; one that wakes after 1.2 ms is then timed and wins.
    const wakes = new LoopCosts();
    const woke = Math.round(1.2 / 0.1);
    runMissing(wakes, new Array<number>(woke).fill(1), new Array<number>(40).fill(0.1).map((ms, i) => (i > woke ? 0.06 : ms)));
    expect(wakes.race(0)).toMatchObject({ workerCalls: woke + 1 + SAMPLE_CALLS, counted: SAMPLE_CALLS });
    expect(wakes.usesWorkers(0)).toBe(true);
    // One that never comes: MAX_WORKER_TRIES calls (under WAKE_WAIT_MS in all), then the caller.
    const gone = new LoopCosts();
    runMissing(gone, new Array<number>(40).fill(1), new Array<number>(40).fill(0.05));
    expect(gone.race(0)).toMatchObject({ workerCalls: MAX_WORKER_TRIES, counted: 0 });
    expect(MAX_WORKER_TRIES * 0.05).toBeLessThan(WAKE_WAIT_MS);
    expect(gone.usesWorkers(0)).toBe(false);
  });

  it('sends a loop of RACE_BELOW_NS or more to the workers after the first samples, without timing them', () => {
    const now = { ms: 0 };
    setParallelClock(() => now.ms);
    const big = new LoopCosts();
    // 2 ms per call on the caller; the worker calls are "slower" here, and still not timed against it.
    const plans = Array.from({ length: 8 }, () => run(big, now, RACE_BELOW_NS / 1e6, 10));
    expect(plans).toEqual([0, 0, 0, 2, 2, 2, 2, 2]);
    expect(big.usesWorkers(0)).toBe(true);
    // Just under the limit, the race runs.
    const under = new LoopCosts();
    const racing = Array.from({ length: 5 }, () => run(under, now, RACE_BELOW_NS / 1e6 - 0.01, 10));
    expect(racing).toEqual([0, 0, 0, -2, -2]);
  });
});

describe('wasm parallel loops: serial path and worker path', () => {
  it('give the same bits as plain JS, and the serial path hands nothing to the workers', async () => {
    const pool = threadPool(memoryPool().memory);
    for (const n of [1, 7, 1000, 4099]) {
      const x = seeded(n, n);
      const y = seeded(n, n + 1);
      const want = Float32Array.from(x, (v, i) => Math.fround(squared(v) + y[i]!));
      const X = nd.array(x);
      const Y = nd.empty([n]);
      const results: Record<string, { got: number[]; dispatched: number }> = {};
      const modes = { serial: [0.001, 0.001], workers: [1, 0.001], large: [1000, 1], always: [0, 0] } as const;
      try {
        for (const [mode, [serialMs, parallelMs]] of Object.entries(modes)) {
          const m = await build(squareAxpy(n), 'wasm -threads=2'); // a fresh module: fresh samples
          if (mode === 'always') setParallelCostModel(ALWAYS_PARALLEL);
          else setParallelClock(fakeClock(serialMs, parallelMs));
          let last: number[] = [];
          const d0 = pool.dispatches;
          for (let r = 0; r < 3 * SAMPLE_CALLS + 2; r++) {
            Y.copyFrom(y);
            await m.run(X, Y);
            last = Array.from(Y.data);
          }
          results[mode] = { got: last, dispatched: pool.dispatches - d0 };
          m.dispose();
          setParallelCostModel(EIGEN_COST_MODEL);
          setParallelClock(realClock);
        }
      } finally {
        X.free();
        Y.free();
      }
      for (const [mode, r] of Object.entries(results)) expect(r.got, `${mode}, n=${n}`).toEqual(Array.from(want));
      expect(results['serial']!.dispatched, `n=${n}`).toBe(0);
      if (n > 1) {
        expect(results['always']!.dispatched, `n=${n}`).toBe(3 * SAMPLE_CALLS + 2);
        // Sampled on the caller (3), then on the workers until 3 calls found the worker awake (4 calls if it joined
        // every one, up to the 8 runs left if it missed some: the real worker may miss a loop this short), then 3 on
        // the caller, then kept on the workers.
        const d = results['workers']!.dispatched;
        expect(d, `n=${n}`).toBeGreaterThanOrEqual(SAMPLE_CALLS + 2);
        expect(d, `n=${n}`).toBeLessThanOrEqual(2 * SAMPLE_CALLS + 2);
        // Past RACE_BELOW_NS: on the workers from the first call after the caller's samples.
        expect(results['large']!.dispatched, `n=${n}`).toBe(2 * SAMPLE_CALLS + 2);
      }
    }
  }, 60_000);
});

describe('wasm parallel loops: nested and consecutive, on every thread count', () => {
  /**
   * Y[i, j] += X[i, j]² · 3 under a parallel i (extent `rows`) holding a parallel j (`cols`, run serially
   * inside the outlined body), then a second parallel loop Z[k] += X[0, k]² · 3 over `cols`: accumulating,
   * so an iteration run twice or skipped shows.
   */
  function nested(rows: number, cols: number): t.PrimFunc {
    const X = t.buffer('X', [rows * cols], 'float32');
    const Y = t.buffer('Y', [rows * cols], 'float32');
    const Z = t.buffer('Z', [cols], 'float32');
    const [i, j, k] = [t.variable('i'), t.variable('j'), t.variable('k')];
    const at = t.add(t.mul(i, t.intImm(cols)), j);
    const sq = (e: t.PrimExpr): t.PrimExpr => t.mul(t.mul(t.bufferLoad(X, [e]), t.bufferLoad(X, [e])), t.floatImm(3));
    const first = t.forLoop(i, 0, rows, 'parallel', t.forLoop(j, 0, cols, 'parallel', t.bufferStore(Y, t.add(t.bufferLoad(Y, [at]), sq(at)), [at])));
    const second = t.forLoop(k, 0, cols, 'parallel', t.bufferStore(Z, t.add(t.bufferLoad(Z, [k]), sq(k)), [k]));
    return t.primFunc('nested_then_flat', [X, Y, Z], t.seq([first, second]), { argShapes: [[rows * cols], [rows * cols], [cols]] });
  }

  it('give plain JS\'s bits for extents 1, 2, 3, odd and under the thread count, run after run', async () => {
    setParallelCostModel(ALWAYS_PARALLEL);
    for (const threads of [2, 3]) {
      for (const [rows, cols] of [[1, 1], [2, 3], [3, 2], [7, 5], [1, 9], [33, 3]] as const) {
        const x = seeded(rows * cols, rows + 10 * cols);
        const X = nd.array(x);
        const Y = nd.array(new Float32Array(rows * cols).fill(1));
        const Z = nd.array(new Float32Array(cols).fill(2));
        const m = await build(nested(rows, cols), `wasm -threads=${threads}`);
        try {
          const runs = 3;
          for (let r = 0; r < runs; r++) await m.run(X, Y, Z);
          const want = Array.from(x, (v) => {
            let y = 1;
            for (let r = 0; r < runs; r++) y = Math.fround(y + squared(v));
            return y;
          });
          const wantZ = Array.from(x.slice(0, cols), (v) => {
            let z = 2;
            for (let r = 0; r < runs; r++) z = Math.fround(z + squared(v));
            return z;
          });
          expect(Array.from(Y.data), `${rows}×${cols} on ${threads} threads`).toEqual(want);
          expect(Array.from(Z.data), `${rows}×${cols} on ${threads} threads`).toEqual(wantZ);
        } finally {
          m.dispose();
          [X, Y, Z].forEach((a) => a.free());
        }
      }
    }
  }, 60_000);
});

describe('graph executor with workers kept hot through a run', () => {
  it('matches onnxruntime-node, bit for bit the same whether loops run on the caller or the workers', async () => {
    const pool = threadPool(memoryPool().memory);
    for (const m of [resnet(), mobilenet()]) {
      const data = Object.fromEntries(Object.entries(m.inputs).map(([k, s], i) => [k, inputData(s, 11 + i)]));
      const ref = await ortRun(m.bytes, Object.fromEntries(Object.entries(data).map(([k, v]) => [k, { data: v, shape: m.inputs[k]! }])));
      const lib = await relayBuild(fromOnnx(m.bytes, { shapes: m.inputs }), { target: 'wasm -threads=2', tuningLogs: [] });
      try {
        const outputs = async (): Promise<number[]> => {
          const [o] = await lib.run(data);
          const v = Array.from(o!.data);
          o!.free();
          return v;
        };
        const caller = await outputs();
        setParallelCostModel(ALWAYS_PARALLEL);
        const d0 = pool.dispatches;
        const workers = await outputs();
        expect(pool.dispatches - d0, m.name).toBeGreaterThan(0);
        expect(pool.hot, 'the pool cools down after the run').toBe(false);
        expect(workers, m.name).toEqual(caller);
        expect(relError(workers, ref[0]!), m.name).toBeLessThan(1e-4);
        await lib.benchmark(data, { repeat: 2, number: 3 });
        expect(pool.hot).toBe(false);
      } finally {
        setParallelCostModel(EIGEN_COST_MODEL);
        lib.dispose();
      }
    }
  }, 120_000);

  it('reports a worker trap in the middle of a hot run, cools the pool, and runs again afterwards', async () => {
    const n = 64;
    const A = t.buffer('A', [n], 'float32');
    const i = t.variable('i');
    // The second half of the iterations (the worker's range, unless the caller takes it over) indexes far outside memory.
    const ix = t.select(t.ge(i, t.intImm(n / 2)), t.mul(i, t.intImm(200_000_000)), i);
    const bad = t.primFunc('oob', [A], t.forLoop(i, 0, n, 'parallel', t.bufferStore(A, t.floatImm(1), [ix])), { argShapes: [[n]] });
    const tensor = (storage: number) => ({ storage, shape: [n], dtype: 'float32' as const });
    const good = await compile(squareAxpy(n, false), 'wasm -threads=2');
    const plan = (kernels: GraphPlan['kernels']): GraphPlan => ({
      format: 'tensortune-graph-plan', version: 1, target: 'wasm -threads=2', storages: [4 * n, 4 * n],
      inputs: [{ name: 'x', ...tensor(0) }], outputs: [{ name: 'y', ...tensor(1) }], constants: [], kernels,
    });
    setParallelCostModel(ALWAYS_PARALLEL);
    const broken = await GraphExecutor.load(plan([
      { name: 'square_scale', artifact: good, args: [tensor(0), tensor(1)] },
      { name: 'oob', artifact: await compile(bad, 'wasm -threads=2'), args: [tensor(1)] },
    ]));
    const pool = threadPool(memoryPool().memory);
    const x = seeded(n, 5);
    await expect(broken.run({ x })).rejects.toThrow(/(parallel loop failed in worker 0|wasm kernel trapped): .*out of bounds/);
    expect(pool.hot).toBe(false);
    broken.dispose();
    const fine = await GraphExecutor.load(plan([{ name: 'square_scale', artifact: good, args: [tensor(0), tensor(1)] }]));
    const [y] = await fine.run({ x });
    expect(Array.from(y!.data)).toEqual(Array.from(x, squared));
    y!.free();
    fine.dispose();
  }, 60_000);
});
