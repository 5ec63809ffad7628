// tests/schedule/inline.test.ts — computeInline (schedule/inline.ts) on chains of elementwise stages
// read at transformed indices (reversed, shifted with wraparound, transposed, read twice at
// different indices), inlined transitively (an inlined stage reading another inlined one), all
// of them or only some, on 6×5 (no split divides it); lowered, interpreted and compared with the
// same chain in plain JS. Also: cacheRead's redirection of reads (schedule/redirect.ts) leaves
// reads of other tensors alone.

import { describe, expect, it } from 'vitest';
import * as te from '../../schedule/index.js';
import { StmtExprVisitor } from '../../tir/functor.js';

import { data, expectClose, run } from './helpers.js';

const H = 6, W = 5;
const f32 = Math.fround;
const mod = (a: number, n: number): number => ((a % n) + n) % n;

function chain() {
  const A = te.placeholder([H, W], 'float32', 'A');
  const B = te.compute([H, W], (i, j) => A.at(i, j).mul(2).add(1), 'B');
  const C = te.compute([H, W], (i, j) => B.at(te.wrap(H - 1).sub(i), te.wrap(W - 1).sub(j)).sub(B.at(i, j.add(1).floormod(W))), 'C');
  const D = te.compute([W, H], (j, i) => C.at(i, j).mul(C.at(i.add(2).floormod(H), j)), 'D');
  const E = te.compute([H, W], (i, j) => D.at(j, i).add(A.at(i, j)), 'E');
  return { A, B, C, D, E };
}

function reference(): Float32Array {
  const a = data(H * W, 1);
  const b = (i: number, j: number): number => f32(f32(a[i * W + j]! * 2) + 1);
  const c = (i: number, j: number): number => f32(b(H - 1 - i, W - 1 - j) - b(i, mod(j + 1, W)));
  const d = (j: number, i: number): number => f32(c(i, j) * c(mod(i + 2, H), j));
  return Float32Array.from({ length: H * W }, (_, k) => f32(d(k % W, Math.floor(k / W)) + a[k]!));
}

/** Names of the tensors still read (ProducerLoads are gone after lowering, so count the allocations instead). */
function stagesComputed(s: te.Schedule, args: te.Tensor[]): string[] {
  const names: string[] = [];
  class V extends StmtExprVisitor {
    override visitStmt(st: Parameters<StmtExprVisitor['visitStmt']>[0]): void {
      if (st.kind === 'BufferStore' && !names.includes(st.buffer.name)) names.push(st.buffer.name);
      super.visitStmt(st);
    }
  }
  new V().visitStmt(te.lower(s, args).body);
  return names.sort();
}

describe('computeInline against plain JS', () => {
  const cases: [string, (w: ReturnType<typeof chain>) => te.Tensor[], string[]][] = [
    ['nothing inlined', () => [], ['B', 'C', 'D', 'E']],
    ['every intermediate (transitively)', (w) => [w.B, w.C, w.D], ['E']],
    ['B only', (w) => [w.B], ['C', 'D', 'E']],
    ['C and D, B computed', (w) => [w.C, w.D], ['B', 'E']],
    ['D then B (order of the calls does not matter)', (w) => [w.D, w.B], ['C', 'E']],
  ];
  for (const [name, pick, left] of cases) {
    it(name, () => {
      const w = chain();
      const s = te.createSchedule([w.E]);
      for (const t of pick(w)) s.stage(t).computeInline();
      expect(stagesComputed(s, [w.A, w.E])).toEqual(left);
      expectClose(run(s, [w.A, w.E]), reference(), 0);
    });
  }
});

describe('computeInline of a stage read inside another read\'s index (a gather)', () => {
  it('inlines the index stage inside the indices too', () => {
    const A = te.placeholder([H, W], 'float32', 'A');
    const I = te.compute([W], (j) => j.mul(3).add(1).floormod(W), 'I');
    const G = te.compute([H, W], (i, j) => A.at(i, I.at(j)).mul(2), 'G');
    const O = te.compute([H, W], (i, j) => G.at(i, I.at(j)).add(1), 'O');
    const a = data(H * W, 1);
    const idx = (j: number): number => (j * 3 + 1) % W;
    const want = Float32Array.from({ length: H * W }, (_, k) => f32(f32(a[Math.floor(k / W) * W + idx(idx(k % W))]! * 2) + 1));
    for (const inl of [[I, G], [G, I], [G], [I]]) {
      const s = te.createSchedule([O]);
      for (const t of inl) s.stage(t).computeInline();
      expectClose(run(s, [A, O]), want, 0);
    }
  });
});

describe('cacheRead redirects only the reads of the cached tensor', () => {
  it('the consumer keeps reading the other input directly, and the result is unchanged', () => {
    const w = chain();
    const s = te.createSchedule([w.E]);
    s.stage(w.B).computeInline();
    s.stage(w.C).computeInline();
    const DL = s.cacheRead(w.D, 'local', [w.E]);
    expect(DL.name).toBe('D_local');
    expect(stagesComputed(s, [w.A, w.E])).toEqual(['D', 'D_local', 'E']);
    expectClose(run(s, [w.A, w.E]), reference(), 0);
  });
});
