// tests/tir/interpreter_race.test.ts — the interpreter's shared-memory race detector: hand-written
// GPU kernels that race (read-after-write, write-after-read between threads) are reported, the
// same kernels with a barrier, or with each thread on its own elements, run and give the plain-JS answer.

import { describe, expect, it } from 'vitest';
import { interpret } from '../../tir/interpreter.js';
import { DataRaceError } from '../../tir/interpreter_race.js';
import * as T from '../../tir/nodes.js';

const i32 = (v: number): T.IntImm => T.intImm(v);
const N = 64;
const G = T.buffer('G', [N], 'float32');
const O = T.buffer('O', [N], 'float32');
const S = T.buffer('S', [N], 'float32', 'shared');
const tx = T.variable('tx');
const bx = T.variable('bx');
const sync = (): T.Stmt => T.evaluate(T.call('tir.storage_sync', [], 'int32'));
const threads = (body: T.Stmt, tag: T.ThreadTag = 'threadIdx.x', v = tx, n = N): T.Stmt => T.forLoop(v, 0, n, 'threadBinding', body, { threadTag: tag });

const writeS = T.bufferStore(S, T.mul(T.bufferLoad(G, [tx]), T.floatImm(2)), [tx]);
const readMirror = T.bufferStore(O, T.bufferLoad(S, [T.sub(i32(N - 1), tx)]), [tx]);
const writeOwn = T.bufferStore(S, T.floatImm(7), [tx]);

function kernel(body: T.Stmt, allocInside = false): T.PrimFunc {
  return T.primFunc('k', [G, O], allocInside ? threads(T.allocate(S, body)) : T.allocate(S, threads(body)));
}

function run(f: T.PrimFunc, opts = {}): Float32Array {
  const g = Float32Array.from({ length: N }, (_, i) => i + 1);
  const o = new Float32Array(N);
  interpret(f, [g, o], opts);
  return o;
}

const mirrorTimes2 = Float32Array.from({ length: N }, (_, i) => 2 * (N - i));

