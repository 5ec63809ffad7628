// tests/schedule/cache_names.test.ts — what cacheRead/cacheWrite name and how they type the copy
// stages: TVM's `ax0, ax1, …` data-parallel axes on a read cache, `<T>_ax<i>` on the tensor a write
// cache copies out of, and a unique stage name when `<T>_<scope>` is taken (a second cacheRead
// of the same tensor into the same scope), so lowering gives each copy its own buffer. Results
// are checked against plain JS.

import { describe, expect, it } from 'vitest';
import * as te from '../../schedule/index.js';
import { interpret } from '../../tir/interpreter.js';
import { StmtExprVisitor } from '../../tir/functor.js';
import type { Stmt } from '../../tir/nodes.js';
import { allocations, data } from './helpers.js';

/** Loop variable names of a statement, outermost first, in program order. */
function loopNames(body: Stmt): string[] {
  const out: string[] = [];
  class V extends StmtExprVisitor {
    override visitStmt(st: Stmt): void {
      if (st.kind === 'For') out.push(st.loopVar.name);
      super.visitStmt(st);
    }
  }
  new V().visitStmt(body);
  return out;
}

describe('cacheRead / cacheWrite names and axes', () => {
  it('a read cache has data-parallel axes ax0, ax1, … over the whole tensor', () => {
    const A = te.placeholder([3, 5], 'float32', 'A');
    const B = te.compute([3, 5], (i, j) => A.at(i, j).add(1), 'B');
    const s = te.createSchedule([B]);
    const AL = s.cacheRead(A, 'local', [B]);
    const st = s.stage(AL);
    expect(st.axis.map((a) => [a.variable.name, a.iterType, a.dom.extent.kind === 'IntImm' ? a.dom.extent.value : -1]))
      .toEqual([['ax0', 'data', 3], ['ax1', 'data', 5]]);
    // The copy's loops (scheduleOps, before lowering renames anything) carry those names.
    expect(loopNames(te.scheduleOps(s, [A, B], 'f').body)).toEqual(['ax0', 'ax1', 'i', 'j']);
  });

  it('cacheWrite leaves the tensor a copy with data-parallel axes <T>_ax<i>', () => {
    const A = te.placeholder([4, 6], 'float32', 'A');
    const k = te.reduceAxis(6, 'k');
    const C = te.compute([4], (i) => te.sum(A.at(i, k), [k]), 'C');
    const s = te.createSchedule([C]);
    const CL = s.cacheWrite(C, 'local');
    expect(s.stage(CL).name).toBe('C_local');
    expect(s.stage(C).axis.map((a) => [a.variable.name, a.iterType])).toEqual([['C_ax0', 'data']]);
  });

  it('a second cache of the same tensor in the same scope gets the next free name and its own buffer', () => {
    const n = 7;
    const A = te.placeholder([n], 'float32', 'A');
    const B = te.compute([n], (i) => A.at(i).add(1), 'B');
    const C = te.compute([n], (i) => A.at(i).mul(B.at(i)), 'C');
    const D = te.compute([n], (i) => A.at(i).sub(C.at(i)), 'D');
    const s = te.createSchedule([D]);
    const c1 = s.cacheRead(A, 'local', [B]);
    const c2 = s.cacheRead(A, 'local', [C]);
    const c3 = s.cacheRead(A, 'local', [D]);
    expect([c1.name, c2.name, c3.name]).toEqual(['A_local', 'A_local1', 'A_local2']);
    expect(new Set(s.stages.map((st) => st.name)).size).toBe(s.stages.length);
    const f = te.lower(s, [A, D], { name: 'f' });
    const names = allocations(f.body).map((b) => b.name).filter((x) => x.startsWith('A_local')).sort();
    expect(names).toEqual(['A_local', 'A_local1', 'A_local2']);
    const a = data(n, 3);
    const out = new Float32Array(n);
    interpret(f, [a, out]);
    const want = [...a].map((x) => Math.fround(x - Math.fround(x * Math.fround(x + 1))));
    expect([...out]).toEqual(want);
  });

  it('cacheWrite skips a name already taken by another stage', () => {
    const A = te.placeholder([5], 'float32', 'A');
    const B = te.compute([5], (i) => A.at(i).mul(2), 'B');
    const C = te.compute([5], (i) => B.at(i).add(1), 'B_local');
    const s = te.createSchedule([C]);
    const BL = s.cacheWrite(B, 'local');
    expect(BL.name).toBe('B_local1');
    const f = te.lower(s, [A, C], { name: 'f' });
    const a = data(5, 9);
    const out = new Float32Array(5);
    interpret(f, [a, out]);
    expect([...out]).toEqual([...a].map((x) => Math.fround(Math.fround(x * 2) + 1)));
  });
});
