// tests/codegen/wgsl/insert_barriers_loop.test.ts — barrier insertion across a serial loop's back
// edge (codegen/wgsl/insert_barriers.ts: the loop is re-planned until its entry's pending accesses
// reach a fixed point, compared buffer by buffer *and* index by index). Here the buffer set is the
// same after one pass but the indices are not: before the loop each thread writes S[tx]; each
// iteration reads S[tx], then writes S[63 − tx]. The next iteration's read of S[tx] was written by
// thread 63 − tx, so it needs a barrier that only the second pass finds. Checked three ways: the
// barrier count, a race-free run in the interpreter, and the plain-JS answer.

import { describe, expect, it } from 'vitest';
import { insertBarriersStmt } from '../../../codegen/wgsl/insert_barriers.js';
import { interpret } from '../../../tir/interpreter.js';
import { DataRaceError } from '../../../tir/interpreter_race.js';
import * as T from '../../../tir/nodes.js';
import { print } from '../../../tir/printer.js';

const tx = T.variable('tx');
const k = T.variable('k');
const ITERS = 3;
const S = T.buffer('S', [64], 'float32', 'shared');
const G = T.buffer('G', [64], 'float32');
const O = T.buffer('O', [ITERS * 64], 'float32');
const barriers = (s: T.Stmt): number => print(s).match(/tir\.storage_sync/g)?.length ?? 0;

// for tx (64 threads): S[tx] = G[tx]; for k < 3: { O[64k + tx] = S[tx]; S[63 − tx] = G[tx] + k }
const kernel = T.forLoop(tx, 0, 64, 'threadBinding', T.seq([
  T.bufferStore(S, T.bufferLoad(G, [tx]), [tx]),
  T.forLoop(k, 0, ITERS, 'serial', T.seq([
    T.bufferStore(O, T.bufferLoad(S, [tx]), [T.add(T.mul(k, T.intImm(64)), tx)]),
    T.bufferStore(S, T.add(T.bufferLoad(G, [tx]), T.cast('float32', k)), [T.sub(T.intImm(63), tx)]),
  ])),
]), { threadTag: 'threadIdx.x' });

function run(body: T.Stmt): Float32Array {
  const g = Float32Array.from({ length: 64 }, (_, j) => j * 0.5 + 1);
  const o = new Float32Array(ITERS * 64);
  interpret(T.primFunc('back_edge', [G, O], T.allocate(S, body)), [g, o]);
  return o;
}

describe('insertBarriers: a serial loop whose back edge adds indices, not buffers', () => {
  it('puts a barrier before the read and before the write of every iteration', () => {
    const planned = insertBarriersStmt(kernel);
    // One before each of the loop body's two statements (the first is needed only from the back edge).
    expect(barriers(planned), print(planned)).toBe(2);
    // Plain JS: O[tx] = G[tx]; for k ≥ 1, O[64k + tx] = S[tx] = G[63 − tx] + (k − 1).
    const g = (j: number): number => j * 0.5 + 1;
    const want = Array.from({ length: ITERS * 64 }, (_, n) => {
      const kk = Math.floor(n / 64);
      const t = n % 64;
      return kk === 0 ? g(t) : g(63 - t) + (kk - 1);
    });
    expect(Array.from(run(planned))).toEqual(want);
  });

  it('is a real race without them (the interpreter detects it)', () => {
    expect(() => run(kernel)).toThrow(DataRaceError);
  });
});
