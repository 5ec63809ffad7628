// tests/relay/transform/dead_code.test.ts — DeadCodeElimination: projections of literal tuples
// collapse, unused parameters of fused functions (and their arguments) are dropped.

import { describe, expect, it } from 'vitest';
import { call, func, irModule, tuple, tupleGetItem, variable, type Expr } from '../../../relay/nodes.js';
import { DeadCodeElimination } from '../../../relay/transform/dead_code.js';
import { tensorType } from '../../../relay/ty.js';

describe('DeadCodeElimination', () => {
  const t = tensorType([3]);
  it('replaces a projection of a tuple by the field', () => {
    const x = variable('x', t);
    const y = variable('y', t);
    const body = call('nn.relu', [tupleGetItem(tuple([call('exp', [x]), call('sigmoid', [y])]), 1)]);
    const out = DeadCodeElimination.run(irModule(func([x, y], body))).main.body as Extract<Expr, { kind: 'Call' }>;
    expect((out.args[0] as Extract<Expr, { kind: 'Call' }>).op).toBe('sigmoid');
  });

  it('drops fused-function parameters the body never reads, with their arguments', () => {
    const x = variable('x', t);
    const p0 = variable('p0', t);
    const p1 = variable('p1', t);
    const fused = func([p0, p1], call('nn.relu', [p1]), { primitive: true, name: 'fused_nn_relu' });
    const c = DeadCodeElimination.run(irModule(func([x], call(fused, [call('exp', [x]), x])))).main.body as Extract<Expr, { kind: 'Call' }>;
    expect(c.args).toEqual([x]);
    expect((c.op as Extract<Expr, { kind: 'Function' }>).params.map((p) => p.name)).toEqual(['p1']);
  });

  it('returns the same module when nothing is dead', () => {
    const x = variable('x', t);
    const m = irModule(func([x], call('nn.relu', [x])));
    expect(DeadCodeElimination.run(m)).toBe(m);
  });
});
