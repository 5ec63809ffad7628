// tests/tir/interpreter.test.ts — the reference interpreter against plain JS loops.
import { describe, expect, it } from 'vitest';
import * as t from '../../tir/nodes.js';
import { interpret } from '../../tir/interpreter.js';

function rand(n: number, seed = 1): Float32Array {
  const a = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    a[i] = (s / 2147483648) * 2 - 1;
  }
  return a;
}

function jsMatmul(a: Float32Array, b: Float32Array, M: number, N: number, K: number): Float32Array {
  const c = new Float32Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let acc = 0;
      for (let k = 0; k < K; k++) acc = Math.fround(acc + Math.fround(a[i * K + k]! * b[k * N + j]!));
      c[i * N + j] = acc;
    }
  }
  return c;
}

/** C[i, j] = sum_k A[i, k] * B[k, j] on 2-D buffers (as te.lower emits before storage flatten). */
function matmul2d(M: number, N: number, K: number): t.PrimFunc {
  const A = t.buffer('A', [M, K], 'float32');
  const B = t.buffer('B', [K, N], 'float32');
  const C = t.buffer('C', [M, N], 'float32');
  const [i, j, k] = [t.variable('i'), t.variable('j'), t.variable('k')];
  const init = t.bufferStore(C, t.floatImm(0), [i, j]);
  const update = t.bufferStore(C, t.add(t.bufferLoad(C, [i, j]), t.mul(t.bufferLoad(A, [i, k]), t.bufferLoad(B, [k, j]))), [i, j]);
  const body = t.forLoop(i, 0, M, 'parallel', t.forLoop(j, 0, N, 'serial',
    t.seq([init, t.forLoop(k, 0, K, 'serial', update)])));
  return t.primFunc('matmul', [A, B, C], body);
}

