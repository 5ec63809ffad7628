// autotune/knobs/stage_like.ts — what knob entities need from a schedule stage, and how a knob reads an axis length.
// Structural, so knobs apply to schedule/'s Stage without autotune depending on its class.

import { asConstInt, type IterVar, type ThreadTag } from '../../tir/nodes.js';

/** The schedule primitives knob entities call (schedule/'s Stage provides them). */
export interface StageLike<Ax> {
  split(axis: Ax, opts: { factor: number }): readonly [Ax, Ax] | Ax[];
  reorder(...axes: Ax[]): unknown;
  unroll(axis: Ax): unknown;
  vectorize(axis: Ax): unknown;
  bind(axis: Ax, tag: ThreadTag): unknown;
  fuse(a: Ax, b: Ax): Ax;
}

/** An axis a knob is defined over: a length, `{ extent }`, or an IterVar with a constant extent. */
export type AxisSpec = number | { readonly extent: number } | IterVar;

/** The constant length of an axis spec; a clear error when it has none. */
export function axisLength(axis: AxisSpec, what: string): number {
  let n: number | undefined;
  if (typeof axis === 'number') n = axis;
  else if ('kind' in axis && axis.kind === 'IterVar') {
    n = asConstInt(axis.dom.extent);
    if (n === undefined) throw new TypeError(`${what}: axis ${axis.variable.name} has no constant extent`);
  } else if ('extent' in axis) n = axis.extent;
  if (n === undefined || !Number.isInteger(n) || n <= 0) {
    throw new RangeError(`${what}: axis length must be a positive integer, got ${String(n)}`);
  }
  return n;
}

/** A readable name of an axis spec, for error messages and the space's description. */
export function axisName(axis: AxisSpec): string {
  if (typeof axis === 'number') return `len${axis}`;
  if ('kind' in axis && axis.kind === 'IterVar') return axis.variable.name;
  return `len${(axis as { extent: number }).extent}`;
}
