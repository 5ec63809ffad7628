// tests/codegen/wasm/simd_interleave.test.ts — sibling stride-2 vector stores at bases B and B + 1 (a sub-pixel
// ConvTranspose's two width phases) become i8x16.shuffles and contiguous v128.stores (codegen/wasm/simd_interleave.ts):
// the wasm has no extract_lane and no scalar store, the values match plain JS with SIMD on and off, 1 and 2 threads,
// in either order of the two statements, with 4 and 12 lanes; a pair whose value reads the stored buffer, and
// stores whose bases are not one apart, keep the per-lane stores and stay correct.

import { describe, expect, it } from 'vitest';
import { wasmText } from '../../../codegen/wasm/compile_wasm.js';
import * as T from '../../../tir/nodes.js';
import { CONFIGS, runWasm, seededFloats } from './wasm_harness.js';

const f32 = Math.fround;
const N = 96;
const X = T.buffer('X', [N], 'float32');
const Y = T.buffer('Y', [N], 'float32');
const v = T.variable('v');
const x = seededFloats(N, 12, -3, 3);

/** Y[v·2L + off + p + 2l] = max(X[v·2L + L·p + l]·3 + 1 + p, 0), l < L: phase p's L lanes at stride 2 (`off` + p its base). */
function phase(p: number, lanes: number, off = 0, value?: T.PrimExpr): T.Stmt {
  const row = T.mul(v, T.intImm(2 * lanes));
  const val = value ?? T.binary('max', T.add(T.mul(T.bufferLoad(X, [T.ramp(T.add(row, T.intImm(lanes * p)), T.intImm(1), lanes)]), T.broadcast(T.floatImm(3), lanes)),
    T.broadcast(T.floatImm(1 + p), lanes)), T.broadcast(T.floatImm(0), lanes));
  return T.bufferStore(Y, val, [T.ramp(T.add(row, T.intImm(off + p)), T.intImm(2), lanes)]);
}

function plain(lanes: number): number[] {
  const want = new Array<number>(N).fill(0);
  for (let r = 0; r < N / (2 * lanes); r++) {
    for (let p = 0; p < 2; p++) for (let l = 0; l < lanes; l++) want[r * 2 * lanes + p + 2 * l] = Math.max(f32(f32(f32(x[r * 2 * lanes + lanes * p + l]! * 3) + 1 + p)), 0);
  }
  return want;
}

const kernel = (name: string, lanes: number, body: T.Stmt[]): T.PrimFunc =>
  T.primFunc(name, [X, Y], T.forLoop(v, 0, N / (2 * lanes), 'serial', T.seq(body)));

describe('wasm: two stride-2 stores that fill each other\'s gaps', () => {
  it('are interleaved by shuffles into contiguous v128 stores, no lane extracts', () => {
    const text = wasmText(kernel('pair', 8, [phase(0, 8), phase(1, 8)]), 'wasm');
    expect(text).toContain('i8x16.shuffle');
    expect(text.match(/v128\.store\b/g)?.length).toBe(4);
    expect(text).not.toContain('extract_lane');
    expect(text).not.toMatch(/\bf32\.store\b/);
  });

  for (const lanes of [4, 8, 12]) {
    it(`store what plain JS does, ${lanes} lanes, either order, SIMD on and off, 1 and 2 threads`, async () => {
      const orders: [string, T.Stmt[]][] = [['B first', [phase(0, lanes), phase(1, lanes)]], ['B + 1 first', [phase(1, lanes), phase(0, lanes)]]];
      for (const [order, body] of orders) {
        for (const target of CONFIGS) {
          const got = (await runWasm(kernel('pair', lanes, body), [x.slice(), new Float32Array(N)], target))[1]!;
          expect(Array.from(got), `${target}, ${order}`).toEqual(plain(lanes));
        }
      }
    });
  }

  it('are left per lane when a value reads the stored buffer (the second must see the first)', async () => {
    // Y[odd] = Y[even] + 1 after Y[even] = …: both values before either store would read stale Y.
    const reads = T.add(T.bufferLoad(Y, [T.ramp(T.mul(v, T.intImm(16)), T.intImm(2), 8)]), T.broadcast(T.floatImm(1), 8));
    const f = kernel('dep', 8, [phase(0, 8), phase(1, 8, 0, reads)]);
    expect(wasmText(f, 'wasm')).toContain('extract_lane');
    const want = new Array<number>(N).fill(0);
    for (let r = 0; r < N / 16; r++) for (let l = 0; l < 8; l++) {
      want[r * 16 + 2 * l] = Math.max(f32(f32(x[r * 16 + l]! * 3) + 1), 0);
      want[r * 16 + 1 + 2 * l] = f32(want[r * 16 + 2 * l]! + 1);
    }
    for (const target of CONFIGS) expect(Array.from((await runWasm(f, [x.slice(), new Float32Array(N)], target))[1]!), target).toEqual(want);
  });

  it('are left per lane when the bases are not one apart', () => {
    expect(wasmText(kernel('gap', 8, [phase(0, 8), phase(1, 8, 2)]), 'wasm')).toContain('extract_lane');
  });
});
