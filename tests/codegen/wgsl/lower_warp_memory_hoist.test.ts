// tests/codegen/wgsl/lower_warp_memory_hoist.test.ts — webgpu.lowerWarpMemory's hoisting of shuffles
// out of a lane-dependent `if` (codegen/wgsl/lower_warp_memory.ts): the same warp read twice under
// the guard is one subgroupBroadcast (one hoisted let, read twice), two different reads are two, each
// before the `if`; on lavapipe the values equal plain JS and the lanes the guard leaves out keep theirs.

import { afterAll, describe, expect, it } from 'vitest';
import { compileWGSL } from '../../../codegen/wgsl/compile_wgsl.js';
import { buildWebGPU } from '../../../runtime/webgpu/build_webgpu.js';
import { releaseWebGPU } from '../../../runtime/webgpu/device.js';
import * as T from '../../../tir/nodes.js';
import { hostArray } from '../../runtime/webgpu/helpers.js';

afterAll(releaseWebGPU);

const SG = 'webgpu -subgroup-size=8';
const f32 = Math.fround;
const A = T.buffer('A', [16], 'float32');
const O = T.buffer('O', [16], 'float32');
const W = T.buffer('W', [8], 'float32', 'warp');
const bx = T.variable('bx');
const tx = T.variable('tx');
const i = (k: number): T.IntImm => T.intImm(k);
/** W[t] = A[t]; if (t < 5) O[t] = W[3] + W[3]·2 + W[6]. */
const f = T.primFunc('hoist2', [A, O], T.forLoop(bx, 0, 1, 'threadBinding', T.allocate(W, T.forLoop(tx, 0, 8, 'threadBinding', T.seq([
  T.bufferStore(W, T.bufferLoad(A, [tx]), [tx]),
  T.ifThenElse(T.compare('lt', tx, i(5)), T.bufferStore(O,
    T.add(T.add(T.bufferLoad(W, [i(3)]), T.mul(T.bufferLoad(W, [i(3)]), T.floatImm(2))), T.bufferLoad(W, [i(6)])), [tx])),
]), { threadTag: 'threadIdx.x' })), { threadTag: 'blockIdx.x' }));

describe('shuffles hoisted out of a lane-dependent if', () => {
  it('W[3] read twice is one broadcast, W[6] another, both before the if', () => {
    const code = new TextDecoder().decode(compileWGSL(f, SG).bytes);
    expect(code.match(/subgroupBroadcast\(/g)?.length, code).toBe(2);
    const ifAt = code.indexOf('if (');
    for (const m of code.matchAll(/subgroupBroadcast\(/g)) expect(m.index!).toBeLessThan(ifAt);
  });

  it('on lavapipe: lanes 0..4 get A[3]·3 + A[6], lanes 5..7 keep their NaN (plain JS)', async () => {
    const a = Float32Array.from({ length: 16 }, (_, k) => k * 0.75 - 2);
    const ha = hostArray([16], 'float32', (k) => a[k]!);
    const ho = hostArray([16], 'float32', () => Number.NaN);
    const mod = await buildWebGPU(f, SG);
    try {
      await mod.run(ha, ho);
    } finally {
      mod.dispose();
    }
    const v = f32(f32(a[3]! + f32(a[3]! * 2)) + a[6]!);
    expect(Array.from(ho.data)).toEqual(Array.from({ length: 16 }, (_, t) => (t < 5 ? v : Number.NaN)));
  }, 120_000);
});
