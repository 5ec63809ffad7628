// ops/schedule_wasm.ts — default (untuned) wasm schedules of root stages, as TVM's x86 schedule_injective
// and schedule_reduce: the outer loops fused and parallel over the worker threads, the innermost axis
// split by 4 and vectorized (f32x4) where it is the contiguous axis and 4 divides it.

import type { Schedule } from '../schedule/schedule.js';
import type { Stage } from '../schedule/stage.js';
import * as tir from '../tir/nodes.js';
import type { IterVar, PrimExpr } from '../tir/nodes.js';
import { postOrderVisitExpr } from '../tir/functor.js';
import { exprUses } from '../tir/passes/ir_query.js';

/** f32x4: one wasm SIMD register. */
export const WASM_VECTOR_LANES = 4;

export function extentOf(iv: IterVar): number {
  return tir.asConstInt(iv.dom.extent) ?? 1;
}

/**
 * A contiguous row this long is vectorized even where 4 does not divide it: split by 4, the last partial
 * vector is a guarded tail that tir.loopPartition cuts off (≤ 3 scalar elements), so the body runs
 * f32x4. PP-OCRv4 rec's softmax over 6625 classes (5³·53) ran all scalar: 8.4 ms of its 82 ms
 * (bench/results/model13b-s13-profile.md). Shorter rows keep the scalar loop (a tail of up to 3 of
 * fewer than 16 elements is a large share).
 */
export const MIN_TAILED_ROW = 16;

/** Splits `last` by the vector width and vectorizes the inner part when 4 divides it; returns the loop left outside. */
function vectorizeInner(st: Stage, last: IterVar): { outer: IterVar | undefined; inner: IterVar | undefined } {
  if (extentOf(last) % WASM_VECTOR_LANES !== 0 && extentOf(last) < MIN_TAILED_ROW) return { outer: last, inner: undefined };
  if (extentOf(last) === WASM_VECTOR_LANES) {
    st.vectorize(last);
    return { outer: undefined, inner: last };
  }
  const [o, i] = st.split(last, { factor: WASM_VECTOR_LANES });
  st.vectorize(i);
  return { outer: o, inner: i };
}

/**
 * Elementwise/injective root stage: the innermost axis (of extent > 1) is the row, split by 4 and
 * vectorized where 4 divides it; the outer axes are fused into one parallel loop. A row of ≥ 2 vectors
 * (or ≥ 4 scalars) stays a loop of its own inside; a shorter one is fused in too.
 */
export function scheduleInjectiveWasm(st: Stage): void {
  const axes = [...st.axis];
  if (axes.length === 0) return;
  // Trailing axes of extent 1 (a layout's `…x1` block) are moved outside: the innermost real axis is the row.
  let k = axes.length - 1;
  while (k > 0 && extentOf(axes[k]!) === 1) k--;
  const units = axes.slice(k + 1);
  if (units.length > 0) st.reorder(...axes.slice(0, k), ...units, axes[k]!);
  const { outer } = vectorizeInner(st, axes[k]!);
  const rows = [...axes.slice(0, k), ...units];
  // A row of ≥ 2 vectors (or ≥ 4 scalars) keeps its own inner loop, so its indices need no div/mod per
  // element (the codegen does not strength-reduce them); the rows are fused into the parallel loop.
  if (rows.length > 0 && outer && extentOf(outer) >= (outer === axes[k] ? 4 : 2)) {
    st.parallel(rows.length === 1 ? rows[0]! : st.fuse(...rows));
    return;
  }
  const loops = [...rows, ...(outer ? [outer] : [])];
  if (loops.length === 0) return;
  st.parallel(loops.length === 1 ? loops[0]! : st.fuse(...loops));
}

/**
 * Whether every tensor read in `body` indexes its last dimension by exactly `v` (so lanes along v are
 * contiguous); with `invariantOk`, reads that do not depend on v at all (a broadcast, such as softmax's
 * row maximum inside Σ exp(x − max)) are allowed too, as long as one read is contiguous.
 */
