// schedule/reduce.ts — the reducers (te.sum, te.prod, te.max, te.min over reduce axes);
// te.max/te.min with two values instead of an axis list are the elementwise max/min.

import * as tir from '../tir/nodes.js';
import type { IterVar, ReducerName } from '../tir/nodes.js';
import { Expr, maximum, minimum, toNode, type ExprLike } from './expr.js';

function reducer(combiner: ReducerName, source: ExprLike, axes: readonly IterVar[] | IterVar, where?: ExprLike): Expr {
  const list = Array.isArray(axes) ? axes : [axes as IterVar];
  if (list.length === 0) throw new TypeError(`te.${combiner}: needs at least one reduce axis`);
  for (const a of list) {
    if (!a || a.kind !== 'IterVar') throw new TypeError(`te.${combiner}: axes must be te.reduceAxis values`);
  }
  if (new Set(list).size !== list.length) throw new TypeError(`te.${combiner}: an axis is listed twice`);
  const src = toNode(source, 'float32');
  const cond = where === undefined ? undefined : toNode(where, 'bool');
  return new Expr(tir.reduce(combiner, src, list, cond));
}

function isAxisList(x: unknown): x is readonly IterVar[] | IterVar {
  if (Array.isArray(x)) return true;
  return typeof x === 'object' && x !== null && (x as { kind?: string }).kind === 'IterVar'
    && (x as IterVar).iterType === 'reduce';
}

/** Sum of `source` over the reduce axes, optionally only where `where` holds. */
export function sum(source: ExprLike, axes: readonly IterVar[] | IterVar, where?: ExprLike): Expr {
  return reducer('sum', source, axes, where);
}

export function prod(source: ExprLike, axes: readonly IterVar[] | IterVar, where?: ExprLike): Expr {
  return reducer('prod', source, axes, where);
}

/** Reducer `te.max(expr, [k], where?)`, or elementwise `te.max(a, b)` when b is not an axis list. */
export function max(source: ExprLike, axesOrOther: readonly IterVar[] | ExprLike, where?: ExprLike): Expr {
  if (isAxisList(axesOrOther)) return reducer('max', source, axesOrOther, where);
  return maximum(source, axesOrOther as ExprLike);
}

/** Reducer `te.min(expr, [k], where?)`, or elementwise `te.min(a, b)` when b is not an axis list. */
export function min(source: ExprLike, axesOrOther: readonly IterVar[] | ExprLike, where?: ExprLike): Expr {
  if (isAxisList(axesOrOther)) return reducer('min', source, axesOrOther, where);
  return minimum(source, axesOrOther as ExprLike);
}
