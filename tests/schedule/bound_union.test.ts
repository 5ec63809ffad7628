// tests/schedule/bound_union.test.ts — the region of a stage computed at a consumer's loop
// (schedule/bound.ts attachedRegion): only the reads of *that* stage count (readsOf), and two
// reads whose windows move at different rates (P[i] and P[2i]) cannot be united into a
// constant-size window (unionBound), so the whole producer is computed. Window sizes and results
// against plain JS, on sizes the split divides and does not.

import { describe, expect, it } from 'vitest';
import * as te from '../../schedule/index.js';
import type { PrimFunc } from '../../tir/nodes.js';
import { seededFloats } from '../codegen/wasm/wasm_harness.js';
import { firstMismatch, runOn } from '../runtime/targets_harness.js';
import { allocSizes } from './helpers.js';

/** P = 2·X (n elements), C[i] = P[i] + X[2i + 1] (X has 2n + 1); C split by `factor`, P at C's outer loop. */
function otherRead(n: number, factor: number): PrimFunc {
  const X = te.placeholder([2 * n + 1], 'float32', 'X');
  const P = te.compute([n], (i) => X.at(i).mul(2), 'P');
  const C = te.compute([n], (i) => P.at(i).add(X.at(i.mul(2).add(1))), 'C');
  const s = te.createSchedule([C]);
  const c = s.stage(C);
  const [co] = c.split(c.axis[0]!, { factor });
  s.stage(P).computeAt(c, co);
  return te.lower(s, [X, C], { name: 'other_read' });
}

/** P = X + 1 (2n elements), C[i] = P[i] − P[2i] over n; C split by `factor`, P at C's outer loop. */
function twoRates(n: number, factor: number): PrimFunc {
  const X = te.placeholder([2 * n], 'float32', 'X');
  const P = te.compute([2 * n], (i) => X.at(i).add(1), 'P');
  const C = te.compute([n], (i) => P.at(i).sub(P.at(i.mul(2))), 'C');
  const s = te.createSchedule([C]);
  const c = s.stage(C);
  const [co] = c.split(c.axis[0]!, { factor });
  s.stage(P).computeAt(c, co);
  return te.lower(s, [X, C], { name: 'two_rates' });
}

describe('the region of a stage computed at a loop', () => {
  it('counts only the reads of that stage, not the consumer\'s other reads (P window = factor)', async () => {
    // i in [f·co, f·co + f − 1] reads P[i]: a window of f elements; X[2i + 1] must not widen it.
    expect(allocSizes(otherRead(32, 8))).toEqual({ P: 8 });
    expect(allocSizes(otherRead(13, 4))).toEqual({ P: 4 });
    for (const [n, factor] of [[32, 8], [13, 4], [7, 3], [2, 5]] as const) {
      const f = otherRead(n, factor);
      const x = seededFloats(2 * n + 1, n + factor);
      const want = Float32Array.from({ length: n }, (_, i) => Math.fround(Math.fround(x[i]! * 2) + x[2 * i + 1]!));
      const got = (await runOn(f, [x, new Float32Array(n)], 'interpret'))[1]!;
      expect(firstMismatch(got, want, 1e-6), `n=${n} factor=${factor}`).toBe(-1);
    }
  });

  it('computes the whole producer when two reads move at different rates (P[i] and P[2i]), and is right', async () => {
    // Windows [f·co, f·co + f − 1] and [2f·co, 2f·co + 2f − 2]: their distance grows with co, so
    // no constant-size window covers both.
    expect(allocSizes(twoRates(32, 8))).toEqual({ P: 64 });
    expect(allocSizes(twoRates(13, 4))).toEqual({ P: 26 });
    for (const [n, factor] of [[32, 8], [13, 4], [7, 3], [2, 5]] as const) {
      const f = twoRates(n, factor);
      const x = seededFloats(2 * n, 3 * n + factor);
      const want = Float32Array.from({ length: n }, (_, i) => Math.fround(Math.fround(x[i]! + 1) - Math.fround(x[2 * i]! + 1)));
      for (const target of ['interpret', 'wasm -simd=0']) {
        const got = (await runOn(f, [x, new Float32Array(n)], target))[1]!;
        expect(firstMismatch(got, want, 1e-6), `${target} n=${n} factor=${factor}`).toBe(-1);
      }
    }
  });
});
