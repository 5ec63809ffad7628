// tests/codegen/wasm/strength_reduce.test.ts — codegen/wasm/strength_reduce.ts: an innermost loop's
// addresses linear in its variable read through pointers bumped per iteration (the emitted wasm has the
// bump; `-strength-reduce=0` has none), and the results equal plain JS on odd shapes — strides 3, 5 and 8,
// a run-time offset, a negative constant, a nonlinear index left alone, a parallel outer loop (outlined
// at 2 threads), SIMD on and off — with the reduction on and off.

import { describe, expect, it } from 'vitest';
import { wasmText } from '../../../codegen/wasm/compile_wasm.js';
import * as T from '../../../tir/nodes.js';
import { CONFIGS, runWasm, seededFloats } from './wasm_harness.js';

const f32 = Math.fround;
const A = T.buffer('A', [160], 'float32');
const P = T.buffer('P', [1], 'int32');
const B = T.buffer('B', [72], 'float32');
const V = T.buffer('V', [64], 'float32');
const o = T.variable('o');
const i = T.variable('i');
const k = T.variable('k');

/**
 * k = P[0] (run time, ≥ 1); for o in 0..3 (parallel): for i in 0..7:
 *   B[23o + 3i + 1] = A[k + 37o + 5i + 2]·2 + A[k + 37o + 5i + 4] − A[k + 37o + 5i − 1] + A[i·i]
 *   V[ramp(20o + 2i + 1, 1, 4)] = A[ramp(8i + 3 + o, 1, 4)]
 */
function strided(): T.PrimFunc {
  const at = (c: number): T.PrimExpr => T.add(T.add(T.add(k, T.mul(o, T.intImm(37))), T.mul(i, T.intImm(5))), T.intImm(c));
  const scalar = T.bufferStore(B, T.add(T.sub(T.add(T.mul(T.bufferLoad(A, [at(2)]), T.floatImm(2)), T.bufferLoad(A, [at(4)])),
    T.bufferLoad(A, [T.sub(T.add(k, T.add(T.mul(o, T.intImm(37)), T.mul(i, T.intImm(5)))), T.intImm(1))])),
  T.bufferLoad(A, [T.mul(i, i)])), [T.add(T.add(T.mul(o, T.intImm(23)), T.mul(i, T.intImm(3))), T.intImm(1))]);
  const vector = T.bufferStore(V, T.bufferLoad(A, [T.ramp(T.add(T.add(T.mul(i, T.intImm(8)), T.intImm(3)), o), T.intImm(1), 4)]),
    [T.ramp(T.add(T.add(T.mul(o, T.intImm(20)), T.mul(i, T.intImm(2))), T.intImm(1)), T.intImm(1), 4)]);
  return T.primFunc('strided', [A, P, B, V], T.letStmt(k, T.bufferLoad(P, [T.intImm(0)]),
    T.forLoop(o, 0, 3, 'parallel', T.forLoop(i, 0, 7, 'serial', T.seq([scalar, vector])))));
}

function reference(a: Float32Array, kk: number): { b: Float32Array; v: Float32Array } {
  const b = new Float32Array(72).fill(-7);
  const v = new Float32Array(64).fill(-7);
  for (let oo = 0; oo < 3; oo++) {
    for (let ii = 0; ii < 7; ii++) {
      const base = kk + 37 * oo + 5 * ii;
      b[23 * oo + 3 * ii + 1] = f32(f32(f32(f32(a[base + 2]! * 2) + a[base + 4]!) - a[base - 1]!) + a[ii * ii]!);
      // Overlapping vector stores: a later i overwrites lanes of the one before, in loop order.
      for (let l = 0; l < 4; l++) v[20 * oo + 2 * ii + 1 + l] = a[8 * ii + 3 + oo + l]!;
    }
  }
  return { b, v };
}

