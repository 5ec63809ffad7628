// tests/codegen/wgsl/kernel_passes_split.test.ts — the webgpu.splitKernels pass (codegen/wgsl/
// kernel_passes.ts) returns the very function it was given when the body is already in kernel form
// (one nest; a sequence of nests; either under scratch allocations), so the pipeline's trace and the
// passes after it see "unchanged"; a body with a no-op between its nests is rebuilt without it, the
// kernels in order; the single-invocation option is recorded in the function's attributes.

import { describe, expect, it } from 'vitest';
import { SINGLE_INVOCATION_ATTR, webgpuPasses } from '../../../codegen/wgsl/kernel_passes.js';
import * as T from '../../../tir/nodes.js';

const G = T.buffer('G', [8], 'float32');
const tmp = T.buffer('tmp', [8], 'float32');
function nest(name: string): T.Stmt {
  const t = T.variable(name);
  return T.forLoop(t, 0, 8, 'threadBinding', T.bufferStore(G, T.floatImm(1), [t]), { threadTag: 'threadIdx.x' });
}
const split = (opts = {}): ((f: T.PrimFunc) => T.PrimFunc) => {
  const p = webgpuPasses(opts)[0]!;
  expect(p.name).toBe('webgpu.splitKernels');
  return (f) => p.run(f, undefined as never);
};

describe('webgpu.splitKernels', () => {
  it('returns the same function when its body is already kernels', () => {
    const [k1, k2] = [nest('a'), nest('b')];
    // A shared allocation around a nest is part of that kernel, not scratch.
    const sh = T.buffer('sh', [8], 'float32', 'shared');
    for (const body of [k1, T.allocate(tmp, k1), T.seq([k1, k2]), T.allocate(tmp, T.seq([k1, k2])), T.allocate(sh, k1)]) {
      const f = T.primFunc('f', [G], body);
      expect(split()(f)).toBe(f);
    }
  });

  it('drops a no-op between nests, keeping the scratch allocation and the kernels in order', () => {
    const [k1, k2] = [nest('a'), nest('b')];
    const f = T.primFunc('f', [G], T.allocate(tmp, { kind: 'SeqStmt', seq: [k1, T.evaluate(T.intImm(0)), k2] }));
    const g = split()(f);
    expect(g).not.toBe(f);
    expect(g.body).toEqual(T.allocate(tmp, { kind: 'SeqStmt', seq: [k1, k2] }));
  });

  it('records single invocation in the attributes only when it differs', () => {
    const i = T.variable('i');
    const serial = T.forLoop(i, 0, 8, 'serial', T.bufferStore(G, T.floatImm(2), [i]));
    const f = T.primFunc('f', [G], serial);
    const g = split({ singleInvocation: true })(f);
    expect(g.attrs[SINGLE_INVOCATION_ATTR]).toBe(true);
    expect(g.body).toBe(serial);
    expect(split({ singleInvocation: true })(g)).toBe(g);
    expect(() => split()(f)).toThrow('bind at least one axis');
  });
});
