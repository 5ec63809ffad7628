// tests/codegen/wgsl/compile_wgsl.test.ts — compileWGSL's artifact and its -max-workgroup-size
// check (found untested by mutation testing, fresh sample seed 51): a workgroup of exactly the
// limit compiles, one thread more is refused naming the function, the count and the option,
// and the count is the product of x, y and z; wgslSource gives the artifact's source text.

import { describe, expect, it } from 'vitest';
import * as t from '../../../tir/nodes.js';
import { compileWGSL, wgslSource } from '../../../codegen/wgsl/compile_wgsl.js';
import { lowerForTarget } from '../../../codegen/target_passes.js';

/** B[y, x] = A[y, x] + 1 with threadIdx.x over `nx` and threadIdx.y over `ny` (one workgroup). */
function kernel(nx: number, ny: number): t.PrimFunc {
  const A = t.buffer('A', [ny, nx], 'float32');
  const B = t.buffer('B', [ny, nx], 'float32');
  const [x, y] = [t.variable('tx'), t.variable('ty')];
  const body = t.forLoop(y, 0, ny, 'threadBinding', t.forLoop(x, 0, nx, 'threadBinding',
    t.bufferStore(B, t.add(t.bufferLoad(A, [y, x]), t.floatImm(1)), [y, x]), { threadTag: 'threadIdx.x' }), { threadTag: 'threadIdx.y' });
  return t.primFunc('add_one', [A, B], body);
}

/** C[z, y, x] = 2 on a threadIdx.z × y × x workgroup. */
function kernel3(nx: number, ny: number, nz: number): t.PrimFunc {
  const C = t.buffer('C', [nz, ny, nx], 'float32');
  const [x, y, z] = [t.variable('tx'), t.variable('ty'), t.variable('tz')];
  const bind = (v: t.Var, n: number, tag: t.ThreadTag, body: t.Stmt): t.Stmt => t.forLoop(v, 0, n, 'threadBinding', body, { threadTag: tag });
  return t.primFunc('add_one3', [C], bind(z, nz, 'threadIdx.z', bind(y, ny, 'threadIdx.y', bind(x, nx, 'threadIdx.x', t.bufferStore(C, t.floatImm(2), [z, y, x])))));
}

describe('compileWGSL', () => {
  it('gives a wgsl artifact of the target, whose source declares the workgroup', () => {
    const art = compileWGSL(kernel(16, 4), 'webgpu -max-workgroup-size=64');
    expect(art.format).toBe('wgsl');
    expect(art.target).toBe('webgpu -max-workgroup-size=64');
    const code = new TextDecoder().decode(art.bytes);
    expect(code).toMatch(/@workgroup_size\(16, 4(, 1)?\)/);
    const kernels = (art.meta as { kernels: { workgroupSize: number[] }[] }).kernels;
    expect(kernels.map((k) => k.workgroupSize)).toEqual([[16, 4, 1]]);
  });

  it('accepts a workgroup of exactly -max-workgroup-size threads and refuses one thread more', () => {
    for (const [nx, ny] of [[64, 1], [16, 4], [8, 8]] as const) {
      expect(() => compileWGSL(kernel(nx, ny), 'webgpu -max-workgroup-size=64')).not.toThrow();
    }
    expect(() => compileWGSL(kernel(65, 1), 'webgpu -max-workgroup-size=64'))
      .toThrow('webgpu: add_one: workgroup of 65 threads exceeds -max-workgroup-size=64');
    // 13 × 5 = 65: the limit is on the product, not on each dimension.
    expect(() => compileWGSL(kernel(13, 5), 'webgpu -max-workgroup-size=64'))
      .toThrow('webgpu: add_one: workgroup of 65 threads exceeds -max-workgroup-size=64');
    // With threadIdx.z too: 4 × 4 × 5 = 80 threads.
    expect(() => compileWGSL(kernel3(4, 4, 5), 'webgpu -max-workgroup-size=64'))
      .toThrow('webgpu: add_one3: workgroup of 80 threads exceeds -max-workgroup-size=64');
    expect(() => compileWGSL(kernel3(4, 4, 4), 'webgpu -max-workgroup-size=64')).not.toThrow();
    // Without the option there is no check here (the device's limit applies at launch).
    expect(() => compileWGSL(kernel(13, 5), 'webgpu')).not.toThrow();
  });

  it('refuses a target that is not webgpu', () => {
    expect(() => compileWGSL(kernel(4, 1), 'wasm')).toThrow(/webgpu/);
  });

  it('wgslSource of a function lowered for webgpu is the artifact\'s source, byte for byte', () => {
    const g = lowerForTarget(kernel(16, 4), 'webgpu').func;
    const src = wgslSource(g);
    expect(src).toBe(new TextDecoder().decode(compileWGSL(g, 'webgpu').bytes));
    expect(src).toMatch(/@compute @workgroup_size\(16, 4(, 1)?\)/);
  });
});
