// tests/schedule/lower.test.ts — te.lower: the loop nest for typical schedules (golden text),
// the lowered function's contract (1-D params, argShapes), guards kept only where needed, trace.

import { describe, expect, it } from 'vitest';
import * as te from '../../schedule/index.js';
import { StmtExprVisitor } from '../../tir/functor.js';
import type { Stmt } from '../../tir/nodes.js';
import { print } from '../../tir/printer.js';
import { expectClose, matmul, runFunc } from './helpers.js';

function tiledMatmul(M: number, N: number, K: number, f: number): { s: te.Schedule; args: te.Tensor[] } {
  const A = te.placeholder([M, K], 'float32', 'A');
  const B = te.placeholder([K, N], 'float32', 'B');
  const k = te.reduceAxis(K, 'k');
  const C = te.compute([M, N], (i, j) => te.sum(A.at(i, k).mul(B.at(k, j)), [k]), 'C');
  const s = te.createSchedule([C]);
  const c = s.stage(C);
  const [yo, yi] = c.split(c.axis[0]!, { factor: f });
  const [xo, xi] = c.split(c.axis[1]!, { factor: f });
  const [ko, ki] = c.split(c.reduceAxis[0]!, { factor: f });
  c.reorder(yo, xo, ko, yi, ki, xi); c.vectorize(xi); c.unroll(ki); c.parallel(yo);
  c.pragma(yo, 'auto_unroll_max_step', 16);
  return { s, args: [A, B, C] };
}

function countIfs(s: Stmt): number {
  let n = 0;
  class V extends StmtExprVisitor {
    override visitStmt(st: Stmt): void {
      if (st.kind === 'IfThenElse') n++;
      super.visitStmt(st);
    }
  }
  new V().visitStmt(s);
  return n;
}

const TILED_MATMUL = `def matmul(A: float32[10, 7], B: float32[7, 12], C: float32[10, 12]):
  for i_outer in range(0, 3):  # parallel; pragma_auto_unroll_max_step=16
    for j_outer in range(0, 3):
      for i_inner_init in range(0, 4):
        for j_inner_init in range(0, 4):  # vectorized
          if i_outer * 4 + i_inner_init < 10:
            C[i_outer * 4 + i_inner_init, j_outer * 4 + j_inner_init] = 0.0
      for k_outer in range(0, 2):
        for i_inner in range(0, 4):
          for k_inner in range(0, 4):  # unrolled
            for j_inner in range(0, 4):  # vectorized
              if i_outer * 4 + i_inner < 10 && k_outer * 4 + k_inner < 7:
                C[i_outer * 4 + i_inner, j_outer * 4 + j_inner] = C[i_outer * 4 + i_inner, j_outer * 4 + j_inner] + A[i_outer * 4 + i_inner, k_outer * 4 + k_inner] * B[k_outer * 4 + k_inner, j_outer * 4 + j_inner]`;

const PAD_AT_ROW = `def conv(X: float32[1, 2, 4, 4], W: float32[3, 2, 3, 3], conv: float32[1, 3, 4, 4]):
  for n in range(0, 1):
    for f in range(0, 3):
      for y in range(0, 4):
        allocate pad: float32[1, 2, 3, 6]
        for n_1 in range(0, 1):
          for ch in range(0, 2):
            for y_1 in range(0, 3):
              for x in range(0, 6):
                pad[n_1, ch, y_1, x] = select(y + y_1 >= 1 && y + y_1 < 5 && x >= 1 && x < 5, X[n_1, ch, min(max(y + y_1 - 1, 0), 3), min(max(x - 1, 0), 3)], 0.0)
        for x_1 in range(0, 4):
          conv[n, f, y, x_1] = 0.0
          for rc in range(0, 2):
            for ry in range(0, 3):
              for rx in range(0, 3):
                conv[n, f, y, x_1] = conv[n, f, y, x_1] + pad[n, rc, y + ry - y, x_1 + rx] * W[f, rc, ry, rx]`;

describe('loop nest (golden)', () => {
  it('a tiled, vectorized, unrolled, parallel matmul with non-dividing tiles', () => {
    const { s, args } = tiledMatmul(10, 12, 7, 4);
    expect(print(te.scheduleOps(s, args, 'matmul'))).toBe(TILED_MATMUL);
  });

  it('a pad stage computed at the conv output row', () => {
    const X = te.placeholder([1, 2, 4, 4], 'float32', 'X');
    const pad = te.compute([1, 2, 6, 6], (n, ch, y, x) => te.select(te.all(y.ge(1), y.lt(5), x.ge(1), x.lt(5)),
      X.at(n, ch, te.minimum(te.maximum(y.sub(1), 0), 3), te.minimum(te.maximum(x.sub(1), 0), 3)), 0), 'pad');
    const rc = te.reduceAxis(2, 'rc');
    const ry = te.reduceAxis(3, 'ry');
    const rx = te.reduceAxis(3, 'rx');
    const W = te.placeholder([3, 2, 3, 3], 'float32', 'W');
    const out = te.compute([1, 3, 4, 4], (n, f, y, x) => te.sum(pad.at(n, rc, y.add(ry), x.add(rx)).mul(W.at(f, rc, ry, rx)), [rc, ry, rx]), 'conv');
    const s = te.createSchedule([out]);
    const o = s.stage(out);
    s.stage(pad).computeAt(o, o.axis[2]!);
    expect(print(te.scheduleOps(s, [X, W, out], 'conv'))).toBe(PAD_AT_ROW);
  });
});

describe('te.lower', () => {
  it('gives 1-D params with the logical shapes in attrs.argShapes', () => {
    const { s, args } = tiledMatmul(16, 16, 16, 4);
    const f = te.lower(s, args, { name: 'mm' });
    expect(f.name).toBe('mm');
    expect(f.params.map((p) => p.shape.length)).toEqual([1, 1, 1]);
    expect(f.attrs['argShapes']).toEqual([[16, 16], [16, 16], [16, 16]]);
  });

  it('removes every guard when the factors divide, and keeps the result', () => {
    const { s, args } = tiledMatmul(16, 16, 16, 4);
    const f = te.lower(s, args, { name: 'mm' });
    expect(countIfs(f.body)).toBe(0);
    expectClose(runFunc(f, args), matmul(16, 16, 16).reference());
  });

  it('guards the ragged tiles when they do not divide (lowering may partition them), keeping the result', () => {
    const { s, args } = tiledMatmul(10, 12, 7, 4);
    expect(countIfs(te.scheduleOps(s, args, 'mm').body)).toBe(2);
    const f = te.lower(s, args, { name: 'mm' });
    expectClose(runFunc(f, args), matmul(10, 12, 7).reference());
  });

  it('with trace returns the loop nest and the IR after each pass', () => {
    const { s, args } = tiledMatmul(8, 8, 8, 4);
    const { func, steps } = te.lower(s, args, { name: 'mm', trace: true });
    expect(steps[0]!.name).toBe('schedule.scheduleOps');
    expect(steps.map((st) => st.name)).toContain('tir.storageFlatten');
    expect(steps[steps.length - 1]!.func).toBe(func);
  });

  it('names the function default_function when no name is given', () => {
    const { s, args } = tiledMatmul(8, 8, 8, 4);
    expect(te.lower(s, args).name).toBe('default_function');
  });
});
