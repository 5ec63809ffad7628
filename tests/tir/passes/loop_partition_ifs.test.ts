// tests/tir/passes/loop_partition_ifs.test.ts — loopPartition under an if/else: the guarded loop
// in the then branch is cut and the if rebuilt around it with the same condition and the same
// else branch; an if with nothing to cut is returned as the same object. Values vs plain JS.

import { describe, expect, it } from 'vitest';
import * as t from '../../../tir/nodes.js';
import { interpret } from '../../../tir/interpreter.js';
import { loopPartition } from '../../../tir/passes/loop_partition.js';

describe('loopPartition inside an if/else', () => {
  it('cuts the guarded loop in the then branch and keeps the else branch', () => {
    const N = 10;
    const A = t.buffer('A', [N], 'float32');
    const B = t.buffer('B', [N], 'float32');
    const F = t.buffer('F', [1], 'int32');
    const i = t.variable('i');
    const j = t.variable('j');
    const flag = t.bufferLoad(F, [t.intImm(0)]);
    const guarded = t.forLoop(i, 0, N, 'serial', t.ifThenElse(t.lt(i, t.intImm(7)),
      t.bufferStore(B, t.mul(t.bufferLoad(A, [i]), t.floatImm(2)), [i]), t.bufferStore(B, t.floatImm(-1), [i])));
    const other = t.forLoop(j, 0, N, 'serial', t.bufferStore(B, t.bufferLoad(A, [j]), [j]));
    const body = t.ifThenElse(t.gt(flag, t.intImm(0)), guarded, other);
    const f = t.primFunc('f', [A, B, F], body);
    const g = loopPartition(f);
    expect(g.body.kind).toBe('IfThenElse');
    const ite = g.body as t.IfThenElse;
    expect(ite.thenCase).not.toBe(guarded);
    expect(ite.elseCase).toBe(other);
    expect(ite.condition).toBe(body.condition);
    const a = Float32Array.from({ length: N }, (_, k) => k * 1.5 - 4);
    for (const fv of [0, 1]) {
      const b = new Float32Array(N);
      interpret(g, [a, b, Int32Array.of(fv)]);
      expect([...b]).toEqual([...a].map((x, k) => (fv > 0 ? (k < 7 ? x * 2 : -1) : x)));
    }
    // an if with nothing to cut is returned as is
    const plain = t.primFunc('p', [A, B, F], t.ifThenElse(t.gt(flag, t.intImm(0)), other));
    expect(loopPartition(plain).body).toBe(plain.body);
  });
});
