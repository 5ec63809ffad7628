// tests/codegen/wgsl/shared_access_ramps.test.ts — the span of a vector (Ramp) index in the shared
// access analysis (codegen/wgsl/shared_access.ts): ramp(b, s, n) touches b + [min(0, s·(n−1)),
// max(0, s·(n−1))]. The session-12 run of the seed-1102 sample left every mutant of that line alive
// (no test built a shared vector access whose lanes cross into another thread's elements). Checked by
// summaries worked by hand for both stride signs, and end to end: a vec4 read that is the thread's own
// block needs no barrier; one that reaches into the next thread's block needs one — barrier count,
// race-free interpreter run after insertion, the plain-JS answer, and a DataRaceError without it.

import { describe, expect, it } from 'vitest';
import { insertBarriersStmt } from '../../../codegen/wgsl/insert_barriers.js';
import { summarizeIndex, type VarContext } from '../../../codegen/wgsl/shared_access.js';
import { interpret } from '../../../tir/interpreter.js';
import { DataRaceError } from '../../../tir/interpreter_race.js';
import * as T from '../../../tir/nodes.js';
import { print } from '../../../tir/printer.js';

const c = (v: number): T.IntImm => T.intImm(v);
const tx = T.variable('tx');
const i = T.variable('i');

describe('summarizeIndex of a Ramp, by hand', () => {
  const ctx: VarContext = new Map([[tx, { kind: 'thread', tag: 'threadIdx.x', extent: 16 }], [i, { kind: 'range', min: 0, max: 3 }]]);
  const span = (e: T.PrimExpr): [number, number] | undefined => {
    const s = summarizeIndex([e], ctx);
    return s && [s.lo, s.hi];
  };
  it('a positive stride widens the top: ramp(4tx, 1, 4) → [0, 3]; ramp(8tx + i, 2, 3) → [0, 7]', () => {
    expect(span(T.ramp(T.mul(tx, c(4)), c(1), 4))).toEqual([0, 3]);
    expect(span(T.ramp(T.add(T.mul(tx, c(8)), i), c(2), 3))).toEqual([0, 7]);
    expect(summarizeIndex([T.ramp(T.mul(tx, c(4)), c(1), 4)], ctx)!.thread.get('threadIdx.x')!.coeff).toBe(4);
  });
  it('a negative stride widens the bottom: ramp(4tx + 3, −1, 4) → [0, 3]; ramp(8tx, −3, 2) → [−3, 0]', () => {
    expect(span(T.ramp(T.add(T.mul(tx, c(4)), c(3)), c(-1), 4))).toEqual([0, 3]);
    expect(span(T.ramp(T.mul(tx, c(8)), c(-3), 2))).toEqual([-3, 0]);
  });
});

describe('vec4 shared accesses: a barrier exactly when a read reaches another thread', () => {
  const S = T.buffer('S', [68], 'float32', 'shared');
  const G = T.buffer('G', [68], 'float32');
  const O = T.buffer('O', [64], 'float32');
  const vec = (base: T.PrimExpr, stride: number): T.Ramp => T.ramp(base, c(stride), 4);
  const at = (k: number): T.PrimExpr => T.add(T.mul(tx, c(4)), c(k));
  /** 16 threads: S[w] = G[w], then O[4tx … 4tx+3] = S[r] (S is zero where nothing wrote, as in WGSL). */
  const kernel = (w: T.Ramp, r: T.Ramp): T.Stmt => T.forLoop(tx, 0, 16, 'threadBinding', T.seq([
    T.bufferStore(S, T.bufferLoad(G, [w]), [w]),
    T.bufferStore(O, T.bufferLoad(S, [r]), [vec(at(0), 1)]),
  ]), { threadTag: 'threadIdx.x' });
  const barriers = (s: T.Stmt): number => print(s).match(/tir\.storage_sync/g)?.length ?? 0;
  const g = Float32Array.from({ length: 68 }, (_, k) => k * 0.5 + 1);
  const run = (body: T.Stmt): number[] => {
    const o = new Float32Array(64);
    interpret(T.primFunc('k', [G, O], T.allocate(S, body)), [g, o]);
    return Array.from(o);
  };
  /** O[4t + l] = S[lane l of r(t)], S[k] = G[k] where the write covers k. */
  const want = (written: (k: number) => boolean, read: (t: number, l: number) => number): number[] =>
    Array.from({ length: 64 }, (_, k) => {
      const e = read(k >> 2, k & 3);
      return written(e) ? g[e]! : 0;
    });

  it("the thread's own block, reversed (stride −1): no barrier", () => {
    const k = kernel(vec(at(0), 1), vec(at(3), -1));
    expect(barriers(insertBarriersStmt(k))).toBe(0);
    expect(run(insertBarriersStmt(k))).toEqual(want((e) => e < 64, (t, l) => 4 * t + 3 - l));
  });

  it("S[4tx+2 … 4tx+5] after S[4tx … 4tx+3]: half the next thread's block, one barrier", () => {
    const k = kernel(vec(at(0), 1), vec(at(2), 1));
    const planned = insertBarriersStmt(k);
    expect(barriers(planned)).toBe(1);
    expect(run(planned)).toEqual(want((e) => e < 64, (t, l) => 4 * t + 2 + l));
    expect(() => run(k)).toThrow(DataRaceError);
  });

  it('stride −1 both ways: S[4tx+5 … 4tx+2] after S[4tx+7 … 4tx+4], one barrier', () => {
    const k = kernel(vec(at(7), -1), vec(at(5), -1));
    const planned = insertBarriersStmt(k);
    expect(barriers(planned)).toBe(1);
    expect(run(planned)).toEqual(want((e) => e >= 4, (t, l) => 4 * t + 5 - l));
    expect(() => run(k)).toThrow(DataRaceError);
  });
});
