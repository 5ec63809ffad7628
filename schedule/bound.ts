// schedule/bound.ts — bound inference: the region each stage computes (the full shape at root;
// at a computeAt point, exactly what its consumer reads in one iteration of that loop), and
// the extent and value of every loop variable derived from it through splits and fuses.

import * as tir from '../tir/nodes.js';
import type { IterVar, PrimExpr, StorageScope, ThreadTag, Var } from '../tir/nodes.js';
import { postOrderVisitExpr, substituteExpr } from '../tir/functor.js';
import { linAdd, linToExpr, type Linear } from '../tir/arith/linear.js';
import {
  addI, constBounds, floordivI, floormodI, linConstValue, mulI, relaxInterval, type VarRanges,
} from './arith.js';
import type { Stage } from './stage.js';
import { inferStorageScope, relaxedForScope } from './storage_scope.js';
import { Tensor, type ComputeOp, type Operation } from './tensor.js';

export interface StageBound {
  readonly stage: Stage;
  readonly op: ComputeOp;
  /** The body after inlining. */
  readonly body: PrimExpr;
  /** Per data dimension: first index computed (an expression in enclosing loop vars) and count. */
  readonly regionMin: readonly PrimExpr[];
  readonly regionExt: readonly number[];
  /** The extent of every IterVar of the stage: roots, split/fuse results, leaves. */
  readonly extents: ReadonlyMap<IterVar, number>;
  /** Each IterVar's value relative to its range's min, in terms of the leaf loop variables. */
  readonly rel: ReadonlyMap<IterVar, PrimExpr>;
}

/** Leaf extents from root extents through the stage's splits and fuses. */
export function passDown(stage: Stage, rootExtents: ReadonlyMap<IterVar, number>): Map<IterVar, number> {
  const ext = new Map(rootExtents);
  for (const r of stage.relations) {
    if (r.kind === 'split') {
      const e = ext.get(r.parent)!;
      if (r.factor !== undefined) {
        ext.set(r.outer, Math.ceil(e / r.factor));
        ext.set(r.inner, r.factor);
      } else {
        ext.set(r.outer, r.nparts!);
        ext.set(r.inner, Math.ceil(e / r.nparts!));
      }
    } else if (r.kind === 'fuse') {
      ext.set(r.fused, ext.get(r.outer)! * ext.get(r.inner)!);
    } else {
      ext.set(r.iv, 1);
    }
  }
  return ext;
}

/** Relative values of every IterVar from the leaf loop variables (leaves count from 0). */
export function passUp(stage: Stage, extents: ReadonlyMap<IterVar, number>): Map<IterVar, PrimExpr> {
  const rel = new Map<IterVar, PrimExpr>();
  for (const leaf of stage.leafIterVars) rel.set(leaf, leaf.variable);
  for (let k = stage.relations.length - 1; k >= 0; k--) {
    const r = stage.relations[k]!;
    if (r.kind === 'split') {
      const inner = extents.get(r.inner)!;
      rel.set(r.parent, addI(mulI(rel.get(r.outer)!, tir.intImm(inner)), rel.get(r.inner)!));
    } else if (r.kind === 'fuse') {
      const innerExt = extents.get(r.inner)!;
      const f = rel.get(r.fused)!;
      rel.set(r.outer, floordivI(f, innerExt));
      rel.set(r.inner, floormodI(f, innerExt));
    }
  }
  return rel;
}

/**
 * Guards for intermediate axes (split, not root): a split whose factor exceeds or does not divide
 * its parent's extent can push the parent past its extent even when the root stays in range.
 */
export function intermediateGuards(
  stage: Stage, rel: ReadonlyMap<IterVar, PrimExpr>, extents: ReadonlyMap<IterVar, number>,
  ranges: VarRanges,
): { iv: IterVar; cond: PrimExpr }[] {
  const roots = new Set(stage.op.kind === 'compute' ? [...stage.op.axis, ...stage.op.reduceAxis] : []);
  const out: { iv: IterVar; cond: PrimExpr }[] = [];
  for (const r of stage.relations) {
    if (r.kind !== 'split' || roots.has(r.parent)) continue;
    const v = rel.get(r.parent)!;
    const ext = extents.get(r.parent)!;
    if ((constBounds(v, ranges)?.[1] ?? Infinity) > ext - 1) out.push({ iv: r.parent, cond: tir.lt(v, tir.intImm(ext)) });
  }
  return out;
}

