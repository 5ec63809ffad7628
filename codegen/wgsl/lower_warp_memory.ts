// codegen/wgsl/lower_warp_memory.ts — webgpu.lowerWarpMemory: TVM's LowerWarpMemory
// (src/tir/transforms/lower_warp_memory.cc) for WGSL subgroups. A 'warp' allocation is one tile per
// subgroup spread over its lanes: each lane keeps its part in a local array and a read of any element
// becomes `tir.warp_shuffle(part, lane)` (WGSL subgroupBroadcast with a constant lane, else
// subgroupShuffle). The tile must be stored as TVM requires: at `m·lane + (W·m)·y + x` with x < m
// (W = threadIdx.x's extent = the subgroup size), so lane `lane` holds m consecutive elements of every
// W·m; an element i is then lane (i / m) mod W's local element (i / (W·m))·m + i mod m.
// Subgroup operations need every lane active: reads under a lane-dependent `if` are hoisted before it.

import { StmtExprMutator, StmtExprVisitor, substituteExpr, usedVars } from '../../tir/functor.js';
import {
  allocate, binary, buffer as makeBuffer, bufferLoad, bufferStore, call, compare, ifThenElse, intImm, letStmt, ramp, variable,
  type Buffer, type PrimExpr, type Stmt, type Var,
} from '../../tir/nodes.js';
import { exprKey } from '../../tir/arith/linear.js';
import { proveTrue, simplifyExpr } from '../../tir/arith/simplify_expr.js';
import { launchConfig } from './launch_config.js';

const simp = (e: PrimExpr): PrimExpr => simplifyExpr(e);
const int = (n: number): PrimExpr => intImm(n);

/** How a warp buffer is spread: m consecutive elements per lane, W lanes. */
interface WarpLayout {
  readonly local: Buffer;
  readonly m: number;
  readonly width: number;
}

/** The constant value of an int expression after simplification, or undefined. */
function constOf(e: PrimExpr): number | undefined {
  const s = simp(e);
  return s.kind === 'IntImm' ? s.value : undefined;
}

/**
 * The coefficient m of `lane` in `index` (index = m·lane + rest, rest free of lane), or a reason why not.
 * m = 0: every lane names one element (the last, partial round of a fetch, whose guard leaves it to one lane).
 * A fetch's tile index is often a re-flattening of the fused thread index (`(f / 36)·36 + (f / 6 mod 6)·6 +
 * f mod 6`) that the simplifier cannot fold symbolically: with the lane set to each of its W values the
 * index is then a constant, and linearity is checked value by value.
 */
function laneCoefficient(index: PrimExpr, lane: Var, width: number): { m: number; rest: PrimExpr } | string {
  const at = (l: number): PrimExpr => simp(substituteExpr(index, new Map([[lane, int(l)]])));
  const rest = at(0);
  const values = Array.from({ length: width }, (_, l) => (l === 0 ? rest : at(l)));
  if (values.every((v) => v.kind === 'IntImm')) {
    const vs = values.map((v) => (v as { value: number }).value);
    const m = vs.length > 1 ? vs[1]! - vs[0]! : 1;
    if (m < 0 || vs.some((v, l) => v !== vs[0]! + m * l)) return `its index ${exprKey(index)} takes values ${vs.join(', ')} on lanes 0..${width - 1}, not a positive stride`;
    return { m, rest };
  }
  const m = constOf(binary('sub', values[1] ?? rest, rest));
  if (m === undefined || m < 0) return `its index ${exprKey(index)} is not a positive constant times the lane ${lane.name} plus the rest`;
  const linear = constOf(binary('sub', index, binary('add', rest, binary('mul', int(m), lane))));
  if (linear !== 0) return `its index ${exprKey(index)} is not linear in the lane ${lane.name}`;
  return { m, rest };
}

/** The lane-local element of tile element `i`: (i / (W·m))·m + i mod m. */
function localIndex(i: PrimExpr, m: number, width: number): PrimExpr {
  return simp(binary('add', binary('mul', binary('floordiv', i, int(width * m)), int(m)), binary('floormod', i, int(m))));
}

