// ops/schedule_pool_wasm.ts — default wasm schedule of a 2-D pool (ops/nn/pool.ts: max pool, the sum of an
// average pool) with its elementwise epilogue, after TOPI's x86 schedule_pool (python/tvm/topi/x86/pooling.py):
// the output's N×C loop parallel, rows in order, the output row split by 4 with the 4 lanes vectorized
// (f32x4 over output columns); the pool accumulates those 4 outputs in a register (a 'local' stage computed
// at the column block) over the window, then the epilogue stores them. Window positions in the padding
// are read through the lazy guarded read of ops/nn/pool.ts, which loop partitioning
// (tir/passes/loop_partition.ts) removes from every interior row and column block.

import type { Schedule } from '../schedule/schedule.js';
import type { Stage } from '../schedule/stage.js';
import { inputTensors, type Operation, type Tensor } from '../schedule/tensor.js';
import type { IterVar } from '../tir/nodes.js';
import { extentOf, WASM_VECTOR_LANES } from './schedule_wasm.js';
import { TAG } from './tags.js';

/** Whether `op` is a pool reduction of ops/nn/pool.ts (4 data axes, or 5 packed NCHW[x]c; 2 window axes). */
export function isPoolStage(op: Operation): boolean {
  return op.kind === 'compute' && op.tag === TAG.pool && (op.axis.length === 4 || op.axis.length === 5) && op.reduceAxis.length === 2;
}

/** Whether `op` reads `pool`, directly or through stages that will be inlined into it. */
function reads(s: Schedule, op: Operation, pool: Operation, seen: Set<Operation>): boolean {
  if (seen.has(op)) return false;
  seen.add(op);
  return inputTensors(op).some((t) => t.op === pool || (t.op.kind === 'compute' && s.stage(t).attach.type === 'inline' && reads(s, t.op, pool, seen)));
}

/** The one output of `outs` reading `pool` directly with the pool's shape (its epilogue), if any. */
function epilogueOf(s: Schedule, poolStage: Stage, outs: readonly Tensor[]): Tensor | undefined {
  const pool = poolStage.op;
  if (outs.some((t) => s.stage(t) === poolStage)) return undefined;
  // Every stage left reading the pool (injective ones were inlined) must be that one output.
  const readers = s.stages.filter((st) => st !== poolStage && st.attach.type !== 'inline' && reads(s, st.op, pool, new Set()));
  if (readers.length !== 1) return undefined;
  const o = outs.find((t) => s.stage(t) === readers[0]);
  if (!o) return undefined;
  const dims = s.stage(o).axis.map((a) => extentOf(a));
  const want = poolStage.axis.map((a) => extentOf(a));
  return dims.length === want.length && dims.every((d, i) => d === want[i]) ? o : undefined;
}

/**
 * Schedules `out` as the pool's driver: N×C fused parallel, rows, columns split by 4 (vectorized); packed
 * (5-D NCHW[x]c, TOPI x86 schedule_pool's layout-aware path) the block lanes split by 4 and vectorized
 * instead, each column's 4 lanes the block.
 */
function driveOutput(out: Stage): { block: IterVar } {
  if (out.axis.length === 5) {
    const [n, c, , x, b] = out.axis as [IterVar, IterVar, IterVar, IterVar, IterVar];
    out.parallel(out.fuse(n, c));
    if (extentOf(b) % WASM_VECTOR_LANES !== 0) return { block: x };
    const [bo, bi] = out.split(b, { factor: WASM_VECTOR_LANES });
    out.vectorize(bi);
    return { block: bo };
  }
  const [n, c, y, x] = out.axis as [IterVar, IterVar, IterVar, IterVar];
  const ow = extentOf(x);
  const nc = out.fuse(n, c);
  out.parallel(nc);
  if (ow < WASM_VECTOR_LANES) return { block: y };
  const [xo, xi] = out.split(x, { factor: WASM_VECTOR_LANES });
  out.vectorize(xi);
  return { block: xo };
}

/**
 * Schedules the pool stage `poolStage` (and the output reading it, when there is one) for wasm. The
 * pool stage is moved to 'local' scope and computed per block of ≤ 4 output columns; its column loop
 * goes innermost (inside the window loops) and is vectorized. Returns the stages it scheduled.
 */
export function schedulePoolWasm(s: Schedule, poolStage: Stage, outs: readonly Tensor[]): Stage[] {
  let epi = epilogueOf(s, poolStage, outs);
  let pool = poolStage;
  if (!epi) {
    // The pool is itself the output: accumulate in a local copy, store through the output stage.
    const t = outs.find((o) => s.stage(o) === poolStage);
    if (!t) return [];
    s.cacheWrite(t, 'local');
    epi = t;
    pool = s.stages.find((st) => st !== s.stage(t) && isPoolStage(st.op) && inputTensors(s.stage(t).op).some((i) => i.op === st.op))!;
  }
  const out = s.stage(epi);
  const { block } = driveOutput(out);
  pool.scope = 'local';
  pool.computeAt(out, block);
  const [ry, rx] = pool.reduceAxis as [IterVar, IterVar];
  if (pool.axis.length === 5) {
    // Packed: the 4 block lanes of one output column accumulate in one f32x4 register.
    const pb = pool.axis[4]!;
    pool.reorder(ry, rx, pb);
    if (extentOf(out.axis[4]!) % WASM_VECTOR_LANES === 0) pool.vectorize(pb);
    return [out, pool];
  }
  const px = pool.axis[3]!;
  pool.reorder(ry, rx, px);
  if (extentOf(out.axis[3]!) >= WASM_VECTOR_LANES) pool.vectorize(px);
  return [out, pool];
}
