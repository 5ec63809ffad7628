// tests/runtime/webgpu/attach_scope.test.ts — a stage attached at a blockIdx axis with no scope set is
// 'shared' and sized for one block (TVM's InferStorageScope + NeedRelax), not for the whole grid:
// the 512×512 padded stencil (a 10×10 tile) and the rfactor row sum, lowered and run on WebGPU
// against plain JS; attached inside threadIdx it is 'local'; a scope set by cacheRead is kept.

import { afterAll, describe, expect, it } from 'vitest';
import { releaseWebGPU } from '../../../runtime/webgpu/device.js';
import * as te from '../../../schedule/index.js';
import { StmtExprVisitor } from '../../../tir/functor.js';
import type { Buffer, PrimFunc, Stmt } from '../../../tir/nodes.js';
import { seededFloats } from '../../codegen/wasm/wasm_harness.js';
import { firstMismatch, runOn } from '../targets_harness.js';

afterAll(releaseWebGPU);

/** Every Allocate's buffer by name. */
function allocations(f: PrimFunc): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  class V extends StmtExprVisitor {
    override visitStmt(s: Stmt): void {
      if (s.kind === 'Allocate') out.set(s.buffer.name, s.buffer);
      super.visitStmt(s);
    }
  }
  new V().visitStmt(f.body);
  return out;
}

const elements = (b: Buffer): number => b.shape.reduce((n, d) => n * (d.kind === 'IntImm' ? d.value : NaN), 1);

/** B = 3×3 box sum over A padded by `p` (zeros), A n×n; Apad computed per 8×8 output tile, fetched by the block's threads. */
function stencil(n: number, p: number, tile = 8): PrimFunc {
  const A = te.placeholder([n, n], 'float32', 'A');
  const Ap = te.compute([n + 2 * p, n + 2 * p], (i, j) =>
    te.ifThenElse(te.all(i.ge(p), i.lt(n + p), j.ge(p), j.lt(n + p)), A.at(i.sub(p), j.sub(p)), 0), 'Apad');
  const di = te.reduceAxis(3, 'di'), dj = te.reduceAxis(3, 'dj');
  const m = n + 2 * p - 2;
  const B = te.compute([m, m], (i, j) => te.sum(Ap.at(i.add(di), j.add(dj)), [di, dj]), 'B');
  const s = te.createSchedule([B]);
  const b = s.stage(B);
  const [by, bx, ty, tx] = b.tile(b.axis[0]!, b.axis[1]!, tile, tile);
  b.bind(by, 'blockIdx.y'); b.bind(bx, 'blockIdx.x'); b.bind(ty, 'threadIdx.y'); b.bind(tx, 'threadIdx.x');
  const ap = s.stage(Ap);
  ap.computeAt(b, bx);
  const [o, t1] = ap.split(ap.fuse(...ap.axis), { factor: tile });
  const [, t2] = ap.split(o, { factor: tile });
  ap.bind(t1, 'threadIdx.x'); ap.bind(t2, 'threadIdx.y');
  return te.lower(s, [A, B], { name: 'stencil' });
}

function stencilRef(a: Float32Array, n: number, p: number): Float32Array {
  const m = n + 2 * p - 2;
  const at = (i: number, j: number): number => (i >= 0 && i < n && j >= 0 && j < n ? a[i * n + j]! : 0);
  const out = new Float32Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) {
    let acc = 0;
    for (let di = 0; di < 3; di++) for (let dj = 0; dj < 3; dj++) acc += at(i + di - p, j + dj - p);
    out[i * m + j] = acc;
  }
  return out;
}

