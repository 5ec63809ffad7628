// tests/codegen/wgsl/vec4_layout_storage.test.ts — vec4StorageBuffers (codegen/wgsl/vec4_layout.ts):
// a storage buffer becomes array<vec4> only when every access in every kernel is an aligned 4-lane
// unit-stride Ramp and its constant size divides by 4; a symbolic size (line coverage showed no test
// had one, session 11), one scalar access in another kernel, a stride-2 or unaligned Ramp, a bool
// buffer, or a shared buffer each keep it scalar.

import { describe, expect, it } from 'vitest';
import { vec4StorageBuffers } from '../../../codegen/wgsl/vec4_layout.js';
import * as T from '../../../tir/nodes.js';

const tx = T.variable('tx');
const at4 = (base: T.PrimExpr, stride = 1): T.Ramp => T.ramp(base, T.intImm(stride), 4);
const kernelOf = (body: T.Stmt): T.Stmt => T.forLoop(tx, 0, 4, 'threadBinding', body, { threadTag: 'threadIdx.x' });
const copy4 = (dst: T.Buffer, src: T.Buffer, dIdx: T.PrimExpr, sIdx: T.PrimExpr): T.Stmt =>
  kernelOf(T.bufferStore(dst, T.bufferLoad(src, [sIdx]), [dIdx]));

describe('vec4StorageBuffers', () => {
  const A = T.buffer('A', [16], 'float32');
  const B = T.buffer('B', [16], 'float32');
  const aligned = T.mul(tx, T.intImm(4));

  it('takes buffers whose every access is an aligned vec4, in every kernel', () => {
    expect(vec4StorageBuffers([copy4(B, A, at4(aligned), at4(aligned))])).toEqual(new Set([A, B]));
    // A read by a scalar in a second kernel: A stays scalar, B (only vec4) is kept.
    const k2 = kernelOf(T.bufferStore(B, T.broadcast(T.bufferLoad(A, [tx]), 4), [at4(aligned)]));
    expect(vec4StorageBuffers([copy4(B, A, at4(aligned), at4(aligned)), k2])).toEqual(new Set([B]));
  });

  it('leaves out a symbolic size, stride 2, an unaligned base, a size not divisible by 4, bool and shared buffers', () => {
    const n = T.variable('n');
    const S = T.buffer('S', [n], 'float32');
    expect(vec4StorageBuffers([copy4(B, S, at4(aligned), at4(aligned))])).toEqual(new Set([B]));
    expect(vec4StorageBuffers([copy4(B, A, at4(aligned), at4(aligned, 2))])).toEqual(new Set([B]));
    expect(vec4StorageBuffers([copy4(B, A, at4(aligned), at4(T.add(aligned, T.intImm(1))))])).toEqual(new Set([B]));
    const A18 = T.buffer('A18', [18], 'float32');
    expect(vec4StorageBuffers([copy4(B, A18, at4(aligned), at4(aligned))])).toEqual(new Set([B]));
    const M = T.buffer('M', [16], 'bool');
    const Mo = T.buffer('Mo', [16], 'bool');
    expect(vec4StorageBuffers([copy4(Mo, M, at4(aligned), at4(aligned))])).toEqual(new Set());
    const Sh = T.buffer('Sh', [16], 'float32', 'shared');
    expect(vec4StorageBuffers([kernelOf(T.allocate(Sh, T.seq([T.bufferStore(Sh, T.bufferLoad(A, [at4(aligned)]), [at4(aligned)]),
      T.bufferStore(B, T.bufferLoad(Sh, [at4(aligned)]), [at4(aligned)])])))])).toEqual(new Set([A, B]));
  });
});
