// tests/schedule/cache.test.ts — cacheRead and cacheWrite: extra copy stages in local/shared
// scope, at root and attached (the GPU matmul pattern), keep the result.

import { beforeAll, describe, expect, it } from 'vitest';
import * as te from '../../schedule/index.js';
import type { Buffer } from '../../tir/nodes.js';
import { allocations, cpuBackend, denseBiasRelu, expectClose, matmul, run } from './helpers.js';

beforeAll(cpuBackend);

const dims = (b: Buffer): number[] => b.shape.map((d) => (d.kind === 'IntImm' ? d.value : -1));

describe.each([[16, 16, 8], [10, 13, 7]])('matmul %ix%ix%i', (M, N, K) => {
  it('cacheRead at root copies the whole input and keeps the result', () => {
    const w = matmul(M, N, K);
    const s = te.createSchedule([w.out]);
    const AL = s.cacheRead(w.A, 'local', [w.out]);
    expect(AL.name).toBe('A_local');
    const f = te.scheduleOps(s, w.args, 'mm');
    expect(allocations(f.body).map((b) => [b.name, b.scope, dims(b)])).toEqual([['A_local', 'local', [M, K]]]);
    expectClose(run(s, w.args), w.reference());
  });

  it('cacheWrite accumulates in a local tile computed at the output tile', () => {
    const w = matmul(M, N, K);
    const s = te.createSchedule([w.out]);
    const CL = s.cacheWrite(w.out, 'local');
    const c = s.stage(w.out);
    const [, yo] = c.tile(c.axis[0]!, c.axis[1]!, 4, 4);
    const cl = s.stage(CL);
    cl.computeAt(c, yo);
    const [ko, ki] = cl.split(cl.reduceAxis[0]!, { factor: 4 });
    cl.reorder(ko, ki, cl.axis[0]!, cl.axis[1]!);
    cl.vectorize(cl.axis[1]!);
    const [buf] = allocations(te.scheduleOps(s, w.args, 'mm').body);
    expect([buf!.scope, dims(buf!)]).toEqual(['local', [4, 4]]);
    expectClose(run(s, w.args), w.reference());
  });

  it('cacheWrite computed at a fused, parallel tile loop (the wasm gemm template) keeps a constant-size tile', () => {
    const w = matmul(M, N, K);
    const s = te.createSchedule([w.out]);
    const CL = s.cacheWrite(w.out, 'local');
    const c = s.stage(w.out);
    const [yo, yi] = c.split(c.axis[0]!, { factor: 4 });
    const [xo, xi] = c.split(c.axis[1]!, { factor: 8 });
    c.reorder(yo, xo, yi, xi);
    const tiles = c.fuse(yo, xo);
    c.parallel(tiles);
    c.vectorize(xi);
    const cl = s.stage(CL);
    cl.computeAt(c, tiles);
    const [ko, ki] = cl.split(cl.reduceAxis[0]!, { factor: 4 });
    cl.reorder(ko, cl.axis[0]!, ki, cl.axis[1]!);
    cl.vectorize(cl.axis[1]!);
    cl.pragma(ko, 'auto_unroll_max_step', 16);
    const [buf] = allocations(te.scheduleOps(s, w.args, 'mm').body);
    expect(dims(buf!)).toEqual([4, 8]);
    expectClose(run(s, w.args), w.reference());
  });

  it('the GPU pattern (shared tiles of A and B at ko, local accumulator per thread) keeps the result', () => {
    const w = matmul(M, N, K);
    const s = te.createSchedule([w.out]);
    const AA = s.cacheRead(w.A, 'shared', [w.out]);
    const BB = s.cacheRead(w.B, 'shared', [w.out]);
    const CL = s.cacheWrite(w.out, 'local');
    const c = s.stage(w.out);
    const [by, bx, ty, tx] = c.tile(c.axis[0]!, c.axis[1]!, 4, 4);
    c.bind(by, 'blockIdx.y'); c.bind(bx, 'blockIdx.x'); c.bind(ty, 'threadIdx.y'); c.bind(tx, 'threadIdx.x');
    const cl = s.stage(CL);
    cl.computeAt(c, tx);
    const [ko, ki] = cl.split(cl.reduceAxis[0]!, { factor: 4 });
    cl.reorder(ko, ki, cl.axis[0]!, cl.axis[1]!);
    for (const t of [AA, BB]) {
      const st = s.stage(t);
      st.computeAt(cl, ko);
      const f = st.fuse(...st.axis);
      const [, inner] = st.split(f, { factor: 4 });
      st.bind(inner, 'threadIdx.x');
    }
    const allocs = allocations(te.scheduleOps(s, w.args, 'mm').body);
    // A block of 4×4 threads needs a 4×4 tile of A and of B per ko step; each thread one local C.
    expect(allocs.map((b) => [b.name, b.scope, dims(b)])).toEqual([
      ['C_local', 'local', [1, 1]], ['A_shared', 'shared', [4, 4]], ['B_shared', 'shared', [4, 4]],
    ]);
    expectClose(run(s, w.args), w.reference());
  });
});

