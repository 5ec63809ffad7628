// tir/nodes.ts — the loop-nest IR: expression and statement nodes, buffers and PrimFunc, created
// only through the checked factory functions below (never as literals); data types in dtype.ts.

import { checkDType, f16round, isBool, isFloat, isInt, lanesOf, withLanes, type DataType } from './dtype.js';

export * from './dtype.js';

// ---------------------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------------------

export type BinaryOpName = 'add' | 'sub' | 'mul' | 'div' | 'mod' | 'floordiv' | 'floormod' | 'min' | 'max';
export type CompareOpName = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';
/** Math intrinsics (float in, float out) plus `pow`, and TIR builtins. */
export type IntrinsicName =
  | 'exp' | 'log' | 'sqrt' | 'rsqrt' | 'tanh' | 'sigmoid' | 'erf' | 'abs' | 'pow'
  | 'floor' | 'ceil' | 'round' | 'trunc' | 'sin' | 'cos' | 'fma'
  /** `tir.storage_sync("shared")`: a workgroup barrier (inserted for WebGPU). */
  | 'tir.storage_sync'
  /**
   * `tir.if_then_else(cond, then, else)`: TVM's lazy conditional — only the taken arm is
   * evaluated (a Select evaluates both). Made with `ifThenElseExpr`; see docs/tir.md.
   */
  | 'tir.if_then_else'
  /**
   * `tir.warp_shuffle(value, lane)`: `value` (a scalar or a vector) as lane `lane` of the subgroup holds it
   * (TVM's tvm_warp_shuffle; WGSL subgroupBroadcast/subgroupShuffle). Made only by webgpu.lowerWarpMemory.
   */
  | 'tir.warp_shuffle';
export type ReducerName = 'sum' | 'prod' | 'max' | 'min';
export type ThreadTag =
  | 'blockIdx.x' | 'blockIdx.y' | 'blockIdx.z'
  | 'threadIdx.x' | 'threadIdx.y' | 'threadIdx.z'
  | 'vthread';
export const THREAD_TAGS: readonly ThreadTag[] = [
  'blockIdx.x', 'blockIdx.y', 'blockIdx.z', 'threadIdx.x', 'threadIdx.y', 'threadIdx.z', 'vthread',
];
/** Where a buffer lives: 'global', 'shared' (per block), 'warp' (per subgroup, spread over its lanes: TVM's
 *  warp memory, lowered on WebGPU to per-lane registers and subgroup shuffles), 'local' (per thread). */
export type StorageScope = 'global' | 'shared' | 'warp' | 'local';

let nextId = 1;
/** Unique ids give Vars and Buffers identity for hashing and printing; compare nodes by reference. */
function freshId(): number {
  return nextId++;
}

