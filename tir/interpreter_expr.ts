// tir/interpreter_expr.ts — compiles TIR expressions to JS closures for the reference interpreter,
// scalar or vector; the numeric semantics live in interpreter_math.ts.

import {
  elementType, isFloat, lanesOf,
  type BinaryOpName, type Buffer, type DataType, type PrimExpr, type Var,
} from './nodes.js';
import { binaryFn, castFn, compareFn, flatOffset, intrinsicFn, rounder } from './interpreter_math.js';
import type { RaceState } from './interpreter_race.js';
import { ifThenElseAsSelect, isIfThenElse } from './passes/if_then_else.js';

export type Storage = Float32Array | Int32Array | Uint8Array;

/** The mutable state one (GPU-)thread of execution sees: scalar and vector registers, buffers. */
export interface Frame {
  readonly r: number[];
  readonly v: number[][];
  readonly m: (Storage | undefined)[];
  readonly shp: (readonly number[] | undefined)[];
  /** Shared-scope storage of the current thread block (a new one per blockIdx iteration). */
  pool?: Map<number, Storage>;
  /** The shared-memory race detector's state (interpreter_race.ts), when checking is on. */
  readonly race?: RaceState;
}

export type ScalarFn = (f: Frame) => number;
export type VectorFn = (f: Frame) => number[];

/** Where each bound Var and Buffer lives in a Frame; filled by the statement compiler. */
export interface Scope {
  readonly vars: Map<Var, number>;
  readonly bufs: Map<number, number>;
  readonly bufNames: string[];
  newScalarSlot(): number;
  newVectorSlot(): number;
  /**
   * A check to run on each access of buffer `b` at a flat offset (the race detector), compiled
   * for the thread context at hand; undefined when `b` needs none (not shared, checks off).
   */
  accessHook(b: Buffer, kind: 'read' | 'write'): AccessHook | undefined;
}

export type AccessHook = (f: Frame, offset: number) => void;

/** Direct closures for the hot arithmetic (no per-op indirection); the same semantics as binaryFn. */
function specializedBinary(op: BinaryOpName, dtype: DataType, a: ScalarFn, b: ScalarFn): ScalarFn | undefined {
  if (elementType(dtype) === 'float16') return undefined;
  if (isFloat(dtype)) {
    switch (op) {
      case 'add': return (f) => Math.fround(a(f) + b(f));
      case 'sub': return (f) => Math.fround(a(f) - b(f));
      case 'mul': return (f) => Math.fround(a(f) * b(f));
      default: return undefined;
    }
  }
  switch (op) {
    case 'add': return (f) => (a(f) + b(f)) | 0;
    case 'sub': return (f) => (a(f) - b(f)) | 0;
    case 'mul': return (f) => Math.imul(a(f), b(f));
    default: return undefined;
  }
}

export class ExprCompiler {
  constructor(private readonly scope: Scope) {}

