// tests/tir/verify_messages.test.ts — verify's messages: the node is quoted after `at:` as its first
// printed line, cut to 77 characters and `...` when longer than 80 (kept whole at exactly 80); and
// the walk goes under a logical not, so an unbound variable there is reported.

import { describe, expect, it } from 'vitest';
import * as t from '../../tir/nodes.js';
import { verifyErrors } from '../../tir/verify.js';

const B = t.buffer('B', [4], 'int32');
const i = t.variable('i');

function errorsFor(v: t.Var): string[] {
  return verifyErrors(t.primFunc('f', [B], t.forLoop(i, 0, 4, 'serial', t.bufferStore(B, t.add(v, i), [i]))));
}

describe('verify: messages', () => {
  it('quotes a long node cut to 77 characters and ...', () => {
    const long = t.variable('z'.repeat(90));
    const errs = errorsFor(long);
    expect(errs.length).toBe(1);
    expect(errs[0]).toMatch(new RegExp(`\\(at: ${'z'.repeat(77)}\\.\\.\\.\\)$`));
  });

  it('keeps a node of exactly 80 characters whole', () => {
    const v80 = t.variable('q'.repeat(80));
    const errs = errorsFor(v80);
    expect(errs.length).toBe(1);
    expect(errs[0]!.endsWith(`(at: ${'q'.repeat(80)})`)).toBe(true);
    const v81 = t.variable('w'.repeat(81));
    expect(errorsFor(v81)[0]!.endsWith(`(at: ${'w'.repeat(77)}...)`)).toBe(true);
  });

  it('an unbound variable under a not is reported', () => {
    const b = t.variable('flag', 'bool');
    const f = t.primFunc('f', [B], t.forLoop(i, 0, 4, 'serial', t.ifThenElse(t.not(b), t.bufferStore(B, i, [i]))));
    const errs = verifyErrors(f);
    expect(errs.length).toBe(1);
    expect(errs[0]).toMatch(/flag/);
  });
});
