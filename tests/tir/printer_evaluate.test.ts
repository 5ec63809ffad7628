// tests/tir/printer_evaluate.test.ts — how print writes an Evaluate: the no-op Evaluate(0) as
// `pass`, any other value (another constant, a call) as the expression itself; and a variable
// whose name has no identifier characters gets the fallback name `v`.

import { describe, expect, it } from 'vitest';
import * as t from '../../tir/nodes.js';
import { print } from '../../tir/printer.js';

const B = t.buffer('B', [2], 'int32');
const bodyLines = (s: t.Stmt): string[] => print(t.primFunc('f', [B], s)).split('\n').slice(1).map((l) => l.trim());

describe('print: Evaluate', () => {
  it('Evaluate(0) is pass; other values are printed', () => {
    expect(bodyLines(t.noOp())).toEqual(['pass']);
    expect(bodyLines(t.evaluate(t.intImm(1)))).toEqual(['1']);
    expect(bodyLines(t.evaluate(t.intImm(0, 'bool')))).toEqual(['pass']);
    expect(bodyLines(t.evaluate(t.call('tir.storage_sync', [], 'int32')))).toEqual(['tir.storage_sync()']);
    expect(bodyLines(t.seq([t.noOp(), t.evaluate(t.floatImm(0))]))).toEqual(['pass', '0.0']);
  });

  it('a variable named with no identifier characters prints as v', () => {
    const v = t.variable('');
    const w = t.variable('-');
    expect(bodyLines(t.letStmt(v, t.intImm(2), t.bufferStore(B, v, [t.intImm(0)])))).toEqual(['v: int32 = 2', 'B[0] = v']);
    expect(bodyLines(t.letStmt(w, t.intImm(2), t.bufferStore(B, w, [t.intImm(0)])))).toEqual(['_: int32 = 2', 'B[0] = _']);
  });
});
