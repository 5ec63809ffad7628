// schedule/rfactor.ts — rfactor: turns one (split) reduction axis of a stage into a data axis
// of a new stage of partial results, which the original stage then reduces (TVM's rfactor).
// The partial results can then be vectorized, parallelized or bound across that axis.

import * as tir from '../tir/nodes.js';
import type { IterVar, PrimExpr, Var } from '../tir/nodes.js';
import { substituteExpr } from '../tir/functor.js';
import { addI, constBounds } from './arith.js';
import { intermediateGuards, passDown, passUp } from './bound.js';
import type { ScheduleGraph } from './schedule_graph.js';
import { Stage } from './stage.js';
import { makeComputeOp, tensorOf, type Tensor } from './tensor.js';

function extentOf(iv: IterVar): number {
  return tir.asConstInt(iv.dom.extent)!;
}

export function rfactor(s: ScheduleGraph, t: Tensor, axis: IterVar): Tensor {
  const stage = s.stage(t);
  const op = stage.op;
  if (op.kind !== 'compute' || op.body.kind !== 'Reduce') throw new Error(`rfactor: stage ${t.name} is not a reduction`);
  stage.leafIndex(axis, 'rfactor');
  if (axis.iterType !== 'reduce') throw new Error(`rfactor: stage ${t.name}, axis ${axis.variable.name} is a data axis; rfactor takes a reduction axis`);
  for (const r of stage.relations) {
    if (r.kind !== 'split' || r.parent.iterType !== 'reduce') {
      throw new Error(`rfactor: stage ${t.name} has ${r.kind} steps on data axes or fused axes; call rfactor after splitting only reduction axes`);
    }
  }
  if ([...stage.iterAttrs.keys()].length > 0 || stage.attach.type !== 'root') {
    throw new Error(`rfactor: stage ${t.name} already has annotations or an attach point; call rfactor before them`);
  }
  const red = op.body;
  // Extents of every reduce IterVar are static (reductions always cover their whole domain).
  const rootExtents = new Map<IterVar, number>();
  for (const a of [...op.axis, ...op.reduceAxis]) rootExtents.set(a, extentOf(a));
  const extents = passDown(stage, rootExtents);
  const rel = passUp(stage, extents);
  const factored = tir.iterVar(tir.range(0, extentOf(axis)), `${axis.variable.name}_v`, 'data');
  const dataAxes = op.axis.map((a) => tir.iterVar(a.dom, `${a.variable.name}_rf`, 'data'));
  const leafMap = new Map<Var, PrimExpr>([[axis.variable, factored.variable]]);
  const rfReduce: IterVar[] = [];
  for (const leaf of stage.leafIterVars) {
    if (leaf.iterType !== 'reduce' || leaf === axis) continue;
    const k = tir.iterVar(tir.range(0, extents.get(leaf)!), `${leaf.variable.name}_rf`, 'reduce');
    rfReduce.push(k);
    leafMap.set(leaf.variable, k.variable);
  }
  const leafRanges = new Map<Var, tir.Range>();
  for (const leaf of stage.leafIterVars) if (leaf.iterType === 'reduce') leafRanges.set(leaf.variable, tir.range(0, extents.get(leaf)!));
  const rootMap = new Map<Var, PrimExpr>();
  op.axis.forEach((a, d) => rootMap.set(a.variable, dataAxes[d]!.variable));
  let cond: PrimExpr = red.condition;
  const guards: PrimExpr[] = [];
  for (const a of op.reduceAxis) {
    const r = rel.get(a)!;
    rootMap.set(a.variable, substituteExpr(addI(a.dom.min, r), leafMap));
    if ((constBounds(r, leafRanges)?.[1] ?? Infinity) > extents.get(a)! - 1) {
      guards.push(tir.lt(substituteExpr(r, leafMap), tir.intImm(extents.get(a)!)));
    }
  }
  for (const { cond: c } of intermediateGuards(stage, rel, extents, leafRanges)) guards.push(substituteExpr(c, leafMap));
  cond = substituteExpr(cond, rootMap);
  for (const g of guards) cond = tir.asConstInt(cond) === 1 ? g : tir.and(cond, g);
  const source = substituteExpr(red.source, rootMap);
  const rfBody = rfReduce.length > 0
    ? tir.reduce(red.combiner, source, rfReduce, cond)
    : (tir.asConstInt(cond) === 1 ? source : tir.select(cond, source, tir.reducerIdentity(red.combiner, red.dtype)));
  const rfOp = makeComputeOp(`${op.name}_rf`, [extentOf(axis), ...op.shape], [factored, ...dataAxes], rfBody, { tag: op.tag });
  const rf = tensorOf(rfOp);
  const kr = tir.iterVar(tir.range(0, extentOf(axis)), `${axis.variable.name}_r`, 'reduce');
  const body = tir.reduce(red.combiner, tir.producerLoad(rf, [kr.variable, ...op.axis.map((a) => a.variable)]), [kr]);
  const next = makeComputeOp(op.name, op.shape, op.axis, body, { tag: op.tag, attrs: op.attrs });
  const rfStage = new Stage(rfOp, false);
  s.addStage(rfStage, stage);
  s.replaceOp(stage, next, { reset: true });
  s.recordStep('rfactor', { tensor: t.name, axis: axis.variable.name });
  return rf;
}
