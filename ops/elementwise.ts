// ops/elementwise.ts — elementwise operators (TOPI's elemwise/broadcast ops, ONNX semantics): binary
// ops with numpy broadcasting over Tensor | number operands, unary math and activations, where, cast.

import * as te from '../schedule/index.js';
import type { Expr } from '../schedule/expr.js';
import { compute, Tensor } from '../schedule/tensor.js';
import type { DataType } from '../tir/nodes.js';
import { broadcastShapes, readBroadcast } from './broadcast.js';
import { checkFloat, checkNumber, checkTensor } from './check.js';
import { powByScalar } from './pow_scalar.js';
import { TAG } from './tags.js';

/** A tensor or a scalar (the scalar takes the tensor operand's dtype). */
export type Operand = Tensor | number;

function operandTensors(op: string, xs: readonly Operand[]): Tensor[] {
  const ts: Tensor[] = [];
  xs.forEach((x, i) => {
    if (x instanceof Tensor) ts.push(x);
    else if (typeof x !== 'number') throw new TypeError(`${op}: operand ${i} must be a te.Tensor or a number, got ${typeof x}`);
  });
  if (ts.length === 0) throw new TypeError(`${op}: at least one operand must be a te.Tensor (got only numbers: compute them in JavaScript)`);
  return ts;
}

function scalarOf(op: string, v: number, dtype: DataType, i: number): Expr {
  if (dtype === 'int32' && !Number.isInteger(v)) throw new TypeError(`${op}: operand ${i} is ${v}, not an integer, but the tensor operand is int32`);
  return te.const(v, dtype);
}

/**
 * A broadcasting elementwise op over `xs` (tensors of one dtype and numbers): output[idx] =
 * fn(x0[idx'], x1[idx'], …) with numpy broadcasting. Exported so callers can define their own.
 */
export function broadcastOp(op: string, name: string, xs: readonly Operand[], fn: (...v: Expr[]) => Expr, dtypeOf?: (i: number) => DataType | undefined): Tensor {
  const ts = operandTensors(op, xs);
  const dtype = ts[0]!.dtype;
  xs.forEach((x, i) => {
    if (x instanceof Tensor && x.dtype !== dtype && dtypeOf?.(i) === undefined) {
      throw new TypeError(`${op}: dtypes differ: ${ts.map((t) => `${t.name} is ${t.dtype}`).join(', ')} (cast one with ops.cast)`);
    }
  });
  const shape = broadcastShapes(op, ts.map((t) => t.dims));
  const tag = ts.every((t) => t.dims.length === shape.length && t.dims.every((d, k) => d === shape[k])) ? TAG.elemwise : TAG.broadcast;
  return compute(shape, (...idx) => fn(...xs.map((x, i) => (x instanceof Tensor ? readBroadcast(x, idx) : scalarOf(op, x, dtypeOf?.(i) ?? dtype, i)))),
    name, { tag });
}

/** a + b with broadcasting. */
export const add = (a: Operand, b: Operand): Tensor => broadcastOp('add', 'T_add', [a, b], (x, y) => x.add(y));
/** a − b with broadcasting. */
export const sub = (a: Operand, b: Operand): Tensor => broadcastOp('sub', 'T_subtract', [a, b], (x, y) => x.sub(y));
/** a · b with broadcasting. */
export const mul = (a: Operand, b: Operand): Tensor => broadcastOp('mul', 'T_multiply', [a, b], (x, y) => x.mul(y));
/** a / b with broadcasting; int32 division truncates toward zero (ONNX Div). */
export const div = (a: Operand, b: Operand): Tensor => broadcastOp('div', 'T_divide', [a, b], (x, y) => x.div(y));
/** Elementwise maximum with broadcasting (ONNX Max of two inputs). */
export const maximum = (a: Operand, b: Operand): Tensor => broadcastOp('maximum', 'T_maximum', [a, b], (x, y) => x.max(y));
/** Elementwise minimum with broadcasting. */
export const minimum = (a: Operand, b: Operand): Tensor => broadcastOp('minimum', 'T_minimum', [a, b], (x, y) => x.min(y));

