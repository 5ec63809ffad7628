// tests/schedule/rfactor_names.test.ts — what rfactor leaves for the user to schedule (found
// unchecked by mutation testing, fresh sample seed 54): the partial stage's axes are named after
// the originals (`<axis>_v` for the factored one, `<axis>_rf` for the others), the final
// reduction's axis `<axis>_r`, and the reduced stage keeps its tag and attrs (templates and the
// default schedule read them); results match the tfjs-core reference.

import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import * as te from '../../schedule/index.js';
import { cpuBackend, data, expectClose, run } from './helpers.js';

beforeAll(cpuBackend);

describe('rfactor: names, tag and attrs', () => {
  it.each([[6, 12], [5, 9]])('row sum %i×%i: axis names of both stages, tag and attrs kept', (M, K) => {
    const A = te.placeholder([M, K], 'float32', 'A');
    const k = te.reduceAxis(K, 'k');
    const B = te.compute([M], (i) => te.sum(A.at(i, k), [k]), 'B', { tag: 'reduce_sum', attrs: { layout: 'NC', keep: 1 } });
    const s = te.createSchedule(B);
    const b = s.stage(B);
    const [, ki] = b.split(b.reduceAxis[0]!, { factor: 4 });
    const rf = s.rfactor(B, ki);
    const r = s.stage(rf);
    expect(r.axis.map((a) => a.variable.name)).toEqual(['k_inner_v', 'i_rf']);
    expect(r.reduceAxis.map((a) => a.variable.name)).toEqual(['k_outer_rf']);
    expect(r.axis.map((a) => a.iterType)).toEqual(['data', 'data']);
    const out = s.stage(B);
    expect(out.reduceAxis.map((a) => a.variable.name)).toEqual(['k_inner_r']);
    expect(out.op.kind === 'compute' && out.op.tag).toBe('reduce_sum');
    expect(out.op.kind === 'compute' && out.op.attrs).toEqual({ layout: 'NC', keep: 1 });
    const want = tf.sum(tf.tensor2d(data(M * K, 1), [M, K]), 1).dataSync() as Float32Array;
    expectClose(run(s, [A, B]), want);
  });
});
