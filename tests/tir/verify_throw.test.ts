// tests/tir/verify_throw.test.ts — verify() throws one error naming the function and, when given,
// where it was called from, then every problem on its own indented line; a valid function passes.
// The fresh seed-1101 sample found the message (verify.ts:192) unchecked: the tests read verifyErrors.

import { describe, expect, it } from 'vitest';
import * as t from '../../tir/nodes.js';
import { verify, verifyErrors } from '../../tir/verify.js';

describe('verify: the thrown message', () => {
  it('names the function, the pass, and lists each problem', () => {
    const B = t.buffer('B', [4], 'int32');
    const u = t.variable('u');
    const w = t.variable('w');
    const f = t.primFunc('kern', [B], t.seq([t.bufferStore(B, u, [t.intImm(0)]), t.bufferStore(B, w, [t.intImm(1)])]));
    const errs = verifyErrors(f);
    expect(errs.length).toBe(2);
    expect(() => verify(f, { where: 'myPass' })).toThrow(`invalid TIR in kern after myPass:\n  ${errs.join('\n  ')}`);
    expect(() => verify(f)).toThrow(`invalid TIR in kern:\n  ${errs[0]}`);
    expect(() => verify(t.primFunc('ok', [B], t.bufferStore(B, t.intImm(1), [t.intImm(0)])))).not.toThrow();
  });
});
