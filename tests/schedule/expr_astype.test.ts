// tests/schedule/expr_astype.test.ts — Expr.astype (found untested in tests/schedule by mutation
// testing, fresh sample seed 52): a cast node of the asked dtype, and float → int32 truncating
// toward zero as TVM's cast does, checked against plain JS after lowering.

import { describe, expect, it } from 'vitest';
import * as te from '../../schedule/index.js';
import { data, run } from './helpers.js';

describe('Expr.astype', () => {
  it('builds a cast of the asked dtype (and a same-dtype astype is the expression itself)', () => {
    const A = te.placeholder([4], 'float32', 'A');
    const e = A.at(1).astype('int32');
    expect(e.dtype).toBe('int32');
    expect(e.node.kind).toBe('Cast');
    expect(A.at(1).astype('float32').node.kind).toBe('ProducerLoad');
  });

  it('float32 → int32 → float32 truncates toward zero, on shapes of 1, 7 and 64', () => {
    for (const n of [1, 7, 64]) {
      const A = te.placeholder([n], 'float32', 'A');
      const B = te.compute([n], (i) => A.at(i).mul(5.5).astype('int32').add(1).astype('float32'), 'B');
      const got = run(te.createSchedule(B), [A, B]);
      const a = data(n, 1); // run() feeds input i the seeded data(size, i + 1)
      const want = Array.from(a, (x) => Math.trunc(Math.fround(x * 5.5)) + 1);
      expect(Array.from(got)).toEqual(want);
    }
  });
});
