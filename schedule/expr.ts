// schedule/expr.ts — tensor-expression values: the `Expr` wrapper with arithmetic methods
// (no operator overloading in TypeScript) and the elementwise functions te offers.

import * as tir from '../tir/nodes.js';
import type { DataType, IterVar, PrimExpr } from '../tir/nodes.js';

/** Anything usable where an expression is expected: an Expr, a number, or an axis. */
export type ExprLike = Expr | number | IterVar;

/** A tensor expression: wraps a tir `PrimExpr` (`.node`) and adds chainable arithmetic. */
export class Expr {
  constructor(readonly node: PrimExpr) {}

  get dtype(): DataType {
    return this.node.dtype;
  }

  add(b: ExprLike): Expr { return binaryOf('add', this, b); }
  sub(b: ExprLike): Expr { return binaryOf('sub', this, b); }
  mul(b: ExprLike): Expr { return binaryOf('mul', this, b); }
  /** Float division, or truncating integer division (as C); see floordiv for Python's. */
  div(b: ExprLike): Expr { return binaryOf('div', this, b); }
  floordiv(b: ExprLike): Expr { return binaryOf('floordiv', this, b); }
  floormod(b: ExprLike): Expr { return binaryOf('floormod', this, b); }
  min(b: ExprLike): Expr { return binaryOf('min', this, b); }
  max(b: ExprLike): Expr { return binaryOf('max', this, b); }
  eq(b: ExprLike): Expr { return compareOf('eq', this, b); }
  ne(b: ExprLike): Expr { return compareOf('ne', this, b); }
  lt(b: ExprLike): Expr { return compareOf('lt', this, b); }
  le(b: ExprLike): Expr { return compareOf('le', this, b); }
  gt(b: ExprLike): Expr { return compareOf('gt', this, b); }
  ge(b: ExprLike): Expr { return compareOf('ge', this, b); }
  and(b: ExprLike): Expr { return new Expr(tir.and(this.node, toNode(b, 'bool'))); }
  or(b: ExprLike): Expr { return new Expr(tir.or(this.node, toNode(b, 'bool'))); }
  not(): Expr { return new Expr(tir.not(this.node)); }
  neg(): Expr { return new Expr(tir.sub(tir.constant(0, this.node.dtype), this.node)); }
  astype(dtype: DataType): Expr { return cast(dtype, this); }
}

/** Converts to a tir node; a number takes `dtype` (the other operand's dtype). */
export function toNode(x: ExprLike, dtype: DataType = 'int32'): PrimExpr {
  if (x instanceof Expr) return x.node;
  if (typeof x === 'number') {
    if (tir.isInt(dtype) && !Number.isInteger(x)) {
      throw new TypeError(`expression: the number ${x} is not an integer but the other operand is ${dtype}`);
    }
    return tir.constant(x, dtype);
  }
  if (x.kind === 'IterVar') return x.variable;
  throw new TypeError(`expression: cannot use ${JSON.stringify(x)} as an expression`);
}

/** Wraps any ExprLike as an Expr (numbers become int32 when integral, float32 otherwise). */
export function wrap(x: ExprLike): Expr {
  if (x instanceof Expr) return x;
  if (typeof x === 'number') return new Expr(tir.constant(x, Number.isInteger(x) ? 'int32' : 'float32'));
  return new Expr(toNode(x));
}

/** Two operands: a number adopts the dtype of the other side (both numbers: int32 or float32). */
function pair(a: ExprLike, b: ExprLike): [PrimExpr, PrimExpr] {
  if (typeof a === 'number' && typeof b === 'number') {
    const dt: DataType = Number.isInteger(a) && Number.isInteger(b) ? 'int32' : 'float32';
    return [tir.constant(a, dt), tir.constant(b, dt)];
  }
  if (typeof a === 'number') {
    const bn = toNode(b);
    return [toNode(a, bn.dtype), bn];
  }
  const an = toNode(a);
  return [an, toNode(b, an.dtype)];
}

