// tests/codegen/wgsl/kernel_passes_each.test.ts — the per-kernel WebGPU passes (codegen/wgsl/
// kernel_passes.ts mapKernels) keep a change to *one* kernel of several: a first kernel no pass
// touches, then a second whose shared tile is read reversed (it needs a barrier) and whose 8-lane
// store WGSL cannot hold (legalizeLanes splits it). The result: kernel 1 the same object, kernel 2
// with its barrier and 4-lane pieces, and race-free interpreter results equal to plain JS.

import { describe, expect, it } from 'vitest';
import { webgpuPasses } from '../../../codegen/wgsl/kernel_passes.js';
import { interpret } from '../../../tir/interpreter.js';
import { PassContext } from '../../../tir/pass_context.js';
import * as T from '../../../tir/nodes.js';
import { print } from '../../../tir/printer.js';

const N = 16;
const A = T.buffer('A', [N], 'float32');
const B = T.buffer('B', [N], 'float32');
const C = T.buffer('C', [8 * N], 'float32');
const S = T.buffer('S', [N], 'float32', 'shared');
const ctx = new PassContext();

function twoKernels(): { f: T.PrimFunc; k1: T.Stmt } {
  const t1 = T.variable('t1');
  const t2 = T.variable('t2');
  // kernel 1: B[t1] = A[t1]·2 (nothing for any pass to do)
  const k1 = T.forLoop(t1, 0, N, 'threadBinding', T.bufferStore(B, T.mul(T.bufferLoad(A, [t1]), T.floatImm(2)), [t1]), { threadTag: 'threadIdx.x' });
  // kernel 2: S[t2] = A[t2]; C[8·t2 + 0..7] = broadcast(S[N − 1 − t2], 8) + ramp(0, 1, 8)
  const ramp8 = T.ramp(T.mul(t2, T.intImm(8)), T.intImm(1), 8);
  const value = T.add(T.broadcast(T.bufferLoad(S, [T.sub(T.intImm(N - 1), t2)]), 8), T.cast('float32x8', T.ramp(T.intImm(0), T.intImm(1), 8)));
  const k2 = T.allocate(S, T.forLoop(t2, 0, N, 'threadBinding', T.seq([
    T.bufferStore(S, T.bufferLoad(A, [t2]), [t2]),
    T.bufferStore(C, value, [ramp8]),
  ]), { threadTag: 'threadIdx.x' }));
  return { f: T.primFunc('two', [A, B, C], T.seq([k1, k2])), k1 };
}

describe('webgpu per-kernel passes on a function of two kernels', () => {
  it('keep the second kernel\'s barrier and lane split when the first is unchanged', () => {
    const { f, k1 } = twoKernels();
    const g = webgpuPasses().reduce((h, p) => p.run(h, ctx), f);
    expect(g.body.kind).toBe('SeqStmt');
    const [g1, g2] = (g.body as T.SeqStmt).seq;
    expect(g1).toBe(k1);
    const text = print(g2!);
    expect(text.match(/tir\.storage_sync/g)?.length, text).toBe(1);
    expect(text, text).not.toMatch(/x8/);
    const a = Float32Array.from({ length: N }, (_, i) => i * 1.5 - 4);
    const b = new Float32Array(N);
    const c = new Float32Array(8 * N);
    interpret(g, [a, b, c]);
    expect(Array.from(b)).toEqual(Array.from(a, (x) => x * 2));
    expect(Array.from(c)).toEqual(Array.from({ length: 8 * N }, (_, n) => a[N - 1 - Math.floor(n / 8)]! + (n % 8)));
  });
});