  /** A scalar expression (lanes = 1). */
  scalar(e: PrimExpr): ScalarFn {
    if (lanesOf(e.dtype) !== 1) throw new TypeError(`interpret: expected a scalar, got ${e.kind} of ${e.dtype}`);
    switch (e.kind) {
      case 'IntImm':
      case 'FloatImm': {
        const v = e.kind === 'FloatImm' ? rounder(e.dtype)(e.value) : e.value;
        return () => v;
      }
      case 'Var': {
        const slot = this.varSlot(e);
        return (f) => f.r[slot]!;
      }
      case 'BinaryOp': {
        const a = this.scalar(e.a);
        const b = this.scalar(e.b);
        return specializedBinary(e.op, e.dtype, a, b) ?? ((op) => (f: Frame) => op(a(f), b(f)))(binaryFn(e.op, e.dtype));
      }
      case 'CompareOp': {
        const a = this.scalar(e.a);
        const b = this.scalar(e.b);
        const op = compareFn(e.op);
        return (f) => op(a(f), b(f));
      }
      case 'LogicalOp': {
        const a = this.scalar(e.a);
        const b = this.scalar(e.b);
        return e.op === 'and' ? (f) => (a(f) && b(f) ? 1 : 0) : (f) => (a(f) || b(f) ? 1 : 0);
      }
      case 'Not': {
        const a = this.scalar(e.a);
        return (f) => (a(f) ? 0 : 1);
      }
      case 'Select': {
        const c = this.scalar(e.condition);
        const t = this.scalar(e.trueValue);
        const x = this.scalar(e.falseValue);
        // Both arms are evaluated, as the codegens do (wasm `select`, WGSL select()): a load
        // out of bounds in the arm not taken is still an error.
        return (f) => {
          const cv = c(f);
          const tv = t(f);
          const fv = x(f);
          return cv ? tv : fv;
        };
      }
      case 'Cast': {
        const a = this.scalar(e.value);
        const cv = castFn(e.dtype, e.value.dtype);
        return (f) => cv(a(f));
      }
      case 'Call': {
        if (isIfThenElse(e)) {
          // Lazy: only the arm taken is evaluated (its loads may be out of bounds otherwise).
          const [c, t, x] = e.args.map((a) => this.scalar(a)) as [ScalarFn, ScalarFn, ScalarFn];
          return (f) => (c(f) ? t(f) : x(f));
        }
        const args = e.args.map((a) => this.scalar(a));
        const fn = intrinsicFn(e.op, e.dtype);
        return (f) => fn(args.map((a) => a(f)));
      }
      case 'Let': {
        const value = this.scalar(e.value);
        const slot = this.scope.newScalarSlot();
        const body = this.withVar(e.variable, slot, () => this.scalar(e.body));
        return (f) => {
          f.r[slot] = value(f);
          return body(f);
        };
      }
      case 'BufferLoad':
        return this.scalarLoad(e.buffer, e.indices);
      case 'Ramp':
      case 'Broadcast':
        throw new TypeError(`interpret: ${e.kind} with dtype ${e.dtype} is not scalar`);
      case 'ProducerLoad':
      case 'Reduce':
        throw new TypeError(`interpret: ${e.kind} cannot be executed; lower the function first (te.lower)`);
    }
  }