function rowSum(M: number, K: number, attachAtThread = false): PrimFunc {
  const A = te.placeholder([M, K], 'float32', 'A');
  const k = te.reduceAxis(K, 'k');
  const out = te.compute([M], (i) => te.sum(A.at(i, k), [k]), 'rowsum');
  const s = te.createSchedule([out]);
  const c = s.stage(out);
  const [, ki] = c.split(c.reduceAxis[0]!, { factor: 16 });
  const rf = s.rfactor(out, ki);
  const r = s.stage(rf);
  if (attachAtThread) {
    const [bo, ti] = c.split(c.axis[0]!, { factor: 4 });
    c.bind(bo, 'blockIdx.x'); c.bind(ti, 'threadIdx.x');
    r.computeAt(c, ti);
  } else {
    c.bind(c.axis[0]!, 'blockIdx.x');
    r.computeAt(c, c.axis[0]!);
    r.bind(r.axis[0]!, 'threadIdx.x');
  }
  return te.lower(s, [A, out], { name: 'rowsum_rf' });
}

describe('storage scope from the attach point (InferStorageScope)', () => {
  it('gives the 512×512 padded stencil a 10×10 shared tile per 8×8 block, and runs it on WebGPU', async () => {
    const f = stencil(512, 3);
    const apad = allocations(f).get('Apad')!;
    expect(apad.scope).toBe('shared');
    expect(elements(apad)).toBe(100);
    const a = seededFloats(512 * 512, 5);
    const want = stencilRef(a, 512, 3);
    const got = (await runOn(f, [a, new Float32Array(want.length)], 'webgpu'))[1]!;
    const bad = firstMismatch(got, want, 1e-5);
    expect(bad, `element ${bad}: ${got[bad]} vs ${want[bad]}`).toBe(-1);
  });

  it('sizes the tile by the tile, not the grid, for other sizes and paddings (tiles that do not divide)', async () => {
    for (const [n, p, tile] of [[37, 1, 8], [20, 2, 4]] as const) {
      const f = stencil(n, p, tile);
      const apad = allocations(f).get('Apad')!;
      expect([apad.scope, elements(apad)]).toEqual(['shared', (tile + 2) ** 2]);
      const a = seededFloats(n * n, n);
      const want = stencilRef(a, n, p);
      const got = (await runOn(f, [a, new Float32Array(want.length)], 'webgpu'))[1]!;
      expect(firstMismatch(got, want, 1e-5), `n=${n} p=${p}`).toBe(-1);
    }
  });

  it.each([[8, 64], [5, 37]])('computes one row of rfactor partials per block (row sum %i×%i) on WebGPU', async (M, K) => {
    const f = rowSum(M, K);
    const rf = [...allocations(f).values()].find((b) => b.name.includes('rf'))!;
    expect([rf.scope, elements(rf)]).toEqual(['shared', 16]);
    const a = seededFloats(M * K, M + K);
    const want = Float32Array.from({ length: M }, (_, i) => a.subarray(i * K, (i + 1) * K).reduce((x, y) => x + y, 0));
    const got = (await runOn(f, [a, new Float32Array(M)], 'webgpu'))[1]!;
    expect(firstMismatch(got, want, 1e-5)).toBe(-1);
  });

  it('makes a stage attached inside a threadIdx loop local to the thread', () => {
    const rf = [...allocations(rowSum(8, 64, true)).values()].find((b) => b.name.includes('rf'))!;
    expect([rf.scope, elements(rf)]).toEqual(['local', 16]);
  });

  it('keeps a scope that cacheRead set, and global for a stage attached outside any thread loop', () => {
    const A = te.placeholder([64], 'float32', 'A');
    const B = te.compute([64], (i) => A.at(i).mul(2), 'B');
    const C = te.compute([64], (i) => B.at(i).add(1), 'C');
    const s = te.createSchedule([C]);
    const c = s.stage(C);
    const [o] = c.split(c.axis[0]!, { factor: 8 });
    s.stage(B).computeAt(c, o);
    const AA = s.cacheRead(A, 'local', [B]);
    s.stage(AA).computeAt(s.stage(B), s.stage(B).axis[0]!);
    const allocs = allocations(te.lower(s, [A, C]));
    expect([allocs.get('B')!.scope, elements(allocs.get('B')!)]).toEqual(['global', 8]);
    expect(allocs.get(AA.name)!.scope).toBe('local');
  });
});
