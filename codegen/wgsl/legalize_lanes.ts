// codegen/wgsl/legalize_lanes.ts — codegen.wgsl.legalizeLanes: WGSL vectors have at most 4 lanes,
// while lowering vectorizes a loop into one vector op of the loop's extent (8, 16, …). This pass
// splits every wider vector store into stores of ≤ 4 lanes, slicing each operand to match.

import { StmtExprMutator } from '../../tir/functor.js';
import {
  add, binary, broadcast, bufferLoad, bufferStore, call, cast, compare, evaluate, intImm, lanesOf, letExpr, mul, not, ramp,
  seq, select, withLanes, and, or,
  type PrimExpr, type PrimFunc, type Stmt,
} from '../../tir/nodes.js';

export const MAX_WGSL_LANES = 4;

function offsetIndex(base: PrimExpr, stride: PrimExpr, off: number): PrimExpr {
  if (off === 0) return base;
  if (base.kind === 'IntImm' && stride.kind === 'IntImm') return intImm(base.value + off * stride.value);
  if (stride.kind === 'IntImm') return add(base, intImm(off * stride.value));
  return add(base, mul(stride, intImm(off)));
}

/** Lanes [off, off+n) of a vector expression (a scalar when n is 1); scalars pass through. */
export function sliceLanes(e: PrimExpr, off: number, n: number): PrimExpr {
  if (lanesOf(e.dtype) === 1) return e;
  const s = (x: PrimExpr): PrimExpr => sliceLanes(x, off, n);
  switch (e.kind) {
    case 'Ramp': {
      const base = offsetIndex(e.base, e.stride, off);
      return n === 1 ? base : ramp(base, e.stride, n);
    }
    case 'Broadcast':
      return n === 1 ? e.value : broadcast(e.value, n);
    case 'BinaryOp':
      return binary(e.op, s(e.a), s(e.b));
    case 'CompareOp':
      return compare(e.op, s(e.a), s(e.b));
    case 'LogicalOp':
      return e.op === 'and' ? and(s(e.a), s(e.b)) : or(s(e.a), s(e.b));
    case 'Not':
      return not(s(e.a));
    case 'Select':
      return select(s(e.condition), s(e.trueValue), s(e.falseValue));
    case 'Cast':
      return cast(withLanes(e.dtype, n), s(e.value));
    case 'Call':
      return call(e.op, e.args.map(s), withLanes(e.dtype, n));
    case 'BufferLoad':
      return bufferLoad(e.buffer, e.indices.map(s));
    case 'Let':
      if (lanesOf(e.value.dtype) > 1) break;
      return letExpr(e.variable, e.value, s(e.body));
    default:
      break;
  }
  throw new Error(`webgpu: cannot split a ${lanesOf(e.dtype)}-lane ${e.kind} into WGSL vectors of at most ${MAX_WGSL_LANES} lanes`);
}

/** Chunks [offset, count) covering `lanes` in steps of at most 4. */
function chunks(lanes: number): [number, number][] {
  const out: [number, number][] = [];
  for (let off = 0; off < lanes; off += MAX_WGSL_LANES) out.push([off, Math.min(MAX_WGSL_LANES, lanes - off)]);
  return out;
}

class LaneLegalizer extends StmtExprMutator {
  override mutateStmt(s: Stmt): Stmt {
    if (s.kind === 'BufferStore' && lanesOf(s.value.dtype) > MAX_WGSL_LANES) {
      return seq(chunks(lanesOf(s.value.dtype)).map(([off, n]) =>
        bufferStore(s.buffer, sliceLanes(s.value, off, n), s.indices.map((i) => sliceLanes(i, off, n)))));
    }
    if (s.kind === 'Evaluate' && lanesOf(s.value.dtype) > MAX_WGSL_LANES) {
      const value = s.value;
      return seq(chunks(lanesOf(value.dtype)).map(([off, n]) => evaluate(sliceLanes(value, off, n))));
    }
    if (s.kind === 'LetStmt' && lanesOf(s.value.dtype) > MAX_WGSL_LANES) {
      throw new Error(`webgpu: let ${s.variable.name} holds a ${lanesOf(s.value.dtype)}-lane vector; WGSL vectors have at most ${MAX_WGSL_LANES} lanes`);
    }
    return super.mutateStmt(s);
  }
}

/** Splits vector statements wider than 4 lanes; returns the same function when there are none. */
export function legalizeLanes(f: PrimFunc): PrimFunc {
  const body = new LaneLegalizer().mutateStmt(f.body);
  return body === f.body ? f : { ...f, body };
}

export function legalizeLanesStmt(s: Stmt): Stmt {
  return new LaneLegalizer().mutateStmt(s);
}
