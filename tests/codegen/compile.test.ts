// tests/codegen/compile.test.ts — compile(f, target) dispatch: no target means wasm (found
// untested by mutation testing, fresh sample seed 51), webgpu gives WGSL, a bad target is refused
// by name; the default-target module runs and matches plain JS.

import { describe, expect, it } from 'vitest';
import * as t from '../../tir/nodes.js';
import { compile } from '../../codegen/compile.js';
import { loadWasm } from '../../runtime/wasm_module.js';
import { array } from '../../runtime/ndarray.js';
import { seededFloats } from './wasm/wasm_harness.js';

function addOne(n: number, gpu = false): t.PrimFunc {
  const A = t.buffer('A', [n], 'float32');
  const B = t.buffer('B', [n], 'float32');
  const i = t.variable('i');
  const body = t.bufferStore(B, t.add(t.bufferLoad(A, [i]), t.floatImm(1)), [i]);
  const loop = gpu ? t.forLoop(i, 0, n, 'threadBinding', body, { threadTag: 'threadIdx.x' }) : t.forLoop(i, 0, n, 'serial', body);
  return t.primFunc('add_one', [A, B], loop);
}

describe('compile', () => {
  it('compiles for wasm when no target is given, and the module computes A + 1', async () => {
    const f = addOne(13);
    const art = await compile(f);
    expect(art.format).toBe('wasm');
    expect(art.target).toMatch(/^wasm\b/);
    expect(WebAssembly.validate(new Uint8Array(art.bytes))).toBe(true);
    expect(art).toEqual(await compile(f, 'wasm'));
    // The default-target artifact itself, loaded and run.
    const a = seededFloats(13, 3);
    const [A, B] = [array(a, [13]), array(new Float32Array(13), [13])];
    await (await loadWasm(art, f)).run(A, B);
    expect(Array.from(B.toArray())).toEqual(Array.from(a, (x) => Math.fround(x + 1)));
  });

  it('compiles WGSL for webgpu and refuses an unknown target by name', async () => {
    const art = await compile(addOne(8, true), 'webgpu');
    expect(art.format).toBe('wgsl');
    expect(new TextDecoder().decode(art.bytes)).toMatch(/@compute/);
    await expect(compile(addOne(8), 'cuda')).rejects.toThrow(/cuda/);
  });
});