  /** A vector expression (lanes > 1): each lane computed with the scalar semantics. */
  vector(e: PrimExpr): VectorFn {
    const lanes = lanesOf(e.dtype);
    if (lanes === 1) {
      const s = this.scalar(e);
      return (f) => [s(f)];
    }
    const perLane = (fns: VectorFn[], op: (xs: number[]) => number): VectorFn => {
      if (fns.length === 2) {
        // The common binary case, without an argument array per lane.
        const [g0, g1] = fns as [VectorFn, VectorFn];
        const xs = [0, 0];
        return (f) => {
          const v0 = g0(f);
          const v1 = g1(f);
          const out = new Array<number>(lanes);
          for (let l = 0; l < lanes; l++) {
            xs[0] = v0[l]!;
            xs[1] = v1[l]!;
            out[l] = op(xs);
          }
          return out;
        };
      }
      return (f) => {
        const vals = fns.map((g) => g(f));
        const out = new Array<number>(lanes);
        for (let l = 0; l < lanes; l++) out[l] = op(vals.map((v) => v[l]!));
        return out;
      };
    };
    switch (e.kind) {
      case 'Var': {
        const slot = this.varSlot(e);
        return (f) => f.v[slot]!;
      }
      case 'Ramp': {
        const base = this.scalar(e.base);
        const stride = this.scalar(e.stride);
        return (f) => {
          const b = base(f);
          const s = stride(f);
          const out = new Array<number>(lanes);
          for (let l = 0; l < lanes; l++) out[l] = (b + Math.imul(s, l)) | 0;
          return out;
        };
      }
      case 'Broadcast': {
        const v = this.scalar(e.value);
        return (f) => new Array<number>(lanes).fill(v(f));
      }
      case 'BinaryOp': {
        const op = binaryFn(e.op, e.dtype);
        return perLane([this.vector(e.a), this.vector(e.b)], (x) => op(x[0]!, x[1]!));
      }
      case 'CompareOp': {
        const op = compareFn(e.op);
        return perLane([this.vector(e.a), this.vector(e.b)], (x) => op(x[0]!, x[1]!));
      }
      case 'LogicalOp':
        return perLane([this.vector(e.a), this.vector(e.b)], e.op === 'and'
          ? (x) => (x[0]! && x[1]! ? 1 : 0) : (x) => (x[0]! || x[1]! ? 1 : 0));
      case 'Not':
        return perLane([this.vector(e.a)], (x) => (x[0]! ? 0 : 1));
      case 'Select': {
        const cond = lanesOf(e.condition.dtype) === 1 ? this.broadcastScalar(e.condition, lanes) : this.vector(e.condition);
        return perLane([cond, this.vector(e.trueValue), this.vector(e.falseValue)], (x) => (x[0]! ? x[1]! : x[2]!));
      }
      case 'Cast': {
        const cv = castFn(e.dtype, e.value.dtype);
        return perLane([this.vector(e.value)], (x) => cv(x[0]!));
      }
      case 'Call': {
        if (isIfThenElse(e)) {
          // A scalar condition picks one whole vector arm; a per-lane one is the clamped select.
          if (lanesOf(e.args[0]!.dtype) > 1) return this.vector(ifThenElseAsSelect(e));
          const c = this.scalar(e.args[0]!);
          const [t, x] = [this.vector(e.args[1]!), this.vector(e.args[2]!)];
          return (f) => (c(f) ? t(f) : x(f));
        }
        const fn = intrinsicFn(e.op, e.dtype);
        return perLane(e.args.map((a) => this.vector(a)), fn);
      }
      case 'Let': {
        const vec = lanesOf(e.variable.dtype) > 1;
        const slot = vec ? this.scope.newVectorSlot() : this.scope.newScalarSlot();
        const value = this.vector(e.value);
        const body = this.withVar(e.variable, slot, () => this.vector(e.body));
        return (f) => {
          const v = value(f);
          if (vec) f.v[slot] = v;
          else f.r[slot] = v[0]!;
          return body(f);
        };
      }
      case 'BufferLoad':
        return this.load(e.buffer, e.indices, lanes);
      case 'IntImm':
      case 'FloatImm':
        throw new TypeError(`interpret: constant with vector dtype ${e.dtype}`);
      case 'ProducerLoad':
      case 'Reduce':
        throw new TypeError(`interpret: ${e.kind} cannot be executed; lower the function first (te.lower)`);
    }
  }

  private broadcastScalar(e: PrimExpr, lanes: number): VectorFn {
    const s = this.scalar(e);
    return (f) => new Array<number>(lanes).fill(s(f));
  }

  /** Index lists for `lanes` accesses (a scalar index is the same for every lane). */
  indexFn(indices: readonly PrimExpr[], lanes: number): (f: Frame) => number[][] {
    const fns = indices.map((ix) => (lanesOf(ix.dtype) === 1 ? this.broadcastScalar(ix, lanes) : this.vector(ix)));
    if (lanes === 1 && fns.length === 1) {
      const only = this.scalar(indices[0]!);
      return (f) => [[only(f)]];
    }
    return (f) => {
      const per = fns.map((g) => g(f));
      const out: number[][] = [];
      for (let l = 0; l < lanes; l++) out.push(per.map((p) => p[l]!));
      return out;
    };
  }

  bufferSlot(b: Buffer, what: string): number {
    const slot = this.scope.bufs.get(b.id);
    if (slot === undefined) throw new ReferenceError(`interpret: ${what} of buffer ${b.name}, which is neither a parameter nor allocated here`);
    return slot;
  }

