// codegen/wgsl/vec4_layout.ts — picks the shared/local arrays to declare as `array<vec4<f32>, N/4>`:
// those read or written with 4-lane, unit-stride vectors at a base that is provably a multiple
// of 4. Such an access becomes one vec4 load/store instead of four scalar ones; scalar accesses
// to the same array index a component (`S[i >> 2u][i & 3i]`).

import { StmtExprVisitor } from '../../tir/functor.js';
import { elementType, type Buffer, type PrimExpr, type Stmt } from '../../tir/nodes.js';

/** True when `e` is provably a multiple of 4 for all values of its variables. */
export function multipleOf4(e: PrimExpr): boolean {
  switch (e.kind) {
    case 'IntImm':
      return e.value % 4 === 0;
    case 'BinaryOp':
      if (e.op === 'add' || e.op === 'sub') return multipleOf4(e.a) && multipleOf4(e.b);
      if (e.op === 'mul') return multipleOf4(e.a) || multipleOf4(e.b);
      return false;
    default:
      return false;
  }
}

/** The aligned vec4 slot of a 4-lane unit-stride index, or undefined. */
export function alignedVec4Base(index: PrimExpr): PrimExpr | undefined {
  if (index.kind !== 'Ramp' || index.lanes !== 4) return undefined;
  if (index.stride.kind !== 'IntImm' || index.stride.value !== 1) return undefined;
  return multipleOf4(index.base) ? index.base : undefined;
}

/** Shared/local 32-bit arrays with at least one aligned vec4 access and a size divisible by 4. */
export function vec4Arrays(kernel: Stmt): Set<Buffer> {
  const out = new Set<Buffer>();
  const consider = (b: Buffer, indices: readonly PrimExpr[]): void => {
    if (b.scope === 'global' || indices.length !== 1 || elementType(b.dtype) === 'bool') return;
    if (b.shape.length !== 1 || b.shape[0]!.kind !== 'IntImm' || b.shape[0]!.value % 4 !== 0) return;
    if (alignedVec4Base(indices[0]!)) out.add(b);
  };
  class V extends StmtExprVisitor {
    override visitExpr(e: PrimExpr): void {
      if (e.kind === 'BufferLoad') consider(e.buffer, e.indices);
      super.visitExpr(e);
    }
    override visitStmt(s: Stmt): void {
      if (s.kind === 'BufferStore') consider(s.buffer, s.indices);
      super.visitStmt(s);
    }
  }
  new V().visitStmt(kernel);
  return out;
}
