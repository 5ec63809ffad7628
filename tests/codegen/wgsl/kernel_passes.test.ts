// tests/codegen/wgsl/kernel_passes.test.ts — the WebGPU target passes as pipeline entries
// (codegen/wgsl/kernel_passes.ts): their names and order (barriers left out only when asked), the
// option filter, webgpu.splitKernels normalising a body to scratch allocations around one kernel
// per thread-bound nest (dropping no-ops), the single-invocation opt-in, its refusals, per-kernel
// passes returning the function itself when no kernel changes, and a two-kernel function with
// global scratch and a shared tile run on WebGPU against plain JS.

import { afterAll, describe, expect, it } from 'vitest';
import { SINGLE_INVOCATION_ATTR, webgpuPasses, webgpuPassOptions } from '../../../codegen/wgsl/kernel_passes.js';
import { buildWebGPU } from '../../../runtime/webgpu/build_webgpu.js';
import { releaseWebGPU } from '../../../runtime/webgpu/device.js';
import { PassContext } from '../../../tir/pass_context.js';
import * as T from '../../../tir/nodes.js';

afterAll(releaseWebGPU);

const N = 24;
const A = T.buffer('A', [N], 'float32');
const C = T.buffer('C', [N], 'float32');
const tmp = T.buffer('tmp', [N], 'float32', 'global');
const ctx = new PassContext();
const run = (passes: ReturnType<typeof webgpuPasses>, f: T.PrimFunc): T.PrimFunc => passes.reduce((g, p) => p.run(g, ctx), f);
const bound = (name: string, body: (v: T.Var) => T.Stmt): T.Stmt => {
  const v = T.variable(name);
  return T.forLoop(v, 0, N, 'threadBinding', body(v), { threadTag: 'threadIdx.x' });
};

/** tmp = A·2 (kernel 1), C = tmp reversed + 1 (kernel 2), with a no-op between. */
function twoKernels(): T.PrimFunc {
  const k1 = bound('t1', (t) => T.bufferStore(tmp, T.mul(T.bufferLoad(A, [t]), T.floatImm(2)), [t]));
  const k2 = bound('t2', (t) => T.bufferStore(C, T.add(T.bufferLoad(tmp, [T.sub(T.intImm(N - 1), t)]), T.floatImm(1)), [t]));
  return T.primFunc('two', [A, C], T.allocate(tmp, T.seq([k1, T.noOp(), k2])));
}

describe('webgpu passes', () => {
  it('are named in order; barriers only when not skipped; the option filter drops undefined fields', () => {
    expect(webgpuPasses().map((p) => p.name)).toEqual(['webgpu.splitKernels', 'webgpu.inferStorageScope', 'webgpu.lowerWarpMemory', 'webgpu.legalizeLanes', 'webgpu.insertBarriers', 'tir.lowerFloorDiv']);
    expect(webgpuPasses({ skipBarriers: false }).map((p) => p.name)).toContain('webgpu.insertBarriers');
    expect(webgpuPasses({ skipBarriers: true }).map((p) => p.name)).not.toContain('webgpu.insertBarriers');
    expect(webgpuPassOptions({})).toStrictEqual({});
    expect(webgpuPassOptions({ singleInvocation: undefined, skipBarriers: true } as never)).toStrictEqual({ skipBarriers: true });
    expect(webgpuPassOptions({ singleInvocation: false })).toStrictEqual({ singleInvocation: false });
  });

  it('splitKernels drops top-level no-ops between kernels and keeps the scratch allocation around them', () => {
    const g = run(webgpuPasses().slice(0, 1), twoKernels());
    expect(g.body.kind).toBe('Allocate');
    const inner = (g.body as T.Allocate).body;
    expect(inner.kind).toBe('SeqStmt');
    expect((inner as T.SeqStmt).seq.map((s) => s.kind)).toEqual(['For', 'For']);
    // already normal: the same object back
    expect(run(webgpuPasses().slice(0, 1), g)).toBe(g);
  });

  it('refuses a nest that binds no thread, unless the function is one invocation', () => {
    const serial = T.primFunc('ser', [A, C], T.forLoop(T.variable('i'), 0, N, 'serial', T.noOp()));
    expect(() => run(webgpuPasses(), serial)).toThrow(/webgpu: bind at least one axis to blockIdx\/threadIdx for webgpu/);
    const mixed = T.primFunc('mix', [A, C], T.seq([bound('t', () => T.noOp()), T.forLoop(T.variable('i'), 0, N, 'serial', T.bufferStore(C, T.floatImm(1), [T.intImm(0)]))]));
    expect(() => run(webgpuPasses(), mixed)).toThrow('webgpu: top-level statement 1 binds no loop');
    const single = run(webgpuPasses({ singleInvocation: true }), serial);
    expect(single.attrs[SINGLE_INVOCATION_ATTR]).toBe(true);
    const marked = { ...serial, attrs: { [SINGLE_INVOCATION_ATTR]: true } };
    expect(run(webgpuPasses(), marked).attrs[SINGLE_INVOCATION_ATTR]).toBe(true);
  });

  it('per-kernel passes give the function itself back when no kernel changes', () => {
    const g = run(webgpuPasses().slice(0, 1), twoKernels());
    for (const p of webgpuPasses().slice(1)) expect(p.run(g, ctx), p.name).toBe(g);
  });

  it('a two-kernel function with global scratch runs on WebGPU as plain JS says', async () => {
    const a = Float32Array.from({ length: N }, (_, i) => i / 4 - 3);
    const c = new Float32Array(N);
    const mod = await buildWebGPU(twoKernels(), 'webgpu');
    try {
      await mod.run({ shape: [N], dtype: 'float32', size: N, data: a }, { shape: [N], dtype: 'float32', size: N, data: c });
    } finally {
      mod.dispose();
    }
    expect(Array.from(c)).toEqual(Array.from(a, (_, i) => Math.fround(a[N - 1 - i]! * 2) + 1));
  });
});
