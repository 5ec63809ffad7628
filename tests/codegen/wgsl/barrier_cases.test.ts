// tests/codegen/wgsl/barrier_cases.test.ts — barrier insertion on the cases a mutation once got
// past: thread-private strides exactly at the edge (3·tx + i, i < 3, read at +1) and a uniform
// if/else whose else branch writes the shared buffer read later. Each placement is checked three
// ways: the barrier count, a race-free run in the interpreter, and the plain-JS answer.

import { describe, expect, it } from 'vitest';
import { insertBarriers, insertBarriersStmt } from '../../../codegen/wgsl/insert_barriers.js';
import { interpret } from '../../../tir/interpreter.js';
import { DataRaceError } from '../../../tir/interpreter_race.js';
import * as T from '../../../tir/nodes.js';
import { print } from '../../../tir/printer.js';

const i32 = (v: number): T.IntImm => T.intImm(v);
const tx = T.variable('tx');
const i = T.variable('i');
const bx = T.variable('bx');
const threads = (body: T.Stmt): T.Stmt => T.forLoop(tx, 0, 64, 'threadBinding', body, { threadTag: 'threadIdx.x' });
const barriers = (s: T.Stmt): number => print(s).match(/tir\.storage_sync/g)?.length ?? 0;

describe('insertBarriers: thread-private strides at the edge', () => {
  // 64 threads; thread tx writes S[3tx + i] for i < 3, then reads S[3tx + i + shift] for i < 3.
  const S = T.buffer('S', [3 * 64 + 1], 'float32', 'shared');
  const G = T.buffer('G', [3 * 64 + 1], 'float32');
  const O = T.buffer('O', [3 * 64], 'float32');
  const at = (shift: number): T.PrimExpr => T.add(T.add(T.mul(tx, i32(3)), i), i32(shift));
  const kernel = (shift: number): T.Stmt => threads(T.seq([
    T.forLoop(i, 0, 3, 'serial', T.bufferStore(S, T.bufferLoad(G, [at(0)]), [at(0)])),
    T.forLoop(i, 0, 3, 'serial', T.bufferStore(O, T.bufferLoad(S, [at(shift)]), [at(0)])),
  ]));
  const run = (body: T.Stmt): Float32Array => {
    const g = Float32Array.from({ length: 3 * 64 + 1 }, (_, k) => k * 0.5 + 1);
    const o = new Float32Array(3 * 64);
    interpret(T.primFunc('edge', [G, O], T.allocate(S, body)), [g, o]);
    return o;
  };

  it('needs exactly one barrier when each thread reads one element of its neighbour (stride 3 = reach 3)', () => {
    const planned = insertBarriersStmt(kernel(1));
    expect(barriers(planned)).toBe(1);
    const got = run(planned);
    // Plain JS: O[k] = S[k + 1], S[j] = j·0.5 + 1 for j < 192; S[192] is never written (0).
    const want = Array.from({ length: 3 * 64 }, (_, k) => (k + 1 === 3 * 64 ? 0 : (k + 1) * 0.5 + 1));
    expect(Array.from(got)).toEqual(want);
    // And the barrier is real: without it the interpreter sees the race.
    expect(() => run(kernel(1))).toThrow(DataRaceError);
  });

  it('needs none when each thread reads back only its own three elements (stride 3 > reach 2)', () => {
    const own = threads(T.seq([
      T.forLoop(i, 0, 3, 'serial', T.bufferStore(S, T.bufferLoad(G, [at(0)]), [at(0)])),
      T.forLoop(i, 0, 3, 'serial', T.bufferStore(O, T.bufferLoad(S, [at(0)]), [at(0)])),
    ]));
    expect(insertBarriersStmt(own)).toBe(own);
    expect(Array.from(run(own))).toEqual(Array.from({ length: 3 * 64 }, (_, k) => k * 0.5 + 1));
  });
});

