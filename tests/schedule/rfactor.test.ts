// tests/schedule/rfactor.test.ts — rfactor: a split reduction axis becomes a data axis of a
// partial-result stage, which can then be vectorized or parallelized; results stay equal.

import { beforeAll, describe, expect, it } from 'vitest';
import * as te from '../../schedule/index.js';
import { cpuBackend, expectClose, matmul, rowMax, run } from './helpers.js';

beforeAll(cpuBackend);

describe('rfactor', () => {
  it.each([[8, 16], [5, 13]])('row max %i×%i factored over the inner split axis, vectorized', (M, K) => {
    const w = rowMax(M, K);
    const s = te.createSchedule([w.out]);
    const c = s.stage(w.out);
    const [, ki] = c.split(c.reduceAxis[0]!, { factor: 4 });
    const rf = s.rfactor(w.out, ki);
    expect(rf.dims).toEqual([4, M]);
    const r = s.stage(rf);
    r.reorder(r.reduceAxis[0]!, r.axis[0]!);
    r.vectorize(r.axis[1]!);
    expectClose(run(s, w.args), w.reference());
  });

  it.each([[6, 7, 9], [8, 8, 8]])('matmul %i×%i×%i factored over the outer split axis, parallel', (M, N, K) => {
    const w = matmul(M, N, K);
    const s = te.createSchedule([w.out]);
    const c = s.stage(w.out);
    const [ko] = c.split(c.reduceAxis[0]!, { nparts: 2 });
    const rf = s.rfactor(w.out, ko);
    s.stage(rf).parallel(s.stage(rf).axis[0]!);
    expectClose(run(s, w.args), w.reference());
  });

  it('readers of the factored stage read its new result (a reduction followed by a scale)', () => {
    const [M, K] = [5, 12];
    const w = rowMax(M, K);
    const A = w.args[0]!;
    const scaled = te.compute([M], (i) => w.out.at(i).mul(2), 'scaled');
    const s = te.createSchedule([scaled]);
    const c = s.stage(w.out);
    const [, ki] = c.split(c.reduceAxis[0]!, { factor: 3 });
    s.rfactor(w.out, ki);
    expectClose(run(s, [A, scaled]), Float32Array.from(w.reference(), (v) => 2 * v));
  });

  it('factoring an unsplit reduce axis leaves no reduction in the partial stage', () => {
    const w = rowMax(4, 6);
    const s = te.createSchedule([w.out]);
    const rf = s.rfactor(w.out, s.stage(w.out).reduceAxis[0]!);
    expect(s.stage(rf).reduceAxis).toEqual([]);
    expectClose(run(s, w.args), w.reference());
  });

  it('rejects a data axis and a non-reduction', () => {
    const w = matmul(4, 4, 4);
    const s = te.createSchedule([w.out]);
    const c = s.stage(w.out);
    expect(() => s.rfactor(w.out, c.axis[0]!)).toThrow(/rfactor: stage C, axis i is a data axis/);
    const A = te.placeholder([4], 'float32', 'A');
    const B = te.compute([4], (i) => A.at(i).add(1), 'B');
    const s2 = te.createSchedule([B]);
    expect(() => s2.rfactor(B, s2.stage(B).axis[0]!)).toThrow(/rfactor: stage B is not a reduction/);
  });
});
