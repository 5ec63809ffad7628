// tests/tir/printer_cases.test.ts — printer cases found by mutation testing (fresh sample, seed 51):
// loop bounds that are not constants (range(min, min + extent)), names that are not identifiers
// (ONNX tensor names such as `input.1`), attributes in sorted order; each parses back the same.
import { describe, expect, it } from 'vitest';
import * as t from '../../tir/nodes.js';
import { parse } from '../../tir/parser.js';
import { print } from '../../tir/printer.js';
import { structuralEqual } from '../../tir/structural.js';
import { c, vars } from './helpers.js';

const A = t.buffer('A', [64], 'float32');

function roundTrips(f: t.PrimFunc): string {
  const text = print(f);
  const back = parse(text);
  expect(structuralEqual(back, f), text).toBe(true);
  expect(print(back)).toBe(text);
  return text;
}

describe('print (mutation-testing cases)', () => {
  it('prints range(min, min + extent) for symbolic bounds, parenthesizing the extent, and parses it back', () => {
    const [m, n, k, i] = vars('m', 'n', 'k', 'i') as [t.Var, t.Var, t.Var, t.Var];
    const st = (x: t.PrimExpr): t.Stmt => t.bufferStore(A, t.floatImm(1), [x]);
    const cases: [t.PrimExpr, t.PrimExpr, string][] = [
      [c(0), n, 'range(0, n)'],
      [c(2), n, 'range(2, 2 + n)'],
      [m, c(4), 'range(m, m + 4)'],
      [m, n, 'range(m, m + n)'],
      [m, t.sub(n, k), 'range(m, m + (n - k))'],
      [m, t.add(n, k), 'range(m, m + (n + k))'],
      [t.mul(m, c(4)), t.sub(n, c(1)), 'range(m * 4, m * 4 + (n - 1))'],
      [c(3), c(5), 'range(3, 8)'],
    ];
    for (const [min, extent, want] of cases) {
      const f = t.primFunc('f', [A], t.forLoop(i, min, extent, 'serial', st(i)));
      const text = roundTrips(f);
      expect(text.split('\n')[1]).toBe(`  for i in ${want}:`);
    }
  });

  it('turns names that are not identifiers into identifiers: input.1 → input_1, 0k → _0k, range → range_', () => {
    const X = t.buffer('input.1', [8], 'float32');
    const Y = t.buffer('conv/out:0', [8], 'float32');
    const [k, r] = [t.variable('0k'), t.variable('range')];
    const f = t.primFunc('f', [X, Y], t.forLoop(k, 0, 8, 'serial', t.letStmt(r, t.add(k, c(1)),
      t.bufferStore(Y, t.bufferLoad(X, [k]), [k]))));
    const text = roundTrips(f);
    expect(text).toBe([
      'def f(input_1: float32[8], conv_out_0: float32[8]):',
      '  for _0k in range(0, 8):',
      '    range_: int32 = _0k + 1',
      '    conv_out_0[_0k] = input_1[_0k]',
    ].join('\n'));
  });

  it('prints the function attributes sorted by key, whatever order they were given in', () => {
    const [i] = vars('i');
    const body = t.forLoop(i!, 0, 64, 'serial', t.bufferStore(A, t.floatImm(0), [i!]));
    const a = print(t.primFunc('f', [A], body, { target: 'wasm', argShapes: [[64]], noalias: true }));
    const b = print(t.primFunc('f', [A], body, { noalias: true, argShapes: [[64]], target: 'wasm' }));
    expect(a).toBe(b);
    expect(a.split('\n').slice(1, 4)).toEqual(['  # argShapes = [[64]]', '  # noalias = true', '  # target = "wasm"']);
  });
});