/**
 * a ** b with broadcasting (float32; a negative base with a non-integer exponent gives NaN). A number b in
 * POW_SCALAR_EXPONENTS (0, ±1, 2, 3, ±0.5) computes with multiplies, a division or a square root instead of
 * the general pow, with onnxruntime's results at every input (ops/pow_scalar.ts).
 */
export function pow(a: Operand, b: Operand): Tensor {
  for (const t of operandTensors('pow', [a, b])) checkFloat('pow', t);
  return broadcastOp('pow', 'T_power', [a, b], (x, y) => (a instanceof Tensor && typeof b === 'number' ? powByScalar(x, b) : undefined) ?? te.pow(x, y));
}

function floatUnary(op: string, name: string, fn: (x: Expr) => Expr): (x: Tensor) => Tensor {
  return (x: Tensor) => {
    checkTensor(op, x);
    checkFloat(op, x);
    return compute(x.dims, (...i) => fn(x.at(...i)), name, { tag: TAG.elemwise });
  };
}

export const sqrt = floatUnary('sqrt', 'T_sqrt', (x) => te.sqrt(x));
export const exp = floatUnary('exp', 'T_exp', (x) => te.exp(x));
export const log = floatUnary('log', 'T_log', (x) => te.log(x));
export const erf = floatUnary('erf', 'T_erf', (x) => te.erf(x));
export const tanh = floatUnary('tanh', 'T_tanh', (x) => te.tanh(x));
export const sigmoid = floatUnary('sigmoid', 'T_sigmoid', (x) => te.sigmoid(x));
/** max(x, 0) (float32 or int32). */
export function relu(x: Tensor): Tensor {
  checkTensor('relu', x);
  return compute(x.dims, (...i) => x.at(...i).max(te.const(0, x.dtype)), 'T_relu', { tag: TAG.elemwise });
}

/** |x| (float32 or int32). */
export function abs(x: Tensor): Tensor {
  checkTensor('abs', x);
  const f = x.dtype === 'int32' ? (v: Expr) => te.select(v.lt(0), v.neg(), v) : (v: Expr) => te.abs(v);
  return compute(x.dims, (...i) => f(x.at(...i)), 'T_abs', { tag: TAG.elemwise });
}

/** −x (float32 or int32). */
export function neg(x: Tensor): Tensor {
  checkTensor('neg', x);
  return compute(x.dims, (...i) => x.at(...i).neg(), 'T_negative', { tag: TAG.elemwise });
}

/** x for x ≥ 0, alpha·x otherwise (ONNX LeakyRelu, default alpha 0.01). */
export function leakyRelu(x: Tensor, alpha = 0.01): Tensor {
  checkTensor('leakyRelu', x);
  checkFloat('leakyRelu', x);
  checkNumber('leakyRelu', alpha, 'alpha');
  return compute(x.dims, (...i) => { const v = x.at(...i); return te.select(v.ge(0), v, v.mul(alpha)); }, 'T_leaky_relu', { tag: TAG.elemwise });
}

/**
 * min(max(x, min), max) (ONNX Clip; an infinite bound is no bound). As ONNX, min > max gives max
 * everywhere. Bounds must be integers for an int32 x.
 */
export function clip(x: Tensor, min: number, max: number): Tensor {
  checkTensor('clip', x);
  checkNumber('clip', min, 'min');
  checkNumber('clip', max, 'max');
  if (x.dtype === 'int32' && ((Number.isFinite(min) && !Number.isInteger(min)) || (Number.isFinite(max) && !Number.isInteger(max)))) {
    throw new TypeError(`clip: bounds ${min}, ${max} must be integers for an int32 input`);
  }
  return compute(x.dims, (...i) => {
    let v = x.at(...i);
    if (min !== -Infinity) v = v.max(te.const(min, x.dtype));
    if (max !== Infinity) v = v.min(te.const(max, x.dtype));
    return v;
  }, 'T_clip', { tag: TAG.elemwise });
}

