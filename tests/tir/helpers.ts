// tests/tir/helpers.ts — shared helpers for the tir tests: IR comparison with readable diffs,
// seeded data, and running a function through the interpreter.
import { expect } from 'vitest';
import * as t from '../../tir/nodes.js';
import { interpret } from '../../tir/interpreter.js';
import { print } from '../../tir/printer.js';
import { structuralEqual } from '../../tir/structural.js';

/** Asserts `actual` equals `expected` up to renaming; on failure shows both printed. */
export function expectIR(actual: t.PrimFunc | t.Stmt, expected: t.PrimFunc | t.Stmt): void {
  const ok = structuralEqual(actual, expected);
  expect(ok, `IR differs.\n--- actual\n${print(actual)}\n--- expected\n${print(expected)}`).toBe(true);
}

export function seeded(n: number, seed: number): Float32Array {
  const a = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    a[i] = (s / 4294967296) * 2 - 1;
  }
  return a;
}

function sizeOf(b: t.Buffer): number {
  return b.shape.reduce((p, d) => p * (d.kind === 'IntImm' ? d.value : NaN), 1);
}

/** Interprets `f` on seeded inputs (every param but the last) and returns every buffer. */
export function runSeeded(f: t.PrimFunc): Float32Array[] {
  const bufs = f.params.map((p, i) => (i < f.params.length - 1 ? seeded(sizeOf(p), i + 1) : new Float32Array(sizeOf(p))));
  interpret(f, bufs);
  return bufs;
}

/** Asserts two functions compute the same outputs on the same seeded inputs. */
export function expectSameResults(a: t.PrimFunc, b: t.PrimFunc): void {
  const ra = runSeeded(a);
  const rb = runSeeded(b);
  // Same number of buffers, and at least one: an empty comparison would pass for anything.
  expect(rb).toHaveLength(ra.length);
  expect(ra.length).toBeGreaterThan(0);
  ra.forEach((x, i) => expect(Array.from(rb[i]!), `buffer ${i}`).toEqual(Array.from(x)));
}

export const c = (n: number): t.IntImm => t.intImm(n);
export const vars = (...names: string[]): t.Var[] => names.map((n) => t.variable(n));

/** Every For loop over `v` in `s` (pre-order; through if/else, lets and allocations). */
export function loopsOver(s: t.Stmt, v: t.Var): t.For[] {
  switch (s.kind) {
    case 'For': return [...(s.loopVar === v ? [s] : []), ...loopsOver(s.body, v)];
    case 'SeqStmt': return s.seq.flatMap((x) => loopsOver(x, v));
    case 'IfThenElse': return [...loopsOver(s.thenCase, v), ...(s.elseCase ? loopsOver(s.elseCase, v) : [])];
    case 'LetStmt': case 'Allocate': return loopsOver(s.body, v);
    default: return [];
  }
}
