// tests/codegen/wgsl/lower_warp_memory.test.ts — webgpu.lowerWarpMemory (TVM's LowerWarpMemory for WGSL
// subgroups): a te schedule with cacheRead(A, 'warp') becomes per-lane arrays read by subgroupBroadcast
// (constant lane) or subgroupShuffle (computed lane), reads under a lane-dependent guard are hoisted before
// it, vector reads become a vec4 shuffle (inside one lane's part) or per-element shuffles, and targets or
// workgroups that cannot run it are refused with the reason; on lavapipe (subgroups of 8) the kernels compute a
// plain-JS matmul and outer product.

import { afterAll, describe, expect, it } from 'vitest';
import { compileWGSL } from '../../../codegen/wgsl/compile_wgsl.js';
import { buildWebGPU } from '../../../runtime/webgpu/build_webgpu.js';
import { releaseWebGPU } from '../../../runtime/webgpu/device.js';
import * as te from '../../../schedule/index.js';
import { interpret } from '../../../tir/interpreter.js';
import type { PrimFunc } from '../../../tir/nodes.js';
import { hostArray } from '../../runtime/webgpu/helpers.js';

afterAll(releaseWebGPU);

const SG = 'webgpu -subgroup-size=8';

/**
 * C = A·B (M×K by K×N) with A staged in warp memory: blocks of `rows` rows × 8 columns, one lane per column
 * (threadIdx.x, `threadsY` rows of lanes on threadIdx.y), k staged `tk` at a time; `unrollK` unrolls the k
 * stage and the rows, so every read of the warp tile names a constant lane.
 */
function warpMatmul(M: number, K: number, N: number, o: { rows: number; tk: number; unrollK: boolean; threadsY?: number }): PrimFunc {
  const A = te.placeholder([M, K], 'float32', 'A');
  const B = te.placeholder([K, N], 'float32', 'B');
  const k = te.reduceAxis(K, 'k');
  const C = te.compute([M, N], (i, j) => te.sum(A.at(i, k).mul(B.at(k, j)), [k]), 'C');
  const s = te.createSchedule([C]);
  const CL = s.cacheWrite(C, 'local');
  const AW = s.cacheRead(A, 'warp', [CL]);
  const c = s.stage(C);
  const [by, yi] = c.split(c.axis[0]!, { factor: o.rows });
  const [bx, tx] = c.split(c.axis[1]!, { factor: 8 });
  const [ty, yr] = c.split(yi, { nparts: o.threadsY ?? 1 });
  c.reorder(by, bx, ty, tx, yr);
  c.bind(by, 'blockIdx.y'); c.bind(bx, 'blockIdx.x'); c.bind(ty, 'threadIdx.y'); c.bind(tx, 'threadIdx.x');
  const cl = s.stage(CL);
  cl.computeAt(c, tx);
  const [ko, ki] = cl.split(cl.reduceAxis[0]!, { factor: o.tk });
  cl.reorder(ko, ki, cl.axis[0]!, cl.axis[1]!);
  if (o.unrollK) { cl.unroll(ki); cl.unroll(cl.axis[0]!); }
  const aw = s.stage(AW);
  aw.computeAt(cl, ko);
  const [, lane] = aw.split(aw.fuse(aw.axis[0]!, aw.axis[1]!), { factor: 8 });
  aw.bind(lane, 'threadIdx.x');
  return te.lower(s, [A, B, C], { name: 'warp_mm' });
}

/**
 * B[i, j] = X[i]·(Y[j] + Y[j + shift]) (M×N) with Y staged in warp memory: a block of 8 rows, one lane per row (threadIdx.x), each
 * lane's row computed 4 columns at a time as a vec4, so every lane reads the same 4 elements of the tile at a
 * time by a 4-lane vector read. The tile's fetch stores vec4s (4 consecutive elements a lane) when `vecFetch`,
 * else scalars (consecutive elements in consecutive lanes); with `shift` 1 the reads of Y[j + 1] straddle two lanes' parts. `laneRow` reads instead B = 3·A with A's 8-row
 * tile in warp memory, each lane its own row: a lane-dependent index, which a shuffle cannot do.
 */
