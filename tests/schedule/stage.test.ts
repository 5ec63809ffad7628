// tests/schedule/stage.test.ts — every loop primitive alone and combined keeps the result of
// matmul, the reduction and the pipeline equal to TensorFlow.js, on dividing and non-dividing shapes.

import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as te from '../../schedule/index.js';
import { collectLoops } from '../../tir/functor.js';
import { cpuBackend, data, denseBiasRelu, expectClose, matmul, rowMax, run } from './helpers.js';

beforeAll(cpuBackend);

const SHAPES: [number, number, number][] = [[16, 16, 8], [10, 13, 7]];

describe.each(SHAPES)('matmul %ix%ix%i', (M, N, K) => {
  it('unscheduled compute equals tf.matMul', () => {
    const w = matmul(M, N, K);
    expectClose(run(te.createSchedule([w.out]), w.args), w.reference());
  });

  it('split by factor keeps the result', () => {
    const w = matmul(M, N, K);
    const s = te.createSchedule([w.out]);
    const c = s.stage(w.out);
    c.split(c.axis[0]!, { factor: 4 });
    c.split(c.reduceAxis[0]!, { factor: 3 });
    expectClose(run(s, w.args), w.reference());
  });

  it('split by nparts keeps the result', () => {
    const w = matmul(M, N, K);
    const s = te.createSchedule([w.out]);
    const c = s.stage(w.out);
    c.split(c.axis[1]!, { nparts: 3 });
    expectClose(run(s, w.args), w.reference());
  });

  it('tile gives the loop order xo, yo, xi, yi', () => {
    const w = matmul(M, N, K);
    const s = te.createSchedule([w.out]);
    const c = s.stage(w.out);
    const [xo, yo, xi, yi] = c.tile(c.axis[0]!, c.axis[1]!, 4, 8);
    expect(c.leaves.slice(0, 4)).toEqual([xo, yo, xi, yi]);
    expectClose(run(s, w.args), w.reference());
  });

  it('fuse of the two data axes keeps the result', () => {
    const w = matmul(M, N, K);
    const s = te.createSchedule([w.out]);
    const c = s.stage(w.out);
    const f = c.fuse(c.axis[0]!, c.axis[1]!);
    c.split(f, { factor: 5 });
    expectClose(run(s, w.args), w.reference());
  });

  it('reorder with the reduction outermost keeps the result', () => {
    const w = matmul(M, N, K);
    const s = te.createSchedule([w.out]);
    const c = s.stage(w.out);
    c.reorder(c.reduceAxis[0]!, c.axis[1]!, c.axis[0]!);
    expectClose(run(s, w.args), w.reference());
  });

  it('annotations become loop kinds and pragmas', () => {
    const w = matmul(M, N, K);
    const s = te.createSchedule([w.out]);
    const c = s.stage(w.out);
    const [yo, yi] = c.split(c.axis[0]!, { factor: 4 });
    const [xo, xi] = c.split(c.axis[1]!, { factor: 4 });
    const [ko, ki] = c.split(c.reduceAxis[0]!, { factor: 2 });
    c.reorder(yo, xo, ko, yi, ki, xi);
    c.parallel(yo); c.unroll(ki); c.vectorize(xi);
    c.pragma(yo, 'auto_unroll_max_step', 16);
    const f = te.scheduleOps(s, w.args, 'mm');
    const loops = collectLoops(f.body);
    const kind = (n: string): string[] => loops.filter((l) => l.loopVar.name === n).map((l) => l.forKind);
    expect(kind('i_outer')).toEqual(['parallel']);
    expect(kind('k_inner')).toEqual(['unrolled']);
    expect(kind('j_inner')).toEqual(['vectorized']);
    expect(kind('j_inner_init')).toEqual(['vectorized']);
    expect(loops.find((l) => l.loopVar.name === 'i_outer')!.annotations).toEqual({ pragma_auto_unroll_max_step: 16 });
    expectClose(run(s, w.args), w.reference());
  });

  it('bind to block and thread indices keeps the (serially interpreted) result', () => {
    const w = matmul(M, N, K);
    const s = te.createSchedule([w.out]);
    const c = s.stage(w.out);
    const [yo, yi] = c.split(c.axis[0]!, { factor: 4 });
    const [xo, xi] = c.split(c.axis[1]!, { factor: 4 });
    c.reorder(yo, xo, yi, xi);
    c.bind(yo, 'blockIdx.y'); c.bind(xo, 'blockIdx.x'); c.bind(yi, 'threadIdx.y'); c.bind(xi, 'threadIdx.x');
    const loops = collectLoops(te.scheduleOps(s, w.args, 'mm').body);
    expect(loops.filter((l) => l.forKind === 'threadBinding').map((l) => l.threadTag))
      .toEqual(['blockIdx.y', 'blockIdx.x', 'threadIdx.y', 'threadIdx.x']);
    expectClose(run(s, w.args), w.reference());
  });

  it('the DESIGN.md tiled schedule keeps the result', () => {
    const w = matmul(M, N, K);
    const s = te.createSchedule([w.out]);
    const c = s.stage(w.out);
    const [yo, yi] = c.split(c.axis[0]!, { factor: 8 });
    const [xo, xi] = c.split(c.axis[1]!, { factor: 16 });
    const [ko, ki] = c.split(c.reduceAxis[0]!, { factor: 4 });
    c.reorder(yo, xo, ko, yi, ki, xi); c.vectorize(xi); c.unroll(ki); c.parallel(yo);
    expectClose(run(s, w.args), w.reference());
  });
});

