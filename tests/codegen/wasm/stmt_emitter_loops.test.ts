// tests/codegen/wasm/stmt_emitter_loops.test.ts — statement paths of codegen/wasm/stmt_emitter.ts that
// lowered schedules rarely make: serial loops whose start or extent is a run-time value (the end kept
// in a local), zero-trip loops, an Evaluate of a scalar value (computed and dropped) and of constants
// or barriers (nothing), against plain JS with SIMD on and off; and the refusals: an evaluated vector,
// a thread-bound loop on wasm.

import { describe, expect, it } from 'vitest';
import { wasmText } from '../../../codegen/wasm/compile_wasm.js';
import * as T from '../../../tir/nodes.js';
import { CONFIGS, runWasm, seededFloats } from './wasm_harness.js';

const f32 = Math.fround;
const X = T.buffer('X', [32], 'float32');
const P = T.buffer('P', [2], 'int32');
const O = T.buffer('O', [8], 'float32');
const t = T.variable('t');
const j = T.variable('j');
const st = T.variable('st');
const en = T.variable('en');
const x = seededFloats(32, 11, -2, 2);

/** O[t] = Σ_{j = st + t}^{st + t + en − 1} X[j], st = P[0], en = P[1] (both known only at run time). */
const window = T.primFunc('window', [X, P, O], T.letStmt(st, T.bufferLoad(P, [T.intImm(0)]), T.letStmt(en, T.bufferLoad(P, [T.intImm(1)]),
  T.forLoop(t, 0, 8, 'serial', T.seq([
    T.bufferStore(O, T.floatImm(0), [t]),
    T.evaluate(T.call('exp', [T.bufferLoad(X, [t])])),
    T.evaluate(T.intImm(0)),
    T.forLoop(j, T.add(st, t), en, 'serial', T.bufferStore(O, T.add(T.bufferLoad(O, [t]), T.bufferLoad(X, [j])), [t])),
  ])))));

/** O[t] = Σ_{j = t + 2}^{t + 5} X[j]·2 with a constant extent but a start that moves with t. */
const moving = T.primFunc('moving', [X, P, O], T.forLoop(t, 0, 8, 'serial', T.seq([
  T.bufferStore(O, T.floatImm(0), [t]),
  T.forLoop(j, T.add(t, T.intImm(2)), 4, 'serial', T.bufferStore(O, T.add(T.bufferLoad(O, [t]), T.mul(T.bufferLoad(X, [j]), T.floatImm(2))), [t])),
])));

function sums(start: (tt: number) => number, n: number, scale = 1): number[] {
  return Array.from({ length: 8 }, (_, tt) => {
    let s = 0;
    for (let k = 0; k < n; k++) s = f32(s + f32(x[start(tt) + k]! * scale));
    return s;
  });
}

describe('wasm loops with run-time bounds, evaluates', () => {
  it('a start and an extent known only at run time (extents 0, 1, 3, 5), against plain JS', async () => {
    for (const [s0, e0] of [[0, 3], [4, 5], [2, 1], [9, 0], [3, -2]] as const) {
      for (const target of CONFIGS) {
        const o = (await runWasm(window, [x.slice(), Int32Array.of(s0, e0), new Float32Array(8).fill(Number.NaN)], target))[2]!;
        expect(Array.from(o), `${target} start ${s0} extent ${e0}`).toEqual(sums((tt) => s0 + tt, Math.max(0, e0)));
      }
    }
  });

  it('a constant extent from a moving start', async () => {
    for (const target of CONFIGS) {
      const o = (await runWasm(moving, [x.slice(), Int32Array.of(0, 0), new Float32Array(8)], target))[2]!;
      expect(Array.from(o), target).toEqual(sums((tt) => tt + 2, 4, 2));
    }
  });

  it('an evaluated scalar is computed and dropped; a constant one emits nothing', () => {
    const text = wasmText(window, 'wasm -simd=0 -threads=1 -opt=0');
    expect(text).toMatch(/\(drop/);
  });
});

describe('wasm statement refusals', () => {
  const r = T.ramp(T.intImm(0), T.intImm(1), 4);
  it('an evaluated vector', () => {
    const f = T.primFunc('ev', [X, P, O], T.evaluate(T.bufferLoad(X, [r])));
    expect(() => wasmText(f, 'wasm -simd=1 -threads=1')).toThrow(/wasm codegen: evaluate of a vector expression/);
  });

  it('a thread-bound loop', () => {
    const f = T.primFunc('thr', [X, P, O], T.forLoop(t, 0, 8, 'threadBinding', T.bufferStore(O, T.bufferLoad(X, [t]), [t]), { threadTag: 'threadIdx.x' }));
    expect(() => wasmText(f, 'wasm -simd=0 -threads=1')).toThrow(/wasm codegen: loop t is bound to threadIdx.x; thread bindings are for WebGPU targets, not wasm/);
  });
});
