// codegen/wgsl/infer_storage_scope.ts — codegen.wgsl.inferStorageScope: an intermediate the
// schedule left in 'global' scope but allocated inside a kernel's thread-bound loops is per
// block or per thread, as TVM infers: inside a threadIdx loop → 'local', inside only blockIdx
// loops → 'shared' (so the barrier pass sees it). A kernel cannot allocate global memory.

import { StmtExprMutator } from '../../tir/functor.js';
import { buffer as makeBuffer, type Buffer, type Stmt } from '../../tir/nodes.js';

class ScopeInferrer extends StmtExprMutator {
  private threadDepth = 0;
  private blockDepth = 0;
  private readonly remap = new Map<Buffer, Buffer>();

  override mutateBuffer(b: Buffer): Buffer {
    return this.remap.get(b) ?? b;
  }

  override mutateStmt(s: Stmt): Stmt {
    if (s.kind === 'For' && s.forKind === 'threadBinding' && s.threadTag !== 'vthread') {
      const isThread = s.threadTag!.startsWith('threadIdx');
      if (isThread) this.threadDepth++;
      else this.blockDepth++;
      try {
        return super.mutateStmt(s);
      } finally {
        if (isThread) this.threadDepth--;
        else this.blockDepth--;
      }
    }
    if (s.kind === 'Allocate' && s.buffer.scope === 'global' && (this.threadDepth > 0 || this.blockDepth > 0)) {
      const scope = this.threadDepth > 0 ? 'local' : 'shared';
      const b = s.buffer;
      this.remap.set(b, makeBuffer(b.name, b.shape, b.dtype, scope));
      return super.mutateStmt(s);
    }
    return super.mutateStmt(s);
  }
}

/** Rewrites global allocations inside thread-bound loops to shared/local scope. */
export function inferStorageScope(kernel: Stmt): Stmt {
  return new ScopeInferrer().mutateStmt(kernel);
}
