// codegen/wgsl/lower_warp_memory.ts — webgpu.lowerWarpMemory: TVM's LowerWarpMemory
// (src/tir/transforms/lower_warp_memory.cc) for WGSL subgroups. A 'warp' allocation is one tile per
// subgroup spread over its lanes: each lane keeps its part in a local array and a read of any element
// becomes `tir.warp_shuffle(part, lane)` (WGSL subgroupBroadcast with a constant lane, else
// subgroupShuffle). The tile must be stored as TVM requires: at `m·lane + (W·m)·y + x` with x < m
// (W = threadIdx.x's extent = the subgroup size), so lane `lane` holds m consecutive elements of every
// W·m; an element i is then lane (i / m) mod W's local element (i / (W·m))·m + i mod m. A vector read is one
// shuffle of a vector where it stays in one lane's part, else one scalar shuffle per element.
// Subgroup operations need every lane active: reads under a lane-dependent `if` are hoisted before it.

import { StmtExprMutator, StmtExprVisitor, substituteExpr, usedVars } from '../../tir/functor.js';
import {
  allocate, binary, broadcast, buffer as makeBuffer, bufferLoad, bufferStore, call, compare, ifThenElse, intImm, letStmt, ramp, range,
  select, variable, type Buffer, type PrimExpr, type Ramp, type Range, type Stmt, type Var,
} from '../../tir/nodes.js';
import type { VarRanges } from '../../tir/arith/int_bound.js';
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

/** What laneCoefficient finds: index = m·lane + rest; `restValues`, where rest was enumerated, its values. */
interface LaneCoefficient { readonly m: number; readonly rest: PrimExpr; readonly restValues?: readonly number[] }

/** At most this many assignments of a store's other loop variables are enumerated (a vector's elements). */
const MAX_ENUMERATED = 64;

/**
 * The coefficient m of `lane` in `index` (index = m·lane + rest, rest free of lane), or a reason why not.
 * m = 0: every lane names one element (the last, partial round of a fetch, whose guard leaves it to one lane).
 * A fetch's tile index is often a re-flattening of the fused thread index (`(f / 36)·36 + (f / 6 mod 6)·6 +
 * f mod 6`) that the simplifier cannot fold symbolically: with the lane set to each of its W values (and any
 * other loop variable of the store, in `ranges`, to each of its values: the serial loop over a vector's
 * elements that a guarded last round keeps) the index is then a constant, and linearity is checked value by value.
 */
function laneCoefficient(index: PrimExpr, lane: Var, width: number, ranges: VarRanges = new Map()): LaneCoefficient | string {
  const rest = simp(substituteExpr(index, new Map([[lane, int(0)]])));
  // Assignments of the other variables (one empty assignment when there are none), if all are small loops.
  let assignments: Map<Var, PrimExpr>[] | undefined = [new Map()];
  for (const v of usedVars(index)) {
    if (v === lane) continue;
    const r = ranges.get(v);
    const [lo, n] = r ? [constOf(r.min), constOf(r.extent)] : [undefined, undefined];
    if (lo === undefined || n === undefined || assignments.length * n > MAX_ENUMERATED) { assignments = undefined; break; }
    assignments = assignments.flatMap((a) => Array.from({ length: n }, (_, k) => new Map([...a, [v, int(lo + k)]])));
  }
  if (assignments) {
    let m: number | undefined;
    const restValues: number[] = [];
    for (const a of assignments) {
      const vs = Array.from({ length: width }, (_, l) => constOf(substituteExpr(index, new Map([...a, [lane, int(l)]]))));
      if (vs.some((v) => v === undefined)) { m = undefined; break; }
      const ns = vs as number[];
      const mm = ns.length > 1 ? ns[1]! - ns[0]! : 1;
      if (mm < 0 || ns.some((v, l) => v !== ns[0]! + mm * l) || (m !== undefined && mm !== m)) {
        return `its index ${exprKey(index)} takes values ${ns.join(', ')} on lanes 0..${width - 1}, not a positive stride`;
      }
      m = mm;
      restValues.push(ns[0]!);
    }
    if (m !== undefined) return { m, rest, restValues };
  }
  const m = constOf(binary('sub', substituteExpr(index, new Map([[lane, int(1)]])), rest));
  if (m === undefined || m < 0) return `its index ${exprKey(index)} is not a positive constant times the lane ${lane.name} plus the rest`;
  const linear = constOf(binary('sub', index, binary('add', rest, binary('mul', int(m), lane))));
  if (linear !== 0) return `its index ${exprKey(index)} is not linear in the lane ${lane.name}`;
  return { m, rest };
}

/** The lane-local element of tile element `i`: (i / (W·m))·m + i mod m. */
function localIndex(i: PrimExpr, m: number, width: number): PrimExpr {
  return simp(binary('add', binary('mul', binary('floordiv', i, int(width * m)), int(m)), binary('floormod', i, int(m))));
}

