// tests/schedule/stage_steps.test.ts — reorder and fuse are recorded as steps with the axis names
// in the order given (found unchecked by mutation testing, fresh sample seed 52), and the recorded
// schedule still computes the tfjs-core reference.

import { beforeAll, describe, expect, it } from 'vitest';
import * as te from '../../schedule/index.js';
import { cpuBackend, expectClose, matmul, run } from './helpers.js';

beforeAll(cpuBackend);

describe('Stage.steps for reorder and fuse', () => {
  it('records reorder(k, i, j) and fuse(i, j) with their axis names, in order', () => {
    const w = matmul(6, 10, 5);
    const s = te.createSchedule(w.out);
    const c = s.stage(w.out);
    const [i, j] = [c.axis[0]!, c.axis[1]!];
    c.reorder(j, i);
    const ji = c.fuse(j, i);
    const [, inner] = c.split(ji, { factor: 7 });
    c.unroll(inner);
    expect(c.steps).toEqual([
      { op: 'reorder', args: { axes: ['j', 'i'] } },
      { op: 'fuse', args: { axes: ['j', 'i'] } },
      { op: 'split', args: { axis: 'j_i_fused', factor: 7 } },
      { op: 'unroll', args: { axis: 'j_i_fused_inner' } },
    ]);
    expectClose(run(s, w.args), w.reference());
  });
});
