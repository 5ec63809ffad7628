// tests/schedule/bound_floordiv.test.ts — bound inference through floordiv/floormod indices
// (schedule/arith.ts atomInterval): a producer computed at a consumer's outer loop and read at
// floordiv(i, 2) (nearest-neighbour upsampling) or floormod(i, 3) gets a window of the size the
// index needs, not the whole tensor (the whole one when the argument is not affine, i·j);
// results against plain JS, on sizes the split does not divide.

import { describe, expect, it } from 'vitest';
import * as te from '../../schedule/index.js';
import type { PrimFunc } from '../../tir/nodes.js';
import { seededFloats } from '../codegen/wasm/wasm_harness.js';
import { firstMismatch, runOn } from '../runtime/targets_harness.js';
import { allocSizes } from './helpers.js';

/** P = 2·X (m elements), C[i] = P[floordiv(i, 2)] + 1 (n = 2m − odd); C split by `factor`, P at C's outer loop. */
function upsample(m: number, n: number, factor: number): PrimFunc {
  const X = te.placeholder([m], 'float32', 'X');
  const P = te.compute([m], (i) => X.at(i).mul(2), 'P');
  const C = te.compute([n], (i) => P.at(te.floordiv(i, 2)).add(1), 'C');
  const s = te.createSchedule([C]);
  const c = s.stage(C);
  const [co] = c.split(c.axis[0]!, { factor });
  s.stage(P).computeAt(c, co);
  return te.lower(s, [X, C], { name: 'upsample' });
}

/** P = X + 1 (6 elements), C[i] = P[floormod(i, 3)] · 2 over n; C split by `factor`, P at C's outer loop. */
function tile(n: number, factor: number): PrimFunc {
  const X = te.placeholder([6], 'float32', 'X');
  const P = te.compute([6], (i) => X.at(i).add(1), 'P');
  const C = te.compute([n], (i) => P.at(te.floormod(i, 3)).mul(2), 'C');
  const s = te.createSchedule([C]);
  const c = s.stage(C);
  const [co] = c.split(c.axis[0]!, { factor });
  s.stage(P).computeAt(c, co);
  return te.lower(s, [X, C], { name: 'tile' });
}

/** P = X + 1 (s elements), C[i, j] = P[floordiv(i·j, 4)] over n×m; C's i split by `factor`, P at C's outer loop. */
function product(n: number, m: number, factor: number): { f: PrimFunc; size: number } {
  const size = Math.floor(((n - 1) * (m - 1)) / 4) + 1;
  const X = te.placeholder([size], 'float32', 'X');
  const P = te.compute([size], (i) => X.at(i).add(1), 'P');
  const C = te.compute([n, m], (i, j) => P.at(te.floordiv(i.mul(j), 4)), 'C');
  const s = te.createSchedule([C]);
  const c = s.stage(C);
  const [co] = c.split(c.axis[0]!, { factor });
  s.stage(P).computeAt(c, co);
  return { f: te.lower(s, [X, C], { name: 'product' }), size };
}

describe('bound inference through floordiv and floormod', () => {
  it('computes the whole producer when the floordiv argument is not affine (i·j), and is right', async () => {
    for (const [n, m, factor] of [[8, 6, 4], [7, 5, 3]] as const) {
      const { f, size } = product(n, m, factor);
      expect(allocSizes(f)).toEqual({ P: size });
      const x = seededFloats(size, n * m);
      const want = Float32Array.from({ length: n * m }, (_, k) => Math.fround(x[Math.floor((Math.floor(k / m) * (k % m)) / 4)]! + 1));
      const got = (await runOn(f, [x, new Float32Array(n * m)], 'interpret'))[1]!;
      expect(firstMismatch(got, want, 1e-6), `n=${n} m=${m} factor=${factor}`).toBe(-1);
    }
  });

  it('computes P only for the window floordiv(i, 2) needs: factor/2 elements per outer iteration when it divides', () => {
    // i in [8·co, 8·co + 7] reads P[4·co … 4·co + 3]: a window starting at a multiple of 2 divides exactly
    // (4 elements). Where the start is not a multiple (i in [5·co, 5·co + 4]) the window of a floordiv over
    // a width-4 range is floor(4 / 2) + 2 = 4 elements (one spare).
    expect(allocSizes(upsample(32, 64, 8))).toEqual({ P: 4 });
    expect(allocSizes(upsample(32, 63, 5))).toEqual({ P: 4 });
    expect(allocSizes(upsample(40, 80, 16))).toEqual({ P: 8 });
    expect(allocSizes(upsample(40, 80, 6))).toEqual({ P: 3 }); // i in [6·co, 6·co + 5] reads P[3·co … 3·co + 2]
  });

  it('is right on sizes the split divides and does not (interpreter and wasm vs plain JS)', async () => {
    for (const [m, n, factor] of [[32, 64, 8], [19, 37, 8], [7, 13, 5], [2, 3, 4], [11, 21, 3]] as const) {
      const f = upsample(m, n, factor);
      const x = seededFloats(m, m + n);
      const want = Float32Array.from({ length: n }, (_, i) => Math.fround(x[Math.floor(i / 2)]! * 2) + 1);
      for (const target of ['interpret', 'wasm -simd=1']) {
        const got = (await runOn(f, [x, new Float32Array(n)], target))[1]!;
        expect(firstMismatch(got, want, 1e-6), `${target} m=${m} n=${n} factor=${factor}`).toBe(-1);
      }
    }
  });

  it('gives floormod(i, 3) the window [0, 3) of the 6-element P, and is right', async () => {
    expect(allocSizes(tile(64, 8))).toEqual({ P: 3 });
    for (const [n, factor] of [[64, 8], [13, 5], [2, 4]] as const) {
      const f = tile(n, factor);
      const x = seededFloats(6, n);
      const want = Float32Array.from({ length: n }, (_, i) => Math.fround(x[i % 3]! + 1) * 2);
      const got = (await runOn(f, [x, new Float32Array(n)], 'interpret'))[1]!;
      expect(firstMismatch(got, want, 1e-6), `n=${n} factor=${factor}`).toBe(-1);
    }
  });
});
