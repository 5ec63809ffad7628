// tests/codegen/wgsl/codegen_wgsl_meta.test.ts — what compileWGSL (codegen/wgsl/codegen_wgsl.ts,
// wgsl_expr.ts) writes besides the kernel bodies: each binding's element count (the product of its
// logical shape), one `var<workgroup>` per shared buffer even when it is allocated twice in a
// kernel (loop partition copies Allocates) with its bytes counted once, and a subnormal float
// constant as a bitcast of its bits (worked out here from a Float32Array).

import { describe, expect, it } from 'vitest';
import { compileWGSL } from '../../../codegen/wgsl/compile_wgsl.js';
import type { WGSLMeta } from '../../../codegen/wgsl/codegen_wgsl.js';
import * as T from '../../../tir/nodes.js';

const tx = T.variable('tx');
const threads = (body: T.Stmt): T.Stmt => T.forLoop(tx, 0, 16, 'threadBinding', body, { threadTag: 'threadIdx.x' });
const compile = (f: T.PrimFunc): { code: string; meta: WGSLMeta } => {
  const art = compileWGSL(f, 'webgpu');
  return { code: new TextDecoder().decode(art.bytes), meta: art.meta as unknown as WGSLMeta };
};

describe('WGSL module metadata and declarations', () => {
  it('each binding counts the elements of its buffer', () => {
    const A = T.buffer('A', [12], 'float32');
    const B = T.buffer('B', [3, 5], 'int32');
    const f = T.primFunc('counts', [A, B], threads(T.bufferStore(B, T.cast('int32', T.bufferLoad(A, [tx])), [T.intImm(0), tx])));
    const { meta } = compile(f);
    expect(meta.bindings.map((b) => [b.name, b.elements, b.access])).toEqual([['A', 12, 'read'], ['B', 15, 'read_write']]);
  });

  it('a shared buffer allocated twice is declared once and counted once', () => {
    const S = T.buffer('S', [16], 'float32', 'shared');
    const G = T.buffer('G', [16], 'float32');
    const O = T.buffer('O', [32], 'float32');
    const stage = (k: number): T.Stmt => T.allocate(S, T.seq([
      T.bufferStore(S, T.add(T.bufferLoad(G, [tx]), T.floatImm(k)), [tx]),
      T.bufferStore(O, T.bufferLoad(S, [T.sub(T.intImm(15), tx)]), [T.add(tx, T.intImm(16 * k))]),
    ]));
    const { code, meta } = compile(T.primFunc('twice', [G, O], threads(T.seq([stage(0), stage(1)]))));
    expect(code.match(/var<workgroup>/g)?.length, code).toBe(1);
    expect(meta.kernels.map((k) => k.workgroupStorageBytes)).toEqual([64]);
  });

  it('a subnormal float32 constant is written as the bitcast of its bits', () => {
    const Y = T.buffer('Y', [16], 'float32');
    const tiny = Math.fround(1e-40);
    const bits = new Uint32Array(new Float32Array([tiny]).buffer)[0]!;
    const { code } = compile(T.primFunc('tiny', [Y], threads(T.bufferStore(Y, T.floatImm(tiny), [tx]))));
    expect(code).toContain(`bitcast<f32>(0x${bits.toString(16)}u)`);
  });
});