describe('insertBarriers: a uniform if/else', () => {
  // Inside a uniform `if (bx < 1) S[tx] = … else S2[tx] = …`, a later read of S2[63 − tx].
  const S = T.buffer('S', [64], 'float32', 'shared');
  const S2 = T.buffer('S2', [64], 'float32', 'shared');
  const G = T.buffer('G', [128], 'float32');
  const O = T.buffer('O', [128], 'float32');
  const gx = T.add(T.mul(bx, i32(64)), tx);
  const body = threads(T.seq([
    T.bufferStore(S2, T.floatImm(0), [tx]),
    T.evaluate(T.call('tir.storage_sync', [], 'int32')),
    T.ifThenElse(T.lt(bx, i32(1)),
      T.bufferStore(S, T.bufferLoad(G, [gx]), [tx]),
      T.bufferStore(S2, T.bufferLoad(G, [gx]), [tx])),
    T.bufferStore(O, T.bufferLoad(S2, [T.sub(i32(63), tx)]), [gx]),
  ]));
  const kernel = T.forLoop(bx, 0, 2, 'threadBinding', T.allocate(S, T.allocate(S2, body)), { threadTag: 'blockIdx.x' });

  it('puts a barrier before the read of what the else branch wrote', () => {
    const planned = insertBarriersStmt(kernel);
    expect(barriers(planned)).toBe(2);
    const text = print(planned);
    expect(text.indexOf('tir.storage_sync', text.indexOf('else'))).toBeGreaterThan(0);
    const g = Float32Array.from({ length: 128 }, (_, k) => k + 1);
    const o = new Float32Array(128);
    interpret(T.primFunc('ifelse', [G, O], planned), [g, o]);
    // Plain JS: block 0 zeroed S2 and wrote S, so reads 0; block 1 wrote S2[t] = G[64 + t].
    const want = Array.from({ length: 128 }, (_, k) => (k < 64 ? 0 : 64 + (63 - (k - 64)) + 1));
    expect(Array.from(o)).toEqual(want);
    expect(() => interpret(T.primFunc('ifelse', [G, O], kernel), [g, new Float32Array(128)])).toThrow(DataRaceError);
  });
});

describe('insertBarriers: threads along an axis the index ignores share elements', () => {
  // 4×2 threads; at each of 4 steps, every thread writes S[tx] = B[2·ko + tx] and adds S[tx] to
  // its output. Along threadIdx.x each thread keeps to its own element, but the four threadIdx.y
  // threads of one column all write and read S[tx]: step ko + 1 must not overwrite S[tx] while
  // another row still reads step ko's value. (Found by barrier_property.test.ts.)
  const S = T.buffer('S', [2], 'float32', 'shared');
  const B = T.buffer('B', [8], 'float32');
  const O = T.buffer('O', [8], 'float32');
  const ty = T.variable('ty');
  const ko = T.variable('ko');
  const out = T.add(T.mul(ty, i32(2)), tx);
  const kernel = T.allocate(S, T.forLoop(ty, 0, 4, 'threadBinding', T.forLoop(tx, 0, 2, 'threadBinding', T.seq([
    T.bufferStore(O, T.floatImm(0), [out]),
    T.forLoop(ko, 0, 4, 'serial', T.seq([
      T.bufferStore(S, T.bufferLoad(B, [T.add(T.mul(ko, i32(2)), tx)]), [tx]),
      T.bufferStore(O, T.add(T.bufferLoad(O, [out]), T.bufferLoad(S, [tx])), [out]),
    ])),
  ]), { threadTag: 'threadIdx.x' }), { threadTag: 'threadIdx.y' }));

  it('syncs before the write and before the read at every step', () => {
    const planned = insertBarriersStmt(kernel);
    expect(barriers(planned)).toBe(2);
    const b = Float32Array.from({ length: 8 }, (_, k) => 2 ** k);
    const o = new Float32Array(8);
    interpret(T.primFunc('rows', [B, O], planned), [b, o]);
    // Plain JS: O[ty][tx] = Σ_ko B[2ko + tx].
    for (let y = 0; y < 4; y++) for (let x = 0; x < 2; x++) expect(o[y * 2 + x]).toBe([0, 1, 2, 3].reduce((s, k) => s + 2 ** (2 * k + x), 0));
    expect(() => interpret(T.primFunc('rows', [B, O], kernel), [b, new Float32Array(8)])).toThrow(DataRaceError);
  });
});

