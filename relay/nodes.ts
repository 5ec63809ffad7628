// relay/nodes.ts — the graph IR: variables, constants, operator calls with attributes, tuples,
// tuple projections and functions; readonly discriminated unions made only through these factories.

import { sizeOf, tensorType, type RelayDType, type TensorType, type Type } from './ty.js';

/** Attribute values of an operator call (as TVM's Attrs): plain data only, so graphs print and hash. */
export type AttrValue = number | string | boolean | readonly number[];
export type Attrs = Readonly<Record<string, AttrValue>>;

/** The values of a constant tensor, row-major. */
export interface TensorData {
  readonly shape: readonly number[];
  readonly dtype: RelayDType;
  readonly values: Float32Array | Int32Array;
}

interface Typed {
  /** Set by the InferType pass (TVM's checked_type); undefined before it ran on this node. */
  readonly checkedType?: Type;
}

export interface Var extends Typed {
  readonly kind: 'Var';
  readonly name: string;
  /** The declared type of the variable (a model input's shape and dtype). */
  readonly typeAnnotation: TensorType;
}

export interface Constant extends Typed {
  readonly kind: 'Constant';
  readonly data: TensorData;
}

export interface Call extends Typed {
  readonly kind: 'Call';
  /** A registered operator name ('nn.conv2d', 'add') or a primitive (fused) function. */
  readonly op: string | RelayFunction;
  readonly args: readonly Expr[];
  readonly attrs: Attrs;
  /** Where the call came from (the ONNX node name), for error messages and printing. */
  readonly span?: string;
}

export interface Tuple extends Typed {
  readonly kind: 'Tuple';
  readonly fields: readonly Expr[];
}

export interface TupleGetItem extends Typed {
  readonly kind: 'TupleGetItem';
  readonly tuple: Expr;
  readonly index: number;
}

export interface FunctionAttrs {
  /** A fused function of FuseOps (TVM's Primitive=1): lowered into one kernel. */
  readonly primitive?: boolean;
  /** Kernel name of a fused function, e.g. 'fused_nn_conv2d_add_nn_relu'. */
  readonly name?: string;
  /** Names of the model's outputs, in order (the main function). */
  readonly outputNames?: readonly string[];
}

export interface RelayFunction extends Typed {
  readonly kind: 'Function';
  readonly params: readonly Var[];
  readonly body: Expr;
  readonly attrs: FunctionAttrs;
}

export type Expr = Var | Constant | Call | Tuple | TupleGetItem | RelayFunction;

/** A model: its main function. `astext()` prints it as TVM's `mod.astext()`. */
export interface IRModule {
  readonly kind: 'IRModule';
  readonly main: RelayFunction;
}

function checkExpr(e: unknown, what: string): Expr {
  const k = (e as { kind?: unknown } | null)?.kind;
  if (k !== 'Var' && k !== 'Constant' && k !== 'Call' && k !== 'Tuple' && k !== 'TupleGetItem' && k !== 'Function') {
    throw new TypeError(`${what}: expected a relay expression, got ${typeof e === 'object' ? JSON.stringify(k) : typeof e}`);
  }
  return e as Expr;
}

/** A named input of the given type. Identity is by object: two vars with one name are distinct. */
export function variable(name: string, type: TensorType): Var {
  if (typeof name !== 'string' || name.length === 0) throw new TypeError('relay.var: name must be a non-empty string');
  if (type?.kind !== 'TensorType') throw new TypeError(`relay.var ${name}: type must be a TensorType`);
  return Object.freeze({ kind: 'Var', name, typeAnnotation: type });
}

/** A constant tensor; `values` must hold exactly shape's element count. */
export function constant(values: Float32Array | Int32Array, shape: readonly number[]): Constant {
  const dtype: RelayDType = values instanceof Int32Array ? 'int32' : 'float32';
  if (!(values instanceof Float32Array) && !(values instanceof Int32Array)) throw new TypeError('relay.const: values must be a Float32Array or Int32Array');
  const t = tensorType(shape, dtype);
  if (sizeOf(t) !== values.length) throw new RangeError(`relay.const: ${values.length} values do not fill shape [${shape.join(', ')}]`);
  return Object.freeze({ kind: 'Constant', data: Object.freeze({ shape: t.shape, dtype, values }) });
}

/** A scalar constant (shape []). */
export function scalar(value: number, dtype: RelayDType = 'float32'): Constant {
  return constant(dtype === 'int32' ? Int32Array.of(value) : Float32Array.of(value), []);
}

/** A call of operator `op` (a name from relay/op) or of a primitive function. */
export function call(op: string | RelayFunction, args: readonly Expr[], attrs: Attrs = {}, span?: string): Call {
  if (typeof op !== 'string' && op?.kind !== 'Function') throw new TypeError('relay.call: op must be an operator name or a Function');
  args.forEach((a, i) => checkExpr(a, `relay.call ${typeof op === 'string' ? op : 'fn'}: argument ${i}`));
  return Object.freeze({
    kind: 'Call', op, args: Object.freeze([...args]), attrs: Object.freeze({ ...attrs }), ...(span !== undefined ? { span } : {}),
  });
}

export function tuple(fields: readonly Expr[]): Tuple {
  fields.forEach((f, i) => checkExpr(f, `relay.Tuple field ${i}`));
  return Object.freeze({ kind: 'Tuple', fields: Object.freeze([...fields]) });
}

export function tupleGetItem(t: Expr, index: number): TupleGetItem {
  checkExpr(t, 'relay.TupleGetItem');
  if (!Number.isInteger(index) || index < 0) throw new RangeError(`relay.TupleGetItem: index ${index} is not a non-negative integer`);
  return Object.freeze({ kind: 'TupleGetItem', tuple: t, index });
}

export function func(params: readonly Var[], body: Expr, attrs: FunctionAttrs = {}): RelayFunction {
  params.forEach((p, i) => {
    if (p?.kind !== 'Var') throw new TypeError(`relay.Function: parameter ${i} is not a Var`);
  });
  checkExpr(body, 'relay.Function body');
  return Object.freeze({ kind: 'Function', params: Object.freeze([...params]), body, attrs: Object.freeze({ ...attrs }) });
}

export function irModule(main: RelayFunction): IRModule {
  if (main?.kind !== 'Function') throw new TypeError('relay.IRModule: main must be a Function');
  return Object.freeze({ kind: 'IRModule', main });
}

/** The same node with its checked type set (used by InferType only). */
export function withType<E extends Expr>(e: E, t: Type): E {
  return Object.freeze({ ...(e as Expr), checkedType: t }) as unknown as E;
}

/** The inferred type of `e`; an error telling to run InferType when missing. */
export function typeOf(e: Expr): Type {
  if (e.checkedType === undefined) {
    if (e.kind === 'Var') return e.typeAnnotation;
    if (e.kind === 'Constant') return tensorType(e.data.shape, e.data.dtype);
    throw new Error(`relay: ${e.kind === 'Call' && typeof e.op === 'string' ? e.op : e.kind} has no type yet; run relay.transform.InferType first`);
  }
  return e.checkedType;
}

/** The operator name of a call, or undefined for a call of a function. */
export function opName(e: Expr): string | undefined {
  return e.kind === 'Call' && typeof e.op === 'string' ? e.op : undefined;
}