/** Stores of one buffer with the innermost threadIdx.x loop variable around each. */
function storesWithLane(body: Stmt, b: Buffer): { index: PrimExpr; lanes: number; lane: Var | undefined }[] {
  const out: { index: PrimExpr; lanes: number; lane: Var | undefined }[] = [];
  const lanes: Var[] = [];
  class V extends StmtExprVisitor {
    override visitStmt(s: Stmt): void {
      if (s.kind === 'For' && s.forKind === 'threadBinding' && s.threadTag === 'threadIdx.x') {
        lanes.push(s.loopVar);
        super.visitStmt(s);
        lanes.pop();
        return;
      }
      if (s.kind === 'BufferStore' && s.buffer === b) {
        const idx = s.indices[0]!;
        out.push({ index: idx, lanes: idx.kind === 'Ramp' ? idx.lanes : 1, lane: lanes[lanes.length - 1] });
      }
      super.visitStmt(s);
    }
  }
  new V().visitStmt(body);
  return out;
}

/** Rewrites one warp allocation's body: stores to the lane's local part, loads to shuffles. */
class WarpAccessRewriter extends StmtExprMutator {
  constructor(private readonly warp: Buffer, private readonly layout: WarpLayout, private readonly lanes: Var[] = []) {
    super();
  }

  override mutateExpr(e: PrimExpr): PrimExpr {
    if (e.kind !== 'BufferLoad' || e.buffer !== this.warp) return super.mutateExpr(e);
    const { local, m, width } = this.layout;
    const i = this.mutateExpr(e.indices[0]!);
    if (i.kind === 'Ramp') {
      throw new Error(`webgpu.lowerWarpMemory: a ${i.lanes}-lane vector read of warp memory ${this.warp.name}: read it as scalars (a shuffle moves one value)`);
    }
    const lane = simp(binary('floormod', binary('floordiv', i, int(m)), int(width)));
    return call('tir.warp_shuffle', [bufferLoad(local, [this.laneInvariant(localIndex(i, m, width), i)]), lane]);
  }

  /**
   * The local element a shuffle reads is evaluated by the lane that *sends* it, with that lane's
   * threadIdx.x, so it must be the same on every lane (TVM's "local index must not contain the warp
   * index" check). An index that names the lane but takes one value on all W lanes (the simplifier
   * cannot always fold `(7 − tx) >> 3` over tx < 8) becomes that value; any other is refused.
   */
  private laneInvariant(local: PrimExpr, index: PrimExpr): PrimExpr {
    const lane = this.lanes[this.lanes.length - 1];
    if (!lane || !usedVars(local).has(lane)) return local;
    const { width } = this.layout;
    const at = (l: number): PrimExpr => simp(substituteExpr(local, new Map([[lane, int(l)]])));
    const first = at(0);
    const same = Array.from({ length: width - 1 }, (_, l) => at(l + 1)).every((v) => constOf(binary('sub', v, first)) === 0);
    if (same) return first;
    throw new Error(`webgpu.lowerWarpMemory: a read of warp memory ${this.warp.name} at ${exprKey(index)} needs local element ` +
      `${exprKey(local)}, which differs between lanes: a shuffle reads the element the sending lane names, so each lane ` +
      `must read the same position of its part (index = m·lane + (W·m)·y + x with y and x the same on every lane)`);
  }

  override mutateStmt(s: Stmt): Stmt {
    if (s.kind === 'For' && s.forKind === 'threadBinding' && s.threadTag === 'threadIdx.x') {
      this.lanes.push(s.loopVar);
      try {
        return super.mutateStmt(s);
      } finally {
        this.lanes.pop();
      }
    }
    if (s.kind !== 'BufferStore' || s.buffer !== this.warp) return super.mutateStmt(s);
    const { local, m, width } = this.layout;
    const value = this.mutateExpr(s.value);
    const idx = s.indices[0]!;
    const lane = this.lanes[this.lanes.length - 1]!;
    const base = idx.kind === 'Ramp' ? idx.base : idx;
    const { rest } = laneCoefficient(base, lane, width) as { rest: PrimExpr };
    const at = localIndex(rest, m, width);
    return bufferStore(local, value, [idx.kind === 'Ramp' ? ramp(at, int(1), idx.lanes) : at]);
  }
}

