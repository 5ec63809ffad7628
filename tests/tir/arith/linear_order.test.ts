// tests/tir/arith/linear_order.test.ts — the canonical form simplifyExpr gives int32 sums: terms in
// the documented order (larger |coefficient| first, then plain variables by creation order, then
// other atoms by key), so every permutation of a sum simplifies to the same expression; and
// sameExpr on buffer loads (same buffer and same indices only), which min/max/select folding rests on.
// Values are checked against plain JS.

import { describe, expect, it } from 'vitest';
import * as t from '../../../tir/nodes.js';
import { exprKey, sameExpr, simplifyExpr } from '../../../tir/arith/index.js';
import { print } from '../../../tir/printer.js';
import { structuralEqual } from '../../../tir/structural.js';

const x = t.variable('x');
const y = t.variable('y');
const z = t.variable('z');
const A = t.buffer('A', [16], 'int32');
const B = t.buffer('B', [16], 'int32');

function permutations<T>(xs: T[]): T[][] {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((v, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [v, ...p]));
}
const sum = (ts: t.PrimExpr[]): t.PrimExpr => ts.reduce((a, b) => t.add(a, b));

describe('simplifyExpr: canonical order of int32 terms', () => {
  it('variables with equal coefficients come in creation order, whatever the input order', () => {
    for (const p of permutations<t.PrimExpr>([x, y, z])) expect(print(simplifyExpr(sum(p)))).toBe('x + y + z');
    for (const p of permutations<t.PrimExpr>([t.mul(x, t.intImm(3)), t.mul(y, t.intImm(3)), z])) {
      expect(print(simplifyExpr(sum(p)))).toBe('x * 3 + y * 3 + z');
    }
  });

  it('creation order is numeric, not the text of the ids (id 99 before id 100)', () => {
    const first = t.variable('p');
    // make variables until one's id, written out, sorts before the first's (more digits)
    let later = t.variable('q');
    while (String(later.id) >= String(first.id)) later = t.variable('q');
    expect(later.id).toBeGreaterThan(first.id);
    expect(print(simplifyExpr(t.add(later, first)))).toBe('p + q');
    expect(print(simplifyExpr(t.add(first, later)))).toBe('p + q');
  });

  it('a sum of many atoms (more than a sort does by insertion) is still one canonical expression', () => {
    const C = t.buffer('C', [64], 'int32');
    const atoms = Array.from({ length: 48 }, (_, k) => t.bufferLoad(C, [t.intImm(k)]));
    let seed = 7;
    const rand = (): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
    const shuffled = (): t.PrimExpr[] => { const a = [...atoms]; for (let i = a.length - 1; i > 0; i--) { const j = Math.floor(rand() * (i + 1)); [a[i], a[j]] = [a[j]!, a[i]!]; } return a; };
    const want = print(simplifyExpr(sum(atoms)));
    for (let r = 0; r < 6; r++) expect(print(simplifyExpr(sum(shuffled())))).toBe(want);
  });

  it('atoms that are not variables come in ascending order of their key', () => {
    const atoms: t.PrimExpr[] = [t.floordiv(x, t.intImm(3)), t.bufferLoad(A, [t.intImm(0)]), t.bufferLoad(B, [t.intImm(1)]), t.floormod(z, t.intImm(5))];
    const want = [...atoms].sort((p, q) => (exprKey(p) < exprKey(q) ? -1 : 1)).map((a) => print(a)).join(' + ');
    for (const p of permutations(atoms)) expect(print(simplifyExpr(sum(p)))).toBe(want);
  });

  it('a larger |coefficient| comes first, also for a negative one', () => {
    expect(print(simplifyExpr(t.add(x, t.mul(y, t.intImm(4)))))).toBe('y * 4 + x');
    expect(print(simplifyExpr(t.sub(t.mul(x, t.intImm(2)), t.mul(y, t.intImm(5)))))).toBe('x * 2 - y * 5');
  });

  it('other atoms after the variables, ordered by their key: every permutation gives one expression', () => {
    const atoms: t.PrimExpr[] = [t.bufferLoad(A, [t.intImm(0)]), t.bufferLoad(B, [t.intImm(1)]), t.floordiv(x, t.intImm(3)), y, t.floormod(z, t.intImm(5))];
    const outs = permutations(atoms).map((p) => simplifyExpr(sum(p)));
    const first = outs[0]!;
    expect(print(first).startsWith('y + ')).toBe(true);
    for (const o of outs) expect(structuralEqual(o, first), `${print(o)} vs ${print(first)}`).toBe(true);
    const outs2 = permutations(atoms.slice(0, 3)).map((p) => print(simplifyExpr(sum(p))));
    expect(new Set(outs2).size).toBe(1);
    // and the value is the sum (plain JS), for a few x, y, z with A and B constant
    const a = Int32Array.from({ length: 16 }, (_, k) => k * 7 - 3);
    for (const [xv, yv, zv] of [[0, 0, 0], [7, -2, 11], [-5, 3, -7]]) {
      const want = a[0]! + a[1]! + Math.floor(xv! / 3) + yv! + (zv! - Math.floor(zv! / 5) * 5);
      expect(evalInt(first, { x: xv!, y: yv!, z: zv! }, a)).toBe(want);
    }
  });
});

