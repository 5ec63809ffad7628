// autotune/features.ts — cost-model features of a config: 'itervar' (per loop of the lowered function, as
// AutoTVM's touch_extractor, each loop's and buffer's features in a column keyed by its name so a column
// means one loop across configs), 'itervar-flat' (AutoTVM's flatten order, zero-padded), 'knob' (the
// config's values) and 'curve' (sampled reuse-distance curves).

import { postOrderVisitExpr } from '../tir/functor.js';
import {
  asConstInt, bytesOf, isFloat,
  type Buffer, type For, type PrimExpr, type PrimFunc, type Stmt, type Var,
} from '../tir/nodes.js';
import type { ConfigSpace } from './space.js';
import type { Instantiated, Task } from './task.js';

export type FeatureType = 'itervar' | 'itervar-flat' | 'knob' | 'curve';

/** Loop kinds one-hot encoded per loop (AutoTVM's annotation one-hot). */
const LOOP_KINDS = [
  'serial', 'parallel', 'vectorized', 'unrolled',
  'blockIdx.x', 'blockIdx.y', 'blockIdx.z', 'threadIdx.x', 'threadIdx.y', 'threadIdx.z', 'vthread',
] as const;

/** One buffer access (a load or a store) with the loops around it and its index's stride per loop variable. */
interface Access {
  readonly buffer: Buffer;
  readonly loops: readonly For[];
  readonly coef: ReadonlyMap<Var, number>;
}

interface LoopInfo {
  readonly loop: For;
  readonly extent: number;
  readonly depth: number;
  readonly topdown: number;
  bottomup: number;
  add: number;
  mul: number;
  div: number;
}

/** A constant upper bound of a loop extent (tails give `min(c, …)`); 1 when unknown. */
function constBound(e: PrimExpr): number {
  const c = asConstInt(e);
  if (c !== undefined) return Math.max(c, 0);
  if (e.kind === 'BinaryOp' && e.op === 'min') {
    const a = asConstInt(e.a);
    const b = asConstInt(e.b);
    if (a !== undefined || b !== undefined) return Math.max(Math.min(a ?? Infinity, b ?? Infinity), 0);
  }
  return 1;
}

/** Coefficients of loop variables in an index, treating it as linear (AutoTVM's IndexParser does the same). */
function linearCoef(e: PrimExpr, scale: number, out: Map<Var, number>): void {
  switch (e.kind) {
    case 'Var':
      out.set(e, (out.get(e) ?? 0) + scale);
      return;
    case 'BinaryOp': {
      const ca = asConstInt(e.a);
      const cb = asConstInt(e.b);
      switch (e.op) {
        case 'add': linearCoef(e.a, scale, out); linearCoef(e.b, scale, out); return;
        case 'sub': linearCoef(e.a, scale, out); linearCoef(e.b, -scale, out); return;
        case 'mul':
          if (cb !== undefined) linearCoef(e.a, scale * cb, out);
          else if (ca !== undefined) linearCoef(e.b, scale * ca, out);
          else { linearCoef(e.a, scale, out); linearCoef(e.b, scale, out); }
          return;
        case 'div':
        case 'floordiv':
          linearCoef(e.a, cb ? scale / cb : scale, out);
          return;
        default:
          linearCoef(e.a, scale, out);
          linearCoef(e.b, scale, out);
          return;
      }
    }
    case 'Cast': linearCoef(e.value, scale, out); return;
    case 'Ramp': linearCoef(e.base, scale, out); return;
    case 'Broadcast': linearCoef(e.value, scale, out); return;
    case 'Let': linearCoef(e.body, scale, out); return;
    default:
      return;
  }
}

function accessCoef(buffer: Buffer, indices: readonly PrimExpr[]): Map<Var, number> {
  const out = new Map<Var, number>();
  let rowStride = 1;
  for (let d = indices.length - 1; d >= 0; d--) {
    linearCoef(indices[d]!, rowStride, out);
    rowStride *= constBound(buffer.shape[d] ?? indices[d]!);
  }
  return out;
}

