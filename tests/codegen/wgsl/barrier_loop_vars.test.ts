// tests/codegen/wgsl/barrier_loop_vars.test.ts — barrier insertion depends on what each loop
// variable in a shared index is (codegen/wgsl/shared_access.ts bindLoopVar): a thread index, a
// block index (the same for every thread of a block), a bounded counter, or unknown (a loop with a
// non-constant extent). Each case is checked by its barrier count, a race-free run in the
// interpreter's race detector, a plain-JS answer, and (where a barrier is needed) a race without it.
// These are the cases a sampled mutation run of bindLoopVar let through.

import { describe, expect, it } from 'vitest';
import { insertBarriersStmt } from '../../../codegen/wgsl/insert_barriers.js';
import { interpret } from '../../../tir/interpreter.js';
import { DataRaceError } from '../../../tir/interpreter_race.js';
import * as T from '../../../tir/nodes.js';
import { print } from '../../../tir/printer.js';

const i32 = (v: number): T.IntImm => T.intImm(v);
const tx = T.variable('tx');
const bx = T.variable('bx');
const by = T.variable('by');
const barriers = (s: T.Stmt): number => print(s).match(/tir\.storage_sync/g)?.length ?? 0;
const NT = 64;
const threads = (body: T.Stmt): T.Stmt => T.forLoop(tx, 0, NT, 'threadBinding', body, { threadTag: 'threadIdx.x' });
const blocks = (v: T.Var, n: number, tag: T.ThreadTag, body: T.Stmt): T.Stmt => T.forLoop(v, 0, n, 'threadBinding', body, { threadTag: tag });

const G = T.buffer('G', [256], 'float32');
const O = T.buffer('O', [4 * NT], 'float32');
const input = (): Float32Array => Float32Array.from({ length: 256 }, (_, k) => k * 0.25 + 1);

/** Runs `kernel` (S allocated around it) on G = input(); returns O. Throws DataRaceError on a race. */
function run(S: T.Buffer, kernel: T.Stmt): Float32Array {
  const o = new Float32Array(4 * NT);
  interpret(T.primFunc('k', [G, O], T.allocate(S, kernel)), [input(), o]);
  return o;
}

