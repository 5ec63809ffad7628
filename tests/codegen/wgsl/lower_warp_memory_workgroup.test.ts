// tests/codegen/wgsl/lower_warp_memory_workgroup.test.ts — webgpu.lowerWarpMemory accepts warp memory
// only in a workgroup of exactly one subgroup: threadIdx.x of the subgroup's size and no threadIdx.y/z
// (codegen/wgsl/lower_warp_memory.ts; threadIdx.x is then the subgroup lane, which WGSL promises for no
// other shape). The session-12 run of the seed-1102 sample left the x-extent and threadIdx.z parts of
// that check alive (only a threadIdx.y of 2 was tested): fewer lanes than the subgroup leave the
// elements of the missing lanes nowhere, more lanes span subgroups a shuffle cannot reach, and a
// threadIdx.z of 2 runs two copies of the lanes in two subgroups of unknown shape. Each refused
// with the workgroup named; the exact shape passes.

import { describe, expect, it } from 'vitest';
import { compileWGSL } from '../../../codegen/wgsl/compile_wgsl.js';
import * as T from '../../../tir/nodes.js';

const SG = 'webgpu -subgroup-size=8';
const A = T.buffer('A', [64], 'float32');
const O = T.buffer('O', [64], 'float32');
const [bx, tx, tz] = [T.variable('bx'), T.variable('tx'), T.variable('tz')];
const bind = (v: T.Var, n: number, tag: T.ThreadTag, body: T.Stmt): T.Stmt => T.forLoop(v, 0, n, 'threadBinding', body, { threadTag: tag });

/** One block: a warp buffer W (one element a lane), W[tx] = A[tx], O[tx] = W[(tx + 1) mod lanes]; threadIdx.z of extent `z` around it when z > 1. */
function kernel(lanes: number, z = 1): T.PrimFunc {
  const W = T.buffer('W', [lanes], 'float32', 'warp');
  const body = T.seq([
    T.bufferStore(W, T.bufferLoad(A, [tx]), [tx]),
    T.bufferStore(O, T.bufferLoad(W, [T.binary('floormod', T.add(tx, T.intImm(1)), T.intImm(lanes))]), [tx]),
  ]);
  const threads = bind(tx, lanes, 'threadIdx.x', body);
  return T.primFunc(`warp_${lanes}_${z}`, [A, O], bind(bx, 1, 'blockIdx.x', T.allocate(W, z > 1 ? bind(tz, z, 'threadIdx.z', threads) : threads)));
}
const wgsl = (f: T.PrimFunc): string => new TextDecoder().decode(compileWGSL(f, SG).bytes);
const refusal = (shape: string): RegExp =>
  new RegExp(`warp memory needs a workgroup of exactly one subgroup \\(threadIdx.x extent 8, no threadIdx.y/z\\); this kernel's is ${shape}`);

describe('warp memory: the workgroup must be one subgroup', () => {
  it('8 lanes on a subgroup of 8: lowered to a per-lane array and a shuffle', () => {
    const code = wgsl(kernel(8));
    expect(code).toMatch(/var W_lane: array<f32, 1>;/);
    expect(code).toMatch(/subgroupShuffle\(/);
  });

  it('threadIdx.x of 16 or 4 on a subgroup of 8 is refused, naming the shape', () => {
    expect(() => wgsl(kernel(16))).toThrow(refusal('16×1×1'));
    expect(() => wgsl(kernel(4))).toThrow(refusal('4×1×1'));
  });

  it('a threadIdx.z of 2 around 8 lanes is refused, naming the shape', () => {
    expect(() => wgsl(kernel(8, 2))).toThrow(refusal('8×1×2'));
  });
});