function contiguousAlong(body: PrimExpr, v: tir.Var, invariantOk = false): boolean {
  let ok = true;
  let reads = 0;
  postOrderVisitExpr(body, (e) => {
    if (e.kind !== 'ProducerLoad') return;
    const last = e.indices[e.indices.length - 1];
    if (last && last.kind === 'Var' && last === v) reads++;
    else if (!(invariantOk && !e.indices.some((i) => exprUses(i, (x) => x === v)))) ok = false;
  });
  return ok && reads > 0;
}

/**
 * Reduction root stage: data loops outside (fused, parallel), reduce loops inside. When the last
 * data axis is contiguous in every input (a reduction over outer axes), it moves inside the
 * reduce loops, split by 4 and vectorized: each step accumulates four outputs at once.
 */
export function scheduleReduceWasm(s: Schedule, st: Stage): void {
  const data = [...st.axis];
  const red = [...st.reduceAxis];
  if (data.length === 0) return;
  const op = st.op;
  const last = data[data.length - 1]!;
  const body = op.kind === 'compute' ? (op.body.kind === 'Reduce' ? op.body.source : op.body) : undefined;
  let loops = data;
  if (body && extentOf(last) % WASM_VECTOR_LANES === 0 && contiguousAlong(body, last.variable)) {
    const [o, i] = extentOf(last) === WASM_VECTOR_LANES ? [undefined, last] : st.split(last, { factor: WASM_VECTOR_LANES });
    st.reorder(...data.slice(0, -1), ...(o ? [o] : []), ...red, i);
    st.vectorize(i);
    loops = [...data.slice(0, -1), ...(o ? [o] : [])];
  } else if (body && vectorizeInnerReduction(s, st, body)) {
    return;
  }
  if (loops.length === 0) return;
  st.parallel(loops.length === 1 ? loops[0]! : st.fuse(...loops));
}

/**
 * A reduction over the contiguous axis (global average pooling's sum over H×W of NCHW, a row sum): the
 * innermost reduce axis split by 4 and rfactor'd (TVM's rfactor, as its x86 schedule_reduce does for an
 * inner reduction), so four partial sums accumulate in one f32x4 register along contiguous f32x4 loads
 * (a 'local' stage computed per output), which the output then adds up. The scalar loop it replaces was
 * one dependent add per element: [1,200,2,96] took 106 µs of PaddleOCR cls's 2.4 ms (ten such pools,
 * 24 % of the model; bench/results/model13-s13-profile.md). Only where the axis holds at least 2 vectors
 * and 4 divides it or it is a long row (MIN_TAILED_ROW, a guarded tail); returns whether it applied (the
 * data loops then fused and parallel).
 */
function vectorizeInnerReduction(s: Schedule, st: Stage, body: PrimExpr): boolean {
  const inner = st.reduceAxis[st.reduceAxis.length - 1];
  if (inner === undefined || extentOf(inner) < 2 * WASM_VECTOR_LANES) return false;
  if (extentOf(inner) % WASM_VECTOR_LANES !== 0 && extentOf(inner) < MIN_TAILED_ROW) return false;
  if (!contiguousAlong(body, inner.variable, true)) return false;
  // Two accumulators where 8 divides the axis: the adds into one register wait on each other (fadd latency).
  // A row 4 does not divide (a long one, MIN_TAILED_ROW) has a guarded tail either way: two accumulators too.
  const width = extentOf(inner) % (2 * WASM_VECTOR_LANES) === 0 || extentOf(inner) % WASM_VECTOR_LANES !== 0 ? 2 * WASM_VECTOR_LANES : WASM_VECTOR_LANES;
  const [, lanes] = st.split(inner, { factor: width });
  const rf = s.stage(s.rfactor(s.outputOf(st), lanes));
  rf.scope = 'local';
  const axes = [...st.axis];
  const outer = axes.length === 1 ? axes[0]! : st.fuse(...axes);
  st.parallel(outer);
  rf.computeAt(st, outer);
  const [lane] = rf.axis as [IterVar];
  if (width === WASM_VECTOR_LANES) {
    rf.reorder(...rf.reduceAxis, lane);
    rf.vectorize(lane);
  } else {
    const [acc, vec] = rf.split(lane, { factor: WASM_VECTOR_LANES });
    rf.reorder(...rf.reduceAxis, acc, vec);
    rf.unroll(acc);
    rf.vectorize(vec);
  }
  return true;
}