/** The lane that holds tile element `i`: (i / m) mod W. */
function laneOf(i: PrimExpr, m: number, width: number): PrimExpr {
  return simp(binary('floormod', binary('floordiv', i, int(m)), int(width)));
}

/** Stores of one buffer with the innermost threadIdx.x loop variable around each. */
function storesWithLane(body: Stmt, b: Buffer): { index: PrimExpr; lanes: number; lane: Var | undefined; ranges: VarRanges }[] {
  const out: { index: PrimExpr; lanes: number; lane: Var | undefined; ranges: VarRanges }[] = [];
  const lanes: Var[] = [];
  // The enclosing loops' ranges (a fetch's last, partial round keeps a serial loop over a vector's elements).
  const ranges = new Map<Var, Range>();
  class V extends StmtExprVisitor {
    override visitStmt(s: Stmt): void {
      if (s.kind === 'For' && s.forKind === 'threadBinding' && s.threadTag === 'threadIdx.x') {
        lanes.push(s.loopVar);
        super.visitStmt(s);
        lanes.pop();
        return;
      }
      if (s.kind === 'For') {
        ranges.set(s.loopVar, range(s.min, s.extent));
        super.visitStmt(s);
        ranges.delete(s.loopVar);
        return;
      }
      if (s.kind === 'BufferStore' && s.buffer === b) {
        const idx = s.indices[0]!;
        out.push({ index: idx, lanes: idx.kind === 'Ramp' ? idx.lanes : 1, lane: lanes[lanes.length - 1], ranges: new Map(ranges) });
      }
      super.visitStmt(s);
    }
  }
  new V().visitStmt(body);
  return out;
}

/** Rewrites one warp allocation's body: stores to the lane's local part, loads to shuffles. */
class WarpAccessRewriter extends StmtExprMutator {
  private readonly lanes: Var[] = [];

  /** `laneVars`: the lane-dependent variables bound around the allocation (this adds those bound inside). */
  constructor(private readonly warp: Buffer, private readonly layout: WarpLayout, private readonly laneVars: Set<Var>) {
    super();
  }

  override mutateExpr(e: PrimExpr): PrimExpr {
    if (e.kind !== 'BufferLoad' || e.buffer !== this.warp) return super.mutateExpr(e);
    const { local, m, width } = this.layout;
    const i = this.mutateExpr(e.indices[0]!);
    if (i.kind === 'Ramp') return this.vectorRead(i);
    return this.shuffle(bufferLoad(local, [localIndex(i, m, width)]), laneOf(i, m, width));
  }

  /**
   * `tir.warp_shuffle(value, lane)`. The source lane evaluates `value`, so its local index must not depend on
   * the lane (TVM's LowerWarpMemory checks the same): every lane reads the same tile element, the reader's
   * lane may only choose which lane holds it.
   */
  private shuffle(value: PrimExpr, lane: PrimExpr): PrimExpr {
    const bad = [...usedVars(value)].find((v) => this.laneVars.has(v));
    if (bad) {
      throw new Error(`webgpu.lowerWarpMemory: a read of warp memory ${this.warp.name} at a lane-local index that depends on the lane (${bad.name}): ` +
        'a shuffle evaluates the index in the lane that holds the element, so every lane must read the same tile element at a time; ' +
        'index the tile by loop variables other than threadIdx.x (or stage it in \'shared\' memory)');
    }
    return call('tir.warp_shuffle', [value, lane]);
  }

  /**
   * A vector read `warp[ramp(base, stride, n)]`. Where the n elements provably lie in one lane's m consecutive
   * elements (unit stride, base mod m + n ≤ m: a vector store's layout read back aligned), one shuffle of the
   * lane's n-element vector (TVM's SplitIndexByGroup of a Ramp; WGSL's subgroupBroadcast/Shuffle take vectors).
   * Else element by element: n scalar shuffles, put together by selects on the vector's lane index (a
   * shuffle names one source lane, and these elements may sit in different lanes).
   */
  private vectorRead(i: Ramp): PrimExpr {
    const { local, m, width } = this.layout;
    const n = i.lanes;
    if (constOf(i.stride) === 1 && proveTrue(compare('le', binary('add', binary('floormod', i.base, int(m)), int(n)), int(m)))) {
      return this.shuffle(bufferLoad(local, [ramp(localIndex(i.base, m, width), int(1), n)]), laneOf(i.base, m, width));
    }
    const elements = Array.from({ length: n }, (_, j) => {
      const at = simp(binary('add', i.base, binary('mul', i.stride, int(j))));
      return this.shuffle(bufferLoad(local, [localIndex(at, m, width)]), laneOf(at, m, width));
    });
    const which = ramp(int(0), int(1), n);
    return elements.slice(0, -1).reduceRight<PrimExpr>(
      (rest, v, j) => select(compare('eq', which, broadcast(int(j), n)), broadcast(v, n), rest), broadcast(elements[n - 1]!, n));
  }