function warpRows(M: number, N: number, vecFetch: boolean, laneRow = false, shift = 0): PrimFunc {
  const X = te.placeholder([M], 'float32', 'X');
  const Y = te.placeholder([N + shift], 'float32', 'Y');
  const A = te.placeholder([M, N], 'float32', 'A');
  const B = te.compute([M, N], (i, j) => (laneRow ? A.at(i, j).mul(3) : X.at(i).mul(Y.at(j).add(Y.at(j.add(shift))))), 'B');
  const s = te.createSchedule([B]);
  const BL = s.cacheWrite(B, 'local');
  const TW = s.cacheRead(laneRow ? A : Y, 'warp', [BL]);
  const b = s.stage(B);
  const [bi, ti] = b.split(b.axis[0]!, { factor: 8 });
  const [jo, ji] = b.split(b.axis[1]!, { factor: 4 });
  b.reorder(bi, ti, jo, ji);
  b.bind(bi, 'blockIdx.x'); b.bind(ti, 'threadIdx.x');
  b.vectorize(ji);
  const bl = s.stage(BL);
  bl.computeAt(b, ti);
  const [, vj] = bl.split(bl.axis[1]!, { factor: 4 });
  bl.vectorize(vj);
  const tw = s.stage(TW);
  tw.computeAt(bl, bl.axis[0]!);
  let f = tw.axis.reduce((x, y) => tw.fuse(x, y));
  if (vecFetch) {
    const [outer, v] = tw.split(f, { factor: 4 });
    tw.vectorize(v);
    f = outer;
  }
  const [rounds, lane] = tw.split(f, { factor: 8 });
  tw.unroll(rounds);
  tw.bind(lane, 'threadIdx.x');
  return te.lower(s, laneRow ? [A, B] : [X, Y, B], { name: 'warp_rows' });
}

function jsMatmul(a: Float32Array, b: Float32Array, M: number, K: number, N: number): Float32Array {
  const c = new Float32Array(M * N);
  for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) { let s = 0; for (let k = 0; k < K; k++) s += a[i * K + k]! * b[k * N + j]!; c[i * N + j] = s; }
  return c;
}

const wgsl = (f: PrimFunc, target = SG): string => new TextDecoder().decode(compileWGSL(f, target).bytes);

