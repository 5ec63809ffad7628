// tests/tir/passes/flat_index_symbolic.test.ts — flatIndex with shapes that are not all constants:
// the row-major strides multiply constants and variables (a stride of 1 is left out, constants
// folded), checked by value against plain JS for every index in small ranges and several sizes,
// and by exact text. Until now every flattened shape in the tests was constant, so the
// fresh seed-1101 sample's constMul mutants (storage_flatten.ts:11–12: dropping a constant factor
// of a variable stride, or folding a variable as a constant) went unseen.

import { describe, expect, it } from 'vitest';
import * as t from '../../../tir/nodes.js';
import { flatIndex } from '../../../tir/passes/index.js';
import { substituteExpr } from '../../../tir/functor.js';
import { simplifyExpr } from '../../../tir/arith/index.js';
import { print } from '../../../tir/printer.js';

const n = t.variable('n');
const m = t.variable('m');
const [i, j, k] = [t.variable('i'), t.variable('j'), t.variable('k')];

function valueOf(e: t.PrimExpr, env: [t.Var, number][]): number {
  const s = simplifyExpr(substituteExpr(e, new Map(env.map(([v, x]) => [v, t.intImm(x)] as [t.Var, t.PrimExpr]))));
  expect(s.kind).toBe('IntImm');
  return (s as t.IntImm).value;
}

describe('flatIndex: symbolic shapes', () => {
  it('[2, n, 4]: i·(n·4) + j·4 + k for every index, n = 1..3', () => {
    const e = flatIndex([t.intImm(2), n, t.intImm(4)], [i, j, k]);
    for (let nv = 1; nv <= 3; nv++) {
      for (let iv = 0; iv < 2; iv++) for (let jv = 0; jv < nv; jv++) for (let kv = 0; kv < 4; kv++) {
        expect(valueOf(e, [[n, nv], [i, iv], [j, jv], [k, kv]])).toBe(iv * nv * 4 + jv * 4 + kv);
      }
    }
  });

  it('[n, m, 3] and [3, n, m]: values vs JS', () => {
    const a = flatIndex([n, m, t.intImm(3)], [i, j, k]);
    const b = flatIndex([t.intImm(3), n, m], [i, j, k]);
    for (const [nv, mv] of [[2, 3], [1, 5], [4, 1]] as const) {
      for (const [iv, jv, kv] of [[0, 0, 0], [1, 2, 1], [2, 0, 2]] as const) {
        expect(valueOf(a, [[n, nv], [m, mv], [i, iv], [j, jv], [k, kv]])).toBe(iv * mv * 3 + jv * 3 + kv);
        expect(valueOf(b, [[n, nv], [m, mv], [i, iv], [j, jv], [k, kv]])).toBe(iv * nv * mv + jv * mv + kv);
      }
    }
  });

  it('exact text: a stride of 1 is not multiplied, constants folded', () => {
    expect(print(flatIndex([n, m], [i, j]))).toBe('i * m + j');
    expect(print(flatIndex([t.intImm(5), t.intImm(4), n], [i, j, k]))).toBe('i * (n * 4) + j * n + k');
    expect(print(flatIndex([t.intImm(5), n, t.intImm(1)], [i, j, k]))).toBe('i * n + j + k');
  });
});
