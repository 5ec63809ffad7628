// tests/reference/eval_index.ts — a plain-JS evaluator of integer index expressions (exact
// arithmetic: floor division floors, C division truncates, no int32 wrap), the independent
// reference for the simplifier's and bound inference's tests.

import * as T from '../../tir/nodes.js';
import { print } from '../../tir/printer.js';

export const fdiv = (a: number, b: number): number => Math.floor(a / b);
export const fmod = (a: number, b: number): number => a - Math.floor(a / b) * b;

/** Plain-JS value of an int32 index expression (no code under test). */
export function evalInt(e: T.PrimExpr, env: ReadonlyMap<T.Var, number>): number {
  switch (e.kind) {
    case 'IntImm': return e.value;
    case 'Var': {
      const v = env.get(e);
      if (v === undefined) throw new Error(`unbound ${e.name}`);
      return v;
    }
    case 'BinaryOp': {
      const a = evalInt(e.a, env);
      const b = evalInt(e.b, env);
      switch (e.op) {
        case 'add': return a + b;
        case 'sub': return a - b;
        case 'mul': return a * b;
        case 'floordiv': return fdiv(a, b);
        case 'floormod': return fmod(a, b);
        case 'div': return Math.trunc(a / b);
        case 'mod': return a % b;
        case 'min': return Math.min(a, b);
        case 'max': return Math.max(a, b);
      }
      break;
    }
    case 'Select': return evalBool(e.condition, env) ? evalInt(e.trueValue, env) : evalInt(e.falseValue, env);
  }
  throw new Error(`evalInt: unexpected ${print(e)}`);
}

export function evalBool(e: T.PrimExpr, env: ReadonlyMap<T.Var, number>): boolean {
  if (e.kind === 'IntImm') return e.value !== 0;
  if (e.kind === 'CompareOp') {
    const a = evalInt(e.a, env), b = evalInt(e.b, env);
    return { eq: a === b, ne: a !== b, lt: a < b, le: a <= b, gt: a > b, ge: a >= b }[e.op];
  }
  if (e.kind === 'LogicalOp') return e.op === 'and' ? evalBool(e.a, env) && evalBool(e.b, env) : evalBool(e.a, env) || evalBool(e.b, env);
  if (e.kind === 'Not') return !evalBool(e.a, env);
  throw new Error(`evalBool: unexpected ${print(e)}`);
}