/** The locals bumped by `step` at the end of an iteration: `(local.set $p (i32.add (local.get $p) (i32.const step)))`. */
function bumps(text: string, step: number): number {
  const re = new RegExp(String.raw`\(local\.set \$(\d+)\s*\(i32\.add\s*\(local\.get \$\1\)\s*\(i32\.const ${step}\)\s*\)\s*\)`, 'g');
  return [...text.matchAll(re)].length;
}

describe('wasm strength reduction of innermost-loop addresses', () => {
  it('emits one pointer per stream, bumped by stride × 4 bytes, and none with -strength-reduce=0', () => {
    for (const target of ['wasm -threads=1', 'wasm -threads=2']) {
      const on = wasmText(strided(), target);
      // A's stride-5 stream (three loads, one pointer), B's stride 3, A's stride-8 vector stream, V's stride 2.
      expect(bumps(on, 20), target).toBe(1);
      expect(bumps(on, 12), target).toBe(1);
      expect(bumps(on, 32), target).toBe(1);
      expect(bumps(on, 8), target).toBe(1);
      const off = wasmText(strided(), `${target} -strength-reduce=0`);
      for (const step of [20, 12, 32, 8]) expect(bumps(off, step), `${target} off`).toBe(0);
    }
  });

  it('leaves a loop that holds another serial loop alone (only innermost loops are reduced)', () => {
    const j = T.variable('j');
    const nested = T.primFunc('nested', [A, P, B, V], T.forLoop(i, 0, 7, 'serial', T.seq([
      T.bufferStore(B, T.bufferLoad(A, [T.mul(i, T.intImm(5))]), [T.mul(i, T.intImm(3))]),
      T.forLoop(j, 0, 2, 'serial', T.bufferStore(V, T.bufferLoad(A, [T.add(i, j)]), [T.add(T.mul(i, T.intImm(2)), j)])),
    ])));
    const text = wasmText(nested, 'wasm -threads=1');
    expect(bumps(text, 20)).toBe(0);
    expect(bumps(text, 12)).toBe(0);
    expect(bumps(text, 4)).toBe(2); // the inner j loop: A[i + j] and V[2i + j], one pointer each
  });

  it('computes an index through a let bound inside the loop (not invariant) as it is, against plain JS', async () => {
    const t = T.variable('t');
    // for i in 0..7: t = P[0] + 3i; B[t + 2i + 1] = A[t]   (t changes every iteration: no pointer may hold it)
    const f = T.primFunc('let_inside', [A, P, B, V], T.forLoop(i, 0, 7, 'serial',
      T.letStmt(t, T.add(T.bufferLoad(P, [T.intImm(0)]), T.mul(i, T.intImm(3))),
        T.bufferStore(B, T.bufferLoad(A, [t]), [T.add(T.add(t, T.mul(i, T.intImm(2))), T.intImm(1))]))));
    const a = seededFloats(160, 5, -2, 2);
    const want = new Float32Array(72).fill(-7);
    for (let ii = 0; ii < 7; ii++) want[4 + 3 * ii + 2 * ii + 1] = a[4 + 3 * ii]!;
    for (const target of ['wasm -threads=1', 'wasm -simd=0 -threads=1']) {
      const got = await runWasm(f, [a.slice(), Int32Array.of(4), new Float32Array(72).fill(-7), new Float32Array(64)], target);
      expect(Array.from(got[2]!), target).toEqual(Array.from(want));
    }
  });

  it('computes what plain JS computes on every wasm config, reduced and not, for run-time offsets 1 and 6', async () => {
    const a = seededFloats(160, 21, -2, 2);
    for (const kk of [1, 6]) {
      const want = reference(a, kk);
      for (const config of CONFIGS) {
        for (const target of [config, `${config} -strength-reduce=0`]) {
          const got = await runWasm(strided(), [a.slice(), Int32Array.of(kk), new Float32Array(72).fill(-7), new Float32Array(64).fill(-7)], target);
          expect(Array.from(got[2]!), `${target} k=${kk} B`).toEqual(Array.from(want.b));
          expect(Array.from(got[3]!), `${target} k=${kk} V`).toEqual(Array.from(want.v));
        }
      }
    }
  });
});