/** Plain-JS value of an int32 expression of x, y, z and loads of A and B (both read from `mem`). */
function evalInt(e: t.PrimExpr, env: Record<string, number>, mem: Int32Array): number {
  switch (e.kind) {
    case 'IntImm': return e.value;
    case 'Var': return env[e.name]!;
    case 'BufferLoad': return mem[evalInt(e.indices[0]!, env, mem)]!;
    case 'BinaryOp': {
      const a = evalInt(e.a, env, mem);
      const b = evalInt(e.b, env, mem);
      switch (e.op) {
        case 'add': return a + b; case 'sub': return a - b; case 'mul': return a * b;
        case 'floordiv': return Math.floor(a / b); case 'floormod': return a - Math.floor(a / b) * b;
        default: throw new Error(e.op);
      }
    }
    default: throw new Error(e.kind);
  }
}

describe('sameExpr on buffer loads', () => {
  it('the same buffer and the same indices only', () => {
    const ai = t.bufferLoad(A, [x]);
    expect(sameExpr(ai, t.bufferLoad(A, [x]))).toBe(true);
    expect(sameExpr(ai, t.bufferLoad(B, [x]))).toBe(false);
    expect(sameExpr(ai, t.bufferLoad(A, [y]))).toBe(false);
    expect(sameExpr(ai, t.bufferLoad(A, [t.add(x, t.intImm(0))]))).toBe(false);
  });

  it('max/min/select of two loads fold only when they are the same load (values vs plain JS)', () => {
    const a = Int32Array.from({ length: 16 }, (_, k) => (k * 5) % 7);
    const b = Int32Array.from({ length: 16 }, (_, k) => 10 - k);
    const read = (e: t.PrimExpr, xv: number, yv: number): number => {
      if (e.kind === 'BufferLoad') { const i = e.indices[0] === x ? xv : yv; return (e.buffer === A ? a : b)[i]!; }
      if (e.kind === 'BinaryOp' && (e.op === 'max' || e.op === 'min')) return Math[e.op](read(e.a, xv, yv), read(e.b, xv, yv));
      if (e.kind === 'Select') return xv < yv ? read(e.trueValue, xv, yv) : read(e.falseValue, xv, yv);
      throw new Error(e.kind);
    };
    const loads = [t.bufferLoad(A, [x]), t.bufferLoad(B, [x]), t.bufferLoad(A, [y])];
    for (const p of loads) for (const q of loads) {
      for (const e of [t.max(p, q), t.min(p, q), t.select(t.lt(x, y), p, q)]) {
        const s = simplifyExpr(e);
        if (p === q) expect(s).toBe(p);
        else expect(s.kind, print(s)).toBe(e.kind);
        for (let xv = 0; xv < 16; xv += 3) for (let yv = 0; yv < 16; yv += 5) expect(read(s, xv, yv)).toBe(read(e, xv, yv));
      }
    }
  });
});
