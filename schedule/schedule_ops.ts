// schedule/schedule_ops.ts — schedule → loop nest: turns the stages (their leaf axes, relations,
// annotations and attach points) into an unlowered PrimFunc with multi-dimensional buffers.
// Reductions become init + update; non-dividing splits get guards; tensor reads become loads.

import * as tir from '../tir/nodes.js';
import type { Buffer, IterVar, PrimExpr, PrimFunc, Stmt, Var } from '../tir/nodes.js';
import { StmtExprMutator, substituteExpr } from '../tir/functor.js';
import { addI, constBounds, subI, type VarRanges } from './arith.js';
import { inferStorageScope } from './storage_scope.js';
import { inferBounds, intermediateGuards, rootValues, type StageBound } from './bound.js';
import { inlineBodies } from './inline.js';
import type { Schedule } from './schedule.js';
import type { Stage } from './stage.js';
import { postOrderOps, Tensor, tensorOf, tensorsRead, type ComputeOp, type Operation } from './tensor.js';

/** Where each tensor lives: its buffer and the first index of the region it holds. */
interface Storage { readonly buffer: Buffer; readonly min: readonly PrimExpr[] }

/** Replaces tensor reads by buffer loads, shifting indices by the stored region's start. */
class LoadsToBuffers extends StmtExprMutator {
  constructor(private readonly storage: ReadonlyMap<Operation, Storage>, private readonly where: string) {
    super();
  }
  override mutateExpr(e: PrimExpr): PrimExpr {
    if (e.kind === 'ProducerLoad') {
      const op = (e.producer as Tensor).op;
      const st = this.storage.get(op);
      if (!st) throw new Error(`lower: stage ${this.where} reads tensor ${e.producer.name}, which is neither in args nor computed by the schedule`);
      const idx = e.indices.map((i, d) => subI(this.mutateExpr(i), st.min[d]!));
      return tir.bufferLoad(st.buffer, idx);
    }
    return super.mutateExpr(e);
  }
}

function loop(stage: Stage, leaf: IterVar, extent: number, body: Stmt, loopVar: Var = leaf.variable): Stmt {
  const attr = stage.iterAttrs.get(leaf);
  const annotations: Record<string, number> = {};
  for (const [k, v] of Object.entries(attr?.pragmas ?? {})) annotations[`pragma_${k}`] = v;
  const opts = attr?.threadTag ? { threadTag: attr.threadTag, annotations } : { annotations };
  return tir.forLoop(loopVar, 0, extent, attr?.forKind ?? 'serial', body, opts);
}

function allOf(conds: readonly PrimExpr[]): PrimExpr | undefined {
  return conds.length === 0 ? undefined : conds.reduce((a, b) => tir.and(a, b));
}

function guarded(conds: readonly PrimExpr[], s: Stmt): Stmt {
  const c = allOf(conds);
  return c ? tir.ifThenElse(c, s) : s;
}

/** Guards keeping a stage inside its split extents and inside its tensor's shape. */
function guards(b: StageBound, ranges: VarRanges): { data: PrimExpr[]; reduce: PrimExpr[] } {
  const data: PrimExpr[] = [];
  const reduce: PrimExpr[] = [];
  b.op.axis.forEach((a, d) => {
    const rel = b.rel.get(a)!;
    const ext = b.extents.get(a)!;
    const hi = constBounds(rel, ranges)?.[1] ?? Infinity;
    if (hi > ext - 1) data.push(tir.lt(rel, tir.intImm(ext)));
    const minB = constBounds(b.regionMin[d]!, ranges) ?? [-Infinity, Infinity];
    const abs = addI(b.regionMin[d]!, rel);
    if (minB[1] + Math.min(hi, ext - 1) > b.op.shape[d]! - 1) data.push(tir.lt(abs, tir.intImm(b.op.shape[d]!)));
    if (minB[0] < 0) data.push(tir.ge(abs, tir.intImm(0)));
  });
  for (const a of b.op.reduceAxis) {
    const rel = b.rel.get(a)!;
    const ext = b.extents.get(a)!;
    const hi = constBounds(rel, ranges)?.[1] ?? Infinity;
    if (hi > ext - 1) reduce.push(tir.lt(rel, tir.intImm(ext)));
  }
  for (const { iv, cond } of intermediateGuards(b.stage, b.rel, b.extents, ranges)) {
    (iv.iterType === 'reduce' ? reduce : data).push(cond);
  }
  return { data, reduce };
}

interface Ctx {
  readonly bounds: ReadonlyMap<Stage, StageBound>;
  readonly storage: ReadonlyMap<Operation, Storage>;
  readonly attached: ReadonlyMap<IterVar, readonly Stage[]>;
  readonly ranges: VarRanges;
}

