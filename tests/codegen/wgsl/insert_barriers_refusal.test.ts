// tests/codegen/wgsl/insert_barriers_refusal.test.ts — the barrier planner's refusal of a barrier
// inside a branch whose condition differs between threads names the condition's kind: "a lt
// comparison" for a comparison, the node kind otherwise (a LogicalOp `and`, a Not, a bool load) —
// survivor of the session-11 sample (insert_barriers.ts:214, every condition described as a comparison).

import { describe, expect, it } from 'vitest';
import { insertBarriersStmt } from '../../../codegen/wgsl/insert_barriers.js';
import * as T from '../../../tir/nodes.js';

const tx = T.variable('tx');
const S = T.buffer('S', [64], 'float32', 'shared');
const G = T.buffer('G', [64], 'float32');
const M = T.buffer('M', [64], 'bool');
const O = T.buffer('O', [64], 'float32');
const i32 = (v: number): T.IntImm => T.intImm(v);

/** if (cond) { S[tx] = G[tx]; O[tx] = S[63 − tx] } inside 64 threads: needs a barrier under a thread-varying condition. */
const kernel = (cond: T.PrimExpr): T.Stmt => T.allocate(S, T.forLoop(tx, 0, 64, 'threadBinding', T.ifThenElse(cond, T.seq([
  T.bufferStore(S, T.bufferLoad(G, [tx]), [tx]),
  T.bufferStore(O, T.bufferLoad(S, [T.sub(i32(63), tx)]), [tx]),
])), { threadTag: 'threadIdx.x' }));

describe('insertBarriers refuses a barrier under a thread-varying condition, naming it', () => {
  const msg = (what: string): RegExp => new RegExp(`barrier is needed inside a branch whose condition differs between threads \\(${what}\\)`);
  it('a comparison is "a <op> comparison"; any other condition is named by its kind', () => {
    expect(() => insertBarriersStmt(kernel(T.ge(tx, i32(3))))).toThrow(msg('a ge comparison'));
    expect(() => insertBarriersStmt(kernel(T.and(T.lt(tx, i32(40)), T.gt(tx, i32(3)))))).toThrow(msg('LogicalOp'));
    expect(() => insertBarriersStmt(kernel(T.not(T.lt(tx, i32(40)))))).toThrow(msg('Not'));
    expect(() => insertBarriersStmt(kernel(T.bufferLoad(M, [tx])))).toThrow(msg('BufferLoad'));
  });
});