/** The absolute value of each root axis (data and reduce) of a bounded stage. */
export function rootValues(b: StageBound): Map<Var, PrimExpr> {
  const m = new Map<Var, PrimExpr>();
  b.op.axis.forEach((a, d) => m.set(a.variable, addI(b.regionMin[d]!, b.rel.get(a)!)));
  for (const a of b.op.reduceAxis) m.set(a.variable, addI(a.dom.min, b.rel.get(a)!));
  return m;
}

/** The reads of `op` in `body` (index lists), in visiting order. */
export function readsOf(body: PrimExpr, op: Operation): (readonly PrimExpr[])[] {
  const out: (readonly PrimExpr[])[] = [];
  postOrderVisitExpr(body, (e) => {
    if (e.kind === 'ProducerLoad' && e.producer instanceof Tensor && e.producer.op === op) out.push(e.indices);
  });
  return out;
}

/** Loop variables bound to a thread index so far, with their ranges. */
type ThreadVars = Map<Var, { readonly tag: ThreadTag; readonly range: tir.Range }>;

function unionBound(a: Linear, b: Linear, pick: 'min' | 'max'): Linear | undefined {
  const d = linConstValue(linAdd(a, b, -1));
  if (d === undefined) return undefined;
  return (pick === 'min' ? d <= 0 : d >= 0) ? a : b;
}

/**
 * The stages from `reader` up its attach chain to just below `target`, and the axis of `target`
 * the chain is attached at; undefined when `reader` is not (transitively) computed inside `target`.
 */
function chainInto(reader: Stage, target: Stage): { stages: Stage[]; axis: IterVar } | undefined {
  const stages: Stage[] = [];
  let s = reader;
  while (s.attach.type === 'scope' && !stages.includes(s)) {
    stages.push(s);
    if (s.attach.stage === target) return { stages, axis: s.attach.axis };
    s = s.attach.stage;
  }
  return undefined;
}

/**
 * The region of `stage` (attached at loop `axis` of `consumer`'s stage) that one iteration of
 * that loop needs: what the attach stage reads of it there, united with what its other readers
 * computed inside that loop read (X→P→Q→R with P and Q both at R's loop: P's region follows from
 * Q's, as in TVM's InferRootBound). Every loop of those readers runs inside the attach point, so
 * all of them are relaxed.
 */