  /** The common case kept allocation-free: one element, indices all scalar. */
  private scalarLoad(b: Buffer, indices: readonly PrimExpr[]): ScalarFn {
    const slot = this.bufferSlot(b, 'load');
    const off = this.scalarOffset(b, indices, slot, 'load');
    const hook = this.scope.accessHook(b, 'read');
    if (hook) {
      return (f) => {
        const o = off(f);
        hook(f, o);
        return f.m[slot]![o]!;
      };
    }
    return (f) => f.m[slot]![off(f)]!;
  }

  /** The checked flat offset of a scalar access, computed without allocating. */
  scalarOffset(b: Buffer, indices: readonly PrimExpr[], slot: number, what: string): ScalarFn {
    const name = b.name;
    const fns = indices.map((ix) => this.scalar(ix));
    const nd = fns.length;
    const fail = (f: Frame): never => {
      flatOffset(name, f.shp[slot]!, fns.map((g) => g(f)), what);
      throw new RangeError(`interpret: ${what} ${name}: bad access`);
    };
    if (nd === 1) {
      const i0 = fns[0]!;
      return (f) => {
        const i = i0(f);
        const shape = f.shp[slot]!;
        return shape.length === 1 && i >= 0 && i < shape[0]! ? i : fail(f);
      };
    }
    return (f) => {
      const shape = f.shp[slot]!;
      if (shape.length !== nd) return fail(f);
      let off = 0;
      for (let d = 0; d < nd; d++) {
        const i = fns[d]!(f);
        const n = shape[d]!;
        if (!(i >= 0 && i < n)) return fail(f);
        off = off * n + i;
      }
      return off;
    };
  }

  /** Flat offsets of a one-index Ramp access (the lowered form), checked, or undefined. */
  rampOffsets(b: Buffer, indices: readonly PrimExpr[], slot: number, what: string): ((f: Frame) => number[]) | undefined {
    const ix = indices[0]!;
    if (indices.length !== 1 || ix.kind !== 'Ramp') return undefined;
    const base = this.scalar(ix.base);
    const stride = this.scalar(ix.stride);
    const lanes = ix.lanes;
    const name = b.name;
    return (f) => {
      const shape = f.shp[slot]!;
      const b0 = base(f);
      const s0 = stride(f);
      const out = new Array<number>(lanes);
      for (let l = 0; l < lanes; l++) {
        const o = (b0 + Math.imul(s0, l)) | 0;
        out[l] = shape.length === 1 && o >= 0 && o < shape[0]! ? o : flatOffset(name, shape, [o], what);
      }
      return out;
    };
  }

  private load(b: Buffer, indices: readonly PrimExpr[], lanes: number): VectorFn {
    const slot = this.bufferSlot(b, 'load');
    const ramp = this.rampOffsets(b, indices, slot, 'load');
    const hook = this.scope.accessHook(b, 'read');
    if (ramp) {
      return (f) => {
        const mem = f.m[slot]!;
        const offs = ramp(f);
        for (let l = 0; l < offs.length; l++) {
          if (hook) hook(f, offs[l]!);
          offs[l] = mem[offs[l]!]!;
        }
        return offs;
      };
    }
    const idx = this.indexFn(indices, lanes);
    const name = b.name;
    return (f) => {
      const mem = f.m[slot]!;
      const shape = f.shp[slot]!;
      return idx(f).map((ix) => {
        const o = flatOffset(name, shape, ix, 'load');
        if (hook) hook(f, o);
        return mem[o]!;
      });
    };
  }

  varSlot(v: Var): number {
    const slot = this.scope.vars.get(v);
    if (slot === undefined) throw new ReferenceError(`interpret: variable ${v.name} is used but not bound by any loop or let`);
    return slot;
  }

  /** Compiles `fn` with `v` bound to `slot`, restoring any outer binding afterwards. */
  withVar<T>(v: Var, slot: number, fn: () => T): T {
    const outer = this.scope.vars.get(v);
    this.scope.vars.set(v, slot);
    try {
      return fn();
    } finally {
      if (outer === undefined) this.scope.vars.delete(v);
      else this.scope.vars.set(v, outer);
    }
  }
}
