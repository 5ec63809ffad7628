// tests/codegen/wgsl/shared_access.test.ts — the affine access analysis behind barrier insertion
// (codegen/wgsl/shared_access.ts) on products with the constant on either side (c·tx and tx·c)
// and on products of two thread-dependent terms (which it must not treat as affine): a thread
// reading back its own element needs no barrier, reading another's needs one; each placement is
// checked by the barrier count, a race-free interpreter run and the plain-JS answer, and the
// barrier is shown to be needed by the race detector.

import { describe, expect, it } from 'vitest';
import { insertBarriersStmt } from '../../../codegen/wgsl/insert_barriers.js';
import { interpret } from '../../../tir/interpreter.js';
import { DataRaceError } from '../../../tir/interpreter_race.js';
import * as T from '../../../tir/nodes.js';
import { print } from '../../../tir/printer.js';

const i32 = (v: number): T.IntImm => T.intImm(v);
const tx = T.variable('tx');
const ty = T.variable('ty');
const S = T.buffer('S', [256], 'float32', 'shared');
const G = T.buffer('G', [256], 'float32');
const O = T.buffer('O', [64], 'float32');
const barriers = (s: T.Stmt): number => print(s).match(/tir\.storage_sync/g)?.length ?? 0;
const threads = (body: T.Stmt): T.Stmt => T.forLoop(tx, 0, 64, 'threadBinding', body, { threadTag: 'threadIdx.x' });

/** Thread tx writes S[w(tx)] = G[w(tx)], then O[tx] = S[r(tx)]. */
const kernel = (w: T.PrimExpr, r: T.PrimExpr): T.Stmt => threads(T.seq([
  T.bufferStore(S, T.bufferLoad(G, [w]), [w]),
  T.bufferStore(O, T.bufferLoad(S, [r]), [tx]),
]));
const g = Float32Array.from({ length: 256 }, (_, k) => k * 0.25 + 1);
const run = (body: T.Stmt, f = 'k'): Float32Array => {
  const o = new Float32Array(64);
  interpret(T.primFunc(f, [G, O], T.allocate(S, body)), [g, o]);
  return o;
};

describe('shared access analysis: constant factors on either side', () => {
  for (const [name, own] of [['2·tx', T.mul(i32(2), tx)], ['tx·2', T.mul(tx, i32(2))]] as const) {
    it(`${name}: reading back one's own element needs no barrier`, () => {
      const k = kernel(own, own);
      expect(barriers(insertBarriersStmt(k))).toBe(0);
      expect(Array.from(run(insertBarriersStmt(k)))).toEqual(Array.from({ length: 64 }, (_, t) => g[2 * t]!));
    });
  }

  it("2·(63 − tx) read after 2·tx written: another thread's element, one barrier", () => {
    const k = kernel(T.mul(i32(2), tx), T.mul(i32(2), T.sub(i32(63), tx)));
    const planned = insertBarriersStmt(k);
    expect(barriers(planned)).toBe(1);
    expect(Array.from(run(planned))).toEqual(Array.from({ length: 64 }, (_, t) => g[2 * (63 - t)]!));
    expect(() => run(k)).toThrow(DataRaceError);
  });

  it('a product of two thread-dependent terms is not taken for an affine index: the barrier stays', () => {
    // 2-D workgroup 8×8: thread (tx, ty) writes S[tx·ty + ...] and reads S[(7 − tx)·ty]: others' elements.
    const body = T.forLoop(ty, 0, 8, 'threadBinding', T.forLoop(tx, 0, 8, 'threadBinding', T.seq([
      T.bufferStore(S, T.bufferLoad(G, [T.add(T.mul(ty, i32(8)), tx)]), [T.add(T.mul(ty, i32(8)), tx)]),
      T.bufferStore(O, T.bufferLoad(S, [T.mul(T.sub(i32(7), tx), ty)]), [T.add(T.mul(ty, i32(8)), tx)]),
    ]), { threadTag: 'threadIdx.x' }), { threadTag: 'threadIdx.y' });
    const planned = insertBarriersStmt(body);
    expect(barriers(planned)).toBe(1);
    expect(Array.from(run(planned, 'prod'))).toEqual(Array.from({ length: 64 }, (_, p) => g[(7 - (p % 8)) * Math.floor(p / 8)]!));
    expect(() => run(body, 'prod')).toThrow(DataRaceError);
  });

  it("a product written, a shifted element read: threads read others' products, so a barrier (not taken for S[0] written by all)", () => {
    // thread (tx, ty) writes S[tx·ty] = G[tx·ty], then reads S[tx + 5]: written by the threads whose product is tx + 5
    const prod = T.mul(tx, ty);
    const body = T.forLoop(ty, 0, 8, 'threadBinding', T.forLoop(tx, 0, 8, 'threadBinding', T.seq([
      T.bufferStore(S, T.bufferLoad(G, [prod]), [prod]),
      T.bufferStore(O, T.bufferLoad(S, [T.add(tx, i32(5))]), [T.add(T.mul(ty, i32(8)), tx)]),
    ]), { threadTag: 'threadIdx.x' }), { threadTag: 'threadIdx.y' });
    const planned = insertBarriersStmt(body);
    expect(barriers(planned)).toBe(1);
    const products = new Set<number>();
    for (let a = 0; a < 8; a++) for (let b = 0; b < 8; b++) products.add(a * b);
    expect(Array.from(run(planned, 'prod2'))).toEqual(Array.from({ length: 64 }, (_, p) => (products.has((p % 8) + 5) ? g[(p % 8) + 5]! : 0)));
    expect(() => run(body, 'prod2')).toThrow(DataRaceError);
  });

  it('(k + 2)·tx written in a serial k loop, 2·tx + 1 read: not affine, so a barrier (not taken for 2·tx)', () => {
    const k = T.variable('k');
    const w = T.mul(T.add(k, i32(2)), tx);
    const r = T.add(T.mul(i32(2), tx), i32(1));
    const body = threads(T.seq([
      T.forLoop(k, 0, 3, 'serial', T.bufferStore(S, T.bufferLoad(G, [w]), [w])),
      T.bufferStore(O, T.bufferLoad(S, [r]), [tx]),
    ]));
    const planned = insertBarriersStmt(body);
    expect(barriers(planned)).toBe(1);
    const written = new Set<number>();
    for (let kk = 0; kk < 3; kk++) for (let t = 0; t < 64; t++) written.add((kk + 2) * t);
    expect(Array.from(run(planned, 'kmul'))).toEqual(Array.from({ length: 64 }, (_, t) => (written.has(2 * t + 1) ? g[2 * t + 1]! : 0)));
    expect(() => run(body, 'kmul')).toThrow(DataRaceError);
  });
});
