// tests/codegen/wgsl/codegen_wgsl_guards.test.ts — a store outside a kernel's threadIdx loop means
// "once per block" (the interpreter runs it once), so the WGSL emitter guards it with thread 0 of
// each missing workgroup dimension wider than 1 (codegen_wgsl.ts storeGuard; survivors of the session-11
// sample: with no guard every thread does the read-modify-write). Checked on the text (the guard on
// exactly the outer store, naming tt_tx; none inside the loop; none for a dimension of extent 1) and on
// lavapipe against plain JS; and the shader's layout: each entry point's attribute on its own line.

import { afterAll, describe, expect, it } from 'vitest';
import { codegenWGSL } from '../../../codegen/wgsl/codegen_wgsl.js';
import { buildWebGPU } from '../../../runtime/webgpu/build_webgpu.js';
import { releaseWebGPU } from '../../../runtime/webgpu/device.js';
import * as T from '../../../tir/nodes.js';
import { hostArray } from '../../runtime/webgpu/helpers.js';

afterAll(releaseWebGPU);

const f32 = Math.fround;
const [bx, tx, ty] = [T.variable('bx'), T.variable('tx'), T.variable('ty')];
const bind = (v: T.Var, n: number, tag: T.ThreadTag, body: T.Stmt): T.Stmt => T.forLoop(v, 0, n, 'threadBinding', body, { threadTag: tag });
const A = T.buffer('A', [32], 'float32');
const B = T.buffer('B', [32], 'float32');
const C = T.buffer('C', [4], 'float32');

/** per block bx < 4: B[8bx + tx] = A[8bx + tx]·2 for tx < 8 (threadIdx.y of extent 1 around it); then, once, C[bx] = C[bx] + A[8bx]. */
function kernel(): T.PrimFunc {
  const i = T.add(T.mul(bx, T.intImm(8)), tx);
  return T.primFunc('once_per_block', [A, B, C], bind(bx, 4, 'blockIdx.x', T.seq([
    bind(ty, 1, 'threadIdx.y', bind(tx, 8, 'threadIdx.x', T.bufferStore(B, T.mul(T.bufferLoad(A, [i]), T.floatImm(2)), [i]))),
    T.bufferStore(C, T.add(T.bufferLoad(C, [bx]), T.bufferLoad(A, [T.mul(bx, T.intImm(8))])), [bx]),
  ])));
}

describe('a store outside the thread loop is done once per block', () => {
  it('is guarded by tt_tx == 0i alone; the stores inside the loop are not', () => {
    const { code } = codegenWGSL(kernel());
    const guards = code.split('\n').filter((l) => /\bif \(/.test(l) && /== 0i/.test(l));
    expect(guards.map((l) => l.trim())).toEqual(['if (tt_tx == 0i) {']);
    const lines = code.split('\n');
    const at = lines.findIndex((l) => l.trim() === 'if (tt_tx == 0i) {');
    expect(lines[at + 1]).toMatch(/^\s*C\[/);
    // Each entry point: the @compute attribute, then `fn` on the next line.
    const entry = lines.findIndex((l) => l.startsWith('@compute @workgroup_size(8, 1, 1)'));
    expect(entry).toBeGreaterThanOrEqual(0);
    expect(lines[entry + 1]).toMatch(/^fn \w+\(@builtin\(workgroup_id\)/);
  });

  it('on lavapipe: B = 2A and C[b] = C0[b] + A[8b], each block adding once (plain JS)', async () => {
    const a = hostArray([32], 'float32', (k) => ((k * 5) % 11) - 3.5);
    const b = hostArray([32], 'float32', () => Number.NaN);
    const c = hostArray([4], 'float32', (k) => 10 * (k + 1));
    const mod = await buildWebGPU(kernel(), 'webgpu');
    try {
      await mod.run(a, b, c);
    } finally {
      mod.dispose();
    }
    const av = a.data as Float32Array;
    expect(Array.from(b.data as Float32Array)).toEqual(Array.from(av, (x) => f32(x * 2)));
    expect(Array.from(c.data as Float32Array)).toEqual([0, 1, 2, 3].map((k) => f32(10 * (k + 1) + av[8 * k]!)));
  }, 120_000);
});
