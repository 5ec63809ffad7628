// tests/codegen/wgsl/compile_wgsl_default.test.ts — compileWGSL's documented default target is plain
// `webgpu`: called without one it gives the artifact of compileWGSL(f, 'webgpu'), byte for byte, and
// names that target (the seed-1102 sample's survivor compile_wgsl.ts:16, the default emptied: every
// test passed a target).

import { describe, expect, it } from 'vitest';
import { compileWGSL } from '../../../codegen/wgsl/compile_wgsl.js';
import * as t from '../../../tir/nodes.js';

describe('compileWGSL without a target', () => {
  it("is compileWGSL(f, 'webgpu')", () => {
    const A = t.buffer('A', [8], 'float32');
    const B = t.buffer('B', [8], 'float32');
    const x = t.variable('tx');
    const f = t.primFunc('add_one', [A, B], t.forLoop(x, 0, 8, 'threadBinding',
      t.bufferStore(B, t.add(t.bufferLoad(A, [x]), t.floatImm(1)), [x]), { threadTag: 'threadIdx.x' }));
    const plain = compileWGSL(f);
    const named = compileWGSL(f, 'webgpu');
    expect(plain.target).toBe('webgpu');
    expect(plain.format).toBe('wgsl');
    expect(new TextDecoder().decode(plain.bytes)).toBe(new TextDecoder().decode(named.bytes));
    expect(plain.meta).toEqual(named.meta);
  });
});
