// bench/bench_util.ts — small host-side helpers shared by the benchmarks and the WebGPU tests:
// NDArrayLike host arrays, a seeded filler, and the naive GPU-style matmul kernel (the baseline
// a tuned schedule is compared with), a CPU-time clock for one call, and a template's default config with
// some knobs overridden (the *_variants benchmarks). Benchmarks import these from here,
// never from tests/.

import * as T from '../tir/nodes.js';
import type { DataType } from '../tir/nodes.js';
import type { NDArrayLike } from '../runtime/module.js';
import type { Task } from '../autotune/task.js';
import type { ConfigEntity } from '../autotune/space.js';
import { buildCandidate } from '../autotune/measure/build_candidate.js';
import { load } from '../runtime/build.js';
import { array } from '../runtime/ndarray.js';

/** A host array of `shape`, zero-filled or filled by `fill(flatIndex)`. */
export function hostArray(shape: readonly number[], dtype: DataType = 'float32', fill?: (i: number) => number): NDArrayLike {
  const size = shape.reduce((a, b) => a * b, 1);
  const data = dtype === 'int32' ? new Int32Array(size) : new Float32Array(size);
  if (fill) for (let i = 0; i < size; i++) data[i] = fill(i);
  return { shape: [...shape], dtype, size, data };
}

/** A deterministic pseudo-random filler in [-1, 1) (a tiny LCG, so failures reproduce). */
export function seeded(seed: number): (i: number) => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

/** `n` values of the seeded filler in [-1, 1): the same numbers for the same seed in every benchmark. */
export function seededArray(n: number, seed: number): Float32Array {
  return Float32Array.from({ length: n }, seeded(seed));
}

const i32 = (v: number): T.IntImm => T.intImm(v);

/** A thread-bound loop. */
function bound(v: T.Var, extent: number, tag: T.ThreadTag, body: T.Stmt): T.Stmt {
  return T.forLoop(v, 0, extent, 'threadBinding', body, { threadTag: tag });
}

/** One thread per output element: C[i,j] = Σ_k A[i,k]·B[k,j], no shared memory. */
export function naiveMatmul(M: number, N: number, K: number, block = 8): T.PrimFunc {
  const A = T.buffer('A', [M * K], 'float32');
  const B = T.buffer('B', [K * N], 'float32');
  const C = T.buffer('C', [M * N], 'float32');
  const acc = T.buffer('C_local', [1], 'float32', 'local');
  const by = T.variable('by'), bx = T.variable('bx'), ty = T.variable('ty'), tx = T.variable('tx'), k = T.variable('k');
  const row = T.add(T.mul(by, i32(block)), ty), col = T.add(T.mul(bx, i32(block)), tx);
  const body = T.ifThenElse(T.and(T.lt(row, i32(M)), T.lt(col, i32(N))), T.seq([
    T.bufferStore(acc, T.floatImm(0), [i32(0)]),
    T.forLoop(k, 0, K, 'serial', T.bufferStore(acc, T.add(T.bufferLoad(acc, [i32(0)]),
      T.mul(T.bufferLoad(A, [T.add(T.mul(row, i32(K)), k)]), T.bufferLoad(B, [T.add(T.mul(k, i32(N)), col)]))), [i32(0)])),
    T.bufferStore(C, T.bufferLoad(acc, [i32(0)]), [T.add(T.mul(row, i32(N)), col)]),
  ]));
  const kernel = bound(by, Math.ceil(M / block), 'blockIdx.y', bound(bx, Math.ceil(N / block), 'blockIdx.x',
    bound(ty, block, 'threadIdx.y', bound(tx, block, 'threadIdx.x', T.allocate(acc, body)))));
  return T.primFunc('matmul_naive', [A, B, C], kernel, { argShapes: [[M, K], [K, N], [M, N]] });
}

/**
 * Seconds of this process's CPU time (user + system, all threads) per call of `fn`: calls repeated for ≥ 20 ms
 * of wall time, best of 3. For single-threaded work on a loaded machine (what the OS gave others is not counted).
 */