describe('interpret: shared-memory race detector', () => {
  it('reports a read of an element another thread wrote with no barrier between (read-after-write)', () => {
    // Thread tx reads S[tx - 1], which thread tx - 1 (run before it here) has just written.
    const readPrev = T.ifThenElse(T.gt(tx, i32(0)), T.bufferStore(O, T.bufferLoad(S, [T.sub(tx, i32(1))]), [tx]));
    for (const inside of [false, true]) {
      const f = kernel(T.seq([writeS, readPrev]), inside);
      expect(() => run(f)).toThrow(DataRaceError);
      expect(() => run(f)).toThrow('data race on shared buffer S[0]: thread (threadIdx.x=1, threadIdx.y=0, threadIdx.z=0) reads it after thread (threadIdx.x=0, threadIdx.y=0, threadIdx.z=0) wrote it');
      // The mirror read races too (its first conflict is a write-after-read).
      expect(() => run(kernel(T.seq([writeS, readMirror]), inside))).toThrow(/data race on shared buffer S\[\d+\]/);
    }
  });

  it('runs the same kernel with a barrier between, and gets the plain-JS answer', () => {
    for (const inside of [false, true]) {
      expect(Array.from(run(kernel(T.seq([writeS, sync(), readMirror]), inside)))).toEqual(Array.from(mirrorTimes2));
    }
  });

  it('reports a write of an element another thread read with no barrier between (write-after-read)', () => {
    // Thread tx reads S[tx + 1] and then overwrites S[tx]: the interpreter runs thread tx + 1
    // later, so the value read is right here, but a GPU may run thread tx + 1's write first.
    const readNext = T.ifThenElse(T.lt(tx, i32(N - 1)), T.bufferStore(O, T.bufferLoad(S, [T.add(tx, i32(1))]), [tx]));
    expect(() => run(kernel(T.seq([writeS, sync(), readNext, writeOwn])))).toThrow(
      'S[1]: thread (threadIdx.x=1, threadIdx.y=0, threadIdx.z=0) overwrites it after thread (threadIdx.x=0, threadIdx.y=0, threadIdx.z=0) read it');
    expect(() => run(kernel(T.seq([writeS, sync(), readNext, sync(), writeOwn])))).not.toThrow();
  });

  it('reports a write by the last of several readers (the element counts as read by other threads)', () => {
    // Every thread reads S[0]; then thread N − 1, the last reader here, overwrites it. On a GPU
    // the write may land before the other threads' reads, so it races with them.
    const readFirst = T.bufferStore(O, T.bufferLoad(S, [i32(0)]), [tx]);
    const lastWrites = T.ifThenElse(T.eq(tx, i32(N - 1)), T.bufferStore(S, T.floatImm(7), [i32(0)]));
    expect(() => run(kernel(T.seq([writeS, sync(), readFirst, lastWrites])))).toThrow(
      `S[0]: thread (threadIdx.x=${N - 1}, threadIdx.y=0, threadIdx.z=0) overwrites it after other threads read it`);
    // With a barrier before the write every thread reads 2·G[0] = 2.
    expect(Array.from(run(kernel(T.seq([writeS, sync(), readFirst, sync(), lastWrites]))))).toEqual(Array(N).fill(2));
  });

  it('lets each thread read back its own elements without a barrier', () => {
    const own = T.bufferStore(O, T.bufferLoad(S, [tx]), [tx]);
    expect(Array.from(run(kernel(T.seq([writeS, own]))))).toEqual(Array.from({ length: N }, (_, i) => 2 * (i + 1)));
  });

  it('tells threads apart on every axis (threadIdx.y too)', () => {
    const ty = T.variable('ty');
    const S2 = T.buffer('S2', [8, 8], 'float32', 'shared');
    const flat = (a: T.PrimExpr, b: T.PrimExpr): T.PrimExpr => T.add(T.mul(a, i32(8)), b);
    const write = T.bufferStore(S2, T.bufferLoad(G, [flat(ty, tx)]), [ty, tx]);
    const readT = (withSync: boolean): T.Stmt => T.seq([write, ...(withSync ? [sync()] : []), T.bufferStore(O, T.bufferLoad(S2, [tx, ty]), [flat(ty, tx)])]);
    const make = (withSync: boolean): T.PrimFunc =>
      T.primFunc('t', [G, O], T.allocate(S2, threads(threads(readT(withSync), 'threadIdx.x', tx, 8), 'threadIdx.y', ty, 8)));
    expect(() => run(make(false))).toThrow(/threadIdx.y=\d/);
    // With the barrier: O is the transpose of G.
    const got = run(make(true));
    for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) expect(got[y * 8 + x]).toBe(x * 8 + y + 1);
  });

  it('gives every block its own shared memory: blocks in sequence do not race with each other', () => {
    const B = 2;
    const G2 = T.buffer('G2', [B * N], 'float32');
    const O2 = T.buffer('O2', [B * N], 'float32');
    const at = T.add(T.mul(bx, i32(N)), tx);
    const body = T.seq([
      T.bufferStore(S, T.bufferLoad(G2, [at]), [tx]),
      sync(),
      T.bufferStore(O2, T.bufferLoad(S, [T.sub(i32(N - 1), tx)]), [at]),
    ]);
    const f = T.primFunc('b', [G2, O2], threads(T.allocate(S, threads(body)), 'blockIdx.x', bx, B));
    const g = Float32Array.from({ length: B * N }, (_, i) => i);
    const o = new Float32Array(B * N);
    interpret(f, [g, o]);
    for (let b = 0; b < B; b++) for (let t = 0; t < N; t++) expect(o[b * N + t]).toBe(b * N + N - 1 - t);
  });

  it('treats a barrier between two thread-loop nests of a block as a barrier', () => {
    const tx2 = T.variable('tx2');
    const read2 = T.bufferStore(O, T.bufferLoad(S, [T.sub(i32(N - 1), tx2)]), [tx2]);
    const f = (withSync: boolean): T.PrimFunc => T.primFunc('two', [G, O], T.allocate(S, T.seq([
      threads(writeS), ...(withSync ? [sync()] : []), threads(read2, 'threadIdx.x', tx2),
    ])));
    expect(() => run(f(false))).toThrow(DataRaceError);
    expect(Array.from(run(f(true)))).toEqual(Array.from(mirrorTimes2));
  });

  it('is off with checkRaces: false (serial semantics, as the schedule tests use)', () => {
    expect(() => run(kernel(T.seq([writeS, readMirror])), { checkRaces: false })).not.toThrow();
  });

  it('ignores global and local buffers', () => {
    const L = T.buffer('L', [N], 'float32', 'local');
    const f = T.primFunc('g', [G, O], T.allocate(L, threads(T.seq([
      T.bufferStore(O, T.bufferLoad(G, [tx]), [tx]),
      T.bufferStore(O, T.bufferLoad(O, [T.sub(i32(N - 1), tx)]), [tx]),
    ]))));
    expect(() => run(f)).not.toThrow();
  });

  it('checks vector (ramp) accesses lane by lane', () => {
    const S4 = T.buffer('S4', [N * 4], 'float32', 'shared');
    const base = T.mul(tx, i32(4));
    const vecWrite = T.bufferStore(S4, T.broadcast(T.floatImm(1), 4), [T.ramp(base, i32(1), 4)]);
    // Thread tx reads lanes 4tx+1 … 4tx+4: the last lane is thread tx+1's first element.
    const overlap = T.bufferStore(O, T.call('fma', [T.floatImm(0), T.floatImm(0), T.bufferLoad(S4, [T.add(base, i32(4))])], 'float32'), [tx]);
    const last = T.ifThenElse(T.lt(tx, i32(N - 1)), overlap);
    const f = (withSync: boolean): T.PrimFunc => T.primFunc('v', [G, O], T.allocate(S4, threads(T.seq([vecWrite, ...(withSync ? [sync()] : []), last]))));
    expect(() => run(f(false))).toThrow(/S4\[4\]/);
    expect(() => run(f(true))).not.toThrow();
  });
});
