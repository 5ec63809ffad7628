// tests/schedule/lower_options.test.ts — te.lower's options: `passContext` is the context the
// lowering passes run under (its user passes run, its disabled passes do not; without it the
// current withPassContext one), `name` defaults to TVM's 'default_function', and without `trace`
// the result is the PrimFunc itself. Results checked against plain JS.

import { describe, expect, it } from 'vitest';
import * as te from '../../schedule/index.js';
import { interpret } from '../../tir/interpreter.js';
import { PassContext, withPassContext } from '../../tir/pass_context.js';
import type { PrimFunc } from '../../tir/nodes.js';
import { data } from './helpers.js';

function scaled(n: number): { s: te.Schedule; args: te.Tensor[] } {
  const A = te.placeholder([n], 'float32', 'A');
  const C = te.compute([n], (i) => A.at(i).mul(3).add(1), 'C');
  const s = te.createSchedule([C]);
  s.stage(C).split(s.stage(C).axis[0]!, { factor: 4 });
  return { s, args: [A, C] };
}

function check(f: PrimFunc, n: number): void {
  const a = data(n, 5);
  const out = new Float32Array(n);
  interpret(f, [a, out]);
  expect([...out]).toEqual([...a].map((x) => Math.fround(Math.fround(x * 3) + 1)));
}

describe('te.lower options', () => {
  it('runs the given passContext: its user pass sees the loop nest, its disabled pass is skipped', () => {
    const n = 10;
    const { s, args } = scaled(n);
    const names: string[] = [];
    const ctx = new PassContext({
      disabledPasses: ['tir.simplify'],
      passes: [{ phase: 0, pass: { name: 'user.seen', run: (g) => { names.push(g.name); return g; } } }],
    });
    const { func, steps } = te.lower(s, args, { name: 'scaled', trace: true, passContext: ctx });
    expect(names).toEqual(['scaled']);
    expect(steps.map((x) => x.name)).toContain('user.seen');
    expect(steps.map((x) => x.name)).not.toContain('tir.simplify');
    check(func, n);
    // Without the option the default context runs: no user pass, simplify runs.
    const plain = te.lower(s, args, { name: 'scaled', trace: true });
    expect(plain.steps.map((x) => x.name)).not.toContain('user.seen');
    expect(plain.steps.map((x) => x.name)).toContain('tir.simplify');
    expect(names).toEqual(['scaled']);
  });

  it('an explicit passContext wins over the current withPassContext one', () => {
    const { s, args } = scaled(6);
    const seen: string[] = [];
    const mk = (tag: string): PassContext => new PassContext({ passes: [{ phase: 3, pass: { name: `user.${tag}`, run: (g) => { seen.push(tag); return g; } } }] });
    withPassContext(mk('outer'), () => {
      te.lower(s, args, { name: 'f' });
      te.lower(s, args, { name: 'f', passContext: mk('given') });
    });
    expect(seen).toEqual(['outer', 'given']);
  });

  it('returns the PrimFunc itself without trace, named default_function unless named', () => {
    const n = 9;
    const { s, args } = scaled(n);
    const f = te.lower(s, args);
    expect(f.name).toBe('default_function');
    expect('steps' in f).toBe(false);
    check(f, n);
    const t = te.lower(s, args, { trace: true });
    expect(t.steps[0]!.name).toBe('schedule.scheduleOps');
    expect(t.steps[0]!.func.name).toBe('default_function');
    expect(t.func.name).toBe('default_function');
  });
});
