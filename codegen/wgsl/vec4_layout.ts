// codegen/wgsl/vec4_layout.ts — picks the arrays to declare as arrays of vec4 (`array<vec4<f32>, N/4>`
// for shared/local, `array<vec4<f32>>` for storage buffers): those read or written with 4-lane,
// unit-stride vectors at a base that is provably a multiple of 4. Such an access becomes one vec4
// load/store instead of four scalar ones; scalar accesses to the same array index a component
// (`S[i >> 2u][i & 3i]`). This is how a schedule's vectorize(axis of 4) becomes tfjs-webgpu-style
// vec4 global loads and stores.

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

/** The number of elements of a buffer with a constant shape, else undefined. */
function constElements(b: Buffer): number | undefined {
  let n = 1;
  for (const d of b.shape) {
    if (d.kind !== 'IntImm') return undefined;
    n *= d.value;
  }
  return n;
}

/**
 * The aligned-vec4 candidates of `kernels`: buffers of the asked scope with at least one aligned vec4
 * access (a flat 4-lane unit-stride Ramp index at a multiple of 4) and a size divisible by 4, and
 * the buffers of that scope accessed any other way.
 */
function vec4Candidates(kernels: readonly Stmt[], global: boolean): { aligned: Set<Buffer>; other: Set<Buffer> } {
  const aligned = new Set<Buffer>();
  const other = new Set<Buffer>();
  const consider = (b: Buffer, indices: readonly PrimExpr[]): void => {
    if ((b.scope === 'global') !== global || elementType(b.dtype) === 'bool') return;
    const n = constElements(b);
    const ok = indices.length === 1 && alignedVec4Base(indices[0]!) !== undefined && n !== undefined && n % 4 === 0 && (global || b.shape.length === 1);
    (ok ? aligned : other).add(b);
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
  for (const k of kernels) new V().visitStmt(k);
  return { aligned, other };
}

/** Shared/local 32-bit arrays of `kernel` with at least one aligned vec4 access and a size divisible by 4. */
export function vec4Arrays(kernel: Stmt): Set<Buffer> {
  return vec4Candidates([kernel], false).aligned;
}

/**
 * Storage buffers to bind as `array<vec4<…>>`: those every access of which, in every kernel, is an
 * aligned vec4. A buffer also read by scalars stays `array<f32>` (its vector accesses are then four
 * scalar loads): a scalar access would have to index a component of a storage vector, which gains nothing.
 */
export function vec4StorageBuffers(kernels: readonly Stmt[]): Set<Buffer> {
  const { aligned, other } = vec4Candidates(kernels, true);
  for (const b of other) aligned.delete(b);
  return aligned;
}
