// tests/schedule/schedule_ops.test.ts — loop nests with computeInline/computeAt (bound inference
// at work) on padded conv2d and the dense pipeline; guards; nothing of te left in the output.

import { beforeAll, describe, expect, it } from 'vitest';
import * as te from '../../schedule/index.js';
import { postOrderVisitExpr, StmtExprVisitor } from '../../tir/functor.js';
import type { Stmt } from '../../tir/nodes.js';
import { interpret } from '../../tir/interpreter.js';
import { allocations, conv2d, cpuBackend, denseBiasRelu, expectClose, run } from './helpers.js';

beforeAll(cpuBackend);

const CONVS: [number, number, number, number, number, number, number][] = [[1, 3, 8, 8, 4, 3, 1], [1, 2, 7, 6, 3, 3, 1]];

describe.each(CONVS)('conv2d NCHW %i×%i×%i×%i → %i, kernel %i, pad %i', (N, C, H, W, K, R, p) => {
  it('unscheduled (pad at root) equals tf.conv2d', () => {
    const w = conv2d(N, C, H, W, K, R, p);
    expectClose(run(te.createSchedule([w.out]), w.args), w.reference());
  });

  it('pad inlined: no pad buffer remains and the result holds', () => {
    const w = conv2d(N, C, H, W, K, R, p);
    const s = te.createSchedule([w.out]);
    s.stage(w.pad).computeInline();
    const f = te.scheduleOps(s, w.args, 'conv');
    expect(allocations(f.body)).toEqual([]);
    expectClose(run(s, w.args), w.reference());
  });

  it('pad computed at the output row loop holds exactly the rows that row needs', () => {
    const w = conv2d(N, C, H, W, K, R, p);
    const s = te.createSchedule([w.out]);
    const c = s.stage(w.out);
    const [, , y] = c.axis;
    s.stage(w.pad).computeAt(c, y!);
    const f = te.scheduleOps(s, w.args, 'conv');
    const [buf] = allocations(f.body);
    // One output row reads R padded rows of every channel, all columns.
    expect(buf!.shape.map((d) => (d.kind === 'IntImm' ? d.value : -1))).toEqual([1, C, R, W + 2 * p]);
    expectClose(run(s, w.args), w.reference());
  });

  it('pad computed at a tiled, split inner loop keeps the result', () => {
    const w = conv2d(N, C, H, W, K, R, p);
    const s = te.createSchedule([w.out]);
    const c = s.stage(w.out);
    const [, k, y, x] = c.axis;
    const [yo, yi] = c.split(y!, { factor: 4 });
    const [xo, xi] = c.split(x!, { factor: 4 });
    const [rc, ry, rx] = c.reduceAxis;
    c.reorder(k!, yo, xo, rc!, ry!, rx!, yi, xi);
    c.vectorize(xi);
    s.stage(w.pad).computeAt(c, xo);
    const [buf] = allocations(te.scheduleOps(s, w.args, 'conv').body);
    expect(buf!.shape.map((d) => (d.kind === 'IntImm' ? d.value : -1))).toEqual([1, C, 4 + R - 1, 4 + R - 1]);
    expectClose(run(s, w.args), w.reference());
  });
});

describe('dense → bias + relu with computeAt', () => {
  it.each([[8, 8, 8], [10, 9, 6]])('matmul computed per output tile (%i×%i×%i) keeps the result', (M, N, K) => {
    const w = denseBiasRelu(M, N, K);
    const s = te.createSchedule([w.out]);
    const r = s.stage(w.out);
    const [io, jo, ii, ji] = r.tile(r.axis[0]!, r.axis[1]!, 4, 4);
    r.vectorize(ji);
    const m = s.stage(w.mm);
    m.computeAt(r, jo);
    const [ko, ki] = m.split(m.reduceAxis[0]!, { factor: 4 });
    m.reorder(ko, m.axis[0]!, ki, m.axis[1]!);
    void io; void ii;
    const [buf] = allocations(te.scheduleOps(s, w.args, 'dense').body);
    expect(buf!.shape.map((d) => (d.kind === 'IntImm' ? d.value : -1))).toEqual([4, 4]);
    expectClose(run(s, w.args), w.reference());
  });

  it('the bias+relu stage inlined into nothing is an error, the matmul inlined is an error', () => {
    const w = denseBiasRelu(4, 4, 4);
    const s = te.createSchedule([w.out]);
    expect(() => s.stage(w.out).computeInline()).toThrow(/computeInline: stage relu is an output/);
    expect(() => s.stage(w.mm).computeInline()).toThrow(/computeInline: stage mm is a reduction/);
  });
});

