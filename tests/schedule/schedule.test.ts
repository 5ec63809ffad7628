// tests/schedule/schedule.test.ts — the Schedule object (schedule/schedule.ts): one stage per
// reachable op in dataflow order with outputs marked, stage lookup through the user's tensor
// handles after cacheRead / cacheWrite replace ops, readersOf, recorded steps, replaceOp
// rewriting readers transitively (checked by running the result against plain JS), and the
// refusals of createSchedule / stage / cache scopes with their messages.

import { describe, expect, it } from 'vitest';
import * as te from '../../schedule/index.js';
import { data, expectClose, run } from './helpers.js';

const N = 7;
function graph() {
  const A = te.placeholder([N], 'float32', 'A');
  const B = te.compute([N], (i) => A.at(i).mul(2), 'B');
  const C = te.compute([N], (i) => B.at(i).add(A.at(i)), 'C');
  const D = te.compute([N], (i) => C.at(i).mul(B.at(N - 1)).add(C.at(i)), 'D');
  return { A, B, C, D };
}
const want = (): Float32Array => {
  const a = data(N, 1);
  const f = Math.fround;
  const b = (i: number): number => f(a[i]! * 2);
  const c = (i: number): number => f(b(i) + a[i]!);
  return Float32Array.from({ length: N }, (_, i) => f(f(c(i) * b(N - 1)) + c(i)));
};

describe('Schedule', () => {
  it('has one stage per op in dataflow order, outputs marked', () => {
    const { A, B, C, D } = graph();
    const s = te.createSchedule(D);
    expect(s.stages.map((st) => st.op.name)).toEqual(['A', 'B', 'C', 'D']);
    expect(s.outputs).toEqual([D]);
    expect(Object.isFrozen(s.outputs)).toBe(true);
    expect(s.stages.map((st) => st.isOutput)).toEqual([false, false, false, true]);
    expect(s.stage(A).op).toBe(A.op);
    expect(s.readersOf(s.stage(B)).map((st) => st.op.name)).toEqual(['C', 'D']);
    expect(s.readersOf(s.stage(A)).map((st) => st.op.name)).toEqual(['B', 'C']);
    expect(s.readersOf(s.stage(D))).toEqual([]);
    expect(s.outputOf(s.stage(C))).toMatchObject({ op: C.op });
    const two = te.createSchedule([C, D]);
    expect(two.stages.filter((st) => st.isOutput).map((st) => st.op.name)).toEqual(['C', 'D']);
  });

  it('finds stages through the user handles after cacheWrite / cacheRead, inserts the new stage before its reader, records the steps', () => {
    const { A, B, C, D } = graph();
    const s = te.createSchedule(D);
    const CL = s.cacheWrite(C, 'local');
    expect(s.stage(C).op).not.toBe(C.op); // C's stage now copies out of C.local
    expect(s.stage(CL).op).toBe(CL.op);
    expect(s.outputOf(s.stage(C)).op).toBe(s.stage(C).op);
    const BS = s.cacheRead(B, 'shared', [D]);
    expect(s.stages.map((st) => st.op.name)).toEqual(['A', 'B', 'C_local', 'C', 'B_shared', 'D']);
    expect(s.stages.indexOf(s.stage(BS))).toBeLessThan(s.stages.indexOf(s.stage(D)));
    expect(s.steps.map((st) => st.op)).toEqual(['cacheWrite', 'cacheRead']);
    expect(Object.isFrozen(s.steps[0])).toBe(true);
    expect(s.readersOf(s.stage(BS)).map((st) => st.op.name)).toEqual(['D']);
    expect(s.readersOf(s.stage(B)).map((st) => st.op.name).sort()).toEqual([s.stage(BS).op.name, s.stage(CL).op.name].sort());
    expectClose(run(s, [A, D]), want(), 0);
  });

  it('rewrites readers transitively when an op is replaced (checked by the result)', () => {
    const { A, B, D } = graph();
    const s = te.createSchedule(D);
    s.cacheWrite(B, 'local'); // B's readers C and D now read the new B, and D's read of C follows C's new op
    expectClose(run(s, [A, D]), want(), 0);
  });

  it('refuses what it cannot schedule, naming it', () => {
    const { A, B, D } = graph();
    expect(() => te.createSchedule([])).toThrow('createSchedule: needs at least one output tensor');
    expect(() => te.createSchedule([{} as te.Tensor])).toThrow('createSchedule: outputs must be te.Tensor values');
    expect(() => te.createSchedule(A)).toThrow('createSchedule: output A is a placeholder; outputs must be computed tensors');
    const s = te.createSchedule(B);
    expect(() => s.stage(D)).toThrow('schedule.stage: tensor D is not part of this schedule (not reachable from its outputs)');
    expect(() => s.stage({} as te.Tensor)).toThrow('schedule.stage: expected a te.Tensor');
    expect(() => s.cacheRead(A, 'texture' as never, [B])).toThrow("cacheRead: tensor A: unknown storage scope 'texture' (expected global, shared, warp, local)");
    expect(() => s.cacheWrite(B, 'regs' as never)).toThrow("cacheWrite: tensor B: unknown storage scope 'regs'");
  });
});
