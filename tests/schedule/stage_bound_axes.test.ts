// tests/schedule/stage_bound_axes.test.ts — an axis bound to a thread index cannot also be
// unrolled, vectorized or parallelized (the loop is the thread index: an error naming the
// primitive, stage, axis and tag), but may be re-bound to another tag (as TVM's Stage::bind, the
// last binding wins); and computeAt of a stage at its own axis is refused with its own message.
// Lowered results checked against plain JS.

import { describe, expect, it } from 'vitest';
import * as te from '../../schedule/index.js';
import { interpret } from '../../tir/interpreter.js';
import { StmtExprVisitor } from '../../tir/functor.js';
import type { Stmt } from '../../tir/nodes.js';
import { data } from './helpers.js';

function scale(n: number) {
  const A = te.placeholder([n], 'float32', 'A');
  const C = te.compute([n], (i) => A.at(i).mul(2).sub(1), 'C');
  const s = te.createSchedule([C]);
  return { A, C, s, c: s.stage(C) };
}

/** [loop var, thread tag] of every loop, outermost first. */
function loops(body: Stmt): [string, string | undefined][] {
  const out: [string, string | undefined][] = [];
  class V extends StmtExprVisitor {
    override visitStmt(st: Stmt): void {
      if (st.kind === 'For') out.push([st.loopVar.name, st.threadTag]);
      super.visitStmt(st);
    }
  }
  new V().visitStmt(body);
  return out;
}

describe('annotating a thread-bound axis', () => {
  it('unroll, vectorize and parallel of a bound axis are refused by name', () => {
    for (const [name, apply] of [
      ['unroll', (c: te.Stage, x: te.Stage['axis'][number]) => c.unroll(x)],
      ['vectorize', (c: te.Stage, x: te.Stage['axis'][number]) => c.vectorize(x)],
      ['parallel', (c: te.Stage, x: te.Stage['axis'][number]) => c.parallel(x)],
    ] as const) {
      const { c } = scale(8);
      const [, xi] = c.split(c.axis[0]!, { factor: 4 });
      c.bind(xi!, 'threadIdx.x');
      expect(() => apply(c, xi!)).toThrow(new RegExp(`^${name}: stage C, axis i_inner is already bound to threadIdx\\.x$`));
    }
  });

  it('re-binding an axis to another tag is allowed; the last tag is the loop\'s', () => {
    const n = 8;
    const { A, C, s, c } = scale(n);
    const [xo, xi] = c.split(c.axis[0]!, { factor: 4 });
    c.bind(xo!, 'blockIdx.x');
    c.bind(xi!, 'blockIdx.y');
    c.bind(xi!, 'threadIdx.x');
    const f = te.scheduleOps(s, [A, C], 'f');
    expect(loops(f.body)).toEqual([['i_outer', 'blockIdx.x'], ['i_inner', 'threadIdx.x']]);
    const a = data(n, 4);
    const out = new Float32Array(n);
    interpret(te.lower(s, [A, C], { name: 'f' }), [a, out], { checkRaces: false });
    expect([...out]).toEqual([...a].map((x) => Math.fround(Math.fround(x * 2) - 1)));
  });
});

describe('computeAt at its own axis', () => {
  it('is refused with its own message, output or not', () => {
    const A = te.placeholder([6], 'float32', 'A');
    const B = te.compute([6], (i) => A.at(i).add(1), 'B');
    const C = te.compute([6], (i) => B.at(i).mul(3), 'C');
    const s = te.createSchedule([C]);
    const b = s.stage(B);
    expect(() => b.computeAt(b, b.axis[0]!)).toThrow(/^computeAt: stage B cannot be computed at its own axis$/);
    const c = s.stage(C);
    expect(() => c.computeAt(c, c.axis[0]!)).toThrow(/^computeAt: stage C cannot be computed at its own axis$/);
  });
});
