// tests/tir/passes/loop_partition_cuts.test.ts — how many pieces loopPartition cuts a loop into:
// at most MAX_CUTS = 2 levels of cuts per loop, however many guards it has, and a piece
// of one iteration whose body is another loop hands that loop a full budget of its own. Results
// are checked against plain JS (each guarded read-modify-write done in a JS loop).

import { describe, expect, it } from 'vitest';
import * as t from '../../../tir/nodes.js';
import { loopPartition } from '../../../tir/passes/loop_partition.js';
import { interpret } from '../../../tir/interpreter.js';
import { c, loopsOver, vars } from '../helpers.js';

const N = 20;
const A = t.buffer('A', [N], 'float32');
const B = t.buffer('B', [N], 'float32');
const fn = (body: t.Stmt): t.PrimFunc => t.primFunc('f', [A, B], body, { argShapes: [[N], [N]] });

function countIfs(s: t.Stmt): number {
  switch (s.kind) {
    case 'IfThenElse': return 1 + countIfs(s.thenCase) + (s.elseCase ? countIfs(s.elseCase) : 0);
    case 'SeqStmt': return s.seq.reduce((n, x) => n + countIfs(x), 0);
    case 'For': case 'LetStmt': case 'Allocate': return countIfs(s.body);
    default: return 0;
  }
}

const a0 = Float32Array.from({ length: N }, (_, k) => (k * 7) % 11 - 3.5);
function run(f: t.PrimFunc): number[] {
  const b = Float32Array.from({ length: N }, (_, k) => k);
  interpret(f, [a0.slice(), b]);
  return [...b];
}

/** B[x] = B[x] + A[x] under `x < k`, for each k in `ks`. */
const guarded = (x: t.PrimExpr, ks: number[]): t.Stmt => t.seq(ks.map((k) => t.ifThenElse(t.lt(x, c(k)),
  t.bufferStore(B, t.add(t.bufferLoad(B, [x]), t.bufferLoad(A, [x])), [x]))));

describe('loopPartition: cut budget', () => {
  it('guards i < 3, 7, 11, 15 over [0, 20): two levels of cuts (at 15: the tail does nothing and goes; at 11), the rest stays guarded', () => {
    const [i] = vars('i') as [t.Var];
    const ks = [3, 7, 11, 15];
    const before = fn(t.forLoop(i, 0, N, 'serial', guarded(i, ks)));
    const after = loopPartition(before);
    const pieces = loopsOver(after.body, i);
    expect(pieces.map((l) => [(l.min as t.IntImm).value, (l.extent as t.IntImm).value])).toEqual([[0, 11], [11, 4]]);
    expect(countIfs(pieces[0]!.body)).toBe(2);
    expect(countIfs(pieces[1]!.body)).toBe(0);
    const want = Array.from({ length: N }, (_, k) => Math.fround(k + ks.filter((q) => k < q).length * a0[k]!));
    expect(run(after)).toEqual(want);
    expect(run(before)).toEqual(want);
  });

  it('a one-iteration piece whose body is a loop gives that loop a full budget of its own (two cuts each)', () => {
    // for i in [0, 2): { if (i < 1) B[19] = B[19] + A[19]; for j in [0, 16): guarded(j, 3, 7, 11) }
    const [i, j] = vars('i', 'j') as [t.Var, t.Var];
    const ks = [3, 7, 11];
    const inner = t.forLoop(j, 0, 16, 'serial', guarded(j, ks));
    const before = fn(t.forLoop(i, 0, 2, 'serial', t.seq([
      t.ifThenElse(t.lt(i, c(1)), t.bufferStore(B, t.add(t.bufferLoad(B, [c(19)]), t.bufferLoad(A, [c(19)])), [c(19)])),
      inner,
    ])));
    const after = loopPartition(before);
    expect(loopsOver(after.body, i)).toHaveLength(0); // both pieces ran once and were unrolled away
    // each copy of the j loop: cut at 11 (the tail does nothing), then at 7
    expect(loopsOver(after.body, j).map((l) => [(l.min as t.IntImm).value, (l.extent as t.IntImm).value])).toEqual([[0, 7], [7, 4], [0, 7], [7, 4]]);
    const want = Array.from({ length: N }, (_, k) => k);
    for (let it = 0; it < 2; it++) {
      if (it < 1) want[19] = Math.fround(want[19]! + a0[19]!);
      for (let jj = 0; jj < 16; jj++) for (const q of ks) if (jj < q) want[jj] = Math.fround(want[jj]! + a0[jj]!);
    }
    expect(run(after)).toEqual(want);
    expect(run(before)).toEqual(want);
  });
});