describe('reduction (row max)', () => {
  it.each([[8, 16], [7, 11]])('split + reorder of a %ix%i max reduction keeps the result', (M, K) => {
    const w = rowMax(M, K);
    const s = te.createSchedule([w.out]);
    const c = s.stage(w.out);
    const [ko, ki] = c.split(c.reduceAxis[0]!, { factor: 4 });
    const [io, ii] = c.split(c.axis[0]!, { factor: 3 });
    c.reorder(io, ko, ii, ki);
    c.vectorize(ii);
    expectClose(run(s, w.args), w.reference());
  });
});

describe('pipeline matmul → bias + relu', () => {
  it.each([[8, 8, 8], [9, 10, 5]])('both stages at root, each tiled, keep the result (%i×%i×%i)', (M, N, K) => {
    const w = denseBiasRelu(M, N, K);
    const s = te.createSchedule([w.out]);
    const r = s.stage(w.out);
    r.tile(r.axis[0]!, r.axis[1]!, 4, 4);
    const m = s.stage(w.mm);
    m.split(m.axis[1]!, { factor: 4 });
    expectClose(run(s, w.args), w.reference());
  });
});

describe('reducers and dtypes', () => {
  it('te.sum with a where condition (a cumulative sum) equals tf.cumsum, also when split', () => {
    const [M, K] = [5, 9];
    const A = te.placeholder([M, K], 'float32', 'A');
    const k = te.reduceAxis(K, 'k');
    const S = te.compute([M, K], (i, j) => te.sum(A.at(i, k), [k], j.ge(k)), 'S');
    const s = te.createSchedule([S]);
    const c = s.stage(S);
    c.split(c.reduceAxis[0]!, { factor: 4 });
    expectClose(run(s, [A, S]), tf.cumsum(tf.tensor2d(data(M * K, 1), [M, K]), 1).dataSync() as Float32Array);
  });

  it('te.prod and te.min reducers equal tf.prod and tf.min', () => {
    const [M, K] = [4, 6];
    const A = te.placeholder([M, K], 'float32', 'A');
    const k1 = te.reduceAxis(K, 'k');
    const k2 = te.reduceAxis(K, 'k');
    const P = te.compute([M], (i) => te.prod(A.at(i, k1).add(1), [k1]), 'P');
    const N = te.compute([M], (i) => te.min(A.at(i, k2), [k2]), 'N');
    const a = tf.tensor2d(data(M * K, 1), [M, K]);
    expectClose(run(te.createSchedule([P]), [A, P]), tf.prod(tf.add(a, 1), 1).dataSync() as Float32Array);
    expectClose(run(te.createSchedule([N]), [A, N]), tf.min(a, 1).dataSync() as Float32Array);
  });

  it('float16 tensors are representable and lower to a loop nest', () => {
    const A = te.placeholder([8], 'float16', 'A');
    const B = te.compute([8], (i) => A.at(i).mul(2), 'B');
    const f = te.scheduleOps(te.createSchedule([B]), [A, B], 'half');
    expect(f.params.map((p) => p.dtype)).toEqual(['float16', 'float16']);
  });

  it('computeRoot undoes computeAt', () => {
    const w = denseBiasRelu(6, 6, 4);
    const s = te.createSchedule([w.out]);
    const m = s.stage(w.mm);
    m.computeAt(s.stage(w.out), s.stage(w.out).axis[0]!);
    m.computeRoot();
    expect(m.attach).toEqual({ type: 'root' });
    expect(m.steps.map((st) => st.op)).toEqual(['computeAt', 'computeRoot']);
    expectClose(run(s, w.args), w.reference());
  });

  it('records every primitive as frozen data', () => {
    const w = matmul(8, 8, 8);
    const s = te.createSchedule([w.out]);
    const c = s.stage(w.out);
    const [, xi] = c.split(c.axis[1]!, { factor: 4 });
    c.vectorize(xi);
    expect(c.steps).toEqual([{ op: 'split', args: { axis: 'j', factor: 4 } }, { op: 'vectorize', args: { axis: 'j_inner' } }]);
    expect(Object.isFrozen(c.steps[0])).toBe(true);
    expect(JSON.parse(JSON.stringify(c.steps))).toEqual(c.steps);
  });
});