describe('loop nest shape', () => {
  it('has no ProducerLoad or Reduce left', () => {
    const w = conv2d(1, 2, 5, 5, 2, 3, 1);
    const s = te.createSchedule([w.out]);
    s.stage(w.pad).computeAt(s.stage(w.out), s.stage(w.out).axis[2]!);
    const f = te.scheduleOps(s, w.args, 'conv');
    postOrderVisitExpr(f.body, (e) => {
      expect(e.kind).not.toBe('ProducerLoad');
      expect(e.kind).not.toBe('Reduce');
    });
  });

  it('guards a split that does not divide, not one that does', () => {
    const A = te.placeholder([10], 'float32', 'A');
    const B = te.compute([10], (i) => A.at(i).mul(2), 'B');
    const s1 = te.createSchedule([B]);
    s1.stage(B).split(s1.stage(B).axis[0]!, { factor: 5 });
    expect(te.scheduleOps(s1, [A, B], 'f').body.kind).toBe('For');
    const s2 = te.createSchedule([B]);
    s2.stage(B).split(s2.stage(B).axis[0]!, { factor: 4 });
    const f = te.scheduleOps(s2, [A, B], 'f');
    let ifs = 0;
    class V extends StmtExprVisitor {
      override visitStmt(st: Stmt): void {
        if (st.kind === 'IfThenElse') ifs++;
        super.visitStmt(st);
      }
    }
    new V().visitStmt(f.body);
    expect(ifs).toBe(1);
  });
});

describe('several outputs and intermediate args', () => {
  it('lowers two outputs of one schedule, each at root', () => {
    const A = te.placeholder([6, 5], 'float32', 'A');
    const twice = te.compute([6, 5], (i, j) => A.at(i, j).mul(2), 'twice');
    const k = te.reduceAxis(5, 'k');
    const rows = te.compute([6], (i) => te.sum(twice.at(i, k), [k]), 'rows');
    const s = te.createSchedule([twice, rows]);
    const f = te.scheduleOps(s, [A, twice, rows], 'two');
    const a = Float32Array.from({ length: 30 }, (_, i) => i - 7);
    const t = new Float32Array(30);
    const r = new Float32Array(6);
    interpret(f, [a, t, r]);
    expect([...t]).toEqual([...a].map((v) => 2 * v));
    expect([...r]).toEqual([0, 1, 2, 3, 4, 5].map((i) => [...a.slice(i * 5, i * 5 + 5)].reduce((x, y) => x + 2 * y, 0)));
  });

  it('an intermediate stage given in args becomes a param instead of an allocation', () => {
    const w = denseBiasRelu(4, 4, 3);
    const s = te.createSchedule([w.out]);
    const [A, B, bias, out] = w.args;
    const f = te.scheduleOps(s, [A!, B!, bias!, w.mm, out!], 'dense');
    expect(f.params.map((p) => p.name)).toEqual(['A', 'B', 'bias', 'mm', 'relu']);
    expect(allocations(f.body)).toEqual([]);
  });
});

describe('bound inference through fused axes', () => {
  it('a producer at the outer half of a split fused axis holds a few rows, not the whole tensor', () => {
    const [M, N] = [6, 5];
    const A = te.placeholder([M, N], 'float32', 'A');
    const B = te.compute([M, N], (i, j) => A.at(i, j).mul(2), 'B');
    const C = te.compute([M, N], (i, j) => B.at(i, j).add(1), 'C');
    const s = te.createSchedule([C]);
    const c = s.stage(C);
    const [fo] = c.split(c.fuse(c.axis[0]!, c.axis[1]!), { factor: 8 });
    s.stage(B).computeAt(c, fo);
    const f = te.scheduleOps(s, [A, C], 'f');
    // 8 consecutive elements of 5-wide rows span at most 3 rows.
    expect(allocations(f.body).map((b) => b.shape.map((d) => (d.kind === 'IntImm' ? d.value : -1)))).toEqual([[3, 5]]);
    const a = Float32Array.from({ length: M * N }, (_, i) => i * 0.5 - 3);
    const out = new Float32Array(M * N);
    interpret(te.lower(s, [A, C], { name: 'f' }), [a, out]);
    expect([...out]).toEqual([...a].map((v) => 2 * v + 1));
  });
});
