// tests/tir/parser_cases.test.ts — which printed lines the parser reads as a buffer store: only a
// line that starts with a known buffer's access and assigns to it (`B[i] = v`); an expression
// statement that starts with a load (`B[0] + 1`, printed for an Evaluate) stays an Evaluate, and
// an assignment to anything but a leading buffer access is refused with the line and the token.

import { describe, expect, it } from 'vitest';
import * as t from '../../tir/nodes.js';
import { parse, parseStmt } from '../../tir/parser.js';
import { print } from '../../tir/printer.js';
import { structuralEqual } from '../../tir/structural.js';

const B = t.buffer('B', [4], 'int32');
const load = (i: number): t.PrimExpr => t.bufferLoad(B, [t.intImm(i)]);

describe('parseStmt: store or expression statement', () => {
  it('an Evaluate whose expression starts with a buffer load round-trips as an Evaluate', () => {
    for (const value of [load(0), t.add(load(0), t.intImm(1)), t.eq(load(1), t.intImm(3)), t.mul(load(2), load(3))]) {
      const f = t.primFunc('f', [B], t.evaluate(value));
      const text = print(f);
      const back = parse(text);
      expect(back.body.kind, text).toBe('Evaluate');
      expect(structuralEqual(back, f), text).toBe(true);
    }
    expect(parseStmt('B[0] + 1', [B]).kind).toBe('Evaluate');
  });

  it('a store is read as a store, with its indices and value', () => {
    const s = parseStmt('B[2] = B[1] + 5', [B]);
    expect(structuralEqual(s, t.bufferStore(B, t.add(load(1), t.intImm(5)), [t.intImm(2)]))).toBe(true);
  });

  it('an assignment whose left side is not a leading buffer access is refused at the `=`', () => {
    expect(() => parseStmt('1 + B[0] = 2', [B])).toThrow("parse: line 1: unexpected '='");
    expect(() => parseStmt('(B[0]) = 1', [B])).toThrow("parse: line 1: unexpected '='");
    expect(() => parseStmt('x\n1 - B[1] = 3', [B])).toThrow("parse: line 2: unexpected '='");
  });
});