describe('webgpu.lowerWarpMemory', () => {
  it('constant lanes become subgroupBroadcast, the warp tile a per-lane local array, with enable subgroups and the lane builtin', () => {
    const code = wgsl(warpMatmul(16, 16, 16, { rows: 8, tk: 4, unrollK: true }));
    expect(code.split('\n')[0]).toBe('enable subgroups;');
    expect(code).toMatch(/subgroupBroadcast\(A_warp_lane\[[^\]]+\], [0-7]u\)/);
    expect(code).not.toMatch(/subgroupShuffle/);
    // 8 rows × 4 k over 8 lanes: 4 elements a lane.
    expect(code).toMatch(/var A_warp_lane: array<f32, 4>;/);
    expect(code).toMatch(/@builtin\(subgroup_invocation_id\) tt_lane: u32/);
    expect(code).toMatch(/let tt_tx = i32\(tt_lane\);/);
    expect(code).not.toMatch(/var<workgroup>/);
  });

  it('a lane computed at run time (k not unrolled) becomes subgroupShuffle', () => {
    const code = wgsl(warpMatmul(16, 16, 16, { rows: 8, tk: 4, unrollK: false }));
    expect(code).toMatch(/subgroupShuffle\(A_warp_lane\[[^\]]+\], u32\(/);
  });

  it('reads under a lane-dependent guard (N = 13: the last lanes are past the edge) are hoisted before the if', () => {
    const code = wgsl(warpMatmul(8, 8, 13, { rows: 4, tk: 4, unrollK: true }));
    const m = /let (\w*shfl\w*) = subgroupBroadcast\(/.exec(code);
    expect(m, code).not.toBeNull();
    const let0 = m!.index;
    // The guarded update that follows reads the hoisted value, and no subgroup operation is inside a branch.
    const ifAt = code.indexOf('if (', let0);
    expect(ifAt).toBeGreaterThan(let0);
    expect(code.slice(ifAt, code.indexOf('}', ifAt))).toContain(m![1]!);
    for (const branch of code.split('if (').slice(1)) expect(branch.slice(0, branch.indexOf('}'))).not.toMatch(/subgroup(Broadcast|Shuffle)/);
  });

  it('a target without subgroups refuses warp memory, naming -subgroup-size', () => {
    expect(() => wgsl(warpMatmul(16, 16, 16, { rows: 8, tk: 4, unrollK: true }), 'webgpu')).toThrow(/warp memory, which needs subgroups: build for a target with -subgroup-size=N/);
  });

  it('a workgroup of more than one subgroup is refused (WGSL does not say which lanes form a subgroup)', () => {
    expect(() => wgsl(warpMatmul(16, 16, 16, { rows: 8, tk: 4, unrollK: true, threadsY: 2 }))).toThrow(/workgroup of exactly one subgroup \(threadIdx.x extent 8, no threadIdx.y\/z\); this kernel's is 8×2×1/);
  });

  it('the interpreter runs the warp schedule before lowering (threads in turn, each filling the tile)', () => {
    const [M, K, N] = [9, 7, 11];
    const f = warpMatmul(M, K, N, { rows: 4, tk: 4, unrollK: false });
    const a = Float32Array.from({ length: M * K }, (_, i) => ((i * 7) % 11) / 5 - 1);
    const b = Float32Array.from({ length: K * N }, (_, i) => ((i * 5) % 13) / 6 - 1);
    const c = new Float32Array(M * N);
    interpret(f, [a, b, c]);
    const want = jsMatmul(a, b, M, K, N);
    expect(Math.max(...c.map((x, i) => Math.abs(x - want[i]!)))).toBeLessThan(1e-4);
  });

  it('a vec4 read inside one lane\'s part (vec4 fetch) is one shuffle of a vec4; across lanes (scalar fetch), 4 shuffles put together by selects', () => {
    const vec = wgsl(warpRows(16, 16, true));
    expect(vec).toMatch(/subgroupShuffle\((vec4<f32>\(|Y_warp_lane\[[^\]]*>> 2u\], )/);
    expect(vec).not.toMatch(/select\(/);
    const scalar = wgsl(warpRows(16, 16, false));
    expect(scalar).not.toMatch(/subgroupShuffle\((vec4<f32>\(|Y_warp_lane\[[^\]]*>> 2u\], )/);
    expect(scalar).toMatch(/select\(select\(select\(vec4<f32>\(subgroupShuffle\(/);
    // Y[j + 1]: a vec4 fetch, but each read of Y[j + 1] straddles two lanes' parts: element by element (Y[j]: one vec4).
    const straddling = wgsl(warpRows(16, 16, true, false, 1));
    expect(straddling).toMatch(/subgroupShuffle\((vec4<f32>\(|Y_warp_lane\[[^\]]*>> 2u\], )/);
    expect(straddling).toMatch(/select\(select\(select\(vec4<f32>\(subgroupShuffle\(/);
  });

  it('a read whose lane-local index depends on the lane is refused (the source lane would evaluate it)', () => {
    expect(() => wgsl(warpRows(16, 16, false, true))).toThrow(/read of warp memory A_warp at a lane-local index that depends on the lane \(B_ax0_inner\)/);
  });

  // 16×16: vec4 reads (aligned with a vec4 fetch, split across lanes without, or straddling two lanes' parts with
  // shift 1); 13×12: the last block's lanes past
  // M (a lane-dependent guard, reads hoisted); 9×10 and 5×7: rows the 4-wide vectors overhang (the vector loop
  // left serial, a partial last fetch round).
  for (const [M, N, vecFetch, shift] of [[16, 16, true, 0], [16, 16, false, 0], [16, 16, true, 1], [13, 12, true, 0], [13, 12, false, 1], [9, 10, true, 0], [5, 7, false, 0]] as const) {
    it(`on lavapipe, vector reads of warp memory: B[i, j] = X[i]·(Y[j] + Y[j + ${shift}]) ${M}×${N}, ${vecFetch ? 'vec4' : 'scalar'} fetch, matches plain JS and the interpreter before lowering`, async () => {
      const f = warpRows(M, N, vecFetch, false, shift);
      const x = hostArray([M], 'float32');
      const y = hostArray([N + shift], 'float32');
      const b = hostArray([M, N], 'float32');
      x.data.set(Float32Array.from({ length: M }, (_, i) => ((i * 7) % 11) / 5 - 1));
      y.data.set(Float32Array.from({ length: N + shift }, (_, i) => ((i * 5) % 13) / 6 - 1));
      b.data.fill(Number.NaN);
      const mod = await buildWebGPU(f, SG);
      await mod.run(x, y, b);
      const got = b.data as Float32Array;
      const want = (k: number): number => Math.fround(x.data[Math.floor(k / N)]! * Math.fround(y.data[k % N]! + y.data[(k % N) + shift]!));
      const bad = got.findIndex((g, k) => g !== want(k));
      expect(bad, `B[${bad}] = ${got[bad]}, expected ${want(bad)}`).toBe(-1);
      mod.dispose();
      const c = new Float32Array(M * N);
      interpret(f, [x.data as Float32Array, y.data as Float32Array, c]);
      expect(Array.from(c)).toEqual(Array.from(got));
    }, 120_000);
  }

  for (const [M, K, N, unrollK] of [[16, 16, 16, true], [9, 7, 13, true], [21, 10, 19, false]] as const) {
    it(`on lavapipe, ${M}×${K}×${N} with ${unrollK ? 'broadcasts' : 'shuffles'} matches plain JS`, async () => {
      const f = warpMatmul(M, K, N, { rows: 4, tk: 4, unrollK });
      const a = hostArray([M, K], 'float32');
      const b = hostArray([K, N], 'float32');
      const c = hostArray([M, N], 'float32');
      a.data.set(Float32Array.from({ length: M * K }, (_, i) => ((i * 7) % 11) / 5 - 1));
      b.data.set(Float32Array.from({ length: K * N }, (_, i) => ((i * 5) % 13) / 6 - 1));
      c.data.fill(Number.NaN);
      const mod = await buildWebGPU(f, SG);
      await mod.run(a, b, c);
      const want = jsMatmul(a.data as Float32Array, b.data as Float32Array, M, K, N);
      const got = c.data as Float32Array;
      const bad = got.findIndex((g, i) => !(Math.abs(g - want[i]!) <= 1e-4 + 1e-4 * Math.abs(want[i]!)));
      expect(bad, `C[${bad}] = ${got[bad]}, expected ${want[bad]}`).toBe(-1);
      mod.dispose();
    }, 120_000);
  }
});