  override mutateStmt(s: Stmt): Stmt {
    noteLaneVars(s, this.laneVars);
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
    // Lane 0's element (warpLayout checked the store is m·lane + rest).
    const rest = simp(substituteExpr(base, new Map([[lane, int(0)]])));
    const at = localIndex(rest, m, width);
    return bufferStore(local, value, [idx.kind === 'Ramp' ? ramp(at, int(1), idx.lanes) : at]);
  }
}

/** Whether `cond(rest)` holds: for each enumerated value of rest, else proved over the loops' ranges. */
function holds(found: LaneCoefficient, ranges: VarRanges, cond: (rest: PrimExpr) => PrimExpr): boolean {
  if (found.restValues) return found.restValues.every((v) => constOf(cond(int(v))) === 1);
  return proveTrue(cond(found.rest), ranges);
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
  const single: { found: LaneCoefficient; lanes: number; ranges: VarRanges }[] = [];
  for (const st of stores) {
    if (!st.lane) throw new Error(`${what}: a store outside any threadIdx.x loop: bind the fetch's inner axis to threadIdx.x (the lanes)`);
    const base = st.index.kind === 'Ramp' ? st.index.base : st.index;
    if (st.index.kind === 'Ramp' && constOf(st.index.stride) !== 1) throw new Error(`${what}: a strided vector store; store unit-stride vectors or scalars`);
    const found = laneCoefficient(base, st.lane, width, st.ranges);
    if (typeof found === 'string') throw new Error(`${what}: a store that is not of the form m·lane + (W·m)·y + x: ${found}`);
    // m = 0: one element for all lanes, which the fetch's guard leaves to the lane that owns it (below).
    if (found.m === 0) {
      single.push({ found, lanes: st.lanes, ranges: st.ranges });
      continue;
    }
    if (m !== undefined && found.m !== m) throw new Error(`${what}: stores with lane strides ${m} and ${found.m}; all must agree`);
    m = found.m;
    // Lane 0 must store at a multiple of W·m (plus x < m), so element i belongs to lane (i / m) mod W.
    if (!holds(found, st.ranges, (r) => compare('lt', binary('floormod', r, int(width * m!)), int(m!)))) {
      throw new Error(`${what}: lane 0 stores at ${exprKey(found.rest)}, not provably a multiple of ${width * m} (lanes × lane stride) plus less than ${m}`);
    }
    // The vector must stay within one lane's m consecutive elements.
    if (st.lanes > 1 && !holds(found, st.ranges, (r) => compare('le', binary('add', binary('floormod', r, int(m!)), int(st.lanes)), int(m!)))) {
      throw new Error(`${what}: a ${st.lanes}-lane store at ${exprKey(base)} may cross from one lane's part into the next (lane stride ${m})`);
    }
  }
  // Only single-element stores (a one-element tile): m = 1, element i in lane i mod W.
  if (m === undefined) m = 1;
  for (const st of single) {
    if (st.lanes > 1 && !holds(st.found, st.ranges, (r) => compare('le', binary('add', binary('floormod', r, int(m!)), int(st.lanes)), int(m!)))) {
      throw new Error(`${what}: a ${st.lanes}-lane store at ${exprKey(st.found.rest)} may cross from one lane's part into the next (lane stride ${m})`);
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

  /** Lane-dependent variables around the current statement (threadIdx.x loops and what derives from them). */
  private readonly laneVars = new Set<Var>();

  override mutateStmt(s: Stmt): Stmt {
    if (s.kind !== 'Allocate' || s.buffer.scope !== 'warp') {
      noteLaneVars(s, this.laneVars);
      return super.mutateStmt(s);
    }
    const body = this.mutateStmt(s.body);
    const layout = warpLayout(s.buffer, body, this.width);
    return allocate(layout.local, new WarpAccessRewriter(s.buffer, layout, new Set(this.laneVars)).mutateStmt(body));
  }
}

/** Adds to `laneVars` the variable `s` binds if it depends on the lane: a threadIdx.x loop, or a let or loop derived from one. */
function noteLaneVars(s: Stmt, laneVars: Set<Var>): void {
  const derived = (e: PrimExpr): boolean => [...usedVars(e)].some((v) => laneVars.has(v));
  if (s.kind === 'LetStmt' && derived(s.value)) laneVars.add(s.variable);
  if (s.kind === 'For' && ((s.forKind === 'threadBinding' && s.threadTag === 'threadIdx.x') || derived(s.min) || derived(s.extent))) laneVars.add(s.loopVar);
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
