// tir/arith/index.ts — the arithmetic toolkit: bounds, canonical affine form, simplification.
export { constIntBound, boundAnalyzer, EVERYTHING, type IntBound, type VarRanges } from './int_bound.js';
export { exprKey, sameExpr, linToExpr, type Linear, type Term } from './linear.js';
export { Simplifier, simplifyExpr, proveTrue } from './simplify_expr.js';