export interface IntImm { readonly kind: 'IntImm'; readonly dtype: DataType; readonly value: number }
export interface FloatImm { readonly kind: 'FloatImm'; readonly dtype: DataType; readonly value: number }
export interface Var { readonly kind: 'Var'; readonly dtype: DataType; readonly name: string; readonly id: number }
export interface BinaryOp {
  readonly kind: 'BinaryOp'; readonly dtype: DataType; readonly op: BinaryOpName;
  readonly a: PrimExpr; readonly b: PrimExpr;
}
export interface CompareOp {
  readonly kind: 'CompareOp'; readonly dtype: DataType; readonly op: CompareOpName;
  readonly a: PrimExpr; readonly b: PrimExpr;
}
export interface LogicalOp {
  readonly kind: 'LogicalOp'; readonly dtype: DataType; readonly op: 'and' | 'or';
  readonly a: PrimExpr; readonly b: PrimExpr;
}
export interface Not { readonly kind: 'Not'; readonly dtype: DataType; readonly a: PrimExpr }
export interface Select {
  readonly kind: 'Select'; readonly dtype: DataType;
  readonly condition: PrimExpr; readonly trueValue: PrimExpr; readonly falseValue: PrimExpr;
}
export interface Cast { readonly kind: 'Cast'; readonly dtype: DataType; readonly value: PrimExpr }
export interface Call {
  readonly kind: 'Call'; readonly dtype: DataType; readonly op: IntrinsicName; readonly args: readonly PrimExpr[];
}
/** A vector of `lanes` indices base, base+stride, … (only after vectorization). */
export interface Ramp {
  readonly kind: 'Ramp'; readonly dtype: DataType; readonly base: PrimExpr; readonly stride: PrimExpr; readonly lanes: number;
}
export interface Broadcast { readonly kind: 'Broadcast'; readonly dtype: DataType; readonly value: PrimExpr; readonly lanes: number }
export interface Let {
  readonly kind: 'Let'; readonly dtype: DataType; readonly variable: Var; readonly value: PrimExpr; readonly body: PrimExpr;
}
/** Load from a buffer; indices are per dimension before storage flatten, one flat index after. */
export interface BufferLoad {
  readonly kind: 'BufferLoad'; readonly dtype: DataType; readonly buffer: Buffer; readonly indices: readonly PrimExpr[];
}
/**
 * Anything that produces a tensor a compute body can read (te.Tensor implements this).
 * tir knows it only through this interface, so tir depends on nothing of ours.
 */
export interface DataProducer {
  readonly name: string;
  readonly shape: readonly PrimExpr[];
  readonly dtype: DataType;
}
/** A read of a te tensor inside a compute body; lowering replaces it with a BufferLoad. */
export interface ProducerLoad {
  readonly kind: 'ProducerLoad'; readonly dtype: DataType; readonly producer: DataProducer; readonly indices: readonly PrimExpr[];
}
/** A commutative reduction over `axis` (te.sum & co.); exists only before lowering. */
export interface Reduce {
  readonly kind: 'Reduce'; readonly dtype: DataType; readonly combiner: ReducerName;
  readonly source: PrimExpr; readonly axis: readonly IterVar[]; readonly condition: PrimExpr;
}

export type PrimExpr =
  | IntImm | FloatImm | Var | BinaryOp | CompareOp | LogicalOp | Not | Select | Cast | Call
  | Ramp | Broadcast | Let | BufferLoad | ProducerLoad | Reduce;

/** A half-open integer range [min, min + extent). */
export interface Range { readonly kind: 'Range'; readonly min: PrimExpr; readonly extent: PrimExpr }

export type IterVarType = 'data' | 'reduce' | 'thread' | 'opaque';
/** A loop variable with its domain, as TVM's IterVar: te axes and reduce axes are IterVars. */
export interface IterVar {
  readonly kind: 'IterVar'; readonly variable: Var; readonly dom: Range;
  readonly iterType: IterVarType; readonly threadTag?: ThreadTag;
}

// ---------------------------------------------------------------------------------------
// Buffers and statements
// ---------------------------------------------------------------------------------------

/** A region of memory: row-major, `shape` per dimension (one flat dimension after storage flatten). */
export interface Buffer {
  readonly kind: 'Buffer'; readonly name: string; readonly dtype: DataType;
  readonly shape: readonly PrimExpr[]; readonly scope: StorageScope; readonly id: number;
}

export type ForKind = 'serial' | 'parallel' | 'vectorized' | 'unrolled' | 'threadBinding';
/**
 * Loop annotations: pragmas (`pragma_auto_unroll_max_step`), and notes passes leave behind
 * (`vectorize_failed`: why a vectorized loop stayed scalar).
 */
export type Annotations = Readonly<Record<string, string | number>>;

