// tests/codegen/wasm/simd_scatter_store.test.ts — a vector store at a stride ≠ 1 (a sub-pixel ConvTranspose's
// phase, a tile along channels) computes its value in f32x4 and takes the lanes apart only to store them:
// the wasm has the f32x4 ops and no scalar copy of them; the values match plain JS with SIMD on and off.

import { describe, expect, it } from 'vitest';
import { wasmText } from '../../../codegen/wasm/compile_wasm.js';
import * as T from '../../../tir/nodes.js';
import { CONFIGS, runWasm, seededFloats } from './wasm_harness.js';

const f32 = Math.fround;
const X = T.buffer('X', [64], 'float32');
const Y = T.buffer('Y', [64], 'float32');
const v = T.variable('v');
const x = seededFloats(64, 11, -3, 3);

// Y[v·16 + p + 2l] = max(X[v·16 + 8p + l] · 3 + 1, 0), l < 8: each phase p's 8 lanes stored at stride 2.
const phase = (p: number): T.Stmt => T.bufferStore(Y,
  T.binary('max', T.add(T.mul(T.bufferLoad(X, [T.ramp(T.add(T.mul(v, T.intImm(16)), T.intImm(8 * p)), T.intImm(1), 8)]), T.broadcast(T.floatImm(3), 8)), T.broadcast(T.floatImm(1), 8)), T.broadcast(T.floatImm(0), 8)),
  [T.ramp(T.add(T.mul(v, T.intImm(16)), T.intImm(p)), T.intImm(2), 8)]);
const f = T.primFunc('scatter', [X, Y], T.forLoop(v, 0, 4, 'serial', T.seq([phase(0), phase(1)])));
// One phase alone: no sibling fills its gaps (the pair becomes shuffles: simd_interleave.test.ts).
const fOne = T.primFunc('scatter1', [X, Y], T.forLoop(v, 0, 4, 'serial', phase(0)));

describe('wasm: a scattered vector store', () => {
  it('computes its value with f32x4 ops, then extracts the lanes', () => {
    const text = wasmText(fOne, 'wasm');
    expect(text).toContain('f32x4.max');
    expect(text).toContain('f32x4.mul');
    expect(text).toContain('f32x4.extract_lane');
    expect(text).not.toMatch(/\bf32\.max\b/);
    expect(text).not.toMatch(/\bf32\.mul\b/);
  });

  it('stores the same values as plain JS, SIMD on and off, 1 and 2 threads', async () => {
    const want = new Array<number>(64);
    for (let vv = 0; vv < 4; vv++) for (let p = 0; p < 2; p++) for (let l = 0; l < 8; l++) want[vv * 16 + p + 2 * l] = Math.max(f32(f32(x[vv * 16 + 8 * p + l]! * 3) + 1), 0);
    for (const target of CONFIGS) {
      const got = (await runWasm(f, [x.slice(), new Float32Array(64)], target))[1]!;
      expect(Array.from(got), target).toEqual(want);
    }
  });
});
