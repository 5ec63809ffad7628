// tests/codegen/wgsl/insert_barriers.test.ts — before/expected pairs for codegen.wgsl.insertBarriers.

import { describe, expect, it } from 'vitest';
import { barrierStmt, insertBarriers, insertBarriersStmt } from '../../../codegen/wgsl/insert_barriers.js';
import * as T from '../../../tir/nodes.js';
import { structuralEqual } from '../../../tir/structural.js';
import { print } from '../../../tir/printer.js';

const i32 = (v: number): T.IntImm => T.intImm(v);
const S = T.buffer('S', [64], 'float32', 'shared');
const G = T.buffer('G', [64], 'float32');
const tx = T.variable('tx');
const ko = T.variable('ko');

const writeS = T.bufferStore(S, T.bufferLoad(G, [tx]), [tx]);
const readS = T.bufferStore(G, T.bufferLoad(S, [T.sub(i32(63), tx)]), [tx]);
const threads = (body: T.Stmt): T.Stmt => T.forLoop(tx, 0, 64, 'threadBinding', body, { threadTag: 'threadIdx.x' });
const expectSame = (got: T.Stmt, want: T.Stmt): void => {
  if (!structuralEqual(got, want)) expect(print(got)).toBe(print(want));
};

describe('insertBarriers', () => {
  it('puts a barrier between a shared write and a read of it', () => {
    const before = threads(T.seq([writeS, readS]));
    expectSame(insertBarriersStmt(before), threads(T.seq([writeS, barrierStmt(), readS])));
  });

  it('puts a barrier at the loop head when the next iteration overwrites what this one read', () => {
    const before = threads(T.forLoop(ko, 0, 4, 'serial', T.seq([writeS, readS])));
    const want = threads(T.forLoop(ko, 0, 4, 'serial', T.seq([barrierStmt(), writeS, barrierStmt(), readS])));
    expectSame(insertBarriersStmt(before), want);
  });

  it('hoists the barrier before a guarded (thread-dependent) compound statement rather than into it', () => {
    const guarded = T.ifThenElse(T.lt(tx, i32(10)), readS);
    const before = threads(T.seq([writeS, guarded]));
    expectSame(insertBarriersStmt(before), threads(T.seq([writeS, barrierStmt(), guarded])));
  });

  it('adds nothing when shared memory is only written, or only read', () => {
    const onlyWrites = threads(T.seq([writeS, T.bufferStore(S, T.floatImm(1), [tx])]));
    expect(insertBarriersStmt(onlyWrites)).toBe(onlyWrites);
    const global = threads(T.seq([T.bufferStore(G, T.floatImm(1), [tx]), T.bufferStore(G, T.bufferLoad(G, [tx]), [tx])]));
    expect(insertBarriersStmt(global)).toBe(global);
  });

  it('keeps existing barriers and does not double them', () => {
    const before = threads(T.seq([writeS, barrierStmt(), readS]));
    expectSame(insertBarriersStmt(before), before);
  });

  it('refuses a barrier needed inside a thread-dependent branch', () => {
    const bad = threads(T.ifThenElse(T.lt(tx, i32(10)), T.seq([writeS, readS])));
    expect(() => insertBarriersStmt(bad)).toThrow(/barrier is needed inside a branch/);
  });

  it('allows barriers inside a branch that is uniform across the workgroup', () => {
    const bx = T.variable('bx');
    const body = T.forLoop(bx, 0, 2, 'threadBinding', threads(T.ifThenElse(T.lt(bx, i32(1)), T.seq([writeS, readS]))), { threadTag: 'blockIdx.x' });
    const got = insertBarriersStmt(body);
    const want = T.forLoop(bx, 0, 2, 'threadBinding', threads(T.ifThenElse(T.lt(bx, i32(1)), T.seq([writeS, barrierStmt(), readS]))), { threadTag: 'blockIdx.x' });
    expectSame(got, want);
  });

  it('needs no barrier between accesses each thread makes to its own elements (affine, strides separate threads)', () => {
    const R = T.buffer('R', [64 * 4], 'float32', 'shared');
    const i = T.variable('i');
    const own = T.add(T.mul(tx, i32(4)), i);
    const acc = T.forLoop(i, 0, 4, 'serial', T.seq([
      T.bufferStore(R, T.floatImm(0), [own]),
      T.bufferStore(R, T.add(T.bufferLoad(R, [own]), T.bufferLoad(G, [tx])), [own]),
    ]));
    const before = threads(acc);
    expect(insertBarriersStmt(before)).toBe(before);
  });

  it('still syncs when the strides let threads overlap (S[tx + i])', () => {
    const i = T.variable('i');
    const shared = T.add(tx, i);
    const before = threads(T.forLoop(i, 0, 4, 'serial', T.seq([
      T.bufferStore(S, T.floatImm(0), [shared]),
      T.bufferStore(G, T.bufferLoad(S, [shared]), [tx]),
    ])));
    const got = insertBarriersStmt(before);
    expect(got).not.toBe(before);
    expect(print(got).match(/storage_sync/g)?.length).toBe(2);
  });

  it('returns the same PrimFunc when nothing is needed', () => {
    const f = T.primFunc('f', [G], threads(T.bufferStore(G, T.floatImm(0), [tx])));
    expect(insertBarriers(f)).toBe(f);
  });
});
