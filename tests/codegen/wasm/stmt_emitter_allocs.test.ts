// tests/codegen/wasm/stmt_emitter_allocs.test.ts — the wasm emitter's allocation refusals (line
// coverage showed no test reached them, session 11): a 2-D allocation and one of a run-time size are
// refused naming the buffer and what to do; 1-D scratch allocations of constant size inside a loop
// (two nested, then one reusing their frame) compute what plain JS computes on every wasm config.

import { describe, expect, it } from 'vitest';
import { compileWasm, wasmText, type WasmMeta } from '../../../codegen/wasm/compile_wasm.js';
import * as T from '../../../tir/nodes.js';
import { CONFIGS, runWasm, seededFloats } from './wasm_harness.js';

const A = T.buffer('A', [24], 'float32');
const O = T.buffer('O', [6], 'float32');

describe('wasm allocations', () => {
  it('refuses a 2-D allocation and one of run-time size, naming the buffer', () => {
    const L2 = T.buffer('L2', [4, 4], 'float32');
    const f2 = T.primFunc('two_d', [A], T.allocate(L2, T.bufferStore(L2, T.floatImm(1), [T.intImm(0), T.intImm(1)])));
    expect(() => wasmText(f2, 'wasm -threads=1')).toThrow('wasm codegen: allocation L2 must be flattened to 1-D first');
    const n = T.variable('n');
    const Ln = T.buffer('Ln', [n], 'float32');
    const fn = T.primFunc('run_time', [A], T.letStmt(n, T.intImm(4), T.allocate(Ln, T.bufferStore(Ln, T.floatImm(1), [T.intImm(0)]))));
    expect(() => wasmText(fn, 'wasm -threads=1')).toThrow('wasm codegen: allocation Ln has a non-constant size; scratch buffers need constant sizes');
  });

  it('scratch buffers in a loop body: nested ones do not overlap, a later one reuses the frame (plain JS)', async () => {
    // Per row r: S[k] = A[4r + k]·2 + k and U[k] = −10k (nested, both live), O[r] = Σ_k S[k] + U[k];
    // then V[k] = A[4r + k] (allocated after S and U are gone), P[r] = V[3] − V[0].
    const [r, k, k2, k3] = [T.variable('r'), T.variable('k'), T.variable('k2'), T.variable('k3')];
    const [S, U, V] = ['S', 'U', 'V'].map((nm) => T.buffer(nm, [4], 'float32')) as [T.Buffer, T.Buffer, T.Buffer];
    const P = T.buffer('P', [6], 'float32');
    const a4 = (kk: T.PrimExpr): T.PrimExpr => T.bufferLoad(A, [T.add(T.mul(r, T.intImm(4)), kk)]);
    const row = T.seq([
      T.allocate(S, T.allocate(U, T.seq([
        T.forLoop(k, 0, 4, 'serial', T.bufferStore(S, T.add(T.mul(a4(k), T.floatImm(2)), T.cast('float32', k)), [k])),
        T.forLoop(k, 0, 4, 'serial', T.bufferStore(U, T.mul(T.cast('float32', k), T.floatImm(-10)), [k])),
        T.bufferStore(O, T.floatImm(0), [r]),
        T.forLoop(k2, 0, 4, 'serial', T.bufferStore(O, T.add(T.bufferLoad(O, [r]), T.add(T.bufferLoad(S, [k2]), T.bufferLoad(U, [k2]))), [r])),
      ]))),
      T.allocate(V, T.seq([
        T.forLoop(k3, 0, 4, 'serial', T.bufferStore(V, a4(k3), [k3])),
        T.bufferStore(P, T.sub(T.bufferLoad(V, [T.intImm(3)]), T.bufferLoad(V, [T.intImm(0)])), [r]),
      ])),
    ]);
    const f = T.primFunc('scratch_rows', [A, O, P], T.forLoop(r, 0, 6, 'serial', row));
    const a = seededFloats(24, 5);
    const f32 = Math.fround;
    const want = Array.from({ length: 6 }, (_, rr) => {
      let s = 0;
      for (let kk = 0; kk < 4; kk++) s = f32(s + f32(f32(f32(a[4 * rr + kk]! * 2) + kk) + -10 * kk));
      return s;
    });
    const wantP = Array.from({ length: 6 }, (_, rr) => f32(a[4 * rr + 3]! - a[4 * rr]!));
    for (const target of CONFIGS) {
      const out = await runWasm(f, [a, new Float32Array(6), new Float32Array(6)], target);
      expect(Array.from(out[1]!), target).toEqual(want);
      expect(Array.from(out[2]!), target).toEqual(wantP);
    }
    // S and U (16 bytes each) live together; V reuses their frame: 32 bytes, not 48.
    const meta = compileWasm(f, 'wasm -threads=1').meta as unknown as WasmMeta;
    expect(meta.frameBytes).toBe(32);
  });
});
