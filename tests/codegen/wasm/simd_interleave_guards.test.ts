// tests/codegen/wasm/simd_interleave_guards.test.ts — which sibling store pairs codegen/wasm/simd_interleave.ts pairs
// and which it leaves alone, each case against plain JS on every wasm config: int32 stores are interleaved like
// float32 ones; 2- and 6-lane stride-2 stores (not whole v128s), stride-1 stores at B and B + 1 (they overlap), and
// stores at v·16 and v·17 (constant parts one apart, but not B and B + 1) keep their per-lane meaning; a base with a
// non-constant addend, B = u·48 + v·16 and B + 1, is still paired. (Mutation sample, session 16: the int32 case, the
// lane-count and stride checks, the split of a base into (rest, constant) were not exercised by the tests reaching it.)

import { describe, expect, it } from 'vitest';
import { wasmText } from '../../../codegen/wasm/compile_wasm.js';
import * as T from '../../../tir/nodes.js';
import { CONFIGS, runWasm, seededFloats, seededInts } from './wasm_harness.js';

const N = 96;
const f32 = Math.fround;

interface Store {
  /** The store's base as TIR over the loop variables, and the same in plain JS. */
  base: (v: T.Var, u: T.Var) => T.PrimExpr;
  js: (v: number, u: number) => number;
  stride: number;
  /** Added to 3·X[base + l] (float32: then rounded). */
  k: number;
}

/** for u < U, v < V: the stores in order, each Y[base + stride·l] = X[base + l]·3 + k for l < lanes. */
function kernel(dtype: 'float32' | 'int32', lanes: number, stores: readonly Store[], V: number, U = 1): T.PrimFunc {
  const X = T.buffer('X', [N], dtype);
  const Y = T.buffer('Y', [N], dtype);
  const [v, u] = [T.variable('v'), T.variable('u')];
  const c = (n: number): T.PrimExpr => T.broadcast(dtype === 'int32' ? T.intImm(n) : T.floatImm(n), lanes);
  const body = stores.map((s) => {
    const b = s.base(v, u);
    const val = T.add(T.mul(T.bufferLoad(X, [T.ramp(b, T.intImm(1), lanes)]), c(3)), c(s.k));
    return T.bufferStore(Y, val, [T.ramp(b, T.intImm(s.stride), lanes)]);
  });
  return T.primFunc(`guards_${dtype}_${lanes}`, [X, Y], T.forLoop(u, 0, U, 'serial', T.forLoop(v, 0, V, 'serial', T.seq(body))));
}

function plain(x: ArrayLike<number>, dtype: 'float32' | 'int32', lanes: number, stores: readonly Store[], V: number, U = 1): number[] {
  const y = new Array<number>(N).fill(0);
  for (let u = 0; u < U; u++) {
    for (let v = 0; v < V; v++) {
      for (const s of stores) {
        const b = s.js(v, u);
        const vals = Array.from({ length: lanes }, (_, l) => (dtype === 'int32' ? x[b + l]! * 3 + s.k : f32(f32(x[b + l]! * 3) + s.k)));
        for (let l = 0; l < lanes; l++) y[b + s.stride * l] = vals[l]!;
      }
    }
  }
  return y;
}

async function check(dtype: 'float32' | 'int32', lanes: number, stores: readonly Store[], V: number, U = 1): Promise<string> {
  const f = kernel(dtype, lanes, stores, V, U);
  const x = dtype === 'int32' ? seededInts(N, 5, -1000, 1000) : seededFloats(N, 5, -3, 3);
  const want = plain(x, dtype, lanes, stores, V, U);
  for (const target of CONFIGS) {
    const y = dtype === 'int32' ? new Int32Array(N) : new Float32Array(N);
    const got = (await runWasm(f, [x.slice(), y], target))[1]!;
    expect(Array.from(got), `${target}, ${dtype}, ${lanes} lanes`).toEqual(want);
  }
  return wasmText(f, 'wasm');
}

/** The pair at B = v·2L (+ `off`) and B + 1, stride 2 (a sub-pixel ConvTranspose's two width phases). */
const phases = (lanes: number): Store[] => [0, 1].map((p) => ({
  base: (v) => T.add(T.mul(v, T.intImm(2 * lanes)), T.intImm(p)), js: (v) => 2 * lanes * v + p, stride: 2, k: p + 1,
}));

