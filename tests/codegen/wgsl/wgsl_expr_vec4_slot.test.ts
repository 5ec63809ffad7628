// tests/codegen/wgsl/wgsl_expr_vec4_slot.test.ts — a 4-lane unit-stride access at a base that is a
// multiple of 4, to an array laid out in vec4s (vec4_layout.ts), is printed as the whole slot
// `X[(base) >> 2u]`: one 16-byte load or store, the point of the layout (ExprPrinter.vec4Slot; the
// session-11 sample's survivor wgsl_expr.ts:285 printed the slot as "" and every such access fell back
// to four component accesses — the same values, so lavapipe cannot tell; the text is the contract).
// Checked on the text (expected lines written by hand) for storage buffers and a shared array, and on
// lavapipe against plain JS.

import { afterAll, describe, expect, it } from 'vitest';
import { codegenWGSL } from '../../../codegen/wgsl/codegen_wgsl.js';
import { buildWebGPU } from '../../../runtime/webgpu/build_webgpu.js';
import { releaseWebGPU } from '../../../runtime/webgpu/device.js';
import * as T from '../../../tir/nodes.js';
import { hostArray } from '../../runtime/webgpu/helpers.js';

afterAll(releaseWebGPU);

const f32 = Math.fround;
const tx = T.variable('tx');
const i32 = (v: number): T.IntImm => T.intImm(v);
const X = T.buffer('X', [32], 'float32');
const Y = T.buffer('Y', [32], 'float32');
const Z = T.buffer('Z', [32], 'float32');
const S = T.buffer('S', [32], 'float32', 'shared');
const vec = (base: T.PrimExpr): T.Ramp => T.ramp(base, i32(1), 4);

/** tx < 8: Y[4tx..4tx+3] = 2·X[4tx..4tx+3]; S[4tx..] = X[4tx..]; Z[4tx..] = S[28−4tx..] (blocks of 4 reversed). */
function kernel(): T.PrimFunc {
  const at = T.mul(tx, i32(4));
  const rev = T.sub(i32(28), T.mul(tx, i32(4)));
  const body = T.allocate(S, T.seq([
    T.bufferStore(Y, T.mul(T.bufferLoad(X, [vec(at)]), T.broadcast(T.floatImm(2), 4)), [vec(at)]),
    T.bufferStore(S, T.bufferLoad(X, [vec(at)]), [vec(at)]),
    T.bufferStore(Z, T.bufferLoad(S, [vec(rev)]), [vec(at)]),
  ]));
  return T.primFunc('vec4_slots', [X, Y, Z], T.forLoop(tx, 0, 8, 'threadBinding', body, { threadTag: 'threadIdx.x' }));
}

describe('an aligned 4-lane access to a vec4 array is one slot access', () => {
  it('prints X[(base) >> 2u] for loads and stores, storage and shared alike', () => {
    const { code } = codegenWGSL(kernel());
    expect(code).toContain('var<storage, read> X: array<vec4<f32>>;');
    expect(code).toContain('var<workgroup> S: array<vec4<f32>, 8>;');
    const lines = code.split('\n').map((l) => l.trim());
    expect(lines).toContain('Y[(tx * 4i) >> 2u] = (X[(tx * 4i) >> 2u] * vec4<f32>(2.0f));');
    expect(lines).toContain('S[(tx * 4i) >> 2u] = X[(tx * 4i) >> 2u];');
    expect(lines).toContain('Z[(tx * 4i) >> 2u] = S[(28i - (tx * 4i)) >> 2u];');
    // No access goes lane by lane: no component index, no tt_v temporary.
    expect(code).not.toMatch(/\]\[[^\]]*& 3i\]/);
    expect(code).not.toContain('tt_v');
  });

  it('on lavapipe: Y = 2X and Z = X with its blocks of 4 reversed (plain JS)', async () => {
    const x = hostArray([32], 'float32', (k) => ((k * 7) % 13) - 6.25);
    const y = hostArray([32], 'float32', () => Number.NaN);
    const z = hostArray([32], 'float32', () => Number.NaN);
    const mod = await buildWebGPU(kernel(), 'webgpu');
    try {
      await mod.run(x, y, z);
    } finally {
      mod.dispose();
    }
    const xv = Array.from(x.data as Float32Array);
    expect(Array.from(y.data as Float32Array)).toEqual(xv.map((v) => f32(2 * v)));
    expect(Array.from(z.data as Float32Array)).toEqual(xv.map((_, k) => xv[4 * (7 - (k >> 2)) + (k & 3)]));
  }, 120_000);
});