/** Walks a function once: loops with their products and arithmetic, and every buffer access. */
function analyze(func: PrimFunc): { loops: LoopInfo[]; accesses: Access[] } {
  const loops: LoopInfo[] = [];
  const accesses: Access[] = [];
  const stack: For[] = [];
  const infos: LoopInfo[] = [];
  const visitExpr = (e: PrimExpr): void => {
    postOrderVisitExpr(e, (x) => {
      if (x.kind === 'BufferLoad') accesses.push({ buffer: x.buffer, loops: [...stack], coef: accessCoef(x.buffer, x.indices) });
      const top = infos[infos.length - 1];
      if (top && x.kind === 'BinaryOp' && isFloat(x.dtype)) {
        if (x.op === 'add' || x.op === 'sub') top.add++;
        else if (x.op === 'mul') top.mul++;
        else if (x.op === 'div') top.div++;
      }
    });
  };
  /** Returns the largest product of loop extents on any path below (the bottom-up product). */
  const visit = (s: Stmt): number => {
    switch (s.kind) {
      case 'For': {
        const extent = constBound(s.extent);
        const parent = infos[infos.length - 1];
        const info: LoopInfo = {
          loop: s, extent, depth: infos.length, topdown: (parent?.topdown ?? 1) * extent, bottomup: extent, add: 0, mul: 0, div: 0,
        };
        loops.push(info);
        infos.push(info);
        stack.push(s);
        const inner = visit(s.body);
        stack.pop();
        infos.pop();
        info.bottomup = extent * inner;
        return info.bottomup;
      }
      case 'LetStmt': visitExpr(s.value); return visit(s.body);
      case 'IfThenElse': {
        visitExpr(s.condition);
        const a = visit(s.thenCase);
        return s.elseCase ? Math.max(a, visit(s.elseCase)) : a;
      }
      case 'SeqStmt': return s.seq.reduce((m, c) => Math.max(m, visit(c)), 1);
      case 'BufferStore':
        visitExpr(s.value);
        for (const i of s.indices) visitExpr(i);
        accesses.push({ buffer: s.buffer, loops: [...stack], coef: accessCoef(s.buffer, s.indices) });
        return 1;
      case 'Allocate': return visit(s.body);
      case 'Evaluate': visitExpr(s.value); return 1;
    }
  };
  visit(func.body);
  return { loops, accesses };
}

/** AutoTVM's take_log: log2(x + 1), sign kept for negative strides. */
function logScale(x: number): number {
  return Math.sign(x) * Math.log2(Math.abs(x) + 1);
}

function loopKind(f: For): string {
  return f.forKind === 'threadBinding' ? (f.threadTag ?? 'serial') : f.forKind;
}

/** Touch statistics of one access relative to one enclosing loop: stride, count, reuse. */
function touch(a: Access, loop: For): [number, number, number] {
  const p = a.loops.indexOf(loop);
  if (p < 0) return [0, 0, 0];
  let count = 1;
  let reuse = 1;
  for (const l of a.loops.slice(p)) {
    const ext = constBound(l.extent);
    if ((a.coef.get(l.loopVar) ?? 0) !== 0) count *= ext;
    else reuse *= ext;
  }
  return [a.coef.get(loop.loopVar) ?? 0, count, reuse];
}

/**
 * Itervar features, flattened and log-scaled: for every loop (pre-order) its extent, nest level,
 * top-down and bottom-up extent products, loop-kind one-hot, float add/mul/div counts, then for
 * every buffer access of the function (program order) its stride, touch count and reuse ratio.
 */
export function itervarFeatures(func: PrimFunc): number[] {
  const { loops, accesses } = analyze(func);
  const out: number[] = [];
  for (const info of loops) {
    out.push(info.extent, info.depth, info.topdown, info.bottomup);
    const kind = loopKind(info.loop);
    for (const k of LOOP_KINDS) out.push(k === kind ? 1 : 0);
    out.push(info.add, info.mul, info.div);
    for (const a of accesses) out.push(...touch(a, info.loop));
  }
  return out.map(logScale);
}