describe('wasm: which stride-2 sibling stores are interleaved', () => {
  for (const lanes of [4, 8]) {
    it(`int32 stores at B and B + 1 are interleaved like float32 ones, ${lanes} lanes`, async () => {
      const text = await check('int32', lanes, phases(lanes), N / (2 * lanes));
      expect(text).toContain('i8x16.shuffle');
      expect(text).not.toContain('extract_lane');
      expect(text).not.toMatch(/\bi32\.store\b/);
    });
  }

  for (const lanes of [2, 6]) {
    it(`${lanes}-lane stride-2 stores (not whole v128s) store what plain JS does`, async () => {
      await check('float32', lanes, phases(lanes), Math.floor(N / (2 * lanes)));
    });
  }

  it('stride-1 stores at B and B + 1 (the second overwrites three lanes of the first) store what plain JS does', async () => {
    const stores = [0, 1].map((p): Store => ({ base: (v) => T.add(T.mul(v, T.intImm(8)), T.intImm(p)), js: (v) => 8 * v + p, stride: 1, k: p + 1 }));
    const text = await check('float32', 4, stores, 11);
    expect(text).not.toContain('i8x16.shuffle');
  });

  it('stores at v·16 and v·17 (16 and 17 one apart, the bases not) store what plain JS does', async () => {
    const stores = [16, 17].map((m, p): Store => ({ base: (v) => T.mul(v, T.intImm(m)), js: (v) => m * v, stride: 2, k: p + 1 }));
    await check('float32', 4, stores, 5);
  });

  it('bool stores (one byte each) at B and B + 1 are left alone, beside loops and a scalar store in the same sequence', async () => {
    // M[8v + 2l] = X[8v + l] > 0, M[8v + 1 + 2l] = X[8v + 4 + l] > 1 (l < 4); then Y = M ? X : −X, and Y[95] = X[3].
    const X = T.buffer('X', [N], 'float32');
    const Y = T.buffer('Y', [N], 'float32');
    const M = T.buffer('M', [N], 'bool');
    const [v, w] = [T.variable('v'), T.variable('w')];
    const gt = (off: number, k: number) => T.compare('gt', T.bufferLoad(X, [T.ramp(T.add(T.mul(v, T.intImm(8)), T.intImm(off)), T.intImm(1), 4)]), T.broadcast(T.floatImm(k), 4));
    const mIdx = (p: number) => T.ramp(T.add(T.mul(v, T.intImm(8)), T.intImm(p)), T.intImm(2), 4);
    const r8 = T.ramp(T.mul(w, T.intImm(8)), T.intImm(1), 8);
    const body = T.seq([
      T.forLoop(v, 0, N / 8, 'serial', T.seq([T.bufferStore(M, gt(0, 0), [mIdx(0)]), T.bufferStore(M, gt(4, 1), [mIdx(1)])])),
      T.forLoop(w, 0, N / 8, 'serial', T.bufferStore(Y, T.select(T.bufferLoad(M, [r8]), T.bufferLoad(X, [r8]), T.sub(T.broadcast(T.floatImm(0), 8), T.bufferLoad(X, [r8]))), [r8])),
      T.bufferStore(Y, T.bufferLoad(X, [T.intImm(3)]), [T.intImm(95)]),
    ]);
    const f = T.primFunc('guards_bool', [X, Y], T.allocate(M, body));
    const x = seededFloats(N, 9, -2, 3);
    const m = new Array<boolean>(N).fill(false);
    for (let r = 0; r < N / 8; r++) for (let l = 0; l < 4; l++) {
      m[8 * r + 2 * l] = x[8 * r + l]! > 0;
      m[8 * r + 1 + 2 * l] = x[8 * r + 4 + l]! > 1;
    }
    const want = Array.from(x, (a, i) => (m[i] ? a : f32(0 - a)));
    want[95] = x[3]!;
    for (const target of CONFIGS) expect(Array.from((await runWasm(f, [x.slice(), new Float32Array(N)], target))[1]!), target).toEqual(want);
  });

  it('a base with a non-constant addend, u·48 + v·16 and that + 1, is still interleaved', async () => {
    const B = (v: T.Var, u: T.Var): T.PrimExpr => T.add(T.mul(u, T.intImm(48)), T.mul(v, T.intImm(16)));
    const stores: Store[] = [
      { base: B, js: (v, u) => 48 * u + 16 * v, stride: 2, k: 1 },
      { base: (v, u) => T.add(B(v, u), T.intImm(1)), js: (v, u) => 48 * u + 16 * v + 1, stride: 2, k: 2 },
    ];
    const text = await check('float32', 8, stores, 3, 2);
    expect(text).toContain('i8x16.shuffle');
    expect(text).not.toContain('extract_lane');
  });
});
