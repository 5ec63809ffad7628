// tests/schedule/bound_fused_view.test.ts — bound inference through a fused loop read at a flattening index
// (tir/arith/merge_div_mod.ts mergeDivMod, through schedule/arith.ts mergedLinear): C[h, w] = P[h·W + w] with C's h and w fused and split into tiles, P computed at
// the tile loop: P[h·W + w] with h = ⌊f / W⌋ and w = f mod W is P[f], so one tile needs `factor` elements of P, not
// the rows' box (conv2d_gemm_NCHWc's accumulator tile under its NCHWc view); results against plain JS on sizes the
// split does not divide and where a tile spans several rows.

import { describe, expect, it } from 'vitest';
import * as te from '../../schedule/index.js';
import type { IterVar, PrimFunc } from '../../tir/nodes.js';
import { seededFloats } from '../codegen/wasm/wasm_harness.js';
import { firstMismatch, runOn } from '../runtime/targets_harness.js';
import { allocSizes } from './helpers.js';

/** P = X·2 + 1 over H·W, C[h, w] = P[h·W + w] − 3; C's (h, w) fused, split by `factor`, P at the tile loop. */
function view(H: number, W: number, factor: number): PrimFunc {
  const X = te.placeholder([H * W], 'float32', 'X');
  const P = te.compute([H * W], (p) => X.at(p).mul(2).add(1), 'P');
  const C = te.compute([H, W], (h, w) => P.at(h.mul(W).add(w)).sub(3), 'C');
  const s = te.createSchedule([C]);
  const c = s.stage(C);
  const [h, w] = c.axis as [IterVar, IterVar];
  const [tile] = c.split(c.fuse(h, w), { factor });
  s.stage(P).computeAt(c, tile);
  return te.lower(s, [X, C], { name: 'view' });
}

describe('bound inference through a fused loop read at a flattening index', () => {
  it('computes one tile of P per tile of C (factor elements), not the box of the rows it touches', () => {
    expect(allocSizes(view(7, 14, 4))).toEqual({ P: 4 });
    expect(allocSizes(view(5, 3, 8))).toEqual({ P: 8 }); // a tile spans 3 rows of 3
    expect(allocSizes(view(6, 10, 28))).toEqual({ P: 28 });
  });

  it('is right where the tile does not divide H·W and where it spans several rows (interpreter and wasm vs plain JS)', async () => {
    for (const [H, W, factor] of [[7, 14, 4], [5, 3, 8], [3, 5, 4], [1, 1, 4], [6, 10, 28], [4, 2, 16]] as const) {
      const f = view(H, W, factor);
      const x = seededFloats(H * W, H + W + factor);
      const want = Float32Array.from({ length: H * W }, (_, p) => Math.fround(Math.fround(x[p]! * 2) + 1) - 3);
      for (const target of ['interpret', 'wasm -simd=1']) {
        const got = (await runOn(f, [x, new Float32Array(H * W)], target))[1]!;
        expect(firstMismatch(got, want, 1e-6), `${target} H=${H} W=${W} factor=${factor}`).toBe(-1);
      }
    }
  });
});
