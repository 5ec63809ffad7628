// schedule/tensor.ts — tensors and the operations that produce them: placeholder (an input),
// compute (a body per output element, possibly a reduction), and reduction axes.

import * as tir from '../tir/nodes.js';
import type { DataProducer, DataType, IterVar, PrimExpr } from '../tir/nodes.js';
import { postOrderVisitExpr } from '../tir/functor.js';
import { Expr, toNode, type ExprLike } from './expr.js';

export interface PlaceholderOp {
  readonly kind: 'placeholder';
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: DataType;
}

export interface ComputeOp {
  readonly kind: 'compute';
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: DataType;
  /** One data axis per output dimension, domain [0, shape[d]). */
  readonly axis: readonly IterVar[];
  /** The reduce axes of a top-level Reduce body, else empty. */
  readonly reduceAxis: readonly IterVar[];
  readonly body: PrimExpr;
  readonly tag: string;
  readonly attrs: Readonly<Record<string, unknown>>;
}

export type Operation = PlaceholderOp | ComputeOp;

/** The output of an operation. Implements tir's DataProducer so bodies can read it. */
export class Tensor implements DataProducer {
  readonly shape: readonly PrimExpr[];
  constructor(readonly op: Operation) {
    this.shape = op.shape.map((d) => tir.intImm(d));
    Object.freeze(this);
  }
  get name(): string { return this.op.name; }
  get dtype(): DataType { return this.op.dtype; }
  /** The static shape as numbers. */
  get dims(): readonly number[] { return this.op.shape; }
  get ndim(): number { return this.op.shape.length; }
  /** An element read `T[i, j, …]` for use inside a compute body. */
  at(...indices: ExprLike[]): Expr {
    return new Expr(tir.producerLoad(this, indices.map((i, d) => {
      if (typeof i === 'number' && !Number.isInteger(i)) throw new TypeError(`tensor ${this.name}: index ${d} is ${i}, not an integer`);
      return toNode(i, 'int32');
    })));
  }
}

const tensors = new WeakMap<Operation, Tensor>();
/** The one Tensor object of an operation: a tensor's identity is its op's. */
export function tensorOf(op: Operation): Tensor {
  let t = tensors.get(op);
  if (!t) {
    t = new Tensor(op);
    tensors.set(op, t);
  }
  return t;
}

function checkShape(shape: readonly number[], what: string): void {
  if (!Array.isArray(shape)) throw new TypeError(`${what}: shape must be an array of numbers`);
  shape.forEach((d, i) => {
    if (!Number.isInteger(d) || d <= 0) throw new RangeError(`${what}: dimension ${i} must be a positive integer, got ${d}`);
  });
}

function checkName(name: string, what: string): void {
  if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_.]*$/.test(name)) {
    throw new TypeError(`${what}: name '${String(name)}' must be an identifier`);
  }
}

/** An input tensor of static shape. */
export function placeholder(shape: readonly number[], dtype: DataType = 'float32', name = 'placeholder'): Tensor {
  checkName(name, 'te.placeholder');
  checkShape(shape, `te.placeholder ${name}`);
  const dt = tir.checkDType(dtype, `te.placeholder ${name}`);
  if (tir.lanesOf(dt) !== 1) throw new TypeError(`te.placeholder ${name}: dtype must be scalar, got ${dt}`);
  return tensorOf(Object.freeze({ kind: 'placeholder', name, shape: Object.freeze([...shape]), dtype: dt }));
}

/** A reduction axis over [min, min + extent) (TVM's te.reduce_axis). */
export function reduceAxis(dom: number | readonly [number, number], name = 'k'): IterVar {
  const [min, extent] = typeof dom === 'number' ? [0, dom] : dom;
  if (!Number.isInteger(min) || !Number.isInteger(extent) || extent <= 0) {
    throw new RangeError(`te.reduceAxis ${name}: needs an integer min and a positive integer extent, got [${min}, ${extent})`);
  }
  return tir.iterVar(tir.range(min, extent), name, 'reduce');
}

export interface ComputeOptions {
  readonly tag?: string;
  readonly attrs?: Readonly<Record<string, unknown>>;
}