/** The stage a loop belongs to: the buffer of the first store in its body (a nest's loops share it). */
function stageOf(loop: For): string {
  let name: string | undefined;
  const find = (st: Stmt): void => {
    if (name !== undefined) return;
    switch (st.kind) {
      case 'BufferStore': name = st.buffer.name; return;
      case 'For': case 'LetStmt': case 'Allocate': find(st.body); return;
      case 'SeqStmt': for (const c of st.seq) find(c); return;
      case 'IfThenElse': find(st.thenCase); if (st.elseCase) find(st.elseCase); return;
      default: return;
    }
  };
  find(loop.body);
  return name ?? '';
}

/** Values per keyed group of itervar features: 18 per loop, 3 per (loop, buffer). */
export const LOOP_FEATURES = 4 + LOOP_KINDS.length + 3;
export const TOUCH_FEATURES = 3;

/**
 * Itervar features keyed by name, log-scaled: per loop, key `stage/loopVar` (stage: the buffer its nest
 * stores first; a repeated key gets `#k`), its extent, nest level, top-down and bottom-up products,
 * loop-kind one-hot and float add/mul/div counts; per loop and buffer, key `stage/loopVar|buffer`, the
 * stride, touch count and reuse of the buffer's access with the largest touch count under that loop
 * (AutoTVM's touch_extractor also keys touch features by buffer). A loop that a config splits away, a
 * stage it inlines or a buffer it no longer reads is simply absent (zero where placed by FeatureLayout),
 * so a key means the same loop in every config of a template, whatever the loop count or order.
 */
export function itervarFeatureGroups(func: PrimFunc): [string, number[]][] {
  const { loops, accesses } = analyze(func);
  const out: [string, number[]][] = [];
  const seen = new Map<string, number>();
  for (const info of loops) {
    let key = `${stageOf(info.loop)}/${info.loop.loopVar.name}`;
    const k = seen.get(key) ?? 0;
    seen.set(key, k + 1);
    if (k > 0) key += `#${k}`;
    const kind = loopKind(info.loop);
    out.push([key, [info.extent, info.depth, info.topdown, info.bottomup, ...LOOP_KINDS.map((x) => (x === kind ? 1 : 0)), info.add, info.mul, info.div].map(logScale)]);
    const perBuffer = new Map<string, [number, number, number]>();
    for (const a of accesses) {
      const t = touch(a, info.loop);
      if (t[1] === 0) continue; // not under this loop
      const prev = perBuffer.get(a.buffer.name);
      if (!prev || t[1] > prev[1]) perBuffer.set(a.buffer.name, t);
    }
    for (const [b, t] of perBuffer) out.push([`${key}|${b}`, t.map(logScale)]);
  }
  return out;
}

/**
 * Column positions of keyed feature groups (itervarFeatureGroups), shared by every config a tuner sees
 * (its task's and, for transfer learning, other tasks' of the template): a key gets the next free
 * columns the first time it appears and keeps them. Rows are therefore prefix-aligned: a row made
 * before a key appeared is the same row with zeros in that key's columns, so zero-padding to the
 * current length keeps every column's meaning (unlike AutoTVM's get_itervar_feature_flatten, whose
 * j-th column is whatever loop comes j-th in that config).
 */
export class FeatureLayout {
  private readonly slots = new Map<string, { at: number; size: number }>();
  private width = 0;

  /** Columns so far. */
  get length(): number {
    return this.width;
  }

  /** The first column of `key`, undefined if it has not appeared. */
  columnOf(key: string): number | undefined {
    return this.slots.get(key)?.at;
  }