describe('insertBarriers: a serial loop variable is thread-varying exactly when its bounds are', () => {
  // Inside `for k`, `if (k < c) { S[tx] = G[tx] + k; O[tx] = S[63 − tx] }` needs a barrier between
  // the write and the read, inside the branch. That is fine when k is the same on every thread
  // (uniform bounds) and refused when k's min or extent depends on threadIdx (WGSL: a barrier in
  // non-uniform control flow).
  const S = T.buffer('S', [64], 'float32', 'shared');
  const G = T.buffer('G', [64], 'float32');
  const O = T.buffer('O', [64], 'float32');
  const k = T.variable('k');
  const branch = (limit: number): T.Stmt => T.ifThenElse(T.lt(k, i32(limit)), T.seq([
    T.bufferStore(S, T.add(T.bufferLoad(G, [tx]), T.cast('float32', k)), [tx]),
    T.bufferStore(O, T.bufferLoad(S, [T.sub(i32(63), tx)]), [tx]),
  ]));

  it('uniform bounds: the barrier goes inside the branch; race-free, O[t] = G[63 − t] + 1 (plain JS)', () => {
    const kernel = T.allocate(S, threads(T.forLoop(k, 0, 2, 'serial', branch(2))));
    const planned = insertBarriersStmt(kernel);
    expect(barriers(planned)).toBe(2); // at the loop head (next k overwrites S) and inside the branch
    const g = Float32Array.from({ length: 64 }, (_, t) => 3 * t - 5);
    const o = new Float32Array(64);
    interpret(T.primFunc('uniform_k', [G, O], planned), [g, o]);
    expect(Array.from(o)).toEqual(Array.from({ length: 64 }, (_, t) => g[63 - t]! + 1));
    expect(() => interpret(T.primFunc('uniform_k', [G, O], kernel), [g, new Float32Array(64)])).toThrow(DataRaceError);
  });

  it('a min that depends on threadIdx (k from tx): refused, naming the branch', () => {
    const kernel = T.allocate(S, threads(T.forLoop(k, tx, 1, 'serial', branch(64))));
    expect(() => insertBarriersStmt(kernel)).toThrow(/barrier is needed inside a branch whose condition differs between threads \(a lt comparison\)/);
  });

  it('an extent that depends on threadIdx (k < tx mod 2 + 1): refused', () => {
    const kernel = T.allocate(S, threads(T.forLoop(k, 0, T.add(T.floormod(tx, i32(2)), i32(1)), 'serial', branch(1))));
    expect(() => insertBarriersStmt(kernel)).toThrow(/barrier is needed inside a branch whose condition differs between threads/);
  });
});

describe('insertBarriers: a let whose value reads shared memory, and the PrimFunc form', () => {
  // S[tx] = G[tx]; let v = S[63 − tx] in { S[tx] = v·2; O[tx] = S[(tx + 1) mod 64] }: a barrier
  // before the let (its value reads another thread's element: RAW), one between the value and the
  // store (another thread may still be reading S[tx]: WAR) and one before the last read.
  const S = T.buffer('S', [64], 'float32', 'shared');
  const G = T.buffer('G', [64], 'float32');
  const O = T.buffer('O', [64], 'float32');
  const v = T.variable('v', 'float32');
  const kernel = T.allocate(S, threads(T.seq([
    T.bufferStore(S, T.bufferLoad(G, [tx]), [tx]),
    T.letStmt(v, T.bufferLoad(S, [T.sub(i32(63), tx)]), T.seq([
      T.bufferStore(S, T.mul(v, T.floatImm(2)), [tx]),
      T.bufferStore(O, T.bufferLoad(S, [T.floormod(T.add(tx, i32(1)), i32(64))]), [tx]),
    ])),
  ])));
  const g = Float32Array.from({ length: 64 }, (_, t) => t * t - 7);
  // Plain JS: S[t] = 2·G[63 − t], so O[t] = 2·G[63 − (t + 1) mod 64].
  const want = Array.from({ length: 64 }, (_, t) => 2 * g[63 - ((t + 1) % 64)]!);

  it('syncs before the let, between its value and the store, and before the last read; race-free', () => {
    const planned = insertBarriersStmt(kernel);
    expect(barriers(planned)).toBe(3);
    const o = new Float32Array(64);
    interpret(T.primFunc('let_value', [G, O], planned), [g, o]);
    expect(Array.from(o)).toEqual(want);
    expect(() => interpret(T.primFunc('let_value', [G, O], kernel), [g, new Float32Array(64)])).toThrow(DataRaceError);
  });

  it('insertBarriers(PrimFunc) returns a new function with the same name, params and attrs and the barriers in its body', () => {
    const f = T.primFunc('let_value', [G, O], kernel, { target: 'webgpu' });
    const planned = insertBarriers(f);
    expect(planned).not.toBe(f);
    expect(planned.name).toBe('let_value');
    expect(planned.params).toBe(f.params);
    expect(planned.attrs).toBe(f.attrs);
    expect(barriers(planned.body)).toBe(3);
    const o = new Float32Array(64);
    interpret(planned, [g, o]);
    expect(Array.from(o)).toEqual(want);
  });
});
