// tests/schedule/compute_at_indirect.test.ts — computeAt at an indirect consumer (X→P→Q→R, P and
// Q both computed at R's loop, or Q deeper): P's region follows from Q's, as TVM's bound
// inference does; results in the interpreter and on wasm against plain JS; misuse names stages.

import { describe, expect, it } from 'vitest';
import * as te from '../../schedule/index.js';
import { StmtExprVisitor } from '../../tir/functor.js';
import type { Stmt } from '../../tir/nodes.js';
import { seededFloats } from '../codegen/wasm/wasm_harness.js';
import { firstMismatch, runOn } from '../runtime/targets_harness.js';

/** P = 2·X, Q[i] = P[i] + P[i+1] + P[i+2] (a window), R = 3·Q + 1; R split by `factor`. */
function chain(n: number, factor: number, qAt: 'outer' | 'inner' | 'root') {
  const X = te.placeholder([n + 2], 'float32', 'X');
  const P = te.compute([n + 2], (i) => X.at(i).mul(2), 'P');
  const Q = te.compute([n], (i) => P.at(i).add(P.at(i.add(1))).add(P.at(i.add(2))), 'Q');
  const R = te.compute([n], (i) => Q.at(i).mul(3).add(1), 'R');
  const s = te.createSchedule([R]);
  const r = s.stage(R);
  const [ro, ri] = r.split(r.axis[0]!, { factor });
  if (qAt !== 'root') s.stage(Q).computeAt(r, qAt === 'outer' ? ro : ri);
  s.stage(P).computeAt(r, ro);
  return { s, args: [X, R] };
}

function reference(x: Float32Array, n: number): Float32Array {
  const p = x.map((v) => Math.fround(v * 2));
  return Float32Array.from({ length: n }, (_, i) => (p[i]! + p[i + 1]! + p[i + 2]!) * 3 + 1);
}

describe('computeAt at an indirect consumer', () => {
  for (const qAt of ['outer', 'inner'] as const) {
    it(`lowers P.computeAt(R, ro) when only Q (at R's ${qAt} loop) reads P, for sizes the split does and does not divide`, async () => {
      for (const [n, factor] of [[9, 4], [16, 4], [13, 5], [3, 4]] as const) {
        const { s, args } = chain(n, factor, qAt);
        const f = te.lower(s, args, { name: 'chain' });
        const x = seededFloats(n + 2, n);
        const want = reference(x, n);
        for (const target of ['interpret', 'wasm -simd=1']) {
          const got = (await runOn(f, [x, new Float32Array(n)], target))[1]!;
          expect(firstMismatch(got, want, 1e-6), `${target} n=${n} factor=${factor}`).toBe(-1);
        }
      }
    });
  }

  it('computes P only for the window one iteration of ro needs (factor + 2 elements)', () => {
    const { s, args } = chain(64, 8, 'outer');
    const allocs: Record<string, number> = {};
    class V extends StmtExprVisitor {
      override visitStmt(st: Stmt): void {
        if (st.kind === 'Allocate') allocs[st.buffer.name] = st.buffer.shape.reduce((a, d) => a * (d.kind === 'IntImm' ? d.value : NaN), 1);
        super.visitStmt(st);
      }
    }
    new V().visitStmt(te.lower(s, args).body);
    // 8 outputs of R need Q[8] and P[10].
    expect(allocs).toEqual({ P: 10, Q: 8 });
  });

  it('refuses P at R when its reader Q is computed outside that loop, naming both stages', () => {
    const { s, args } = chain(9, 4, 'root');
    expect(() => te.lower(s, args)).toThrow(/computeAt: stage P is attached inside stage R at .* also read by stage Q, which is not computed inside that loop/);
  });
});
