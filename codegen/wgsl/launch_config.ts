// codegen/wgsl/launch_config.ts — splits a PrimFunc body into GPU kernels (one per top-level
// thread-bound nest) and works out each kernel's workgroup size and dispatch grid, folding
// grids past the per-dimension limit into a linear index the shader decodes.

import { StmtExprVisitor } from '../../tir/functor.js';
import type { Buffer, For, Stmt, ThreadTag } from '../../tir/nodes.js';
import { isNoOp } from '../../tir/passes/remove_no_op.js';

export const DEFAULT_MAX_WORKGROUPS_PER_DIMENSION = 65535;

export type Dim3 = [number, number, number];

export interface LaunchConfig {
  /** threadIdx.x/y/z extents: the WGSL `@workgroup_size`. */
  readonly workgroupSize: Dim3;
  /** blockIdx.x/y/z extents as the schedule wrote them. */
  readonly grid: Dim3;
  /** What is dispatched: `grid`, or a folded grid when a dimension passes the limit. */
  readonly dispatch: Dim3;
  /** True when the dispatch is folded and the shader recovers blockIdx from a linear index. */
  readonly folded: boolean;
}

export const NO_BINDING_ERROR = 'bind at least one axis to blockIdx/threadIdx for webgpu';

const AXES = ['x', 'y', 'z'] as const;

function boundLoops(s: Stmt): For[] {
  const out: For[] = [];
  class V extends StmtExprVisitor {
    override visitStmt(st: Stmt): void {
      if (st.kind === 'For' && st.forKind === 'threadBinding' && st.threadTag !== 'vthread') out.push(st);
      super.visitStmt(st);
    }
  }
  new V().visitStmt(s);
  return out;
}

export function bindsThreads(s: Stmt): boolean {
  return boundLoops(s).length > 0;
}

/**
 * Top-level global allocations become scratch storage buffers; a top-level sequence of
 * thread-bound nests becomes one kernel each (dispatches in order see each other's writes).
 */
export function splitKernels(body: Stmt, singleInvocation: boolean): { scratch: Buffer[]; kernels: Stmt[] } {
  const scratch: Buffer[] = [];
  let s = body;
  while (s.kind === 'Allocate' && s.buffer.scope === 'global') {
    scratch.push(s.buffer);
    s = s.body;
  }
  const items = s.kind === 'SeqStmt' ? s.seq.filter((c) => !isNoOp(c)) : [s];
  const anyBound = items.some(bindsThreads);
  if (!anyBound && !singleInvocation) {
    throw new Error(`webgpu: ${NO_BINDING_ERROR} (or opt in to a single invocation with { singleInvocation: true })`);
  }
  if (!anyBound) return { scratch, kernels: [s] };
  items.forEach((c, i) => {
    if (!bindsThreads(c) && !singleInvocation) {
      throw new Error(`webgpu: top-level statement ${i} binds no loop; ${NO_BINDING_ERROR} (every loop nest needs its own binding)`);
    }
  });
  return { scratch, kernels: items };
}

function tagExtent(loops: readonly For[], tag: ThreadTag): number {
  let extent = 1;
  for (const l of loops) {
    if (l.threadTag !== tag) continue;
    if (l.extent.kind !== 'IntImm') throw new Error(`webgpu: loop ${l.loopVar.name} bound to ${tag} has a non-constant extent`);
    if (l.extent.value < 1) throw new Error(`webgpu: loop ${l.loopVar.name} bound to ${tag} has extent ${l.extent.value}`);
    extent = Math.max(extent, l.extent.value);
  }
  return extent;
}

export function launchConfig(kernel: Stmt, maxPerDim = DEFAULT_MAX_WORKGROUPS_PER_DIMENSION): LaunchConfig {
  const loops = boundLoops(kernel);
  const workgroupSize = AXES.map((a) => tagExtent(loops, `threadIdx.${a}`)) as Dim3;
  const grid = AXES.map((a) => tagExtent(loops, `blockIdx.${a}`)) as Dim3;
  if (grid.every((g) => g <= maxPerDim)) return { workgroupSize, grid, dispatch: grid, folded: false };
  const total = grid[0] * grid[1] * grid[2];
  if (total > 2 ** 31 - 1) throw new Error(`webgpu: grid ${grid.join('x')} has ${total} workgroups, more than fit an i32 index`);
  const dx = Math.min(total, maxPerDim);
  const rest = Math.ceil(total / dx);
  const dy = Math.min(rest, maxPerDim);
  const dz = Math.ceil(rest / dy);
  if (dz > maxPerDim) throw new Error(`webgpu: grid ${grid.join('x')} is too large to dispatch even folded`);
  return { workgroupSize, grid, dispatch: [dx, dy, dz], folded: true };
}
