// tests/codegen/wasm/parallel.test.ts — parallel loops on 2 threads where running an iteration
// twice, or skipping one, changes the answer: in-place updates (A[i] = 2·A[i] + 1), accumulation
// into an output from a parallel loop nested in a serial reduction loop, and rfactor'd sums whose
// partial sums run in parallel; every result against plain JS, on extents no thread count divides.

import { describe, expect, it } from 'vitest';
import * as t from '../../../tir/nodes.js';
import * as te from '../../../schedule/index.js';
import { matmulRef, maxRelDiff, rowSumRef } from '../../reference/plain_js.js';
import { runWasm, seededFloats } from './wasm_harness.js';

const TARGETS = ['wasm -threads=2 -simd=1', 'wasm -threads=2 -simd=0'];
const i32 = (v: number): t.IntImm => t.intImm(v);

describe('parallel loops on 2 threads', () => {
  it('updates in place exactly once per element (A[i] = 2·A[i] + 1), for extents 1, 2, 3 and 37', async () => {
    for (const n of [1, 2, 3, 37]) {
      const A = t.buffer('A', [n], 'float32');
      const i = t.variable('i');
      const f = t.primFunc('inplace', [A], t.forLoop(i, 0, n, 'parallel',
        t.bufferStore(A, t.add(t.mul(t.bufferLoad(A, [i]), t.floatImm(2)), t.floatImm(1)), [i])));
      const a = seededFloats(n, n);
      const want = Array.from(a, (x) => Math.fround(Math.fround(2 * x) + 1));
      for (const target of TARGETS) {
        const [got] = await runWasm(f, [a], target);
        expect(Array.from(got!), `${target}, n=${n}`).toEqual(want);
      }
    }
  });

  it('updates rows in place from a scheduled stage: parallel rows, vectorized columns', async () => {
    // B = A + 1, then a second pass C[i, j] = B[i, j] · 3 where C is B's buffer updated in place
    // through a parallel row loop with an inner vector loop and a tail (13 columns, 4 lanes).
    const [M, N] = [7, 13];
    const X = t.buffer('X', [M * N], 'float32');
    const io = t.variable('io');
    const jo = t.variable('jo');
    const j = t.variable('j');
    const vec = t.ramp(t.add(t.mul(io, i32(N)), t.mul(jo, i32(4))), i32(1), 4);
    const body = t.seq([
      t.forLoop(jo, 0, 3, 'serial', t.bufferStore(X, t.mul(t.add(t.bufferLoad(X, [vec]), t.broadcast(t.floatImm(1), 4)), t.broadcast(t.floatImm(3), 4)), [vec])),
      t.forLoop(j, 12, 1, 'serial', t.bufferStore(X, t.mul(t.add(t.bufferLoad(X, [t.add(t.mul(io, i32(N)), j)]), t.floatImm(1)), t.floatImm(3)), [t.add(t.mul(io, i32(N)), j)])),
    ]);
    const f = t.primFunc('rows_inplace', [X], t.forLoop(io, 0, M, 'parallel', body));
    const x = seededFloats(M * N, 5);
    const want = Array.from(x, (v) => Math.fround(Math.fround(v + 1) * 3));
    for (const target of TARGETS) {
      const [got] = await runWasm(f, [x], target);
      expect(Array.from(got!), target).toEqual(want);
    }
  });

  it('accumulates from a parallel loop nested in a serial reduction loop (matmul, k outside, rows parallel)', async () => {
    // Every k step re-enters the parallel loop and adds into C: an iteration run twice adds twice.
    const [M, N, K] = [9, 6, 5];
    const A = te.placeholder([M, K], 'float32', 'A');
    const B = te.placeholder([K, N], 'float32', 'B');
    const k = te.reduceAxis(K, 'k');
    const C = te.compute([M, N], (i, j) => te.sum(A.at(i, k).mul(B.at(k, j)), [k]), 'C');
    const s = te.createSchedule([C]);
    const c = s.stage(C);
    const [i, j] = c.axis as [te.Stage['axis'][0], te.Stage['axis'][0]];
    c.reorder(c.reduceAxis[0]!, i, j);
    c.parallel(i);
    const f = te.lower(s, [A, B, C], { name: 'mm_k_outer' });
    const a = seededFloats(M * K, 1);
    const b = seededFloats(K * N, 2);
    const want = matmulRef(a, b, M, N, K);
    for (const target of TARGETS) {
      const got = await runWasm(f, [a, b, new Float32Array(M * N)], target);
      expect(maxRelDiff(got[2]!, want), target).toBeLessThan(1e-5);
    }
  });

  it('sums rows with rfactor: the partial sums run in parallel, then combine', async () => {
    for (const [M, K, factor] of [[5, 37, 4], [3, 64, 8], [1, 7, 2]] as const) {
      const A = te.placeholder([M, K], 'float32', 'A');
      const k = te.reduceAxis(K, 'k');
      const out = te.compute([M], (r) => te.sum(A.at(r, k), [k]), 'rowsum');
      const s = te.createSchedule([out]);
      const c = s.stage(out);
      const [, ki] = c.split(c.reduceAxis[0]!, { factor });
      const rf = s.rfactor(out, ki!);
      const r = s.stage(rf);
      // rf[ki, row]: the factored axis is outermost; run it on the threads.
      r.parallel(r.axis[0]!);
      c.parallel(c.axis[0]!);
      const f = te.lower(s, [A, out], { name: 'rowsum_rf' });
      const a = seededFloats(M * K, M + K);
      const want = rowSumRef(a, M, K);
      for (const target of TARGETS) {
        const got = await runWasm(f, [a, new Float32Array(M)], target);
        expect(maxRelDiff(got[1]!, want), `${target} ${M}x${K}/${factor}`).toBeLessThan(1e-5);
      }
    }
  });

  it('reduces in parallel over rows into an accumulator initialised outside the parallel loop', async () => {
    // out[r] starts at 100 and each row's parallel iteration adds its sum once.
    const [M, K] = [11, 9];
    const A = t.buffer('A', [M * K], 'float32');
    const O = t.buffer('O', [M], 'float32');
    const r = t.variable('r');
    const q = t.variable('q');
    const f = t.primFunc('acc_rows', [A, O], t.forLoop(r, 0, M, 'parallel', t.forLoop(q, 0, K, 'serial',
      t.bufferStore(O, t.add(t.bufferLoad(O, [r]), t.bufferLoad(A, [t.add(t.mul(r, i32(K)), q)])), [r]))));
    const a = seededFloats(M * K, 3);
    const sums = rowSumRef(a, M, K);
    const want = Array.from(sums, (v) => v + 100);
    for (const target of TARGETS) {
      const got = await runWasm(f, [a, new Float32Array(M).fill(100)], target);
      expect(maxRelDiff(got[1]!, want), target).toBeLessThan(1e-5);
    }
  });
});
