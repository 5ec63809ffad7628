// tests/tir/verify_let.test.ts — verify scopes a Let expression's variable to its body: used there
// it is clean (and the function computes 2i + 1, checked in plain JS); used after the Let, or a free
// variable in the Let's value, is reported naming the variable.

import { describe, expect, it } from 'vitest';
import * as t from '../../tir/nodes.js';
import { interpret } from '../../tir/interpreter.js';
import { verifyErrors } from '../../tir/verify.js';

describe('verify: a Let expression binds its variable for its body only', () => {
  const B = t.buffer('B', [4], 'int32');
  const i = t.variable('i');
  const y = t.variable('y');
  it('the body may use it; after the Let it is unbound again', () => {
    const ok = t.primFunc('f', [B], t.forLoop(i, 0, 4, 'serial', t.bufferStore(B, t.letExpr(y, t.mul(i, t.intImm(2)), t.add(y, t.intImm(1))), [i])));
    expect(verifyErrors(ok)).toEqual([]);
    const b = new Int32Array(4);
    interpret(ok, [b]);
    expect([...b]).toEqual([1, 3, 5, 7]);
    const bad = t.primFunc('f', [B], t.forLoop(i, 0, 4, 'serial', t.bufferStore(B, t.add(t.letExpr(y, i, y), y), [i])));
    const errs = verifyErrors(bad);
    expect(errs.length).toBe(1);
    expect(errs[0]).toMatch(/\by\b/);
    // the Let's value is checked too
    const badValue = t.primFunc('f', [B], t.forLoop(i, 0, 4, 'serial', t.bufferStore(B, t.letExpr(y, t.variable('z'), y), [i])));
    expect(verifyErrors(badValue).length).toBe(1);
    expect(verifyErrors(badValue)[0]).toMatch(/\bz\b/);
  });
});
