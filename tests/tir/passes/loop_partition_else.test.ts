// tests/tir/passes/loop_partition_else.test.ts — loopPartition collects the guards of an else
// branch too: a loop whose body is `if (flag) … else { if (i < 7) … else … }` is cut at 7, the
// pieces free of the inner guard; values vs plain JS for both flag values.

import { describe, expect, it } from 'vitest';
import * as t from '../../../tir/nodes.js';
import { interpret } from '../../../tir/interpreter.js';
import { loopPartition } from '../../../tir/passes/loop_partition.js';
import { loopsOver } from '../helpers.js';

const N = 10;
const A = t.buffer('A', [N], 'float32');
const B = t.buffer('B', [N], 'float32');
const F = t.buffer('F', [1], 'int32');
const i = t.variable('i');

describe('loopPartition: guards inside an else branch', () => {
  it('cuts the loop at the else branch\'s guard', () => {
    const flag = t.gt(t.bufferLoad(F, [t.intImm(0)]), t.intImm(0));
    const inner = t.ifThenElse(t.lt(i, t.intImm(7)), t.bufferStore(B, t.mul(t.bufferLoad(A, [i]), t.floatImm(2)), [i]), t.bufferStore(B, t.floatImm(-1), [i]));
    const body = t.forLoop(i, 0, N, 'serial', t.ifThenElse(flag, t.bufferStore(B, t.floatImm(0), [i]), inner));
    const f = t.primFunc('f', [A, B, F], body);
    const g = loopPartition(f);
    const loops = loopsOver(g.body, i);
    expect(loops.length).toBe(2);
    expect(loops.map((l) => [(l.min as t.IntImm).value, (l.extent as t.IntImm).value])).toEqual([[0, 7], [7, 3]]);
    const a = Float32Array.from({ length: N }, (_, k) => k - 2.5);
    for (const fv of [0, 1]) {
      const b = new Float32Array(N);
      interpret(g, [a, b, Int32Array.of(fv)]);
      expect([...b]).toEqual([...a].map((x, k) => (fv > 0 ? 0 : k < 7 ? x * 2 : -1)));
    }
  });
});
