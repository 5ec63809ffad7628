// tests/tir/parser_literals.test.ts — the parser on what the printer writes for constants and
// loops that no other round trip had (True/False, inf/nan in float32 and float16, a loop whose
// stop is not `start + extent`), and its errors on hand-written text: a stray character, a minus
// before a non-literal, an unknown function, an over-indented line — each naming the line.
// Expected IR is built by hand and compared structurally.

import { describe, expect, it } from 'vitest';
import * as t from '../../tir/nodes.js';
import { parse, parseStmt } from '../../tir/parser.js';
import { print } from '../../tir/printer.js';
import { structuralEqual } from '../../tir/structural.js';

const B = t.buffer('B', [8], 'float32');
const H = t.buffer('H', [8], 'float16');
const i = t.variable('i');
const n = t.variable('n');

describe('parse: constants and loops round-trip', () => {
  it('True/False, inf/nan (float32), infh/nanh (float16), negative literals', () => {
    const f = t.primFunc('f', [B, H], t.seq([
      t.forLoop(i, 2, 5, 'serial', t.bufferStore(B, t.select(t.intImm(1, 'bool'), t.floatImm(Infinity), t.floatImm(NaN)), [i])),
      t.forLoop(i, 0, 3, 'serial', t.bufferStore(B, t.select(t.intImm(0, 'bool'), t.floatImm(-Infinity), t.floatImm(-1.5)), [i])),
      t.forLoop(i, 0, 8, 'serial', t.bufferStore(H, t.select(t.lt(i, t.intImm(4)), t.floatImm(Infinity, 'float16'), t.floatImm(NaN, 'float16')), [i])),
      t.bufferStore(H, t.floatImm(-Infinity, 'float16'), [t.intImm(-1 + 1)]),
    ]));
    const text = print(f);
    expect(text).toContain('True');
    expect(text).toContain('False');
    expect(text).toContain('nanh');
    expect(text).toContain('infh');
    const back = parse(text);
    expect(structuralEqual(back, f), `${text}\n---\n${print(back)}`).toBe(true);
    const sel = (((back.body as t.SeqStmt).seq[0] as t.For).body as t.BufferStore).value as t.Select;
    expect(sel.condition).toEqual(t.intImm(1, 'bool'));
    expect(sel.trueValue).toEqual(t.floatImm(Infinity));
    expect(Number.isNaN((sel.falseValue as t.FloatImm).value)).toBe(true);
    const sel2 = (((back.body as t.SeqStmt).seq[1] as t.For).body as t.BufferStore).value as t.Select;
    expect(sel2.condition).toEqual(t.intImm(0, 'bool'));
    const h = (((back.body as t.SeqStmt).seq[2] as t.For).body as t.BufferStore).value as t.Select;
    expect(h.trueValue).toEqual(t.floatImm(Infinity, 'float16'));
    expect(h.falseValue.dtype).toBe('float16');
    expect(Number.isNaN((h.falseValue as t.FloatImm).value)).toBe(true);
  });

  it('a loop from a variable start: extent from `start + e`, or stop − start otherwise', () => {
    const f = t.primFunc('f', [B], t.forLoop(i, n, 3, 'serial', t.bufferStore(B, t.floatImm(1), [i])));
    const back = parse(print(f));
    expect(structuralEqual(back, f), print(back)).toBe(true);
    const s = parseStmt('for i in range(n, 10):\n  B[i] = 1.0', [B]) as t.For;
    expect(s.kind).toBe('For');
    expect(s.min.kind).toBe('Var');
    expect(s.extent.kind).toBe('BinaryOp');
    expect((s.extent as t.BinaryOp).op).toBe('sub');
    expect((s.extent as t.BinaryOp).a).toEqual(t.intImm(10));
    expect((s.extent as t.BinaryOp).b).toBe(s.min);
    const z = parseStmt('for i in range(0, n):\n  B[i] = 1.0', [B]) as t.For;
    expect(z.min).toEqual(t.intImm(0));
    expect(z.extent.kind).toBe('Var');
    const c = parseStmt('for i in range(3, 10):\n  B[i] = 1.0', [B]) as t.For;
    expect(c.extent).toEqual(t.intImm(7));
  });
});

describe('parse: errors name the line and the problem', () => {
  it('a stray character', () => {
    expect(() => parseStmt('B[0] = 1.0 $ 2', [B])).toThrow("parse: line 1: unexpected '$ 2'");
    expect(() => parseStmt('B[0] = 1.0   ', [B])).not.toThrow();
    // spaces before an if's colon are left inside the condition's text: they end it quietly
    const s = parseStmt('if n < 3   :\n  B[0] = 1.0', [B]);
    expect(s.kind).toBe('IfThenElse');
    expect((s as t.IfThenElse).condition.kind).toBe('CompareOp');
    expect(() => parseStmt('if n < 3 $ :\n  B[0] = 1.0', [B])).toThrow("parse: line 1: unexpected '$'");
  });

  it('a minus before something other than a literal', () => {
    expect(() => parseStmt('x\nB[0] = -n', [B])).toThrow('parse: line 2: unary minus applies to literals only');
    expect(structuralEqual(parseStmt('B[0] = -2.5', [B]), t.bufferStore(B, t.floatImm(-2.5), [t.intImm(0)]))).toBe(true);
  });

  it('an unknown function', () => {
    expect(() => parseStmt('B[0] = frobnicate(1.0)', [B])).toThrow('parse: line 1: unknown function frobnicate');
  });

  it('an over-indented line', () => {
    expect(() => parseStmt('B[0] = 1.0\n    B[1] = 2.0', [B])).toThrow('parse: line 2: unexpected indentation');
  });
});
