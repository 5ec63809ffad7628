// tests/codegen/wgsl/kernel_tir.ts — the TIR the WGSL code generator emits, as one PrimFunc the
// interpreter can run: kernels split, storage scopes inferred, lanes legalized, barriers inserted
// (the same passes codegenWGSL runs before printing), with scratch buffers allocated around them.

import { insertBarriersStmt } from '../../../codegen/wgsl/insert_barriers.js';
import { inferStorageScope } from '../../../codegen/wgsl/infer_storage_scope.js';
import { splitKernels } from '../../../codegen/wgsl/launch_config.js';
import { legalizeLanesStmt } from '../../../codegen/wgsl/legalize_lanes.js';
import { allocate, seq, type PrimFunc, type Stmt } from '../../../tir/nodes.js';

/** Kernels of `f` as WebGPU runs them, in dispatch order; `barriers: false` leaves barriers out. */
export function wgslKernelTir(f: PrimFunc, opts: { barriers?: boolean } = {}): PrimFunc {
  const split = splitKernels(f.body, false);
  const kernels = split.kernels.map((k) => legalizeLanesStmt(inferStorageScope(k)));
  const planned = opts.barriers === false ? kernels : kernels.map(insertBarriersStmt);
  let body: Stmt = planned.length === 1 ? planned[0]! : seq(planned);
  for (const b of [...split.scratch].reverse()) body = allocate(b, body);
  return { ...f, body };
}

/** How many workgroup barriers a statement or function holds. */
export function countBarriers(x: PrimFunc | Stmt, print: (x: PrimFunc | Stmt) => string): number {
  return print(x).match(/tir\.storage_sync/g)?.length ?? 0;
}
