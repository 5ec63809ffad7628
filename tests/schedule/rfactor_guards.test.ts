// tests/schedule/rfactor_guards.test.ts — the bound guard rfactor puts on the partial reduction
// when the split of the reduce axis does not divide it (k = 4·ko + ki < K), and only then: a row
// sum over 16 split by 4 has an unconditional partial reduction, over 13 a guarded one, both
// equal to plain JS; a stage that is no reduction is refused by name.

import { describe, expect, it } from 'vitest';
import * as te from '../../schedule/index.js';
import type { PrimExpr } from '../../tir/nodes.js';
import { print } from '../../tir/printer.js';
import { data, expectClose, run } from './helpers.js';

function rowSum(M: number, K: number, factor: number) {
  const A = te.placeholder([M, K], 'float32', 'A');
  const k = te.reduceAxis(K, 'k');
  const out = te.compute([M], (i) => te.sum(A.at(i, k).mul(A.at(i, k)), [k]), 'rowsum');
  const s = te.createSchedule([out]);
  const c = s.stage(out);
  const [, ki] = c.split(c.reduceAxis[0]!, { factor });
  const rf = s.rfactor(out, ki!);
  const a = data(M * K, 1);
  const want = Float32Array.from({ length: M }, (_, i) => {
    let acc = 0;
    for (let q = 0; q < K; q++) acc = Math.fround(acc + Math.fround(a[i * K + q]! * a[i * K + q]!));
    return acc;
  });
  return { A, out, s, rf, want };
}

const condition = (t: te.Tensor): PrimExpr => {
  const body = (t.op as te.ComputeOp).body;
  if (body.kind !== 'Reduce') throw new Error(`not a reduction: ${print(body)}`);
  return body.condition;
};

describe('rfactor guards', () => {
  it('no guard when the split divides the reduce axis', () => {
    const w = rowSum(3, 16, 4);
    expect(print(condition(w.rf))).toBe('True');
    expectClose(run(w.s, [w.A, w.out]), w.want, 1e-6);
  });

  it('a guard k < K when it does not', () => {
    const w = rowSum(3, 13, 4);
    expect(print(condition(w.rf))).toMatch(/< 13/);
    expectClose(run(w.s, [w.A, w.out]), w.want, 1e-6);
  });

  it('refuses a stage that is no reduction, by name', () => {
    const A = te.placeholder([4], 'float32', 'A');
    const B = te.compute([4], (i) => A.at(i).mul(2), 'B');
    const s = te.createSchedule([B]);
    expect(() => s.rfactor(B, te.reduceAxis(4, 'k'))).toThrow('rfactor: stage B is not a reduction');
  });
});
