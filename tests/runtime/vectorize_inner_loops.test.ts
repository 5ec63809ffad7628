// tests/runtime/vectorize_inner_loops.test.ts — vectorizing an axis that encloses serial loops (the
// reduction loops of a padded conv and of a matmul): the loops stay, their bodies become vector
// code; non-dividing tails stay guarded scalar loops with the printed reason. Values in the
// interpreter and on wasm (SIMD and scalar) against plain JS.

import { describe, expect, it } from 'vitest';
import * as te from '../../schedule/index.js';
import { print } from '../../tir/printer.js';
import { seededFloats } from '../codegen/wasm/wasm_harness.js';
import { firstMismatch, runOn } from './targets_harness.js';

const TARGETS = ['interpret', 'wasm -simd=1', 'wasm -simd=0', 'wasm -simd=1 -threads=2'];

function conv(N: number, C: number, H: number, W: number, K: number, factor: number) {
  const X = te.placeholder([N, C, H, W], 'float32', 'X');
  const Wt = te.placeholder([K, C, 3, 3], 'float32', 'W');
  const P = te.compute([N, C, H + 2, W + 2], (n, c, y, x) =>
    te.ifThenElse(te.all(y.ge(1), y.lt(H + 1), x.ge(1), x.lt(W + 1)), X.at(n, c, y.sub(1), x.sub(1)), 0), 'P');
  const rc = te.reduceAxis(C, 'rc'), ry = te.reduceAxis(3, 'ry'), rx = te.reduceAxis(3, 'rx');
  const O = te.compute([N, K, H, W], (n, k, y, x) => te.sum(P.at(n, rc, y.add(ry), x.add(rx)).mul(Wt.at(k, rc, ry, rx)), [rc, ry, rx]), 'O');
  const s = te.createSchedule([O]);
  s.stage(P).computeInline();
  const o = s.stage(O);
  const [, xi] = o.split(o.axis[3]!, { factor });
  o.vectorize(xi); // encloses rc, ry, rx
  return te.lower(s, [X, Wt, O], { name: 'conv_vec' });
}

function convRef(N: number, C: number, H: number, W: number, K: number, x: Float32Array, w: Float32Array): Float32Array {
  const out = new Float32Array(N * K * H * W);
  for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) for (let y = 0; y < H; y++) for (let xx = 0; xx < W; xx++) {
    let acc = 0;
    for (let c = 0; c < C; c++) for (let ry = 0; ry < 3; ry++) for (let rx = 0; rx < 3; rx++) {
      const iy = y + ry - 1, ix = xx + rx - 1;
      if (iy >= 0 && iy < H && ix >= 0 && ix < W) acc += x[((n * C + c) * H + iy) * W + ix]! * w[((k * C + c) * 3 + ry) * 3 + rx]!;
    }
    out[((n * K + k) * H + y) * W + xx] = acc;
  }
  return out;
}

describe('vectorizing an axis that encloses serial loops', () => {
  it('vectorizes a padded 3x3 conv over the output width with the reduction loops inside', async () => {
    for (const [N, C, H, W, K, factor] of [[1, 2, 5, 11, 3, 4], [1, 3, 4, 8, 2, 4], [2, 1, 3, 16, 2, 8], [1, 2, 3, 5, 1, 4]] as const) {
      const f = conv(N, C, H, W, K, factor);
      const text = print(f);
      // The reduction loops stay, with a vector accumulation inside them.
      expect(text).toMatch(/for rx in range\([^)]*\):\n\s+O\[ramp\(/);
      if (W % factor !== 0) expect(text).toContain('vectorize_failed="a guard depends on the loop variable"');
      else expect(text).not.toContain('vectorize_failed');
      const x = seededFloats(N * C * H * W, W), w = seededFloats(K * C * 9, K);
      const want = convRef(N, C, H, W, K, x, w);
      for (const target of TARGETS) {
        const got = (await runOn(f, [x, w, new Float32Array(want.length)], target))[2]!;
        expect(firstMismatch(got, want, 1e-5), `${target} ${[N, C, H, W, K, factor].join('x')}`).toBe(-1);
      }
    }
  });

  it('vectorizes matmul columns around the k loop (reduction inside), including a non-dividing width', async () => {
    for (const [M, N, K, factor] of [[4, 16, 7, 4], [3, 10, 5, 4], [2, 24, 9, 8]] as const) {
      const A = te.placeholder([M, K], 'float32', 'A');
      const B = te.placeholder([K, N], 'float32', 'B');
      const k = te.reduceAxis(K, 'k');
      const Cm = te.compute([M, N], (i, j) => te.sum(A.at(i, k).mul(B.at(k, j)), [k]), 'C');
      const s = te.createSchedule([Cm]);
      const c = s.stage(Cm);
      const [, ji] = c.split(c.axis[1]!, { factor });
      c.vectorize(ji);
      const f = te.lower(s, [A, B, Cm], { name: 'matmul_vec' });
      expect(print(f)).toMatch(/for k in range\(0, \d+\):\n\s+C\[ramp\(/);
      const a = seededFloats(M * K, 1), b = seededFloats(K * N, 2);
      const want = new Float32Array(M * N);
      for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
        let acc = 0;
        for (let kk = 0; kk < K; kk++) acc += a[i * K + kk]! * b[kk * N + j]!;
        want[i * N + j] = acc;
      }
      for (const target of TARGETS) {
        const got = (await runOn(f, [a, b, new Float32Array(M * N)], target))[2]!;
        expect(firstMismatch(got, want, 1e-5), `${target} ${M}x${N}x${K} by ${factor}`).toBe(-1);
      }
    }
  });
});