describe('insertBarriers: loop variables in shared indices', () => {
  // One block (bx = 0), so j = 1 only: thread tx reads its neighbour's element.
  for (const [what, min, extent] of [
    ['a non-constant extent: j in [1, bx + 2)', i32(1), T.add(bx, i32(1))],
    ['a non-constant start: j in [bx + 1, bx + 2)', T.add(bx, i32(1)), i32(1)],
  ] as const) {
    it(`treats a loop with ${what} as unknown: S[tx] written, S[tx + j] read needs a barrier`, () => {
      const S = T.buffer('S', [NT + 1], 'float32', 'shared');
      const j = T.variable('j');
      const kernel = blocks(bx, 1, 'blockIdx.x', threads(T.seq([
        // S[k] = G[k] for k ≤ 64 (S[tx + 1] written twice with one value: an index in the threads).
        T.bufferStore(S, T.bufferLoad(G, [tx]), [tx]),
        T.bufferStore(S, T.bufferLoad(G, [T.add(tx, i32(1))]), [T.add(tx, i32(1))]),
        T.forLoop(j, min, extent, 'serial', T.bufferStore(O, T.bufferLoad(S, [T.add(tx, j)]), [tx])),
      ])));
      const planned = insertBarriersStmt(kernel);
      expect(barriers(planned)).toBe(1);
      const want = Array.from({ length: 4 * NT }, (_, k) => (k < NT ? (k + 1) * 0.25 + 1 : 0));
      expect(Array.from(run(S, planned))).toEqual(want);
      expect(() => run(S, kernel)).toThrow(DataRaceError);
    });
  }

  it('treats a block index as the same for every thread: S[tx + bx] written and read back needs no barrier; S[tx + bx + 1] needs one', () => {
    const S = T.buffer('S', [NT + 2], 'float32', 'shared');
    const at = (shift: number): T.PrimExpr => T.add(T.add(tx, bx), i32(shift));
    const out = T.add(T.mul(bx, i32(NT)), tx);
    // Shared memory starts undefined: zero S[0 … 65] first.
    const kernel = (shift: number): T.Stmt => blocks(bx, 2, 'blockIdx.x', threads(T.seq([
      T.bufferStore(S, T.floatImm(0), [tx]),
      T.bufferStore(S, T.floatImm(0), [T.add(tx, i32(2))]),
      T.evaluate(T.call('tir.storage_sync', [], 'int32')),
      T.bufferStore(S, T.bufferLoad(G, [out]), [at(0)]),
      T.bufferStore(O, T.bufferLoad(S, [at(shift)]), [out]),
    ])));
    const own = kernel(0);
    expect(insertBarriersStmt(own)).toBe(own);
    expect(Array.from(run(S, own)).slice(0, 2 * NT)).toEqual(Array.from({ length: 2 * NT }, (_, k) => k * 0.25 + 1));
    const planned = insertBarriersStmt(kernel(1));
    expect(barriers(planned)).toBe(2);
    // Plain JS: block b, thread t reads S[t + b + 1] = G[64b + t + 1] (0 for the last thread).
    const want = Array.from({ length: 2 * NT }, (_, k) => (k % NT === NT - 1 ? 0 : (k + 1) * 0.25 + 1));
    expect(Array.from(run(S, planned)).slice(0, 2 * NT)).toEqual(want);
    expect(() => run(S, kernel(1))).toThrow(DataRaceError);
  });

  it('keeps two block axes apart: S[tx + bx] written, S[tx + by] read needs a barrier', () => {
    const S = T.buffer('S', [NT + 2], 'float32', 'shared');
    const blk = T.add(T.mul(by, i32(2)), bx);
    const out = T.add(T.mul(blk, i32(NT)), tx);
    // Shared memory starts undefined on a GPU (and keeps the last block's values in the
    // interpreter): zero S[0 … 65] first, then sync.
    const kernel = blocks(by, 2, 'blockIdx.y', blocks(bx, 2, 'blockIdx.x', threads(T.seq([
      T.bufferStore(S, T.floatImm(0), [tx]),
      T.bufferStore(S, T.floatImm(0), [T.add(tx, i32(2))]),
      T.evaluate(T.call('tir.storage_sync', [], 'int32')),
      T.bufferStore(S, T.bufferLoad(G, [out]), [T.add(tx, bx)]),
      T.bufferStore(O, T.bufferLoad(S, [T.add(tx, by)]), [out]),
    ]))));
    const planned = insertBarriersStmt(kernel);
    expect(barriers(planned)).toBe(2);
    const g = input();
    // Plain JS: block (x, y) sets S[t + x] = G[64(2y + x) + t] (each block's S starts at 0), then thread t reads S[t + y].
    const want: number[] = [];
    for (let yy = 0; yy < 2; yy++) for (let xx = 0; xx < 2; xx++) {
      const s = new Array<number>(NT + 2).fill(0);
      for (let t = 0; t < NT; t++) s[t + xx] = g[64 * (2 * yy + xx) + t]!;
      for (let t = 0; t < NT; t++) want.push(s[t + yy]!);
    }
    expect(Array.from(run(S, planned))).toEqual(want);
    expect(() => run(S, kernel)).toThrow(DataRaceError);
  });

  it('treats a serial counter as a range of one thread: S[2tx + i] for i < 2, then S[2tx + 1], needs no barrier', () => {
    const S = T.buffer('S', [2 * NT], 'float32', 'shared');
    const i = T.variable('i');
    const at = T.add(T.mul(tx, i32(2)), i);
    const kernel = threads(T.seq([
      T.forLoop(i, 0, 2, 'serial', T.bufferStore(S, T.bufferLoad(G, [at]), [at])),
      T.bufferStore(O, T.bufferLoad(S, [T.add(T.mul(tx, i32(2)), i32(1))]), [tx]),
    ]));
    expect(insertBarriersStmt(kernel)).toBe(kernel);
    expect(Array.from(run(S, kernel)).slice(0, NT)).toEqual(Array.from({ length: NT }, (_, k) => (2 * k + 1) * 0.25 + 1));
  });

  it('treats a vthread as iterations of one thread, not a thread index nor a block index: S[2tx + vt], then S[2tx + 1], needs no barrier', () => {
    const S = T.buffer('S', [2 * NT], 'float32', 'shared');
    const vt = T.variable('vt');
    const at = T.add(T.mul(tx, i32(2)), vt);
    const kernel = threads(T.seq([
      T.forLoop(vt, 0, 2, 'threadBinding', T.bufferStore(S, T.bufferLoad(G, [at]), [at]), { threadTag: 'vthread' }),
      T.bufferStore(O, T.bufferLoad(S, [T.add(T.mul(tx, i32(2)), i32(1))]), [tx]),
    ]));
    expect(insertBarriersStmt(kernel)).toBe(kernel);
    expect(Array.from(run(S, kernel)).slice(0, NT)).toEqual(Array.from({ length: NT }, (_, k) => (2 * k + 1) * 0.25 + 1));
  });

  it('still syncs across vthread iterations when threads share elements: S[tx + vt] written, S[tx + 1] read', () => {
    const S = T.buffer('S', [NT + 1], 'float32', 'shared');
    const vt = T.variable('vt');
    const kernel = threads(T.seq([
      T.forLoop(vt, 0, 2, 'threadBinding', T.bufferStore(S, T.bufferLoad(G, [T.add(tx, vt)]), [T.add(tx, vt)]), { threadTag: 'vthread' }),
      T.bufferStore(O, T.bufferLoad(S, [T.add(tx, i32(1))]), [tx]),
    ]));
    const planned = insertBarriersStmt(kernel);
    expect(barriers(planned)).toBe(1);
    expect(Array.from(run(S, planned)).slice(0, NT)).toEqual(Array.from({ length: NT }, (_, k) => (k + 1) * 0.25 + 1));
    expect(() => run(S, kernel)).toThrow(DataRaceError);
  });
});