describe('interpret', () => {
  it('runs a 2-d matmul equal to a JS matmul with float32 rounding', () => {
    const [M, N, K] = [7, 5, 9];
    const a = rand(M * K, 1);
    const b = rand(K * N, 2);
    const c = new Float32Array(M * N);
    interpret(matmul2d(M, N, K), [a, b, c]);
    expect(Array.from(c)).toEqual(Array.from(jsMatmul(a, b, M, N, K)));
  });

  it('runs vector loads and stores with ramp and broadcast', () => {
    const A = t.buffer('A', [16], 'float32');
    const B = t.buffer('B', [16], 'float32');
    const x = t.variable('x');
    const idx = t.ramp(t.mul(x, t.intImm(4)), t.intImm(1), 4);
    const body = t.forLoop(x, 0, 4, 'serial',
      t.bufferStore(B, t.mul(t.bufferLoad(A, [idx]), t.broadcast(t.floatImm(2), 4)), [idx]));
    const a = rand(16, 3);
    const b = new Float32Array(16);
    interpret(t.primFunc('scale', [A, B], body), [a, b]);
    expect(Array.from(b)).toEqual(Array.from(a, (v) => Math.fround(v * 2)));
  });

  it('uses C-style div/mod and floor div/mod on int32', () => {
    const O = t.buffer('O', [4], 'int32');
    const m7 = t.intImm(-7);
    const two = t.intImm(2);
    const body = t.seq([
      t.bufferStore(O, t.div(m7, two), [t.intImm(0)]),
      t.bufferStore(O, t.mod(m7, two), [t.intImm(1)]),
      t.bufferStore(O, t.floordiv(m7, two), [t.intImm(2)]),
      t.bufferStore(O, t.floormod(m7, two), [t.intImm(3)]),
    ]);
    const o = new Int32Array(4);
    interpret(t.primFunc('divmod', [O], body), [o]);
    expect(Array.from(o)).toEqual([-3, -1, -4, 1]);
  });

  it('wraps int32 arithmetic and truncates float-to-int casts', () => {
    const O = t.buffer('O', [3], 'int32');
    const body = t.seq([
      t.bufferStore(O, t.add(t.intImm(2147483647), t.intImm(1)), [t.intImm(0)]),
      t.bufferStore(O, t.mul(t.intImm(65536), t.intImm(65537)), [t.intImm(1)]),
      t.bufferStore(O, t.cast('int32', t.floatImm(-2.75)), [t.intImm(2)]),
    ]);
    const o = new Int32Array(3);
    interpret(t.primFunc('wrap', [O], body), [o]);
    expect(Array.from(o)).toEqual([-2147483648, 65536, -2]);
  });

  it('gives zero-filled scratch to Allocate and honours guards', () => {
    const A = t.buffer('A', [10], 'float32');
    const B = t.buffer('B', [10], 'float32');
    const T = t.buffer('T', [4, 3], 'float32', 'local');
    const [xo, xi] = [t.variable('xo'), t.variable('xi')];
    const x = t.add(t.mul(xo, t.intImm(3)), xi);
    // Split of 10 by 3: the last chunk is guarded; T accumulates so any stale value would show.
    const body = t.allocate(T, t.forLoop(xo, 0, 4, 'serial', t.forLoop(xi, 0, 3, 'serial',
      t.ifThenElse(t.lt(x, t.intImm(10)), t.seq([
        t.bufferStore(T, t.add(t.bufferLoad(T, [xo, xi]), t.call('exp', [t.bufferLoad(A, [x])])), [xo, xi]),
        t.bufferStore(B, t.bufferLoad(T, [xo, xi]), [x]),
      ])))));
    const a = rand(10, 4);
    const b = new Float32Array(10);
    interpret(t.primFunc('guarded', [A, B], body), [a, b]);
    expect(Array.from(b)).toEqual(Array.from(a, (v) => Math.fround(Math.exp(v))));
  });

  it('evaluates lets, selects and math intrinsics', () => {
    const A = t.buffer('A', [8], 'float32');
    const B = t.buffer('B', [8], 'float32');
    const i = t.variable('i');
    const v = t.variable('v', 'float32');
    const body = t.forLoop(i, 0, 8, 'unrolled', t.letStmt(v, t.bufferLoad(A, [i]),
      t.bufferStore(B, t.select(t.gt(v, t.floatImm(0)), t.call('sqrt', [v]), t.call('tanh', [v])), [i])));
    const a = rand(8, 5);
    const b = new Float32Array(8);
    interpret(t.primFunc('f', [A, B], body), [a, b]);
    expect(Array.from(b)).toEqual(Array.from(a, (x) => Math.fround(x > 0 ? Math.sqrt(x) : Math.tanh(x))));
  });

  it('runs threads of a block in lockstep across a storage_sync barrier', () => {
    // Each thread writes its element into shared memory, then reads its mirror's element:
    // correct only if every thread's write happens before any thread's read.
    const n = 8;
    const A = t.buffer('A', [2 * n], 'float32');
    const B = t.buffer('B', [2 * n], 'float32');
    const S = t.buffer('S', [n], 'float32', 'shared');
    const R = t.buffer('R', [1], 'float32', 'local');
    const [bx, tx] = [t.variable('bx'), t.variable('tx')];
    const g = t.add(t.mul(bx, t.intImm(n)), tx);
    const threadBody = t.seq([
      t.bufferStore(S, t.bufferLoad(A, [g]), [tx]),
      t.evaluate(t.call('tir.storage_sync', [], 'int32')),
      t.bufferStore(R, t.bufferLoad(S, [t.sub(t.intImm(n - 1), tx)]), [t.intImm(0)]),
      t.evaluate(t.call('tir.storage_sync', [], 'int32')),
      t.bufferStore(S, t.floatImm(0), [tx]),
      t.bufferStore(B, t.bufferLoad(R, [t.intImm(0)]), [g]),
    ]);
    const body = t.forLoop(bx, 0, 2, 'threadBinding', t.allocate(S, t.allocate(R,
      t.forLoop(tx, 0, n, 'threadBinding', threadBody, { threadTag: 'threadIdx.x' }))), { threadTag: 'blockIdx.x' });
    const a = rand(2 * n, 6);
    const b = new Float32Array(2 * n);
    interpret(t.primFunc('mirror', [A, B], body), [a, b]);
    const want = Array.from(a, (_, i) => a[Math.floor(i / n) * n + (n - 1 - (i % n))]!);
    expect(Array.from(b)).toEqual(want);
  });

  it('gives threads of a block one shared buffer even when each thread reaches its Allocate', () => {
    const n = 4;
    const A = t.buffer('A', [n], 'float32');
    const B = t.buffer('B', [n], 'float32');
    const S = t.buffer('S', [n], 'float32', 'shared');
    const tx = t.variable('tx');
    const body = t.forLoop(tx, 0, n, 'threadBinding', t.allocate(S, t.seq([
      t.bufferStore(S, t.bufferLoad(A, [tx]), [tx]),
      t.evaluate(t.call('tir.storage_sync', [], 'int32')),
      t.bufferStore(B, t.bufferLoad(S, [t.floormod(t.add(tx, t.intImm(1)), t.intImm(n))]), [tx]),
    ])), { threadTag: 'threadIdx.x' });
    const a = Float32Array.from([1, 2, 3, 4]);
    const b = new Float32Array(n);
    interpret(t.primFunc('rotate', [A, B], body), [a, b]);
    expect(Array.from(b)).toEqual([2, 3, 4, 1]);
  });

  it('reports threads that reach different numbers of barriers', () => {
    const A = t.buffer('A', [4], 'float32');
    const tx = t.variable('tx');
    const body = t.forLoop(tx, 0, 4, 'threadBinding', t.ifThenElse(t.lt(tx, t.intImm(2)),
      t.evaluate(t.call('tir.storage_sync', [], 'int32'))), { threadTag: 'threadIdx.x' });
    expect(() => interpret(t.primFunc('diverge', [A], body), [new Float32Array(4)])).toThrow(/threadIdx.x threads diverge at a tir.storage_sync barrier/);
  });

  it('reports an out-of-bounds lane of a vector access', () => {
    const A = t.buffer('A', [6], 'float32');
    const f = t.primFunc('oob', [A], t.bufferStore(A, t.broadcast(t.floatImm(1), 4), [t.ramp(t.intImm(3), t.intImm(1), 4)]));
    expect(() => interpret(f, [new Float32Array(6)])).toThrow(/store A\[6\]: index 6 out of range \[0, 6\)/);
  });

  it('evaluates both arms of a select, as the codegens do, so an out-of-bounds arm is an error', () => {
    const A = t.buffer('A', [4], 'float32');
    const i = t.variable('i');
    const body = t.forLoop(i, 0, 4, 'serial', t.bufferStore(A,
      t.select(t.ge(i, t.intImm(1)), t.bufferLoad(A, [t.sub(i, t.intImm(1))]), t.floatImm(0)), [i]));
    expect(() => interpret(t.primFunc('pad', [A], body), [new Float32Array(4)])).toThrow(/load A\[-1\]: index -1 out of range/);
  });

  it('rejects a wrong number of buffers', () => {
    expect(() => interpret(matmul2d(2, 2, 2), [new Float32Array(4)])).toThrow(/expects 3 buffers/);
  });

  it('rejects a buffer whose length does not match the parameter shape', () => {
    const f = matmul2d(2, 3, 4);
    expect(() => interpret(f, [new Float32Array(8), new Float32Array(12), new Float32Array(5)]))
      .toThrow(/parameter 2 \(C\) has shape \[2, 3\] = 6 elements, but the array holds 5/);
  });

  it('rejects an Int32Array for a float32 parameter', () => {
    const f = matmul2d(1, 1, 1);
    expect(() => interpret(f, [new Int32Array(1), new Float32Array(1), new Float32Array(1)])).toThrow(/needs a Float32Array/);
  });

  it('reports an out-of-bounds access with buffer, index and dimension', () => {
    const A = t.buffer('A', [4, 4], 'float32');
    const i = t.variable('i');
    const f = t.primFunc('oob', [A], t.forLoop(i, 0, 5, 'serial', t.bufferStore(A, t.floatImm(1), [t.intImm(0), i])));
    expect(() => interpret(f, [new Float32Array(16)])).toThrow(/store A\[0, 4\]: index 4 out of range \[0, 4\) in dimension 1/);
  });

  it('reports a variable that nothing binds', () => {
    const A = t.buffer('A', [4], 'float32');
    const f = t.primFunc('unbound', [A], t.bufferStore(A, t.floatImm(1), [t.variable('q')]));
    expect(() => interpret(f, [new Float32Array(4)])).toThrow(/variable q is used but not bound/);
  });
});
