// tests/tir/one_part.ts — the check behind the one-part-changed tests: a rewrite that changes one
// part of a node must return a new node with exactly that part changed, every other part the very
// same object and every other field kept.

import { expect } from 'vitest';
import * as t from '../../tir/nodes.js';
import { print } from '../../tir/printer.js';

export type Node = t.PrimExpr | t.Stmt;

/** Checks `out` is `orig` with part `slot` changed to `want[slot]` and every other part the same object. */
export function expectOnePart(orig: Node, out: Node, want: Node, slot: [string, number?]): void {
  const o = orig as unknown as Record<string, unknown>;
  const r = out as unknown as Record<string, unknown>;
  const w = want as unknown as Record<string, unknown>;
  expect(out).not.toBe(orig);
  expect(Object.keys(r).sort()).toEqual(Object.keys(o).sort());
  for (const key of Object.keys(o)) {
    const ov = o[key];
    if (Array.isArray(ov)) {
      const rv = r[key] as unknown[];
      expect(rv).toHaveLength(ov.length);
      ov.forEach((el, j) => {
        if (slot[0] === key && slot[1] === j) {
          expect(rv[j]).not.toBe(el);
          expect(rv[j]).toEqual((w[key] as unknown[])[j]);
        } else expect(rv[j], `${key}[${j}]`).toBe(el);
      });
    } else if (slot[0] === key) {
      expect(r[key]).not.toBe(ov);
      expect(r[key]).toEqual(w[key]);
    } else expect(r[key], key).toBe(ov);
  }
  expect(print(out)).toBe(print(want));
}


/** A node kind's one-part case: its parts' dtypes, the slot each part sits in, and how to build it from them. */
export interface OnePartCase<N extends Node> {
  readonly name: string;
  readonly parts: t.DataType[];
  readonly slots: [string, number?][];
  readonly build: (p: t.PrimExpr[]) => N;
}

/** An expression that simplifies to `v` and to nothing else (v · 1, v ∧ true, v + 0 · v). */
export function grow(v: t.Var): t.PrimExpr {
  if (v.dtype === 'float32') return t.mul(v, t.floatImm(1));
  if (v.dtype === 'bool') return t.and(v, t.intImm(1, 'bool'));
  return t.add(v, t.mul(t.intImm(0), v));
}

/** For each part of `c` in turn: builds the node with that part alone grown, rewrites it, and checks the one-part rule. */
export function expectEachPartAlone<N extends Node>(c: OnePartCase<N>, rewrite: (n: N) => Node): void {
  c.slots.forEach((slot, idx) => {
    const vs = c.parts.map((d, i) => t.variable(`p${i}`, d));
    const orig = c.build(vs.map((v, j) => (j === idx ? grow(v) : v)));
    expectOnePart(orig, rewrite(orig), c.build(vs), slot);
  });
}
