// tests/tir/passes/remove_no_op.test.ts — statements that do nothing disappear; barriers stay.
import { describe, expect, it } from 'vitest';
import * as t from '../../../tir/nodes.js';
import { removeNoOp } from '../../../tir/passes/remove_no_op.js';
import { c, expectIR, vars } from '../helpers.js';

const A = t.buffer('A', [16], 'float32');
const fn = (body: t.Stmt): t.PrimFunc => t.primFunc('f', [A], body, { argShapes: [[16]] });
const store = (i: t.PrimExpr): t.Stmt => t.bufferStore(A, t.floatImm(1), [i]);

describe('removeNoOp', () => {
  it('drops Evaluate(0) and pure evaluated expressions from sequences', () => {
    const [i] = vars('i');
    const before = fn(t.forLoop(i!, 0, 16, 'serial', t.seq([t.noOp(), store(i!), t.evaluate(t.add(i!, c(1)))])));
    expectIR(removeNoOp(before), fn(t.forLoop(i!, 0, 16, 'serial', store(i!))));
  });

  it('removes loops whose body is empty and loops that never run', () => {
    const [i, j] = vars('i', 'j');
    const before = fn(t.seq([t.forLoop(i!, 0, 16, 'parallel', t.noOp()), t.forLoop(j!, 0, 0, 'serial', store(j!)), store(c(3))]));
    expectIR(removeNoOp(before), fn(store(c(3))));
  });

  it('replaces if(false) by its else branch and if(true) by its then branch', () => {
    const before = fn(t.seq([
      t.ifThenElse(t.intImm(0, 'bool'), store(c(1)), store(c(2))),
      t.ifThenElse(t.intImm(1, 'bool'), store(c(3))),
    ]));
    expectIR(removeNoOp(before), fn(t.seq([store(c(2)), store(c(3))])));
  });

  it('negates the condition when only the else branch does something', () => {
    const [i] = vars('i');
    const before = fn(t.forLoop(i!, 0, 16, 'serial', t.ifThenElse(t.lt(i!, c(4)), t.noOp(), store(i!))));
    expectIR(removeNoOp(before), fn(t.forLoop(i!, 0, 16, 'serial', t.ifThenElse(t.not(t.lt(i!, c(4))), store(i!)))));
  });

  it('removes a store of a location to itself', () => {
    const [i] = vars('i');
    const before = fn(t.forLoop(i!, 0, 16, 'serial', t.bufferStore(A, t.bufferLoad(A, [i!]), [i!])));
    expectIR(removeNoOp(before), fn(t.noOp()));
  });

  it('removes an allocation nothing uses and a let nothing reads', () => {
    const T = t.buffer('T', [4], 'float32', 'local');
    const [v] = vars('v');
    const before = fn(t.allocate(T, t.letStmt(v!, c(3), store(c(0)))));
    expectIR(removeNoOp(before), fn(store(c(0))));
  });

  it('keeps a storage_sync barrier', () => {
    const sync = t.evaluate(t.call('tir.storage_sync', [], 'int32'));
    const f = fn(t.seq([store(c(0)), sync]));
    expect(removeNoOp(f)).toBe(f);
  });
});