/** The loop nest of one stage, with the stages attached to its loops nested inside. */
function stageNest(stage: Stage, ctx: Ctx): Stmt {
  const b = ctx.bounds.get(stage)!;
  const st = ctx.storage.get(b.op)!;
  const values = rootValues(b);
  const toBuffers = new LoadsToBuffers(ctx.storage, stage.name);
  const rewrite = (e: PrimExpr): PrimExpr => toBuffers.mutateExpr(substituteExpr(e, values));
  const idx = b.op.axis.map((a) => b.rel.get(a)!);
  const g = guards(b, ctx.ranges);
  const leaves = stage.leafIterVars;
  const firstReduce = leaves.findIndex((l) => l.iterType === 'reduce');
  let inner: Stmt;
  let init: Stmt | undefined;
  if (b.body.kind === 'Reduce') {
    const red = b.body;
    const acc = tir.bufferLoad(st.buffer, idx);
    const update = tir.bufferStore(st.buffer, tir.reducerCombine(red.combiner, acc, rewrite(red.source)), idx);
    const cond = tir.asConstInt(red.condition) === 1 ? [] : [rewrite(red.condition)];
    inner = guarded([...g.data, ...g.reduce, ...cond], update);
    // The init runs where the reduction starts, over fresh copies of the data loops inside it.
    const fresh = new Map<Var, PrimExpr>();
    const initLeaves = leaves.slice(firstReduce).filter((l) => l.iterType !== 'reduce');
    for (const l of initLeaves) fresh.set(l.variable, tir.variable(`${l.variable.name}_init`));
    const initIdx = idx.map((e) => substituteExpr(e, fresh));
    let initStmt = guarded(g.data.map((c) => substituteExpr(c, fresh)), tir.bufferStore(st.buffer, tir.reducerIdentity(red.combiner, b.op.dtype), initIdx));
    for (let i = initLeaves.length - 1; i >= 0; i--) {
      const l = initLeaves[i]!;
      initStmt = loop(stage, l, b.extents.get(l)!, initStmt, fresh.get(l.variable) as Var);
    }
    init = initStmt;
  } else {
    inner = guarded(g.data, tir.bufferStore(st.buffer, rewrite(b.body), idx));
  }
  const split = firstReduce < 0 ? leaves.length : firstReduce;
  for (let i = leaves.length - 1; i >= 0; i--) {
    if (i === split - 1 && init) {
      inner = tir.seq([init, inner]);
      init = undefined;
    }
    const leaf = leaves[i]!;
    inner = loop(stage, leaf, b.extents.get(leaf)!, withAttached(leaf, inner, ctx));
  }
  if (init) inner = tir.seq([init, inner]);
  return inner;
}

/** `body` preceded by the stages attached at `leaf`, each in its own allocation. */
function withAttached(leaf: IterVar, body: Stmt, ctx: Ctx): Stmt {
  const kids = ctx.attached.get(leaf) ?? [];
  let out = tir.seq([...kids.map((k) => stageNest(k, ctx)), body]);
  for (let i = kids.length - 1; i >= 0; i--) out = tir.allocate(ctx.storage.get(kids[i]!.op)!.buffer, out);
  return out;
}

/** Builds the unlowered PrimFunc of a schedule; `args` become the params, in order. */
export function scheduleOps(s: Schedule, args: readonly Tensor[], name: string): PrimFunc {
  const ops = postOrderOps(s.outputs.map((t) => tensorOf(s.stage(t).op)));
  const stageOf = (op: Operation): Stage => s.stage(tensorOf(op));
  const inlined = new Set(ops.filter((op) => stageOf(op).attach.type === 'inline'));
  const computeOps = ops.filter((op): op is ComputeOp => op.kind === 'compute');
  const bodies = inlineBodies(computeOps, inlined);
  const order = computeOps.filter((op) => !inlined.has(op)).map(stageOf);
  const readers = new Map<Stage, Stage[]>();
  for (const r of order) {
    for (const t of tensorsRead(bodies.get(r.op)!, r.name)) {
      const p = stageOf(t.op);
      readers.set(p, [...(readers.get(p) ?? []), r]);
    }
  }
  const ranges = new Map<Var, tir.Range>();
  const bounds = inferBounds(order, bodies, readers, ranges);

  const storage = new Map<Operation, Storage>();
  const params: Buffer[] = [];
  for (const t of args) {
    if (!(t instanceof Tensor)) throw new TypeError(`lower ${name}: args must be te.Tensor values`);
    if (t.op.kind === 'placeholder') {
      if (storage.has(t.op)) throw new Error(`lower ${name}: tensor ${t.name} is given twice in args`);
      const buffer = tir.buffer(t.name, t.op.shape, t.op.dtype, 'global');
      params.push(buffer);
      storage.set(t.op, { buffer, min: t.op.shape.map(() => tir.intImm(0)) });
      continue;
    }
    const st = s.stage(t);
    if (storage.has(st.op)) throw new Error(`lower ${name}: tensor ${t.name} is given twice in args`);
    if (st.attach.type !== 'root') {
      throw new Error(`lower ${name}: tensor ${t.name} is in args but its stage is ${st.attach.type === 'inline' ? 'inlined' : 'attached with computeAt'}; args must be root stages`);
    }
    const buffer = tir.buffer(t.name, st.op.shape, st.op.dtype, 'global');
    params.push(buffer);
    storage.set(st.op, { buffer, min: st.op.shape.map(() => tir.intImm(0)) });
  }
  for (const t of s.outputs) {
    if (!storage.has(s.stage(t).op)) throw new Error(`lower ${name}: output ${t.name} is not in args`);
  }
  const rootAllocs: Buffer[] = [];
  for (const st of order) {
    if (storage.has(st.op)) continue;
    const b = bounds.get(st)!;
    const buffer = tir.buffer(st.name, b.regionExt, st.op.dtype, inferStorageScope(st));
    storage.set(st.op, { buffer, min: b.regionMin });
    if (st.attach.type === 'root') rootAllocs.push(buffer);
  }
  const attached = new Map<IterVar, Stage[]>();
  for (const st of order) {
    if (st.attach.type === 'scope') attached.set(st.attach.axis, [...(attached.get(st.attach.axis) ?? []), st]);
  }
  const ctx: Ctx = { bounds, storage, attached, ranges };
  let body = tir.seq(order.filter((st) => st.attach.type === 'root').map((st) => stageNest(st, ctx)));
  for (let i = rootAllocs.length - 1; i >= 0; i--) body = tir.allocate(rootAllocs[i]!, body);
  return tir.primFunc(name, params, body, {});
}