/** Checks the stores of warp buffer `b` and works out its layout (TVM's WarpStoreCoeffFinder). */
function warpLayout(b: Buffer, body: Stmt, width: number): WarpLayout {
  const what = `webgpu.lowerWarpMemory: warp memory ${b.name}`;
  if (b.shape.length !== 1) throw new Error(`${what}: expected a flattened (1-d) buffer, got ${b.shape.length} dims`);
  const size = constOf(b.shape[0]!);
  if (size === undefined) throw new Error(`${what}: its size ${exprKey(b.shape[0]!)} is not a constant`);
  let m: number | undefined;
  const stores = storesWithLane(body, b);
  if (stores.length === 0) throw new Error(`${what}: never stored to`);
  const single: { rest: PrimExpr; lanes: number }[] = [];
  for (const st of stores) {
    if (!st.lane) throw new Error(`${what}: a store outside any threadIdx.x loop: bind the fetch's inner axis to threadIdx.x (the lanes)`);
    const base = st.index.kind === 'Ramp' ? st.index.base : st.index;
    if (st.index.kind === 'Ramp' && constOf(st.index.stride) !== 1) throw new Error(`${what}: a strided vector store; store unit-stride vectors or scalars`);
    const found = laneCoefficient(base, st.lane, width);
    if (typeof found === 'string') throw new Error(`${what}: a store that is not of the form m·lane + (W·m)·y + x: ${found}`);
    // m = 0: one element for all lanes, which the fetch's guard leaves to the lane that owns it (below).
    if (found.m === 0) {
      single.push({ rest: found.rest, lanes: st.lanes });
      continue;
    }
    if (m !== undefined && found.m !== m) throw new Error(`${what}: stores with lane strides ${m} and ${found.m}; all must agree`);
    m = found.m;
    // Lane 0 must store at a multiple of W·m (plus x < m), so element i belongs to lane (i / m) mod W.
    if (!proveTrue(compare('lt', binary('floormod', found.rest, int(width * m)), int(m)))) {
      throw new Error(`${what}: lane 0 stores at ${exprKey(found.rest)}, not provably a multiple of ${width * m} (lanes × lane stride) plus less than ${m}`);
    }
    // The vector must stay within one lane's m consecutive elements.
    if (st.lanes > 1 && !proveTrue(compare('le', binary('add', binary('floormod', found.rest, int(m)), int(st.lanes)), int(m)))) {
      throw new Error(`${what}: a ${st.lanes}-lane store at ${exprKey(base)} may cross from one lane's part into the next (lane stride ${m})`);
    }
  }
  // Only single-element stores (a one-element tile): m = 1, element i in lane i mod W.
  if (m === undefined) m = 1;
  for (const st of single) {
    if (st.lanes > 1 && !proveTrue(compare('le', binary('add', binary('floormod', st.rest, int(m)), int(st.lanes)), int(m)))) {
      throw new Error(`${what}: a ${st.lanes}-lane store at ${exprKey(st.rest)} may cross from one lane's part into the next (lane stride ${m})`);
    }
  }
  const localSize = Math.ceil(size / (width * m)) * m;
  return { local: makeBuffer(`${b.name}_lane`, [localSize], b.dtype, 'local'), m, width };
}

/** Lowers every warp allocation; loads become shuffles (hoisting is separate). */
class WarpMemoryLowerer extends StmtExprMutator {
  constructor(private readonly width: number) {
    super();
  }

  override mutateStmt(s: Stmt): Stmt {
    if (s.kind !== 'Allocate' || s.buffer.scope !== 'warp') return super.mutateStmt(s);
    const body = this.mutateStmt(s.body);
    const layout = warpLayout(s.buffer, body, this.width);
    return allocate(layout.local, new WarpAccessRewriter(s.buffer, layout).mutateStmt(body));
  }
}

/**
 * Hoists warp shuffles out of `if`s whose condition depends on the lane (threadIdx.x, or a let or loop
 * derived from it), so every lane takes part: `if (c) { x = shuffle(v, 3) }` → `let t = shuffle(v, 3); if (c) { x = t }`.
 */
class ShuffleHoister extends StmtExprMutator {
  private readonly laneVars = new Set<Var>();
  private n = 0;

  private laneDependent(e: PrimExpr): boolean {
    for (const v of usedVars(e)) if (this.laneVars.has(v)) return true;
    return false;
  }

