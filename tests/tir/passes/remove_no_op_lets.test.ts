// tests/tir/passes/remove_no_op_lets.test.ts — removeNoOp on a LetStmt whose body is (or becomes)
// a no-op: a pure value goes with it; a value with an effect (tir.storage_sync, a barrier) stays as
// an Evaluate, as TVM's RemoveNoOp keeps it (MakeEvaluate); a let whose body does work is kept.

import { describe, expect, it } from 'vitest';
import * as t from '../../../tir/nodes.js';
import { isNoOp, removeNoOp } from '../../../tir/passes/remove_no_op.js';
import { print } from '../../../tir/printer.js';

const B = t.buffer('B', [4], 'int32');
const x = t.variable('x');
const fn = (body: t.Stmt): t.PrimFunc => t.primFunc('f', [B], body);
const sync = (): t.PrimExpr => t.call('tir.storage_sync', [], 'int32');

describe('removeNoOp: lets with a no-op body', () => {
  it('a pure value: the whole let goes', () => {
    for (const body of [t.noOp(), t.seq([t.noOp(), t.evaluate(t.intImm(3))])]) {
      const g = removeNoOp(fn(t.letStmt(x, t.add(t.bufferLoad(B, [t.intImm(0)]), t.intImm(1)), body)));
      expect(isNoOp(g.body), print(g)).toBe(true);
    }
  });

  it('a barrier in the value stays, as an Evaluate of it', () => {
    const g = removeNoOp(fn(t.letStmt(x, sync(), t.noOp())));
    expect(g.body.kind, print(g)).toBe('Evaluate');
    expect(print((g.body as t.Evaluate).value)).toBe(print(sync()));
  });

  it('a let whose body does work is kept', () => {
    const s = t.letStmt(x, sync(), t.bufferStore(B, x, [t.intImm(0)]));
    expect(removeNoOp(fn(s)).body).toBe(s);
  });
});
