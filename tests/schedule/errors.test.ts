// tests/schedule/errors.test.ts — misuse of schedule primitives gets an error naming the
// primitive, the stage and the axis.

import { describe, expect, it } from 'vitest';
import * as te from '../../schedule/index.js';
import { conv2d, denseBiasRelu, matmul } from './helpers.js';

function setup(): { s: te.Schedule; c: te.Stage; w: ReturnType<typeof matmul> } {
  const w = matmul(8, 8, 8);
  const s = te.createSchedule([w.out]);
  return { s, c: s.stage(w.out), w };
}

describe('schedule primitive errors', () => {
  it('an axis that is not a leaf of the stage (already split)', () => {
    const { c } = setup();
    const i = c.axis[0]!;
    c.split(i, { factor: 2 });
    expect(() => c.split(i, { factor: 2 })).toThrow(/split: axis i is not a leaf axis of stage C \(leaves: i_outer, i_inner, j, k\)/);
  });

  it('an axis of another stage', () => {
    const w = denseBiasRelu(4, 4, 4);
    const s = te.createSchedule([w.out]);
    expect(() => s.stage(w.out).vectorize(s.stage(w.mm).axis[1]!)).toThrow(/vectorize: axis j is not a leaf axis of stage relu/);
  });

  it('an axis given twice to reorder', () => {
    const { c } = setup();
    expect(() => c.reorder(c.axis[0]!, c.axis[1]!, c.axis[0]!)).toThrow(/reorder: stage C: axis i is given twice/);
  });

  it('a split factor or nparts that is not a positive integer', () => {
    const { c } = setup();
    expect(() => c.split(c.axis[0]!, { factor: 0 })).toThrow(/split: stage C, axis i: factor must be a positive integer, got 0/);
    expect(() => c.split(c.axis[0]!, { nparts: -2 })).toThrow(/split: stage C, axis i: nparts must be a positive integer, got -2/);
    expect(() => c.split(c.axis[0]!, { factor: 2.5 })).toThrow(/factor must be a positive integer, got 2.5/);
  });

  it('vectorize, parallel or bind of a reduction axis', () => {
    const { c } = setup();
    const k = c.reduceAxis[0]!;
    expect(() => c.vectorize(k)).toThrow(/vectorize: stage C, axis k is a reduction axis/);
    expect(() => c.parallel(k)).toThrow(/parallel: stage C, axis k is a reduction axis/);
    expect(() => c.bind(k, 'threadIdx.x')).toThrow(/bind: stage C, axis k is a reduction axis/);
  });

  it('bind to an unknown thread tag, or the same tag twice', () => {
    const { c } = setup();
    expect(() => c.bind(c.axis[0]!, 'threadIdx.w' as 'threadIdx.x')).toThrow(/bind: stage C, axis i: unknown thread tag 'threadIdx.w'/);
    c.bind(c.axis[0]!, 'threadIdx.x');
    expect(() => c.bind(c.axis[1]!, 'threadIdx.x')).toThrow(/bind: stage C: threadIdx.x is already bound to axis i/);
  });

  it('fuse of non-adjacent axes or of a data axis with a reduction axis', () => {
    const { c } = setup();
    expect(() => c.fuse(c.axis[0]!, c.reduceAxis[0]!)).toThrow(/fuse: stage C: axes i and k are not adjacent/);
    expect(() => c.fuse(c.axis[1]!, c.reduceAxis[0]!)).toThrow(/fuse: stage C: cannot fuse a data axis with a reduction axis/);
  });

  it('an unknown pragma', () => {
    const { c } = setup();
    expect(() => c.pragma(c.axis[0]!, 'unroll_everything' as te.PragmaName, 1)).toThrow(/pragma: stage C, axis i: unknown pragma 'unroll_everything'/);
  });

  it('computeInline of a reduction, computeAt of an output', () => {
    const w = denseBiasRelu(4, 4, 4);
    const s = te.createSchedule([w.out]);
    expect(() => s.stage(w.mm).computeInline()).toThrow(/computeInline: stage mm is a reduction/);
    expect(() => s.stage(w.out).computeAt(s.stage(w.mm), s.stage(w.mm).axis[0]!)).toThrow(/computeAt: stage relu is an output/);
  });

  it('computeAt at an axis of a stage that does not read it', () => {
    const w = conv2d(1, 2, 4, 4, 2, 3, 1);
    const X = w.args[0]!;
    const other = te.compute([1, 2, 4, 4], (n, c, y, x) => X.at(n, c, y, x).mul(2), 'other');
    const s = te.createSchedule([w.out, other]);
    expect(() => s.stage(w.pad).computeAt(s.stage(other), s.stage(other).axis[0]!))
      .toThrow(/computeAt: stage pad is not read by stage other; computeAt needs a consumer/);
  });

  it('computeAt at an axis that is not a leaf of the parent', () => {
    const w = denseBiasRelu(4, 4, 4);
    const s = te.createSchedule([w.out]);
    const r = s.stage(w.out);
    expect(() => s.stage(w.mm).computeAt(r, s.stage(w.mm).axis[0]!)).toThrow(/computeAt: axis i is not a leaf axis of stage relu/);
    const i = r.axis[0]!;
    s.stage(w.mm).computeAt(r, i);
    r.split(i, { factor: 2 });
    expect(() => te.scheduleOps(s, w.args, 'f')).toThrow(/computeAt: stage mm is attached at axis i of stage relu, which is no longer a leaf/);
  });

  it('placeholders have no loops', () => {
    const { s, w } = setup();
    expect(() => s.stage(w.A).split(w.A.op.kind === 'placeholder' ? te.reduceAxis(2) : te.reduceAxis(2), { factor: 2 })).toThrow(/split: stage A is a placeholder/);
  });

  it('lowering without an input or the output in args', () => {
    const { s, w } = setup();
    expect(() => te.scheduleOps(s, [w.A, w.out], 'f')).toThrow(/reads tensor B, which is neither in args nor computed/);
    expect(() => te.scheduleOps(s, [w.A, w.B], 'f')).toThrow(/lower f: output C is not in args/);
    expect(() => te.scheduleOps(s, [w.A, w.A, w.out], 'f')).toThrow(/tensor A is given twice in args/);
  });

  it('a tensor outside the schedule', () => {
    const { s } = setup();
    const X = te.placeholder([2], 'float32', 'X');
    const Y = te.compute([2], (i) => X.at(i), 'Y');
    expect(() => s.stage(Y)).toThrow(/tensor Y is not part of this schedule/);
  });
});