export interface For {
  readonly kind: 'For'; readonly loopVar: Var; readonly min: PrimExpr; readonly extent: PrimExpr;
  readonly forKind: ForKind; readonly threadTag?: ThreadTag; readonly annotations: Annotations; readonly body: Stmt;
}
export interface LetStmt { readonly kind: 'LetStmt'; readonly variable: Var; readonly value: PrimExpr; readonly body: Stmt }
export interface IfThenElse {
  readonly kind: 'IfThenElse'; readonly condition: PrimExpr; readonly thenCase: Stmt; readonly elseCase?: Stmt;
}
export interface SeqStmt { readonly kind: 'SeqStmt'; readonly seq: readonly Stmt[] }
export interface BufferStore {
  readonly kind: 'BufferStore'; readonly buffer: Buffer; readonly value: PrimExpr; readonly indices: readonly PrimExpr[];
}
/** Scratch storage for `buffer` (scope local/shared, or a global intermediate) live in `body`. */
export interface Allocate { readonly kind: 'Allocate'; readonly buffer: Buffer; readonly body: Stmt }
export interface Evaluate { readonly kind: 'Evaluate'; readonly value: PrimExpr }

export type Stmt = For | LetStmt | IfThenElse | SeqStmt | BufferStore | Allocate | Evaluate;

export interface PrimFunc {
  readonly kind: 'PrimFunc'; readonly name: string; readonly params: readonly Buffer[];
  readonly body: Stmt; readonly attrs: Readonly<Record<string, unknown>>;
}

export type Node = PrimExpr | Stmt | PrimFunc | Buffer | IterVar | Range;

