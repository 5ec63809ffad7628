// tests/schedule/schedule_ops_init.test.ts — where scheduleOps puts a reduction's init (TVM's
// MakeReduction / MakeLoopNest: right above the first reduce leaf, inside every data loop before
// it, over fresh `_init` copies of the data leaves after it), checked on the printed loop nest of
// a matmul with and without a reduce leaf reordered between the data leaves, and by the results
// against plain JS.

import { describe, expect, it } from 'vitest';
import * as te from '../../schedule/index.js';
import { print } from '../../tir/printer.js';
import { data, expectClose, run } from './helpers.js';

function mm(M: number, N: number, K: number) {
  const A = te.placeholder([M, K], 'float32', 'A');
  const B = te.placeholder([K, N], 'float32', 'B');
  const k = te.reduceAxis(K, 'k');
  const C = te.compute([M, N], (i, j) => te.sum(A.at(i, k).mul(B.at(k, j)), [k]), 'C');
  const a = data(M * K, 1), b = data(K * N, 2);
  const want = Float32Array.from({ length: M * N }, (_, p) => {
    const i = Math.floor(p / N), j = p % N;
    let acc = 0;
    for (let q = 0; q < K; q++) acc = Math.fround(acc + Math.fround(a[i * K + q]! * b[q * N + j]!));
    return acc;
  });
  return { A, B, C, want };
}

describe('reduction init placement', () => {
  it('default order: the init sits inside both data loops, right before the reduce loop', () => {
    const w = mm(4, 5, 6);
    const s = te.createSchedule([w.C]);
    expect(print(te.scheduleOps(s, [w.A, w.B, w.C], 'mm')).trimEnd()).toBe([
      'def mm(A: float32[4, 6], B: float32[6, 5], C: float32[4, 5]):',
      '  for i in range(0, 4):',
      '    for j in range(0, 5):',
      '      C[i, j] = 0.0',
      '      for k in range(0, 6):',
      '        C[i, j] = C[i, j] + A[i, k] * B[k, j]',
    ].join('\n'));
    expectClose(run(s, [w.A, w.B, w.C]), w.want, 1e-6);
  });

  it('a reduce leaf between data leaves: the init goes above it, over its own copy of the inner data leaf', () => {
    const w = mm(4, 5, 7);
    const s = te.createSchedule([w.C]);
    const c = s.stage(w.C);
    const [ko, ki] = c.split(c.reduceAxis[0]!, { factor: 2 });
    c.reorder(c.axis[0]!, ko!, c.axis[1]!, ki!);
    const text = print(te.scheduleOps(s, [w.A, w.B, w.C], 'mm'));
    const lines = text.split('\n');
    const at = (needle: string): number => lines.findIndex((l) => l.includes(needle));
    expect(at('for i in')).toBe(1);
    expect(at('for j_init in')).toBe(2);
    expect(lines[3]!.trim()).toBe('C[i, j_init] = 0.0');
    expect(at('for k_outer in')).toBe(4);
    expect(lines[4]!.indexOf('for')).toBe(lines[2]!.indexOf('for')); // siblings under i
    expectClose(run(s, [w.A, w.B, w.C]), w.want, 1e-6);
  });
});
