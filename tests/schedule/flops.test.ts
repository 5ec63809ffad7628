// tests/schedule/flops.test.ts — AutoTVM's FLOP count (schedule/flops.ts), node kind by node kind:
// each arithmetic op, comparison, logical op, not and intrinsic call is 1; a select or
// if_then_else costs its condition plus its dearer arm; casts, reads and index arithmetic are
// free; a reduction costs (source + 1 combine) per iteration of all its axes (its `where` is not
// counted); every reachable compute op counts once. Expected counts are worked out by hand.

import { describe, expect, it } from 'vitest';
import * as te from '../../schedule/index.js';
import * as tir from '../../tir/nodes.js';

const N = 6;
const A = te.placeholder([N], 'float32', 'A');
const per = (fn: (i: te.Expr) => te.ExprLike): number => te.opFlops(te.compute([N], fn, 'B').op) / N;

describe('flop count per node kind', () => {
  it('reads, constants and index arithmetic are free', () => {
    expect(per((i) => A.at(i))).toBe(0);
    expect(per((i) => A.at(i.add(1).floormod(N)))).toBe(0);
    expect(per(() => te.const(2))).toBe(0);
  });

  it('each binary op, comparison and logical op is 1', () => {
    expect(per((i) => A.at(i).add(1))).toBe(1);
    expect(per((i) => A.at(i).mul(A.at(i)).sub(2).div(3))).toBe(3);
    expect(per((i) => te.maximum(A.at(i), 0))).toBe(1);
    expect(per((i) => te.cast('float32', A.at(i).gt(0)))).toBe(1);
    expect(per((i) => te.cast('float32', A.at(i).gt(0).and(A.at(i).lt(1))))).toBe(3);
    expect(per((i) => te.cast('float32', A.at(i).gt(0).or(A.at(i).lt(1)).not()))).toBe(4);
  });

  it('casts are free, intrinsic calls are 1', () => {
    expect(per((i) => te.cast('int32', A.at(i).mul(2)))).toBe(1);
    expect(per((i) => te.exp(A.at(i)))).toBe(1);
    expect(per((i) => te.sigmoid(te.tanh(A.at(i).add(1))))).toBe(3);
  });

  it('a select or if_then_else costs its condition plus its dearer arm, whichever arm that is', () => {
    expect(per((i) => te.select(A.at(i).gt(0), A.at(i).mul(2).add(1), A.at(i)))).toBe(1 + 2);
    expect(per((i) => te.select(A.at(i).gt(0), A.at(i), A.at(i).mul(2).add(1).mul(3)))).toBe(1 + 3);
    expect(per((i) => te.ifThenElse(i.lt(3), A.at(i).mul(2), A.at(i)))).toBe(1 + 1);
    expect(per((i) => te.ifThenElse(i.lt(3).and(i.gt(0)), A.at(i), te.exp(A.at(i)).add(1)))).toBe(3 + 2);
  });

  it('a let costs its value and its body', () => {
    const v = tir.variable('v', 'float32');
    expect(per((i) => new te.Expr(tir.letExpr(v, A.at(i).mul(2).node, tir.add(v, tir.mul(v, v)))))).toBe(1 + 2);
  });

  it('a reduction costs (source + 1) per iteration of every axis; its where is not counted', () => {
    const B = te.placeholder([N, 5, 3], 'float32', 'B');
    const k = te.reduceAxis(5, 'k');
    const r = te.reduceAxis(3, 'r');
    const sum1 = te.compute([N], (i) => te.sum(B.at(i, k, 0).mul(2), [k]), 'S1');
    expect(te.opFlops(sum1.op)).toBe(N * 5 * 2);
    const k2 = te.reduceAxis(5, 'k2');
    const sum2 = te.compute([N], (i) => te.max(B.at(i, k2, r).add(1).mul(3), [k2, r]), 'S2');
    expect(te.opFlops(sum2.op)).toBe(N * 15 * 3);
    const k3 = te.reduceAxis(5, 'k3');
    const sum3 = te.compute([N], (i) => te.sum(B.at(i, k3, 0), [k3], new te.Expr(k3.variable).lt(i.add(1).mul(2))), 'S3');
    expect(te.opFlops(sum3.op)).toBe(N * 5);
  });

  it('placeholders are free; flopCount counts each reachable compute op once', () => {
    expect(te.opFlops(A.op)).toBe(0);
    const B = te.compute([N], (i) => A.at(i).mul(2), 'B'); // 1
    const C = te.compute([N], (i) => B.at(i).add(B.at(i)), 'C'); // 1
    const D = te.compute([N], (i) => B.at(i).sub(C.at(i)).mul(3), 'D'); // 2
    expect(te.flopCount(D)).toBe(N * (1 + 1 + 2));
    expect(te.flopCount([C, D])).toBe(N * (1 + 1 + 2));
    expect(te.flopCount([B])).toBe(N);
    const M = te.compute([2, 3], (i, j) => A.at(i.mul(3).add(j)).mul(2), 'M');
    expect(te.flopCount(M)).toBe(6);
  });
});