function attachedRegion(
  stage: Stage, op: ComputeOp, consumer: StageBound, axis: IterVar, threads: ThreadVars, scope: StorageScope,
  bounds: ReadonlyMap<Stage, StageBound>, readers: readonly Stage[],
): { min: PrimExpr[]; ext: number[] } {
  const q = consumer.stage;
  const at = q.leafIterVars.indexOf(axis);
  if (at < 0) {
    throw new Error(`computeAt: stage ${stage.name} is attached at axis ${axis.variable.name} of stage ${q.name}, which is no longer a leaf (split or fused after computeAt)`);
  }
  const relax = new Map<Var, tir.Range>();
  // Shared (global) memory serves a whole block (grid): the enclosing thread loops all span it.
  for (const [v, t] of threads) if (relaxedForScope(t.tag, scope)) relax.set(v, t.range);
  q.leafIterVars.forEach((leaf, i) => {
    if (i > at || relaxedForScope(q.iterAttrs.get(leaf)?.threadTag, scope)) {
      relax.set(leaf.variable, tir.range(0, consumer.extents.get(leaf)!));
    }
  });
  const sources: { values: Map<Var, PrimExpr>; reads: (readonly PrimExpr[])[] }[] = [];
  const direct = readsOf(consumer.body, op);
  if (direct.length > 0) sources.push({ values: rootValues(consumer), reads: direct });
  for (const r of readers) {
    if (r === q) continue;
    const chain = chainInto(r, q);
    if (!chain || q.leafIterVars.indexOf(chain.axis) < at) {
      throw new Error(`computeAt: stage ${stage.name} is attached inside stage ${q.name} at ${axis.variable.name} but is also read by stage ${r.name}, which is not computed inside that loop; attach ${r.name} there too (computeAt(${q.name}, ${axis.variable.name}) or deeper), attach ${stage.name} at root, or inline it`);
    }
    for (const st of chain.stages) {
      const b = bounds.get(st)!;
      for (const leaf of st.leafIterVars) relax.set(leaf.variable, tir.range(0, b.extents.get(leaf)!));
    }
    const rb = bounds.get(r)!;
    sources.push({ values: rootValues(rb), reads: readsOf(rb.body, op) });
  }
  if (sources.length === 0) throw new Error(`computeAt: stage ${stage.name} is attached to stage ${q.name}, which does not read it`);
  const min: PrimExpr[] = [];
  const ext: number[] = [];
  op.shape.forEach((dim, d) => {
    let lo: Linear | undefined;
    let hi: Linear | undefined;
    let ok = true;
    for (const { values, reads } of sources) for (const idx of reads) {
      const iv = relaxInterval(substituteExpr(idx[d]!, values), relax);
      if (!iv) { ok = false; break; }
      lo = lo === undefined ? iv.min : unionBound(lo, iv.min, 'min');
      hi = hi === undefined ? iv.max : unionBound(hi, iv.max, 'max');
      if (!lo || !hi) { ok = false; break; }
    }
    const e = ok && lo && hi ? linConstValue(linAdd(hi, lo, -1)) : undefined;
    if (e === undefined || !lo) {
      // Not provably a constant-size window: compute the whole dimension (correct, just more work).
      min.push(tir.intImm(0));
      ext.push(dim);
      return;
    }
    const c = linConstValue(lo);
    if (c !== undefined) {
      const first = Math.max(c, 0);
      const last = Math.min(c + e, dim - 1);
      min.push(tir.intImm(first));
      ext.push(Math.max(last - first + 1, 1));
    } else if (e + 1 >= dim) {
      min.push(tir.intImm(0));
      ext.push(dim);
    } else {
      min.push(linToExpr(lo));
      ext.push(e + 1);
    }
  });
  return { min, ext };
}

/**
 * Bounds for every non-inlined stage. `order` is dataflow order (producers first); each
 * attached stage's consumer is bounded before it. `varRanges` receives the numeric range of
 * every leaf loop variable, for guard decisions later.
 */
export function inferBounds(
  order: readonly Stage[],
  bodies: ReadonlyMap<Operation, PrimExpr>,
  readers: ReadonlyMap<Stage, readonly Stage[]>,
  varRanges: Map<Var, tir.Range>,
): Map<Stage, StageBound> {
  const out = new Map<Stage, StageBound>();
  const threads: ThreadVars = new Map();
  for (let k = order.length - 1; k >= 0; k--) {
    const stage = order[k]!;
    const op = stage.op as ComputeOp;
    const body = bodies.get(op)!;
    let region: { min: PrimExpr[]; ext: number[] };
    const attach = stage.attach;
    if (attach.type === 'scope') {
      const consumer = out.get(attach.stage);
      if (!consumer) {
        throw new Error(`computeAt: stage ${stage.name} is attached to stage ${attach.stage.name}, which ${attach.stage.attach.type === 'inline' ? 'is inlined' : 'does not consume it in this schedule'}`);
      }
      region = attachedRegion(stage, op, consumer, attach.axis, threads, inferStorageScope(stage), out, readers.get(stage) ?? []);
    } else {
      region = { min: op.shape.map(() => tir.intImm(0)), ext: [...op.shape] };
    }
    const rootExt = new Map<IterVar, number>();
    op.axis.forEach((a, d) => rootExt.set(a, region.ext[d]!));
    for (const a of op.reduceAxis) rootExt.set(a, tir.asConstInt(a.dom.extent)!);
    const extents = passDown(stage, rootExt);
    const rel = passUp(stage, extents);
    for (const leaf of stage.leafIterVars) {
      const range = tir.range(0, extents.get(leaf)!);
      varRanges.set(leaf.variable, range);
      const tag = stage.iterAttrs.get(leaf)?.threadTag;
      if (tag) threads.set(leaf.variable, { tag, range });
    }
    out.set(stage, { stage, op, body, regionMin: region.min, regionExt: region.ext, extents, rel });
  }
  return out;
}
