// tests/codegen/wasm/parallel_captures.test.ts — a parallel loop that captures several scalars
// from around it (codegen/wasm/parallel_outline.ts): two float32 lets and three int32 values
// (two serial loop variables and a let) are passed to the outlined body through an argument block,
// one 4-byte slot each; every slot must land where the body reads it. Results against plain JS on
// 2 threads, for extents no thread count divides.

import { describe, expect, it } from 'vitest';
import * as t from '../../../tir/nodes.js';
import { compileWasm } from '../../../codegen/wasm/compile_wasm.js';
import { runWasm, seededFloats } from './wasm_harness.js';

const TARGETS = ['wasm -threads=2 -simd=0', 'wasm -threads=2 -simd=1'];
const R = 3;
const S = 2;

/**
 * for i < R (serial): let fa = A[i]; for j < S (serial): let fb = f32(j)·0.5 + 0.25; let m = i·S + j;
 * for k < n (parallel): C[m·n + k] = f32(7i − 3j) + (fa·B[k] + fb).
 */
function captures(n: number): t.PrimFunc {
  const A = t.buffer('A', [R], 'float32');
  const B = t.buffer('B', [n], 'float32');
  const C = t.buffer('C', [R * S * n], 'float32');
  const i = t.variable('i');
  const j = t.variable('j');
  const k = t.variable('k');
  const m = t.variable('m');
  const fa = t.variable('fa', 'float32');
  const fb = t.variable('fb', 'float32');
  // The int32 values come first in the body, so the float32 ones sit at argument slots 2 and 3
  // (slot offsets 4·slot, where 4/slot or −4·slot would differ).
  const value = t.add(
    t.cast('float32', t.sub(t.mul(i, t.intImm(7)), t.mul(j, t.intImm(3)))),
    t.add(t.mul(fa, t.bufferLoad(B, [k])), fb),
  );
  const par = t.forLoop(k, 0, n, 'parallel', t.bufferStore(C, value, [t.add(t.mul(m, t.intImm(n)), k)]));
  const inner = t.letStmt(fb, t.add(t.mul(t.cast('float32', j), t.floatImm(0.5)), t.floatImm(0.25)),
    t.letStmt(m, t.add(t.mul(i, t.intImm(S)), j), par));
  const body = t.forLoop(i, 0, R, 'serial', t.letStmt(fa, t.bufferLoad(A, [i]), t.forLoop(j, 0, S, 'serial', inner)));
  return t.primFunc('captures', [A, B, C], body);
}

describe('a parallel loop capturing several scalars', () => {
  it('passes every captured float32 and int32 value to the outlined body (2 threads)', async () => {
    for (const n of [1, 2, 5, 37]) {
      const a = seededFloats(R, n);
      const b = seededFloats(n, n + 100);
      const want = new Float32Array(R * S * n);
      for (let i = 0; i < R; i++) {
        for (let j = 0; j < S; j++) {
          const fb = Math.fround(Math.fround(j * 0.5) + 0.25);
          for (let k = 0; k < n; k++) {
            want[(i * S + j) * n + k] = Math.fround(7 * i - 3 * j + Math.fround(Math.fround(a[i]! * b[k]!) + fb));
          }
        }
      }
      for (const target of TARGETS) {
        const [, , got] = await runWasm(captures(n), [a, b, new Float32Array(R * S * n)], target);
        expect(Array.from(got!), `${target}, n=${n}`).toEqual(Array.from(want));
      }
    }
  });

  it('reserves a 4-byte argument slot per captured value and buffer in the caller\'s frame', () => {
    // Captured: i, j, m, fa, fb and the buffers B, C (A is read outside the loop): 7 slots, 28
    // bytes. A smaller frame lets the argument block spill into the parallel bodies' scratch.
    const meta = compileWasm(captures(5), 'wasm -threads=2').meta;
    expect(meta['frameBytes']).toBeGreaterThanOrEqual(28);
  });

  it('refuses a captured vector variable, naming the loop and the variable', async () => {
    // let v: float32x4 = broadcast(1.5); for k < 3 (parallel): C[ramp(4k, 1, 4)] = v.
    const C = t.buffer('C', [12], 'float32');
    const k = t.variable('k');
    const v = t.variable('v', 'float32x4');
    const body = t.letStmt(v, t.broadcast(t.floatImm(1.5), 4),
      t.forLoop(k, 0, 3, 'parallel', t.bufferStore(C, v, [t.ramp(t.mul(k, t.intImm(4)), t.intImm(1), 4)])));
    const f = t.primFunc('vector_capture', [C], body);
    await expect(runWasm(f, [new Float32Array(12)], 'wasm -threads=2 -simd=1'))
      .rejects.toThrow(/parallel loop k captures vector variable v/);
  });
});
