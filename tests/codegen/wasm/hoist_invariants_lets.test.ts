// tests/codegen/wasm/hoist_invariants_lets.test.ts — wasm.hoistInvariants (codegen/wasm/
// hoist_invariants.ts) must treat a let *expression*'s variable as bound inside the loop body: an
// index expression over it (`t // 3`, `t % 3`, `t·5 + 7` inside `let t = K[i] in …`) is not loop
// invariant and must stay under the let. Compared with plain JS (floor division by hand), and the
// pass's output checked to bind no `inv` let to an expression of `t` outside the let.

import { describe, expect, it } from 'vitest';
import { lowerForTarget } from '../../../codegen/target_passes.js';
import { StmtExprVisitor } from '../../../tir/functor.js';
import * as T from '../../../tir/nodes.js';
import { CONFIGS, runWasm } from './wasm_harness.js';

/** Y[i] = let t = K[i] in (t // 3)·100 + t % 3 (floor division) + (let u = t·5 + 7 in u // 4), for i < n. */
function letKernel(n: number): T.PrimFunc {
  const K = T.buffer('K', [n], 'int32');
  const Y = T.buffer('Y', [n], 'int32');
  const i = T.variable('i');
  const t = T.variable('t');
  const u = T.variable('u');
  const inner = T.letExpr(u, T.add(T.mul(t, T.intImm(5)), T.intImm(7)), T.binary('floordiv', u, T.intImm(4)));
  const body = T.add(T.add(T.mul(T.binary('floordiv', t, T.intImm(3)), T.intImm(100)), T.binary('floormod', t, T.intImm(3))), inner);
  return T.primFunc('let_in_loop', [K, Y], T.forLoop(i, 0, n, 'serial', T.bufferStore(Y, T.letExpr(t, T.bufferLoad(K, [i]), body), [i])));
}

const fdiv = (a: number, b: number): number => Math.floor(a / b);
const fmod = (a: number, b: number): number => a - fdiv(a, b) * b;

describe('wasm.hoistInvariants and let expressions', () => {
  it('an expression of a let variable stays under its let (plain JS)', async () => {
    for (const n of [1, 7, 23]) {
      const k = Int32Array.from({ length: n }, (_, j) => (j * 37) % 29 - 14);
      const want = Array.from(k, (t) => fdiv(t, 3) * 100 + fmod(t, 3) + fdiv(t * 5 + 7, 4));
      for (const target of CONFIGS) {
        const y = (await runWasm(letKernel(n), [k, new Int32Array(n)], target))[1]!;
        expect(Array.from(y), `${target} n=${n}`).toEqual(want);
      }
    }
  });

  it('the pass hoists no value that reads a let-expression variable', () => {
    const f = lowerForTarget(letKernel(9), 'wasm -threads=1').func;
    const bad: string[] = [];
    class V extends StmtExprVisitor {
      override visitStmt(s: T.Stmt): void {
        if (s.kind === 'LetStmt') {
          const uses: string[] = [];
          class U extends StmtExprVisitor {
            override visitExpr(e: T.PrimExpr): void {
              if (e.kind === 'Var') uses.push(e.name);
              super.visitExpr(e);
            }
          }
          new U().visitExpr(s.value);
          if (uses.includes('t') || uses.includes('u')) bad.push(`${s.variable.name} = … ${uses.join(',')}`);
        }
        super.visitStmt(s);
      }
    }
    new V().visitStmt(f.body);
    expect(bad).toEqual([]);
  });
});
