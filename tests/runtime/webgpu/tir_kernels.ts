// tests/runtime/webgpu/tir_kernels.ts — hand-written GPU-style TIR kernels (what a lowered
// schedule with bind/cacheRead('shared')/cacheWrite('local')/vectorize looks like), for the
// WebGPU tests that must not wait on te.lower.

import * as T from '../../../tir/nodes.js';

// The naive kernel is also the benchmarks' baseline, so it lives in bench/.
export { naiveMatmul } from '../../../bench/bench_util.js';

const i32 = (v: number): T.IntImm => T.intImm(v);

/** A thread-bound loop. */
function bound(v: T.Var, extent: number, tag: T.ThreadTag, body: T.Stmt): T.Stmt {
  return T.forLoop(v, 0, extent, 'threadBinding', body, { threadTag: tag });
}

/** Tile sizes of `tiledMatmul`: block tile tm×tn, K step tk, rm rows × 4 columns per thread. */
export interface MatmulTiles { readonly tm: number; readonly tn: number; readonly tk: number; readonly rm: number }

/**
 * C[M,N] = A[M,K] · B[K,N] (flat 1-D buffers). Each block computes a tm×tn tile of C with
 * (tm/rm)×(tn/4) threads; each thread owns rm rows × 4 adjacent columns, kept in a local
 * accumulator updated with float32x4 vectors. Per step of tk along K, all threads cooperatively
 * copy a tm×tk tile of A and a tk×tn tile of B into shared memory (zero-filled past the edges),
 * then read them with vector loads. Without barriers between the copy and the use (and before
 * the next copy) it races.
 */
export function tiledMatmul(M: number, N: number, K: number, tiles: number | MatmulTiles = 16): T.PrimFunc {
  const { tm, tn, tk, rm } = typeof tiles === 'number' ? { tm: tiles, tn: tiles, tk: tiles, rm: 1 } : tiles;
  if (tn % 4 !== 0 || tm % rm !== 0) throw new Error('tiledMatmul: tn must be a multiple of 4 and tm of rm');
  const threadsX = tn / 4, threadsY = tm / rm;
  const nThreads = threadsX * threadsY;
  if ((tm * tk) % nThreads !== 0 || (tk * tn) % nThreads !== 0) throw new Error('tiledMatmul: tiles must split evenly over the threads');
  const A = T.buffer('A', [M * K], 'float32');
  const B = T.buffer('B', [K * N], 'float32');
  const C = T.buffer('C', [M * N], 'float32');
  const As = T.buffer('A_shared', [tm * tk], 'float32', 'shared');
  const Bs = T.buffer('B_shared', [tk * tn], 'float32', 'shared');
  const acc = T.buffer('C_local', [rm * 4], 'float32', 'local');
  const by = T.variable('by'), bx = T.variable('bx'), ty = T.variable('ty'), tx = T.variable('tx');
  const ko = T.variable('ko'), fa = T.variable('fa'), fb = T.variable('fb'), ki = T.variable('ki');
  const r = T.variable('r'), v = T.variable('v');
  const zero = T.floatImm(0);
  const thread = T.add(T.mul(ty, i32(threadsX)), tx);

  // Cooperative fetch: element e = f*nThreads + thread of the tile (consecutive threads, consecutive columns).
  const fetch = (f: T.Var, src: T.Buffer, dst: T.Buffer, rows: number, cols: number, rowBase: T.PrimExpr, colBase: T.PrimExpr,
    rowLimit: number, colLimit: number, ld: number): T.Stmt => {
    const e = T.add(T.mul(f, i32(nThreads)), thread);
    const row = T.add(rowBase, T.floordiv(e, i32(cols))), col = T.add(colBase, T.floormod(e, i32(cols)));
    return T.forLoop(f, 0, (rows * cols) / nThreads, 'serial', T.ifThenElse(T.and(T.lt(row, i32(rowLimit)), T.lt(col, i32(colLimit))),
      T.bufferStore(dst, T.bufferLoad(src, [T.add(T.mul(row, i32(ld)), col)]), [e]), T.bufferStore(dst, zero, [e])));
  };
  const fetchA = fetch(fa, A, As, tm, tk, T.mul(by, i32(tm)), T.mul(ko, i32(tk)), M, K, K);
  const fetchB = fetch(fb, B, Bs, tk, tn, T.mul(ko, i32(tk)), T.mul(bx, i32(tn)), K, N, N);

  const accRow = T.ramp(T.mul(r, i32(4)), i32(1), 4);
  const a = T.broadcast(T.bufferLoad(As, [T.add(T.mul(T.add(T.mul(ty, i32(rm)), r), i32(tk)), ki)]), 4);
  const b = T.bufferLoad(Bs, [T.ramp(T.add(T.mul(ki, i32(tn)), T.mul(tx, i32(4))), i32(1), 4)]);
  const compute = T.forLoop(ki, 0, tk, 'unrolled', T.forLoop(r, 0, rm, 'unrolled',
    T.bufferStore(acc, T.add(T.bufferLoad(acc, [accRow]), T.mul(a, b)), [accRow])));

  const row = T.add(T.add(T.mul(by, i32(tm)), T.mul(ty, i32(rm))), r);
  const col = T.add(T.add(T.mul(bx, i32(tn)), T.mul(tx, i32(4))), v);
  const writeBack = T.forLoop(r, 0, rm, 'unrolled', T.forLoop(v, 0, 4, 'unrolled', T.ifThenElse(T.and(T.lt(row, i32(M)), T.lt(col, i32(N))),
    T.bufferStore(C, T.bufferLoad(acc, [T.add(T.mul(r, i32(4)), v)]), [T.add(T.mul(row, i32(N)), col)]))));

  const body = T.seq([
    T.forLoop(r, 0, rm, 'unrolled', T.bufferStore(acc, T.broadcast(zero, 4), [accRow])),
    T.forLoop(ko, 0, Math.ceil(K / tk), 'serial', T.seq([fetchA, fetchB, compute])),
    writeBack,
  ]);
  const kernel = bound(by, Math.ceil(M / tm), 'blockIdx.y', bound(bx, Math.ceil(N / tn), 'blockIdx.x',
    bound(ty, threadsY, 'threadIdx.y', bound(tx, threadsX, 'threadIdx.x',
      T.allocate(acc, T.allocate(As, T.allocate(Bs, body)))))));
  return T.primFunc('matmul_tiled', [A, B, C], kernel, { argShapes: [[M, K], [K, N], [M, N]] });
}

