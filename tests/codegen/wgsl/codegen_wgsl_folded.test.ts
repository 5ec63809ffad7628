// tests/codegen/wgsl/codegen_wgsl_folded.test.ts — a grid past WebGPU's 65535 workgroups per dimension
// is dispatched folded (codegen/wgsl/launch_config.ts) and the shader recovers blockIdx from the linear
// workgroup index (codegen/wgsl/codegen_wgsl.ts), the tail workgroups returning. Checked two ways:
// on lavapipe, 70,000 one-thread blocks write O[b] = A[b]·2 + b against plain JS; and with a small
// per-dimension limit (codegenWGSL's maxWorkgroupsPerDimension), the recovery lines' arithmetic,
// replayed in plain JS over every workgroup of the 3-D dispatch, visits each block of a 10×3×2 grid
// exactly once and no other.

import { afterAll, describe, expect, it } from 'vitest';
import { codegenWGSL } from '../../../codegen/wgsl/codegen_wgsl.js';
import { buildWebGPU } from '../../../runtime/webgpu/build_webgpu.js';
import { releaseWebGPU } from '../../../runtime/webgpu/device.js';
import * as T from '../../../tir/nodes.js';
import { hostArray } from '../../runtime/webgpu/helpers.js';

afterAll(releaseWebGPU);

const f32 = Math.fround;
const bx = T.variable('bx');
const by = T.variable('by');
const bz = T.variable('bz');
const tx = T.variable('tx');
const bind = (v: T.Var, n: number, tag: string, body: T.Stmt): T.Stmt => T.forLoop(v, 0, n, 'threadBinding', body, { threadTag: tag as T.ThreadTag });

describe('folded dispatch', () => {
  it('70,000 blocks on lavapipe: every block runs once (plain JS)', async () => {
    const n = 70_000;
    const A = T.buffer('A', [n], 'float32');
    const O = T.buffer('O', [n], 'float32');
    const f = T.primFunc('fold1d', [A, O], bind(bx, n, 'blockIdx.x', bind(tx, 1, 'threadIdx.x',
      T.bufferStore(O, T.add(T.mul(T.bufferLoad(A, [bx]), T.floatImm(2)), T.cast('float32', bx)), [bx]))));
    const { meta } = codegenWGSL(f);
    expect(meta.kernels[0]!.dispatch).toEqual([65535, 2, 1]);
    const a = hostArray([n], 'float32', (i) => ((i * 7) % 13) - 6);
    const o = hostArray([n], 'float32', () => Number.NaN);
    const mod = await buildWebGPU(f, 'webgpu');
    try {
      await mod.run(a, o);
    } finally {
      mod.dispose();
    }
    const got = o.data as Float32Array;
    const bad = got.findIndex((g, i) => g !== f32(f32(((i * 7) % 13) - 6) * 2 + i));
    expect(bad, `O[${bad}] = ${got[bad]}`).toBe(-1);
  }, 120_000);

  it('a 10×3×2 grid folded into 4×4×4: the recovery arithmetic visits each block once (replayed in JS)', () => {
    const [gx, gy, gz] = [10, 3, 2];
    const A = T.buffer('A', [gx * gy * gz], 'float32');
    const f = T.primFunc('fold3d', [A], bind(bz, gz, 'blockIdx.z', bind(by, gy, 'blockIdx.y', bind(bx, gx, 'blockIdx.x', bind(tx, 1, 'threadIdx.x',
      T.bufferStore(A, T.floatImm(1), [T.add(T.add(T.mul(bz, T.intImm(gx * gy)), T.mul(by, T.intImm(gx))), bx)]))))));
    const { code, meta } = codegenWGSL(f, { maxWorkgroupsPerDimension: 4 });
    // 60 blocks: 4 per row, 15 rows → 4 × 4 × 4 (the last 4 workgroups past 60 return).
    expect(meta.kernels[0]!.dispatch).toEqual([4, 4, 4]);
    const num = (re: RegExp): number[] => {
      const m = re.exec(code);
      expect(m, `${re} in\n${code}`).not.toBeNull();
      return m!.slice(1).map(Number);
    };
    const [sy, sz] = num(/let tt_linear = i32\(tt_wid\.x\) \+ i32\(tt_wid\.y\) \* (\d+)i \+ i32\(tt_wid\.z\) \* (\d+)i;/);
    const [total] = num(/if \(tt_linear >= (\d+)i\) \{ return; \}/);
    const [mx] = num(/let tt_bx = tt_linear % (\d+)i;/);
    const [dy1, my] = num(/let tt_by = \(tt_linear \/ (\d+)i\) % (\d+)i;/);
    const [dz1] = num(/let tt_bz = tt_linear \/ (\d+)i;/);
    const seen = new Map<string, number>();
    for (let z = 0; z < 4; z++) for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) {
      const lin = x + y * sy! + z * sz!;
      if (lin >= total!) continue;
      const key = `${lin % mx!},${Math.floor(lin / dy1!) % my!},${Math.floor(lin / dz1!)}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    const want: string[] = [];
    for (let z = 0; z < gz; z++) for (let y = 0; y < gy; y++) for (let x = 0; x < gx; x++) want.push(`${x},${y},${z}`);
    expect([...seen.keys()].sort()).toEqual(want.sort());
    expect([...seen.values()].every((c) => c === 1)).toBe(true);
  });
});
