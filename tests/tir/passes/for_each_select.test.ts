// tests/tir/passes/for_each_select.test.ts — forEachSelect reports every Select in an expression,
// outermost first, and a tir.if_then_else as a Select of its three arguments; other nodes
// (loads, arithmetic, calls of other intrinsics) are walked but not reported. The fresh seed-1101
// sample found the if_then_else test (ir_query.ts:76) → `true` unchecked.

import { describe, expect, it } from 'vitest';
import * as t from '../../../tir/nodes.js';
import { forEachSelect } from '../../../tir/passes/ir_query.js';
import { print } from '../../../tir/printer.js';

describe('forEachSelect', () => {
  it('selects and if_then_else, outermost first; nothing else', () => {
    const A = t.buffer('A', [4], 'float32');
    const i = t.variable('i');
    const c = t.lt(i, t.intImm(2));
    const inner = t.select(c, t.bufferLoad(A, [i]), t.floatImm(0));
    const ite = t.ifThenElseExpr(t.gt(i, t.intImm(0)), t.call('exp', [inner]), t.floatImm(1));
    const e = t.add(t.select(c, ite, t.floatImm(2)), t.call('sqrt', [t.bufferLoad(A, [t.intImm(0)])]));
    const seen: string[] = [];
    forEachSelect(e, (s) => seen.push(print(s)));
    expect(seen).toEqual([
      print(t.select(c, ite, t.floatImm(2))),
      print(t.select(t.gt(i, t.intImm(0)), t.call('exp', [inner]), t.floatImm(1))),
      print(inner),
    ]);
    const none: string[] = [];
    forEachSelect(t.add(t.bufferLoad(A, [i]), t.call('exp', [t.floatImm(1)])), (s) => none.push(print(s)));
    expect(none).toEqual([]);
  });
});
