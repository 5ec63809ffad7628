// tir/arith/merge_div_mod.ts — floordiv(x, c)·k·c + floormod(x', c)·k → x·k on a linear form, the one rule both
// the simplifier's canonical form and bound inference (schedule/arith.ts) apply.

import { floordiv, intImm, type BinaryOp, type PrimExpr } from '../nodes.js';
import { exprKey, linAdd, linScale, type Linear } from './linear.js';

/**
 * floordiv(x, c)·k·c + floormod(x', c)·k → x·k where x' ≡ x (mod c) term by term, as TVM's canonical simplifier
 * (src/arith/canonical_simplify.cc, SplitExpr merging) does. x' may differ from x because simplifyMod reduces each
 * coefficient modulo c (floormod(16a + 4b, 14) → floormod(2a + 4b, 14)) where floordiv keeps them. What fuse-then-split
 * index arithmetic leaves: a consumer that reads a fused loop through a flattening index (conv2d_gemm_NCHWc's product
 * Z[…, oh·OW + ow, …], oh and ow one fused loop's ⌊f / OW⌋ and f mod OW) then needs a window of f, not the box of both
 * atoms, and the accumulator tile read at its view's pixel becomes a constant.
 *
 * `linearOf` is the caller's affine form of a sub-expression (the simplifier's simplifies atoms; bound inference's
 * only takes add/sub/mul apart); x's own pairs merge through it when it merges them (a fused loop of a fused loop).
 */
export function mergeDivMod(l: Linear, linearOf: (e: PrimExpr) => Linear): Linear {
  let out = l;
  for (const [km, tm] of l.terms) {
    const m = tm.atom;
    if (m.kind !== 'BinaryOp' || m.op !== 'floormod' || m.b.kind !== 'IntImm' || !out.terms.has(km)) continue;
    const c = m.b.value;
    const dKey = divPartner(out, m.a, c, tm.coeff * c, linearOf);
    if (dKey === undefined) continue;
    const d = out.terms.get(dKey)!.atom as BinaryOp;
    const rest = new Map(out.terms);
    rest.delete(km);
    rest.delete(dKey);
    out = linAdd({ terms: rest, c: out.c }, linScale(linearOf(d.a), tm.coeff));
  }
  return out;
}

/** The key of a term floordiv(x, c) with coefficient `coeff` and x ≡ `xm` (mod c) term by term, if `l` has one. */
function divPartner(l: Linear, xm: PrimExpr, c: number, coeff: number, linearOf: (e: PrimExpr) => Linear): string | undefined {
  const exact = exprKey(floordiv(xm, intImm(c)));
  if (l.terms.get(exact)?.coeff === coeff) return exact;
  const lm = linearOf(xm);
  const congruent = (x: PrimExpr): boolean => {
    const diff = linAdd(linearOf(x), lm, -1);
    return diff.c % c === 0 && [...diff.terms.values()].every((t) => t.coeff % c === 0);
  };
  for (const [k, t] of l.terms) {
    const d = t.atom;
    if (t.coeff === coeff && d.kind === 'BinaryOp' && d.op === 'floordiv' && d.b.kind === 'IntImm' && d.b.value === c && congruent(d.a)) return k;
  }
  return undefined;
}
