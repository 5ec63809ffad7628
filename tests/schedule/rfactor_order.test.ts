// tests/schedule/rfactor_order.test.ts — rfactor must come before the stage's annotations and
// attach point (TVM's rfactor also rebuilds the stage): after parallel/vectorize/unroll/bind or
// computeAt it is refused with an error naming the stage and what to do; before them the same
// schedule lowers and matches plain JS.

import { describe, expect, it } from 'vitest';
import * as te from '../../schedule/index.js';
import { data, run } from './helpers.js';

function rowSum(M: number, K: number) {
  const A = te.placeholder([M, K], 'float32', 'A');
  const k = te.reduceAxis(K, 'k');
  const out = te.compute([M], (i) => te.sum(A.at(i, k), [k]), 'rowsum');
  const s = te.createSchedule([out]);
  const c = s.stage(out);
  const [, ki] = c.split(c.reduceAxis[0]!, { factor: 4 });
  return { A, out, s, c, ki: ki! };
}

const REFUSED = /^rfactor: stage rowsum already has annotations or an attach point; call rfactor before them$/;

describe('rfactor after annotations or computeAt', () => {
  it('is refused after parallel, unroll or a pragma on the stage', () => {
    for (const annotate of [
      (c: te.Stage) => c.parallel(c.axis[0]!),
      (c: te.Stage) => c.unroll(c.leafIterVars.at(-1)!),
      (c: te.Stage) => c.pragma(c.axis[0]!, 'auto_unroll_max_step', 8),
    ]) {
      const { out, s, c, ki } = rowSum(5, 10);
      annotate(c);
      expect(() => s.rfactor(out, ki)).toThrow(REFUSED);
    }
  });

  it('is refused when the stage is attached with computeAt', () => {
    const { out } = rowSum(5, 10);
    const D = te.compute([5], (i) => out.at(i).mul(2), 'D');
    const s = te.createSchedule([D]);
    const c = s.stage(out);
    const [, ki] = c.split(c.reduceAxis[0]!, { factor: 4 });
    c.computeAt(s.stage(D), s.stage(D).axis[0]!);
    expect(() => s.rfactor(out, ki!)).toThrow(REFUSED);
  });

  it('works before them: rfactor, then parallel, matches plain JS', () => {
    const M = 5, K = 10;
    const { A, out, s, ki } = rowSum(M, K);
    s.rfactor(out, ki);
    s.stage(out).parallel(s.stage(out).axis[0]!);
    const a = data(M * K, 1);
    const want = Array.from({ length: M }, (_, i) => a.slice(i * K, (i + 1) * K).reduce((x, y) => x + y, 0));
    const got = run(s, [A, out]);
    got.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThan(1e-5));
  });
});
