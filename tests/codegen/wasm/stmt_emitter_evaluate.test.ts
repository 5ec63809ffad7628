// tests/codegen/wasm/stmt_emitter_evaluate.test.ts — the statements a wasm function evaluates for no
// value (codegen/wasm/stmt_emitter.ts, Evaluate): a `tir.storage_sync` barrier (a workgroup barrier for
// WebGPU; a wasm function is one thread of its own, so nothing to wait for) and a constant are emitted
// as nothing, between stores that must still run in order (a trap there fails this test). The session-12
// run of the seed-1102 sample left the mutants of that shortcut alive: they are equivalent (without it
// the value is emitted and dropped, and a barrier's value is i32.const 0, intrinsics.ts), so this file
// checks the path runs, not the shortcut. Against plain JS, SIMD on and off, one and two threads.

import { describe, expect, it } from 'vitest';
import * as T from '../../../tir/nodes.js';
import { CONFIGS, runWasm } from './wasm_harness.js';

const i = T.variable('i');
const A = T.buffer('A', [16], 'float32');
const B = T.buffer('B', [16], 'float32');
const sync = (): T.Stmt => T.evaluate(T.call('tir.storage_sync', []));

/** for i: B[i] = A[i] + 1; barrier; 0; B[i] = B[i] · 3; barrier — serial or parallel. */
function kernel(kind: 'serial' | 'parallel'): T.PrimFunc {
  const body = T.seq([
    T.bufferStore(B, T.add(T.bufferLoad(A, [i]), T.floatImm(1)), [i]),
    sync(),
    T.evaluate(T.intImm(0)),
    T.bufferStore(B, T.mul(T.bufferLoad(B, [i]), T.floatImm(3)), [i]),
    sync(),
  ]);
  return T.primFunc(`evaluate_${kind}`, [A, B], T.forLoop(i, 0, 16, kind, body));
}

describe('wasm: a barrier and a constant evaluated for nothing', () => {
  for (const kind of ['serial', 'parallel'] as const) {
    it(`${kind} loop: B = (A + 1)·3 on every wasm config (plain JS)`, async () => {
      const a = Float32Array.from({ length: 16 }, (_, k) => k * 0.75 - 4);
      const want = Array.from(a, (x) => Math.fround(Math.fround(x + 1) * 3));
      for (const target of CONFIGS) {
        const got = await runWasm(kernel(kind), [a, new Float32Array(16)], target);
        expect(Array.from(got[1]!), target).toEqual(want);
      }
    });
  }
});
