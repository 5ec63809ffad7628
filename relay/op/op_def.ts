// relay/op/op_def.ts — what every relay operator declares: its fusion pattern (TVM's OpPattern),
// its type relation (shape/dtype inference) and, where cheap, a plain-JS evaluator for FoldConstant.

import type { Attrs, AttrValue, TensorData } from '../nodes.js';
import type { TensorType } from '../ty.js';

/** TVM's OpPattern (include/tvm/relay/op_attr_types.h): how an operator may be fused. */
export const OpPattern = {
  /** Output element i depends on input element i only (relu, add of equal shapes). */
  ELEMWISE: 0,
  /** Elementwise with numpy broadcasting. */
  BROADCAST: 1,
  /** Each output element reads some input elements through an index map (reshape, transpose, concat). */
  INJECTIVE: 2,
  /** A commutative reduction (sum, max). */
  COMM_REDUCE: 3,
  /** A complex op whose output can take an elementwise epilogue (conv2d, dense, pooling). */
  OUT_ELEMWISE_FUSABLE: 4,
  /** Never fused with anything (softmax, layer norm). */
  OPAQUE: 8,
} as const;
export type OpPattern = (typeof OpPattern)[keyof typeof OpPattern];

export const PATTERN_NAMES: Readonly<Record<number, string>> = {
  0: 'elemwise', 1: 'broadcast', 2: 'injective', 3: 'reduce', 4: 'out-elemwise-fusable', 8: 'opaque',
};

export interface OpDef {
  readonly name: string;
  readonly pattern: OpPattern;
  /** Number of tensor arguments; 'variadic' for concatenate. */
  readonly arity: number | 'variadic';
  /** The output type from the argument types; throws an error starting with the op name. */
  inferType(args: readonly TensorType[], attrs: Attrs): TensorType;
  /** Computes the op on constant inputs (FoldConstant, shape subgraphs); absent = not folded. */
  evaluate?(args: readonly TensorData[], attrs: Attrs): TensorData;
}

/** Reads a number attribute, or `fallback`; a wrong type is an error naming the op and attribute. */
export function numAttr(attrs: Attrs, op: string, name: string, fallback?: number): number {
  const v = attrs[name];
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v !== 'number') throw new TypeError(`${op}: attribute '${name}' must be a number, got ${JSON.stringify(v)}`);
  return v;
}

export function intsAttr(attrs: Attrs, op: string, name: string, fallback?: readonly number[]): readonly number[] {
  const v: AttrValue | undefined = attrs[name];
  if (v === undefined && fallback !== undefined) return fallback;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number')) {
    throw new TypeError(`${op}: attribute '${name}' must be a list of numbers, got ${JSON.stringify(v)}`);
  }
  return v as readonly number[];
}

export function strAttr(attrs: Attrs, op: string, name: string, fallback?: string): string {
  const v = attrs[name];
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v !== 'string') throw new TypeError(`${op}: attribute '${name}' must be a string, got ${JSON.stringify(v)}`);
  return v;
}

export function boolAttr(attrs: Attrs, name: string, fallback: boolean): boolean {
  const v = attrs[name];
  return typeof v === 'boolean' ? v : typeof v === 'number' ? v !== 0 : fallback;
}

/** A negative axis counted from the end; an out-of-range axis is an error naming the op. */
export function normAxis(axis: number, ndim: number, op: string): number {
  const a = axis < 0 ? axis + ndim : axis;
  if (!Number.isInteger(a) || a < 0 || a >= ndim) throw new RangeError(`${op}: axis ${axis} is out of range for a ${ndim}-D tensor`);
  return a;
}

export function fmtShape(s: readonly number[]): string {
  return `[${s.join(', ')}]`;
}

/** The channel block of a layout string 'NCHW8c' (undefined for plain 'NCHW'). */
export function layoutBlock(layout: string, op: string): number | undefined {
  if (layout === 'NCHW') return undefined;
  const m = /^NCHW(\d+)c$/.exec(layout);
  if (!m) throw new RangeError(`${op}: layout '${layout}' is not NCHW or NCHW<block>c`);
  return Number(m[1]);
}