describe('the WebGPU matmul template pattern', () => {
  it.each([[32, 32, 16], [20, 24, 10]])('%i×%i×%i: block tiles, 2-D threads, shared tiles fetched by all threads', (M, N, K) => {
    const w = matmul(M, N, K);
    const s = te.createSchedule([w.out]);
    const CL = s.cacheWrite(w.out, 'local');
    const AA = s.cacheRead(w.A, 'shared', [CL]);
    const BB = s.cacheRead(w.B, 'shared', [CL]);
    const c = s.stage(w.out);
    const [yb, yr] = c.split(c.axis[0]!, { factor: 8 });
    const [ty, yi] = c.split(yr, { factor: 2 });
    const [xb, xr] = c.split(c.axis[1]!, { factor: 8 });
    const [tx, xi] = c.split(xr, { factor: 2 });
    c.reorder(yb, xb, ty, tx, yi, xi);
    c.bind(yb, 'blockIdx.y'); c.bind(xb, 'blockIdx.x'); c.bind(ty, 'threadIdx.y'); c.bind(tx, 'threadIdx.x');
    const cl = s.stage(CL);
    cl.computeAt(c, tx);
    const [ko, ki] = cl.split(cl.reduceAxis[0]!, { factor: 4 });
    cl.reorder(ko, ki, cl.axis[0]!, cl.axis[1]!);
    for (const t of [AA, BB]) {
      const st = s.stage(t);
      st.computeAt(cl, ko);
      const [, inner] = st.split(st.fuse(st.axis[0]!, st.axis[1]!), { factor: 16 });
      const [t1, t0] = st.split(inner, { factor: 4 });
      st.bind(t1, 'threadIdx.y'); st.bind(t0, 'threadIdx.x');
    }
    const allocs = allocations(te.scheduleOps(s, w.args, 'mm').body);
    expect(allocs.map((b) => [b.name, dims(b)])).toEqual([['C_local', [2, 2]], ['A_shared', [8, 4]], ['B_shared', [4, 8]]]);
    expectClose(run(s, w.args), w.reference());
  });
});

describe('cacheRead in a pipeline', () => {
  it('redirects only the named readers', () => {
    const w = denseBiasRelu(6, 5, 4);
    const s = te.createSchedule([w.out]);
    const ML = s.cacheRead(w.mm, 'local', [w.out]);
    s.stage(ML).computeAt(s.stage(w.out), s.stage(w.out).axis[0]!);
    expectClose(run(s, w.args), w.reference());
  });

  it('rejects a reader that does not read the tensor, and an unknown scope', () => {
    const w = denseBiasRelu(4, 4, 4);
    const s = te.createSchedule([w.out]);
    expect(() => s.cacheRead(w.args[0]!, 'local', [w.out])).toThrow(/cacheRead: tensor relu does not read tensor A/);
    expect(() => s.cacheRead(w.mm, 'texture' as 'local', [w.out])).toThrow(/unknown storage scope 'texture'/);
  });

  it('cacheWrite after scheduling the stage is an error', () => {
    const w = matmul(4, 4, 4);
    const s = te.createSchedule([w.out]);
    s.stage(w.out).split(s.stage(w.out).axis[0]!, { factor: 2 });
    expect(() => s.cacheWrite(w.out, 'local')).toThrow(/cacheWrite: stage C already has schedule steps/);
  });
});