  override mutateStmt(s: Stmt): Stmt {
    if (s.kind === 'For') {
      if (s.forKind === 'threadBinding' && s.threadTag === 'threadIdx.x') this.laneVars.add(s.loopVar);
      else if (this.laneDependent(s.min) || this.laneDependent(s.extent)) this.laneVars.add(s.loopVar);
      return super.mutateStmt(s);
    }
    if (s.kind === 'LetStmt' && this.laneDependent(s.value)) this.laneVars.add(s.variable);
    if (s.kind !== 'IfThenElse' || !this.laneDependent(s.condition)) return super.mutateStmt(s);
    // A lane-dependent branch: take its shuffles out, before it.
    const inner = new Set<Var>();
    class Bound extends StmtExprVisitor {
      override visitStmt(st: Stmt): void {
        if (st.kind === 'For') inner.add(st.loopVar);
        if (st.kind === 'LetStmt') inner.add(st.variable);
        super.visitStmt(st);
      }
    }
    new Bound().visitStmt(s);
    const hoisted = new Map<string, { v: Var; e: PrimExpr }>();
    const self = this;
    const cond = s.condition;
    class Take extends StmtExprMutator {
      override mutateExpr(e: PrimExpr): PrimExpr {
        if (e.kind !== 'Call' || e.op !== 'tir.warp_shuffle') return super.mutateExpr(e);
        const bad = [...usedVars(e)].find((v) => inner.has(v));
        if (bad) {
          throw new Error(`webgpu.lowerWarpMemory: a read of warp memory under a lane-dependent condition (${exprKey(cond)}) ` +
            `depends on ${bad.name}, bound inside it: subgroup operations need every lane; unroll that loop or make the tile divide the lanes`);
        }
        const key = exprKey(e);
        let h = hoisted.get(key);
        if (!h) {
          h = { v: variable(`tt_shfl${self.n++}`, e.dtype), e };
          hoisted.set(key, h);
        }
        return h.v;
      }
    }
    const taken = new Take();
    const out = ifThenElse(s.condition, taken.mutateStmt(s.thenCase), s.elseCase && taken.mutateStmt(s.elseCase));
    return [...hoisted.values()].reverse().reduce<Stmt>((body, h) => letStmt(h.v, h.e, body), out);
  }
}

/** Whether a kernel allocates warp memory. */
export function usesWarpMemory(kernel: Stmt): boolean {
  let found = false;
  class V extends StmtExprVisitor {
    override visitStmt(s: Stmt): void {
      if (s.kind === 'Allocate' && s.buffer.scope === 'warp') found = true;
      else super.visitStmt(s);
    }
  }
  new V().visitStmt(kernel);
  return found;
}

/**
 * webgpu.lowerWarpMemory on one kernel: warp allocations → per-lane local arrays and
 * `tir.warp_shuffle` reads. `subgroupSize` is the target's (`-subgroup-size`); the kernel's workgroup
 * must be exactly one subgroup (threadIdx.x of that extent, no threadIdx.y/z), so threadIdx.x is the
 * subgroup lane. Throws, naming the buffer, for a target without subgroups, another workgroup shape,
 * or a store not of TVM's form.
 */
export function lowerWarpMemory(kernel: Stmt, subgroupSize: number | undefined): Stmt {
  if (!usesWarpMemory(kernel)) return kernel;
  if (subgroupSize === undefined) {
    throw new Error('webgpu.lowerWarpMemory: the kernel uses warp memory, which needs subgroups: build for a target with ' +
      '-subgroup-size=N (the adapter\'s fixed subgroup size, e.g. webgpu -subgroup-size=8 on lavapipe), or use scope \'shared\'');
  }
  const wg = launchConfig(kernel, Number.MAX_SAFE_INTEGER).workgroupSize;
  if (wg[0] !== subgroupSize || wg[1] !== 1 || wg[2] !== 1) {
    throw new Error(`webgpu.lowerWarpMemory: warp memory needs a workgroup of exactly one subgroup (threadIdx.x extent ${subgroupSize}, ` +
      `no threadIdx.y/z); this kernel's is ${wg.join('×')}`);
  }
  return new ShuffleHoister().mutateStmt(new WarpMemoryLowerer(subgroupSize).mutateStmt(kernel));
}