  /**
   * A dense row of the current length with each group at its key's columns, zeros elsewhere.
   * Throws RangeError when a key comes back with a different number of values.
   */
  place(groups: readonly (readonly [string, readonly number[]])[]): number[] {
    for (const [key, vals] of groups) {
      const slot = this.slots.get(key);
      if (!slot) {
        this.slots.set(key, { at: this.width, size: vals.length });
        this.width += vals.length;
      } else if (slot.size !== vals.length) {
        throw new RangeError(`FeatureLayout: key '${key}' had ${slot.size} values, now ${vals.length}`);
      }
    }
    const row = new Array<number>(this.width).fill(0);
    for (const [key, vals] of groups) {
      const at = this.slots.get(key)!.at;
      vals.forEach((v, i) => { row[at + i] = v; });
    }
    return row;
  }
}

/**
 * Curve features: per buffer access, the reuse-distance curve sampled at `sampleN` points.
 * A reuse happens at every loop whose variable the access does not depend on; its distance is the
 * bytes the access touches in one iteration of that loop, its count the iterations that reuse them.
 * Sample x (0 … sampleN-1) is log2 of the distance in bytes; the value is log2(1 + reuses within it).
 */
export function curveFeatures(func: PrimFunc, sampleN = 20): number[] {
  const { accesses } = analyze(func);
  const out: number[] = [];
  for (const a of accesses) {
    const points: { dist: number; count: number }[] = [];
    let outer = 1;
    a.loops.forEach((l, p) => {
      const ext = constBound(l.extent);
      if ((a.coef.get(l.loopVar) ?? 0) === 0 && ext > 1) {
        let footprint = bytesOf(a.buffer.dtype);
        for (const inner of a.loops.slice(p + 1)) {
          if ((a.coef.get(inner.loopVar) ?? 0) !== 0) footprint *= constBound(inner.extent);
        }
        points.push({ dist: footprint, count: outer * (ext - 1) });
      }
      outer *= ext;
    });
    for (let x = 0; x < sampleN; x++) {
      const within = points.filter((pt) => Math.log2(pt.dist) <= x).reduce((s, pt) => s + pt.count, 0);
      out.push(Math.log2(1 + within));
    }
  }
  return out;
}

/** Knob features: the config's values flattened (split sizes, permutations, annotation one-hots, knob values). */
export function knobFeatures(config: ConfigSpace): number[] {
  return config.flattenFeatures();
}

/** Pads with zeros or truncates to `length`: a task's feature rows must all have one length. */
export function fitLength(v: readonly number[], length: number): Float32Array {
  const out = new Float32Array(length);
  out.set(v.length > length ? v.slice(0, length) : v);
  return out;
}

/** Lowers an instantiated template to TIR (te.lower with the task's tensors as parameters). */
export type LowerFn = (inst: Instantiated) => PrimFunc;

/** Whether rows of a feature type are prefix-aligned (FeatureLayout): zero-padding keeps their columns' meaning. */
export function alignedFeatures(type: FeatureType): boolean {
  return type === 'itervar' || type === 'knob';
}

/**
 * The raw features of one config of a task. 'itervar', 'itervar-flat' and 'curve' instantiate and
 * lower the config, then add the defineKnob values (as AutoTVM); 'knob' needs no lowering.
 * 'itervar' places keyed groups by `layout` (one per tuner; a fresh one when omitted), the knob values
 * under the key `knobs` first. Throws when the config cannot be instantiated (the cost model treats
 * that as a zero row).
 */
export function configFeatures(task: Task, config: ConfigSpace, type: FeatureType, lower: LowerFn, layout?: FeatureLayout): number[] {
  switch (type) {
    case 'knob':
      return config.flattenFeatures();
    case 'itervar': {
      const groups = itervarFeatureGroups(lower(task.instantiate(config)));
      const other = config.otherOptionFeatures();
      return (layout ?? new FeatureLayout()).place(other.length > 0 ? [['knobs', other], ...groups] : groups);
    }
    case 'itervar-flat':
      return [...itervarFeatures(lower(task.instantiate(config))), ...config.otherOptionFeatures()];
    case 'curve':
      return [...curveFeatures(lower(task.instantiate(config))), ...config.otherOptionFeatures()];
    default:
      throw new TypeError(`unknown feature type '${String(type)}' (expected itervar, itervar-flat, knob or curve)`);
  }
}