export function assertNever(x: never, what = 'node'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify((x as { kind?: string }).kind ?? x)}`);
}

// ---------------------------------------------------------------------------------------
// Expression factories (checked)
// ---------------------------------------------------------------------------------------

export function intImm(value: number, dtype: DataType = 'int32'): IntImm {
  if (!Number.isInteger(value)) throw new TypeError(`intImm: ${value} is not an integer`);
  if (!isInt(dtype) && !isBool(dtype)) throw new TypeError(`intImm: dtype ${dtype} is not an integer type`);
  return { kind: 'IntImm', dtype, value: isBool(dtype) ? (value ? 1 : 0) : value | 0 };
}

/** A float constant: `value` rounded to its dtype (nearest, ties to even, IEEE 754), so folds round as the target does. */
export function floatImm(value: number, dtype: DataType = 'float32'): FloatImm {
  if (!isFloat(dtype)) throw new TypeError(`floatImm: dtype ${dtype} is not a float type`);
  return { kind: 'FloatImm', dtype, value: dtype === 'float32' ? Math.fround(value) : dtype === 'float16' ? f16round(value) : value };
}

/** A constant of any scalar dtype. */
export function constant(value: number, dtype: DataType): IntImm | FloatImm {
  return isFloat(dtype) ? floatImm(value, dtype) : intImm(isBool(dtype) ? (value ? 1 : 0) : Math.trunc(value), dtype);
}

export function variable(name: string, dtype: DataType = 'int32'): Var {
  return { kind: 'Var', dtype: checkDType(dtype, `variable ${name}`), name, id: freshId() };
}

function sameDType(op: string, a: PrimExpr, b: PrimExpr): void {
  if (a.dtype !== b.dtype) {
    throw new TypeError(`${op}: operand dtypes differ (${a.dtype} vs ${b.dtype}); cast one of them first`);
  }
}

export function binary(op: BinaryOpName, a: PrimExpr, b: PrimExpr): BinaryOp {
  sameDType(op, a, b);
  if (isBool(a.dtype)) throw new TypeError(`${op}: arithmetic on bool operands`);
  if ((op === 'floordiv' || op === 'floormod' || op === 'mod') && !isInt(a.dtype)) {
    throw new TypeError(`${op}: needs integer operands, got ${a.dtype}`);
  }
  return { kind: 'BinaryOp', dtype: a.dtype, op, a, b };
}
export const add = (a: PrimExpr, b: PrimExpr): BinaryOp => binary('add', a, b);
export const sub = (a: PrimExpr, b: PrimExpr): BinaryOp => binary('sub', a, b);
export const mul = (a: PrimExpr, b: PrimExpr): BinaryOp => binary('mul', a, b);
/** Float division, or truncating division on integers (as C). */
export const div = (a: PrimExpr, b: PrimExpr): BinaryOp => binary('div', a, b);
/** Truncating remainder on integers (as C). */
export const mod = (a: PrimExpr, b: PrimExpr): BinaryOp => binary('mod', a, b);
export const floordiv = (a: PrimExpr, b: PrimExpr): BinaryOp => binary('floordiv', a, b);
export const floormod = (a: PrimExpr, b: PrimExpr): BinaryOp => binary('floormod', a, b);
export const min = (a: PrimExpr, b: PrimExpr): BinaryOp => binary('min', a, b);
export const max = (a: PrimExpr, b: PrimExpr): BinaryOp => binary('max', a, b);

export function compare(op: CompareOpName, a: PrimExpr, b: PrimExpr): CompareOp {
  sameDType(op, a, b);
  return { kind: 'CompareOp', dtype: withLanes('bool', lanesOf(a.dtype)), op, a, b };
}
export const eq = (a: PrimExpr, b: PrimExpr): CompareOp => compare('eq', a, b);
export const ne = (a: PrimExpr, b: PrimExpr): CompareOp => compare('ne', a, b);
export const lt = (a: PrimExpr, b: PrimExpr): CompareOp => compare('lt', a, b);
export const le = (a: PrimExpr, b: PrimExpr): CompareOp => compare('le', a, b);
export const gt = (a: PrimExpr, b: PrimExpr): CompareOp => compare('gt', a, b);
export const ge = (a: PrimExpr, b: PrimExpr): CompareOp => compare('ge', a, b);

function checkBool(op: string, e: PrimExpr): void {
  if (!isBool(e.dtype)) throw new TypeError(`${op}: operand must be bool, got ${e.dtype}`);
}
export function and(a: PrimExpr, b: PrimExpr): LogicalOp {
  checkBool('and', a); checkBool('and', b); sameDType('and', a, b);
  return { kind: 'LogicalOp', dtype: a.dtype, op: 'and', a, b };
}
export function or(a: PrimExpr, b: PrimExpr): LogicalOp {
  checkBool('or', a); checkBool('or', b); sameDType('or', a, b);
  return { kind: 'LogicalOp', dtype: a.dtype, op: 'or', a, b };
}
export function not(a: PrimExpr): Not {
  checkBool('not', a);
  return { kind: 'Not', dtype: a.dtype, a };
}

export function select(condition: PrimExpr, trueValue: PrimExpr, falseValue: PrimExpr): Select {
  checkBool('select', condition);
  sameDType('select', trueValue, falseValue);
  return { kind: 'Select', dtype: trueValue.dtype, condition, trueValue, falseValue };
}

/**
 * `tir.if_then_else(condition, thenValue, elseValue)`: only the arm the condition picks is
 * evaluated (TVM's `tir.if_then_else`), so the other may read out of bounds. The condition is a
 * scalar bool, or a bool vector with the arms' lane count (vector code: per lane, the arm not
 * taken in that lane is not read out of bounds; see tir/passes/if_then_else.ts).
 */
export function ifThenElseExpr(condition: PrimExpr, thenValue: PrimExpr, elseValue: PrimExpr): Call {
  checkBool('if_then_else', condition);
  sameDType('if_then_else', thenValue, elseValue);
  const lanes = lanesOf(condition.dtype);
  if (lanes !== 1 && lanes !== lanesOf(thenValue.dtype)) {
    throw new TypeError(`if_then_else: a ${condition.dtype} condition for ${thenValue.dtype} arms (lane counts differ)`);
  }
  return { kind: 'Call', dtype: thenValue.dtype, op: 'tir.if_then_else', args: [condition, thenValue, elseValue] };
}

export function cast(dtype: DataType, value: PrimExpr): PrimExpr {
  checkDType(dtype, 'cast');
  if (value.dtype === dtype) return value;
  if (lanesOf(dtype) !== lanesOf(value.dtype)) {
    throw new TypeError(`cast: lane count differs (${value.dtype} to ${dtype})`);
  }
  return { kind: 'Cast', dtype, value };
}

const FLOAT_INTRINSICS: ReadonlySet<IntrinsicName> = new Set<IntrinsicName>([
  'exp', 'log', 'sqrt', 'rsqrt', 'tanh', 'sigmoid', 'erf', 'floor', 'ceil', 'round', 'trunc', 'sin', 'cos',
]);
const INTRINSIC_ARITY: Readonly<Record<IntrinsicName, number>> = {
  exp: 1, log: 1, sqrt: 1, rsqrt: 1, tanh: 1, sigmoid: 1, erf: 1, abs: 1, pow: 2,
  floor: 1, ceil: 1, round: 1, trunc: 1, sin: 1, cos: 1, fma: 3, 'tir.storage_sync': 0, 'tir.if_then_else': 3, 'tir.warp_shuffle': 2,
};

/** A call of an intrinsic; math intrinsics keep their argument's dtype. */
export function call(op: IntrinsicName, args: readonly PrimExpr[], dtype?: DataType): Call {
  const arity = INTRINSIC_ARITY[op];
  if (arity === undefined) throw new TypeError(`call: unknown intrinsic '${op}'`);
  if (args.length !== arity) throw new TypeError(`call ${op}: expects ${arity} argument(s), got ${args.length}`);
  if (op === 'tir.if_then_else') return ifThenElseExpr(args[0]!, args[1]!, args[2]!);
  if (FLOAT_INTRINSICS.has(op) && !isFloat(args[0]!.dtype)) {
    throw new TypeError(`call ${op}: needs a float argument, got ${args[0]!.dtype}`);
  }
  if (op === 'tir.warp_shuffle') {
    if (args[1]!.dtype !== 'int32') throw new TypeError(`call tir.warp_shuffle: the lane must be a scalar int32, got ${args[1]!.dtype}`);
    return { kind: 'Call', dtype: args[0]!.dtype, op, args };
  }
  for (let i = 1; i < args.length; i++) sameDType(op, args[0]!, args[i]!);
  const out = dtype ?? (args.length > 0 ? args[0]!.dtype : 'int32');
  return { kind: 'Call', dtype: out, op, args };
}

export function ramp(base: PrimExpr, stride: PrimExpr, lanes: number): Ramp {
  if (!Number.isInteger(lanes) || lanes < 2) throw new TypeError(`ramp: lanes must be an integer ≥ 2, got ${lanes}`);
  if (!isInt(base.dtype) || lanesOf(base.dtype) !== 1) throw new TypeError(`ramp: base must be a scalar int32, got ${base.dtype}`);
  sameDType('ramp', base, stride);
  return { kind: 'Ramp', dtype: withLanes(base.dtype, lanes), base, stride, lanes };
}

export function broadcast(value: PrimExpr, lanes: number): Broadcast {
  if (!Number.isInteger(lanes) || lanes < 2) throw new TypeError(`broadcast: lanes must be an integer ≥ 2, got ${lanes}`);
  if (lanesOf(value.dtype) !== 1) throw new TypeError(`broadcast: value must be scalar, got ${value.dtype}`);
  return { kind: 'Broadcast', dtype: withLanes(value.dtype, lanes), value, lanes };
}

export function letExpr(variable: Var, value: PrimExpr, body: PrimExpr): Let {
  sameDType('let', variable, value);
  return { kind: 'Let', dtype: body.dtype, variable, value, body };
}

function indexLanes(what: string, indices: readonly PrimExpr[]): number {
  let lanes = 1;
  for (const ix of indices) {
    if (!isInt(ix.dtype)) throw new TypeError(`${what}: index must be int32, got ${ix.dtype}`);
    const l = lanesOf(ix.dtype);
    if (l !== 1) {
      if (lanes !== 1 && lanes !== l) throw new TypeError(`${what}: indices disagree on lane count`);
      lanes = l;
    }
  }
  return lanes;
}

export function bufferLoad(buffer: Buffer, indices: readonly PrimExpr[]): BufferLoad {
  const what = `load ${buffer.name}`;
  if (indices.length !== buffer.shape.length) {
    throw new TypeError(`${what}: ${indices.length} indices for a ${buffer.shape.length}-d buffer`);
  }
  const lanes = indexLanes(what, indices);
  return { kind: 'BufferLoad', dtype: withLanes(buffer.dtype, lanes), buffer, indices };
}

export function producerLoad(producer: DataProducer, indices: readonly PrimExpr[]): ProducerLoad {
  if (indices.length !== producer.shape.length) {
    throw new TypeError(`tensor ${producer.name}: accessed with ${indices.length} indices but has ${producer.shape.length} dimensions`);
  }
  indexLanes(`tensor ${producer.name}`, indices);
  return { kind: 'ProducerLoad', dtype: producer.dtype, producer, indices };
}

export function range(min: PrimExpr | number, extent: PrimExpr | number): Range {
  const m = typeof min === 'number' ? intImm(min) : min;
  const e = typeof extent === 'number' ? intImm(extent) : extent;
  if (!isInt(m.dtype) || !isInt(e.dtype)) throw new TypeError('range: min and extent must be int32');
  return { kind: 'Range', min: m, extent: e };
}

export function iterVar(dom: Range, name: string, iterType: IterVarType = 'data', threadTag?: ThreadTag): IterVar {
  const iv: IterVar = { kind: 'IterVar', variable: variable(name, 'int32'), dom, iterType };
  return threadTag ? { ...iv, threadTag } : iv;
}

export function reduce(combiner: ReducerName, source: PrimExpr, axis: readonly IterVar[], condition?: PrimExpr): Reduce {
  for (const a of axis) {
    if (a.iterType !== 'reduce') throw new TypeError(`${combiner}: axis ${a.variable.name} is not a reduce axis (use te.reduceAxis)`);
  }
  if (isBool(source.dtype)) throw new TypeError(`${combiner}: cannot reduce bool values`);
  const cond = condition ?? intImm(1, 'bool');
  checkBool(`${combiner} condition`, cond);
  return { kind: 'Reduce', dtype: source.dtype, combiner, source, axis, condition: cond };
}

/** The identity element of a reducer for a dtype (0 for sum, 1 for prod, ∓∞ / int limits for max/min). */
export function reducerIdentity(combiner: ReducerName, dtype: DataType): IntImm | FloatImm {
  const f = isFloat(dtype);
  switch (combiner) {
    case 'sum': return constant(0, dtype);
    case 'prod': return constant(1, dtype);
    case 'max': return f ? floatImm(-Infinity, dtype) : intImm(-2147483648, dtype);
    case 'min': return f ? floatImm(Infinity, dtype) : intImm(2147483647, dtype);
  }
}

/** Combines an accumulator and a value with a reducer. */
export function reducerCombine(combiner: ReducerName, acc: PrimExpr, value: PrimExpr): PrimExpr {
  switch (combiner) {
    case 'sum': return add(acc, value);
    case 'prod': return mul(acc, value);
    case 'max': return max(acc, value);
    case 'min': return min(acc, value);
  }
}

// ---------------------------------------------------------------------------------------
// Buffer and statement factories (checked)
// ---------------------------------------------------------------------------------------

export function buffer(name: string, shape: readonly (PrimExpr | number)[], dtype: DataType, scope: StorageScope = 'global'): Buffer {
  checkDType(dtype, `buffer ${name}`);
  if (lanesOf(dtype) !== 1) throw new TypeError(`buffer ${name}: element dtype must be scalar, got ${dtype}`);
  const dims = shape.map((d, i) => {
    const e = typeof d === 'number' ? intImm(d) : d;
    if (!isInt(e.dtype)) throw new TypeError(`buffer ${name}: dimension ${i} must be int32`);
    if (e.kind === 'IntImm' && e.value < 0) throw new RangeError(`buffer ${name}: dimension ${i} is negative (${e.value})`);
    return e;
  });
  return { kind: 'Buffer', name, dtype, shape: dims, scope, id: freshId() };
}

export function forLoop(
  loopVar: Var, min: PrimExpr | number, extent: PrimExpr | number, forKind: ForKind, body: Stmt,
  opts: { threadTag?: ThreadTag; annotations?: Annotations } = {},
): For {
  const m = typeof min === 'number' ? intImm(min) : min;
  const e = typeof extent === 'number' ? intImm(extent) : extent;
  if (!isInt(loopVar.dtype)) throw new TypeError(`for ${loopVar.name}: loop variable must be int32`);
  if (forKind === 'threadBinding' && !opts.threadTag) throw new TypeError(`for ${loopVar.name}: threadBinding loop needs a threadTag`);
  if (forKind !== 'threadBinding' && opts.threadTag) throw new TypeError(`for ${loopVar.name}: threadTag on a ${forKind} loop`);
  const f: For = { kind: 'For', loopVar, min: m, extent: e, forKind, annotations: opts.annotations ?? {}, body };
  return opts.threadTag ? { ...f, threadTag: opts.threadTag } : f;
}

export function letStmt(variable: Var, value: PrimExpr, body: Stmt): LetStmt {
  sameDType('let', variable, value);
  return { kind: 'LetStmt', variable, value, body };
}

export function ifThenElse(condition: PrimExpr, thenCase: Stmt, elseCase?: Stmt): IfThenElse {
  checkBool('if', condition);
  const s: IfThenElse = { kind: 'IfThenElse', condition, thenCase };
  return elseCase ? { ...s, elseCase } : s;
}

/** A sequence; nested sequences are flattened and a single statement is returned as is. */
export function seq(stmts: readonly Stmt[]): Stmt {
  const flat: Stmt[] = [];
  for (const s of stmts) {
    if (s.kind === 'SeqStmt') flat.push(...s.seq);
    else flat.push(s);
  }
  if (flat.length === 1) return flat[0]!;
  return { kind: 'SeqStmt', seq: flat };
}

export function bufferStore(buffer: Buffer, value: PrimExpr, indices: readonly PrimExpr[]): BufferStore {
  const what = `store ${buffer.name}`;
  if (indices.length !== buffer.shape.length) {
    throw new TypeError(`${what}: ${indices.length} indices for a ${buffer.shape.length}-d buffer`);
  }
  const lanes = indexLanes(what, indices);
  if (value.dtype !== withLanes(buffer.dtype, lanes)) {
    throw new TypeError(`${what}: value dtype ${value.dtype} does not match buffer ${withLanes(buffer.dtype, lanes)}`);
  }
  return { kind: 'BufferStore', buffer, value, indices };
}

export function allocate(buffer: Buffer, body: Stmt): Allocate {
  return { kind: 'Allocate', buffer, body };
}

export function evaluate(value: PrimExpr): Evaluate {
  return { kind: 'Evaluate', value };
}

/** A no-op statement (what remove-no-op leaves when everything is gone). */
export function noOp(): Evaluate {
  return evaluate(intImm(0));
}

export function primFunc(name: string, params: readonly Buffer[], body: Stmt, attrs: Record<string, unknown> = {}): PrimFunc {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new TypeError(`primFunc: name '${name}' is not an identifier`);
  const seen = new Set<number>();
  for (const p of params) {
    if (seen.has(p.id)) throw new TypeError(`primFunc ${name}: buffer ${p.name} passed twice`);
    seen.add(p.id);
  }
  return { kind: 'PrimFunc', name, params, body, attrs };
}

/** The integer value of a constant expression, or undefined. */
export function asConstInt(e: PrimExpr): number | undefined {
  return e.kind === 'IntImm' ? e.value : undefined;
}
