// tests/schedule/schedule_rewrites.test.ts — what Schedule's graph rewrites keep: a new stage is
// inserted just before its reader even when that reader is the first stage (a compute with no
// inputs), and every reader that replaceOp rebuilds (transitively) keeps its tag and attrs, which
// TOPI-style dispatch and the tuning workload read. Results checked against plain JS.

import { describe, expect, it } from 'vitest';
import * as te from '../../schedule/index.js';
import { interpret } from '../../tir/interpreter.js';
import { data } from './helpers.js';

describe('Schedule rewrites', () => {
  it('cacheWrite / rfactor of the first stage insert the new stage before it', () => {
    const n = 6;
    const C = te.compute([n], (i) => te.cast('float32', i.mul(3)).add(0.5), 'C');
    const s = te.createSchedule([C]);
    expect(s.stages.map((st) => st.name)).toEqual(['C']);
    s.cacheWrite(C, 'local');
    expect(s.stages.map((st) => st.name)).toEqual(['C_local', 'C']);
    const out = new Float32Array(n);
    interpret(te.lower(s, [C], { name: 'f' }), [out]);
    expect([...out]).toEqual(Array.from({ length: n }, (_, i) => i * 3 + 0.5));

    const k = te.reduceAxis(8, 'k');
    const R = te.compute([3], (i) => te.sum(te.cast('float32', i.mul(8).add(k)), [k]), 'R');
    const s2 = te.createSchedule([R]);
    const [, ki] = s2.stage(R).split(s2.stage(R).reduceAxis[0]!, { factor: 4 });
    s2.rfactor(R, ki!);
    expect(s2.stages.map((st) => st.name)).toEqual(['R_rf', 'R']);
    const r = new Float32Array(3);
    interpret(te.lower(s2, [R], { name: 'g' }), [r]);
    expect([...r]).toEqual([0, 1, 2].map((i) => Array.from({ length: 8 }, (_, q) => i * 8 + q).reduce((a, b) => a + b, 0)));
  });

  it('readers rebuilt by cacheWrite keep their tag and attrs, down the graph', () => {
    const n = 5;
    const A = te.placeholder([n], 'float32', 'A');
    const B = te.compute([n], (i) => A.at(i).mul(2), 'B', { tag: 'conv_like', attrs: { workload: 'b' } });
    const C = te.compute([n], (i) => B.at(i).add(1), 'C', { tag: 'elemwise', attrs: { layout: 'NCHW' } });
    const D = te.compute([n], (i) => C.at(i).mul(B.at(i)), 'D', { tag: 'broadcast', attrs: { k: 3 } });
    const s = te.createSchedule([D]);
    // A new schedule lists its stages producers first (post-order), each once.
    expect(s.stages.map((st) => st.name)).toEqual(['A', 'B', 'C', 'D']);
    s.cacheWrite(B, 'local');
    expect(s.stages.map((st) => st.name)).toEqual(['A', 'B_local', 'B', 'C', 'D']);
    const meta = (t: te.Tensor) => { const op = s.stage(t).op as te.ComputeOp; return [op.tag, op.attrs]; };
    expect(meta(C)).toEqual(['elemwise', { layout: 'NCHW' }]);
    expect(meta(D)).toEqual(['broadcast', { k: 3 }]);
    // The readers really were rebuilt (they read the copy now) and compute the same values.
    expect(s.stage(C).op).not.toBe(C.op);
    const a = data(n, 2);
    const out = new Float32Array(n);
    interpret(te.lower(s, [A, D], { name: 'f' }), [a, out]);
    expect([...out]).toEqual([...a].map((x) => { const b = Math.fround(x * 2); return Math.fround(Math.fround(b + 1) * b); }));
  });
});