export async function cpuSeconds(fn: () => Promise<void> | void): Promise<number> {
  let best = Infinity;
  for (let rep = 0; rep < 3; rep++) {
    let k = 0;
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    do { await fn(); k++; } while (performance.now() - w0 < 20);
    const c = process.cpuUsage(c0);
    best = Math.min(best, (c.user + c.system) / 1e6 / k);
  }
  return best;
}

/** As cpuSeconds, by the wall clock (a multi-threaded kernel's time; noisy on a loaded machine). */
export async function wallSeconds(fn: () => Promise<void> | void): Promise<number> {
  let best = Infinity;
  for (let rep = 0; rep < 3; rep++) {
    let k = 0;
    const w0 = performance.now();
    do { await fn(); k++; } while (performance.now() - w0 < 20);
    best = Math.min(best, (performance.now() - w0) / 1e3 / k);
  }
  return best;
}

/** A built model as bench scripts time it (relay's GraphModule): run on named inputs, outputs freed. */
interface RunnableModel {
  run(inputs: Record<string, Float32Array>): Promise<ReadonlyArray<{ free(): void }>>;
}

/**
 * Per model, its best cpuSeconds per run over `rounds` rounds, the models alternated within each round (each run
 * once first, so compilation is outside the timing). Returns seconds keyed as `models`.
 */
export async function bestModelSeconds<K extends string>(models: Record<K, RunnableModel>, inputs: Record<string, Float32Array>, rounds: number): Promise<Record<K, number>> {
  const runs = Object.entries(models).map(([name, m]) => [name, async () => (await (m as RunnableModel).run(inputs)).forEach((o) => o.free())] as const);
  for (const [, fn] of runs) await fn();
  const best = Object.fromEntries(runs.map(([name]) => [name, Infinity])) as Record<string, number>;
  for (let r = 0; r < rounds; r++) for (const [name, fn] of runs) best[name] = Math.min(best[name]!, await cpuSeconds(fn));
  return best as Record<K, number>;
}

/**
 * The config of `task` that is its default with the knobs of `over` set (knob name → value), as the
 * `bench/*_variants.ts` scripts take them. Throws Error naming the variant for a knob the template lacks,
 * a value its space lacks, or a config its multiFilter refuses.
 */
export function variantConfig(task: Task, name: string, over: Readonly<Record<string, unknown>>): ConfigEntity {
  const def = task.defaultConfig!()!.toData();
  for (const k of Object.keys(over)) {
    if (!def.entity.some((e) => e[0] === k)) throw new Error(`variant '${name}': ${task.name} has no knob '${k}' (knobs: ${def.entity.map((e) => e[0]).join(', ')})`);
  }
  const entity = def.entity.map((e) => (e[0] in over ? [e[0], e[1], over[e[0]]] : e)) as typeof def.entity;
  let c: ConfigEntity;
  try { c = task.space.entityFromData({ ...def, entity }); } catch (e) { throw new Error(`variant '${name}': ${(e as Error).message}`); }
  if (!task.space.isIndexValid(c.index)) throw new Error(`variant '${name}': the template's space refuses this config (its multiFilter)`);
  return c;
}

/**
 * Builds `task`'s default and each variant (name → knob overrides, see variantConfig) and returns a run per
 * built one, all on the same seeded inputs; a variant that does not build is reported on the console and
 * left out. Throws variantConfig's Error for a bad variant.
 */
export async function buildVariants(task: Task, variants: Readonly<Record<string, Readonly<Record<string, unknown>>>>): Promise<Map<string, () => Promise<void> | void>> {
  const arrays = task.naive().tensors.map((t, i) => array(seededArray(t.dims.reduce((a, b) => a * b, 1), i + 1), [...t.dims]));
  const runs = new Map<string, () => Promise<void> | void>();
  for (const [name, over] of Object.entries({ default: {}, ...variants })) {
    const c = variantConfig(task, name, over);
    const b = await buildCandidate({ taskName: task.name, args: task.args, target: task.target, configIndex: c.index });
    if (!b.artifact) { console.log(`${name}: did not build (${b.errorMsg?.split('\n')[0]})`); continue; }
    const m = await load(b.artifact);
    runs.set(name, () => m.run(...arrays));
  }
  return runs;
}