/** out[i] = g(x[i]) for an elementwise expression builder, `threads` per block, guarded tail. */
export function elementwise(n: number, g: (x: T.PrimExpr, i: T.Var) => T.PrimExpr, threads = 64, outDType: T.DataType = 'float32'): T.PrimFunc {
  const X = T.buffer('X', [n], 'float32');
  const Y = T.buffer('Y', [n], outDType);
  const bx = T.variable('bx'), tx = T.variable('tx'), i = T.variable('i');
  const body = T.letStmt(i, T.add(T.mul(bx, i32(threads)), tx),
    T.ifThenElse(T.lt(i, i32(n)), T.bufferStore(Y, g(T.bufferLoad(X, [i]), i), [i])));
  return T.primFunc('elementwise', [X, Y],
    bound(bx, Math.ceil(n / threads), 'blockIdx.x', bound(tx, threads, 'threadIdx.x', body)));
}

/**
 * Z[i] = pow(X[i], Y[i]) — or pow(X[i], y) for a constant y — one thread per `lanes` elements (lanes > 1: Ramp loads
 * and a float32xN pow, the exponent a Broadcast when constant), 64 threads a block. n is a multiple of lanes.
 */
export function powKernel(n: number, lanes: 1 | 2 | 3 | 4, y?: number): T.PrimFunc {
  const threads = 64;
  const X = T.buffer('X', [n], 'float32'), Y = T.buffer('Y', [n], 'float32'), Z = T.buffer('Z', [n], 'float32');
  const bx = T.variable('bx'), tx = T.variable('tx'), t = T.variable('t');
  const index = lanes === 1 ? t : T.ramp(T.mul(t, i32(lanes)), i32(1), lanes);
  const exponent = y === undefined ? T.bufferLoad(Y, [index]) : lanes === 1 ? T.floatImm(y) : T.broadcast(T.floatImm(y), lanes);
  const body = T.letStmt(t, T.add(T.mul(bx, i32(threads)), tx), T.ifThenElse(T.lt(t, i32(n / lanes)),
    T.bufferStore(Z, T.call('pow', [T.bufferLoad(X, [index]), exponent]), [index])));
  return T.primFunc('pow_kernel', [X, Y, Z],
    bound(bx, Math.ceil(n / lanes / threads), 'blockIdx.x', bound(tx, threads, 'threadIdx.x', body)));
}