const AXIS_NAMES = ['i', 'j', 'k', 'l', 'm', 'n'];

/** The parameter names of `fn` (as TVM names axes after the lambda's arguments), when plain. */
function paramNames(fn: (...args: never[]) => unknown): string[] {
  const src = Function.prototype.toString.call(fn);
  const m = /^\s*(?:async\s*)?(?:function\b[^(]*)?\(([^)]*)\)/.exec(src) ?? /^\s*([A-Za-z_$][\w$]*)\s*=>/.exec(src);
  if (!m) return [];
  const names = m[1]!.split(',').map((p) => p.trim()).filter((p) => p.length > 0);
  return names.every((p) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(p)) ? names : [];
}

/** `shape` output elements, each `fn(...indices)`; the body may be a reducer (te.sum & co.). */
export function compute(
  shape: readonly number[],
  fn: (...indices: Expr[]) => ExprLike,
  name = 'compute',
  opts: ComputeOptions = {},
): Tensor {
  checkName(name, 'te.compute');
  checkShape(shape, `te.compute ${name}`);
  const names = paramNames(fn);
  const axis = shape.map((d, i) => tir.iterVar(tir.range(0, d), names[i] ?? AXIS_NAMES[i] ?? `ax${i}`, 'data'));
  const result = fn(...axis.map((a) => new Expr(a.variable)));
  if (typeof result === 'number') throw new TypeError(`te.compute ${name}: the body returned a bare number; use te.const(value, dtype)`);
  const body = toNode(result);
  return tensorOf(makeComputeOp(name, shape, axis, body, opts));
}

/** Builds a checked compute op from parts (also used by cacheRead/cacheWrite/rfactor). */
export function makeComputeOp(
  name: string, shape: readonly number[], axis: readonly IterVar[], body: PrimExpr, opts: ComputeOptions = {},
): ComputeOp {
  if (tir.isBool(body.dtype)) throw new TypeError(`te.compute ${name}: body is bool; cast it to int32 or float32`);
  let reduceAxis: readonly IterVar[] = [];
  if (body.kind === 'Reduce') {
    reduceAxis = body.axis;
    checkNoNestedReduce(name, body.source);
    checkNoNestedReduce(name, body.condition);
  } else {
    checkNoNestedReduce(name, body);
  }
  return Object.freeze({
    kind: 'compute', name, shape: Object.freeze([...shape]), dtype: body.dtype,
    axis: Object.freeze([...axis]), reduceAxis, body, tag: opts.tag ?? '', attrs: Object.freeze({ ...(opts.attrs ?? {}) }),
  });
}

function checkNoNestedReduce(name: string, e: PrimExpr): void {
  postOrderVisitExpr(e, (x) => {
    if (x.kind === 'Reduce') {
      throw new TypeError(`te.compute ${name}: a reducer (te.${x.combiner}) must be the whole body, not nested inside another expression`);
    }
  });
}

/** The tensors an expression reads, in first-use order. */
export function tensorsRead(e: PrimExpr, where: string): Tensor[] {
  const out: Tensor[] = [];
  postOrderVisitExpr(e, (x) => {
    if (x.kind === 'ProducerLoad') {
      const t = x.producer;
      if (!(t instanceof Tensor)) throw new TypeError(`te.compute ${where}: reads ${t.name}, which is not a te.Tensor`);
      if (!out.includes(t)) out.push(t);
    }
  });
  return out;
}

/** The tensors a compute op's body reads, in first-use order. */
export function inputTensors(op: Operation): Tensor[] {
  return op.kind === 'placeholder' ? [] : tensorsRead(op.body, op.name);
}

/** Every operation reachable from `outputs`, producers before consumers. */
export function postOrderOps(outputs: readonly Tensor[]): Operation[] {
  const seen = new Set<Operation>();
  const order: Operation[] = [];
  const visit = (op: Operation): void => {
    if (seen.has(op)) return;
    seen.add(op);
    for (const t of inputTensors(op)) visit(t.op);
    order.push(op);
  };
  for (const t of outputs) visit(t.op);
  return order;
}