/** max(0, min(1, alpha·x + beta)) (ONNX HardSigmoid; defaults alpha 0.2, beta 0.5). */
export function hardSigmoid(x: Tensor, alpha = 0.2, beta = 0.5): Tensor {
  checkTensor('hardSigmoid', x);
  checkFloat('hardSigmoid', x);
  checkNumber('hardSigmoid', alpha, 'alpha');
  checkNumber('hardSigmoid', beta, 'beta');
  return compute(x.dims, (...i) => x.at(...i).mul(alpha).add(beta).min(1.0).max(0.0), 'T_hard_sigmoid', { tag: TAG.elemwise });
}

/** x · max(0, min(1, x/6 + 1/2)) (ONNX HardSwish). */
export const hardSwish = floatUnary('hardSwish', 'T_hard_swish', (v) => v.mul(v.mul(1 / 6).add(0.5).min(1.0).max(0.0)));

export interface GeluOptions {
  /** 'none': x·Φ(x) with erf (exact); 'tanh': the tanh approximation (ONNX Gelu's approximate attribute). */
  readonly approximate?: 'none' | 'tanh';
}

/** GELU (Hendrycks & Gimpel 2016; ONNX Gelu-20): 0.5·x·(1 + erf(x/√2)), or the tanh form. */
export function gelu(x: Tensor, opts: GeluOptions = {}): Tensor {
  checkTensor('gelu', x);
  checkFloat('gelu', x);
  const approx = opts.approximate ?? 'none';
  if (approx !== 'none' && approx !== 'tanh') throw new RangeError(`gelu: approximate must be 'none' or 'tanh', got '${String(approx)}'`);
  const k = Math.sqrt(2 / Math.PI);
  return compute(x.dims, (...i) => {
    const v = x.at(...i);
    const inner = approx === 'none' ? te.erf(v.mul(Math.SQRT1_2)) : te.tanh(v.add(v.mul(v).mul(v).mul(0.044715)).mul(k));
    return v.mul(0.5).mul(inner.add(1.0));
  }, 'T_gelu', { tag: TAG.elemwise });
}

/**
 * where(cond, a, b): a where cond ≠ 0, else b, with three-way broadcasting (ONNX Where). cond may be
 * float32 or int32 (nonzero is true); a and b share a dtype (a number adopts the tensor's).
 */
export function where(cond: Tensor, a: Operand, b: Operand): Tensor {
  checkTensor('where', cond, 'cond');
  [a, b].forEach((x, i) => {
    if (!(x instanceof Tensor) && typeof x !== 'number') throw new TypeError(`where: ${i === 0 ? 'a' : 'b'} must be a te.Tensor or a number, got ${typeof x}`);
  });
  const ts = [a, b].filter((x): x is Tensor => x instanceof Tensor);
  // Two number arms are float32.
  const dtype = ts[0]?.dtype ?? 'float32';
  if (ts.some((t) => t.dtype !== dtype)) throw new TypeError(`where: a and b have different dtypes (${ts.map((t) => t.dtype).join(' vs ')})`);
  return broadcastOp('where', 'T_where', [cond, a, b], (c, x, y) => te.select(c.ne(te.const(0, cond.dtype)), x, y),
    (i) => (i === 0 ? cond.dtype : dtype));
}

const CASTABLE = ['float32', 'int32'] as const;

/** x converted to `dtype` ('float32' or 'int32'; float → int truncates toward zero, as ONNX Cast). */
export function cast(x: Tensor, dtype: DataType): Tensor {
  checkTensor('cast', x);
  if (!(CASTABLE as readonly string[]).includes(dtype)) throw new TypeError(`cast: dtype '${String(dtype)}' is not supported (expected ${CASTABLE.join(' or ')})`);
  return compute(x.dims, (...i) => x.at(...i).astype(dtype), 'T_cast', { tag: TAG.elemwise });
}
