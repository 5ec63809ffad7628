// tests/tir/parser_pass_expect.test.ts — the parser reads `pass` as the no-op statement (in a
// branch and as a whole body: print → parse gives back the same function), and a missing token
// is reported as "expected 'X', got 'Y'", with "end of line" when the line ran out. The fresh
// seed-1101 sample found both unchecked (parser.ts:61, :249).

import { describe, expect, it } from 'vitest';
import * as t from '../../tir/nodes.js';
import { parse, parseStmt } from '../../tir/parser.js';
import { print } from '../../tir/printer.js';
import { structuralEqual } from '../../tir/structural.js';

const B = t.buffer('B', [4], 'float32');

describe('parser: pass and expected tokens', () => {
  it('pass in an else branch and as a whole body round-trips', () => {
    const i = t.variable('i');
    const f = t.primFunc('f', [B], t.forLoop(i, 0, 4, 'serial', t.ifThenElse(t.lt(i, t.intImm(2)), t.bufferStore(B, t.floatImm(1), [i]), t.noOp())));
    expect(print(f)).toContain('pass');
    const g = parse(print(f));
    expect(structuralEqual(g, f)).toBe(true);
    const e = t.primFunc('e', [B], t.noOp());
    expect(structuralEqual(parse(print(e)), e)).toBe(true);
    expect(parseStmt('pass')).toEqual(t.noOp());
  });

  it('a missing token: expected X, got Y / end of line', () => {
    expect(() => parseStmt('B[0] = max(1.0, 2.0', [B])).toThrow("expected ')', got 'end of line'");
    expect(() => parseStmt('B[0 = 1.0', [B])).toThrow("expected ']', got '='");
  });
});