function binaryOf(op: tir.BinaryOpName, a: ExprLike, b: ExprLike): Expr {
  const [x, y] = pair(a, b);
  return new Expr(tir.binary(op, x, y));
}

function compareOf(op: tir.CompareOpName, a: ExprLike, b: ExprLike): Expr {
  const [x, y] = pair(a, b);
  return new Expr(tir.compare(op, x, y));
}

/** A constant of the given dtype (float32 by default). */
export function constValue(value: number, dtype: DataType = 'float32'): Expr {
  return new Expr(tir.constant(value, tir.checkDType(dtype, 'te.const')));
}

export function cast(dtype: DataType, x: ExprLike): Expr {
  return new Expr(tir.cast(tir.checkDType(dtype, 'te.cast'), toNode(x)));
}

/**
 * `cond ? t : f` with BOTH branches evaluated (eager, as TVM's `tir.Select`): on every target and
 * in the interpreter a read out of bounds in the branch not taken is still a read out of bounds
 * (an interpreter error, a wasm trap, or garbage). Use `ifThenElse` when a branch is only valid
 * under the condition (padding).
 */
export function select(cond: ExprLike, t: ExprLike, f: ExprLike): Expr {
  const [tn, fn] = pair(t, f);
  return new Expr(tir.select(toNode(cond, 'bool'), tn, fn));
}

/**
 * `cond ? t : f` evaluating only the branch taken (TVM's `tir.if_then_else`): the other branch may
 * index out of bounds, as padding does (`te.ifThenElse(inBounds, X.at(n, c, y - 1, x - 1), 0)`).
 * Holds on every target and in the interpreter, also when vectorized: lanes whose condition differs
 * evaluate both branches with every load's indices clamped into its buffer, so no lane reads out of
 * range (docs/schedule.md). `t` and `f` must have the same dtype (a number adopts the other's).
 * Throws TypeError when `cond` is not bool.
 */
export function ifThenElse(cond: ExprLike, t: ExprLike, f: ExprLike): Expr {
  const [tn, fn] = pair(t, f);
  const c = toNode(cond, 'bool');
  if (!tir.isBool(c.dtype)) throw new TypeError(`te.ifThenElse: the condition must be bool (a comparison), got ${c.dtype}`);
  return new Expr(tir.ifThenElseExpr(c, tn, fn));
}

function unary(op: tir.IntrinsicName): (x: ExprLike) => Expr {
  return (x: ExprLike) => new Expr(tir.call(op, [toNode(x, 'float32')]));
}

export const exp = unary('exp');
export const log = unary('log');
export const sqrt = unary('sqrt');
export const rsqrt = unary('rsqrt');
export const tanh = unary('tanh');
export const sigmoid = unary('sigmoid');
export const erf = unary('erf');
export const floor = unary('floor');
export const ceil = unary('ceil');

export function abs(x: ExprLike): Expr {
  return new Expr(tir.call('abs', [toNode(x, 'float32')]));
}

export function pow(x: ExprLike, y: ExprLike): Expr {
  const [a, b] = pair(x, y);
  return new Expr(tir.call('pow', [a, b]));
}

export function floordiv(a: ExprLike, b: ExprLike): Expr { return binaryOf('floordiv', a, b); }
export function floormod(a: ExprLike, b: ExprLike): Expr { return binaryOf('floormod', a, b); }
/** Elementwise maximum of two values (te.max with an axis list is the reducer). */
export function maximum(a: ExprLike, b: ExprLike): Expr { return binaryOf('max', a, b); }
/** Elementwise minimum of two values (te.min with an axis list is the reducer). */
export function minimum(a: ExprLike, b: ExprLike): Expr { return binaryOf('min', a, b); }
export function all(...conds: ExprLike[]): Expr {
  if (conds.length === 0) return new Expr(tir.intImm(1, 'bool'));
  return conds.map((c) => wrap(c)).reduce((acc, c) => acc.and(c));
}
