// tests/tir/structural_nodes.test.ts — structural equality looks inside every node kind: a Select's
// condition and both arms, a Ramp's base and stride (and lanes), a Broadcast's value, a Call's
// arguments, a Cast's value, an if's condition, branches and else; each pair below differs in one
// place only, so it must be unequal (and hash differently), while a renamed copy is equal.

import { describe, expect, it } from 'vitest';
import * as t from '../../tir/nodes.js';
import { structuralEqual, structuralHash } from '../../tir/structural.js';

const x = t.variable('x');
const y = t.variable('y');
const f = t.variable('f', 'float32');
const g = t.variable('g', 'float32');
const B = t.buffer('B', [8], 'float32');

function differ(a: t.PrimExpr | t.Stmt, b: t.PrimExpr | t.Stmt): void {
  expect(structuralEqual(a, b)).toBe(false);
  expect(structuralHash(a)).not.toBe(structuralHash(b));
}

describe('structural equality inside each node', () => {
  it('Select: condition, true arm, false arm', () => {
    const s = (c: number, a: t.PrimExpr, b: t.PrimExpr): t.PrimExpr => t.select(t.lt(x, t.intImm(c)), a, b);
    differ(s(1, f, g), s(2, f, g));
    differ(s(1, f, g), s(1, g, g));
    differ(s(1, f, g), s(1, f, f));
    differ(s(1, f, g), s(1, f, t.floatImm(0)));
    // free variables are renamed in order of use: swapping the two arms' variables is equal
    expect(structuralEqual(s(1, f, g), s(1, g, f))).toBe(true);
    expect(structuralEqual(s(1, f, g), s(1, f, g))).toBe(true);
  });

  it('Ramp: base, stride, lanes; Broadcast: value, lanes', () => {
    differ(t.ramp(x, t.intImm(1), 4), t.ramp(x, t.intImm(2), 4));
    differ(t.ramp(x, t.intImm(1), 4), t.ramp(t.add(x, t.intImm(1)), t.intImm(1), 4));
    differ(t.ramp(x, t.intImm(1), 4), t.ramp(x, t.intImm(1), 8));
    differ(t.broadcast(f, 4), t.broadcast(t.floatImm(1), 4));
    differ(t.broadcast(f, 4), t.broadcast(f, 2));
  });

  it('Call arguments and Cast value', () => {
    differ(t.call('pow', [f, t.floatImm(2)]), t.call('pow', [f, t.floatImm(3)]));
    differ(t.call('exp', [f]), t.call('log', [f]));
    differ(t.cast('float32', x), t.cast('float32', t.add(x, t.intImm(1))));
  });

  it('IfThenElse: condition, then, else, and whether there is an else', () => {
    const st = (v: number): t.Stmt => t.bufferStore(B, t.floatImm(v), [t.intImm(0)]);
    const c1 = t.lt(x, t.intImm(1));
    const c2 = t.lt(x, t.intImm(2));
    differ(t.ifThenElse(c1, st(1)), t.ifThenElse(c2, st(1)));
    differ(t.ifThenElse(c1, st(1)), t.ifThenElse(c1, st(2)));
    differ(t.ifThenElse(c1, st(1), st(2)), t.ifThenElse(c1, st(1), st(3)));
    differ(t.ifThenElse(c1, st(1), st(2)), t.ifThenElse(c1, st(1)));
    differ(t.ifThenElse(c1, st(1)), st(1));
    differ(t.seq([t.ifThenElse(c1, st(1)), st(2)]), t.ifThenElse(c1, t.seq([st(1), st(2)])));
    // renaming the variable keeps them equal
    const x2 = t.variable('x2');
    expect(structuralEqual(t.ifThenElse(c1, st(1), st(2)), t.ifThenElse(t.lt(x2, t.intImm(1)), st(1), st(2)))).toBe(true);
    expect(structuralEqual(t.ifThenElse(t.lt(y, x), st(1)), t.ifThenElse(t.lt(x, y), st(1)))).toBe(true);
  });
});
