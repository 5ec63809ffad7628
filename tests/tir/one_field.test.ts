// tests/tir/one_field.test.ts — equality with ONE field different at a time: for every expression
// kind, a node built twice (separate objects) is sameExpr / structurally equal to itself, and each
// variant that differs from it in exactly one field (an operand, the op, the dtype, the lane count,
// a buffer, a producer, a let variable, a reduce's combiner / axis / condition) is not — by sameExpr,
// exprKey, structuralEqual and structuralHash alike. Statements the same way (loop kind, bounds,
// thread tag, annotations, if with and without else, either branch, store buffer / index / value).
// Also the printer's exact text of select, ramp, broadcast, let and an if/else.

import { describe, expect, it } from 'vitest';
import * as t from '../../tir/nodes.js';
import { exprKey, sameExpr } from '../../tir/arith/index.js';
import { structuralEqual, structuralHash } from '../../tir/structural.js';
import { print } from '../../tir/printer.js';

const x = t.variable('x');
const y = t.variable('y');
const f = t.variable('f', 'float32');
const g = t.variable('g', 'float32');
const c = t.variable('c', 'bool');
const d = t.variable('d', 'bool');
const A = t.buffer('A', [8], 'float32');
const A2 = t.buffer('A', [8], 'float32'); // same name, shape and dtype: another buffer
const P: t.DataProducer = { name: 'P', shape: [t.intImm(8)], dtype: 'float32' };
const P2: t.DataProducer = { name: 'Q', shape: [t.intImm(8)], dtype: 'float32' };
const lv = t.variable('lv', 'float32');
const lw = t.variable('lw', 'float32');
const k1 = t.iterVar(t.range(0, 4), 'k', 'reduce');
const k2 = t.iterVar(t.range(0, 4), 'k', 'reduce');
const k3 = t.iterVar(t.range(0, 5), 'k', 'reduce');

/** Each case: a builder (fresh objects each call) and builders of its one-field variants. */
type Case = [string, () => t.PrimExpr, (() => t.PrimExpr)[]];
const CASES: Case[] = [
  ['IntImm', () => t.intImm(1), [() => t.intImm(2), () => t.intImm(1, 'bool')]],
  ['FloatImm', () => t.floatImm(0), [() => t.floatImm(-0), () => t.floatImm(1), () => t.floatImm(0, 'float16')]],
  ['BinaryOp', () => t.sub(x, y), [() => t.add(x, y), () => t.sub(y, y), () => t.sub(x, x)]],
  ['CompareOp', () => t.lt(x, y), [() => t.le(x, y), () => t.lt(y, y), () => t.lt(x, x)]],
  ['LogicalOp', () => t.and(c, d), [() => t.or(c, d), () => t.and(d, d), () => t.and(c, c)]],
  ['Not', () => t.not(c), [() => t.not(d)]],
  ['Select', () => t.select(c, f, g), [() => t.select(d, f, g), () => t.select(c, g, g), () => t.select(c, f, f)]],
  ['Cast', () => t.cast('float32', x), [() => t.cast('float32', y), () => t.cast('float16', x)]],
  ['Call', () => t.call('fma', [f, g, f]), [() => t.call('fma', [g, g, f]), () => t.call('fma', [f, f, f]), () => t.call('fma', [f, g, g])]],
  ['Call op', () => t.call('exp', [f]), [() => t.call('log', [f])]],
  ['Ramp', () => t.ramp(x, y, 4), [() => t.ramp(y, y, 4), () => t.ramp(x, x, 4), () => t.ramp(x, y, 8)]],
  ['Broadcast', () => t.broadcast(f, 4), [() => t.broadcast(g, 4), () => t.broadcast(f, 8)]],
  ['Let', () => t.letExpr(lv, f, t.add(lv, g)), [() => t.letExpr(lv, g, t.add(lv, g)), () => t.letExpr(lv, f, t.add(lv, f)), () => t.letExpr(lw, f, t.add(lv, g))]],
  ['BufferLoad', () => t.bufferLoad(A, [x]), [() => t.bufferLoad(A2, [x]), () => t.bufferLoad(A, [y])]],
  ['ProducerLoad', () => t.producerLoad(P, [x]), [() => t.producerLoad(P2, [x]), () => t.producerLoad(P, [y])]],
  ['Reduce', () => t.reduce('sum', t.add(f, t.cast('float32', k1.variable)), [k1], c), [
    () => t.reduce('max', t.add(f, t.cast('float32', k1.variable)), [k1], c),
    () => t.reduce('sum', t.add(g, t.cast('float32', k1.variable)), [k1], c),
    () => t.reduce('sum', t.add(f, t.cast('float32', k1.variable)), [k1], d),
    () => t.reduce('sum', t.add(f, t.cast('float32', k3.variable)), [k3], c),
  ]],
];

describe('sameExpr / exprKey: one field different at a time', () => {
  for (const [name, build, variants] of CASES) {
    it(name, () => {
      const a = build();
      const b = build();
      expect(a).not.toBe(b);
      expect(sameExpr(a, b)).toBe(true);
      expect(exprKey(a)).toBe(exprKey(b));
      variants.forEach((v, i) => {
        const w = v();
        expect(sameExpr(a, w), `variant ${i}`).toBe(false);
        expect(sameExpr(w, a), `variant ${i}`).toBe(false);
        expect(exprKey(a) === exprKey(w), `variant ${i}`).toBe(false);
      });
    });
  }
});

/**
 * Structural equality renames free variables by first use, so every free variable is used first
 * in a fixed order (x, y, f, g, c, d, lv, lw): a variant that swaps one variable for another then
 * differs, as it does under sameExpr.
 */
function inFunc(e: t.PrimExpr): t.PrimFunc {
  const uses = [x, y, f, g, c, d, lv, lw].map((v) => t.evaluate(v));
  return t.primFunc('f', [A, A2], t.seq([...uses, t.evaluate(e)]));
}

describe('structuralEqual / structuralHash: one field different at a time', () => {
  for (const [name, build, variants] of CASES) {
    if (name === 'ProducerLoad') continue; // the producer is compared by position in a function, tested in structural_te
    it(name, () => {
      const a = inFunc(build());
      expect(structuralEqual(a, inFunc(build()))).toBe(true);
      expect(structuralHash(a)).toBe(structuralHash(inFunc(build())));
      variants.forEach((v, i) => {
        const w = inFunc(v());
        expect(structuralEqual(a, w), `variant ${i}`).toBe(false);
        expect(structuralHash(a) === structuralHash(w), `variant ${i}`).toBe(false);
      });
    });
  }

  it('a reduce over another axis variable of the same range is structurally equal (bound variables rename)', () => {
    const r = (k: t.IterVar): t.PrimFunc => inFunc(t.reduce('sum', t.cast('float32', k.variable), [k]));
    expect(structuralEqual(r(k1), r(k2))).toBe(true);
    // sameExpr compares variables by identity, bound or free
    expect(sameExpr(t.reduce('sum', t.cast('float32', k1.variable), [k1]), t.reduce('sum', t.cast('float32', k2.variable), [k2]))).toBe(false);
  });

  const i = t.variable('i');
  const st = (v: number): t.Stmt => t.bufferStore(A, t.floatImm(v), [i]);
  type SCase = [string, () => t.Stmt];
  const base = (): t.Stmt => t.forLoop(i, 0, 8, 'serial', t.ifThenElse(c, st(1), st(2)));
  const STMTS: SCase[] = [
    ['loop kind', () => t.forLoop(i, 0, 8, 'parallel', t.ifThenElse(c, st(1), st(2)))],
    ['loop min', () => t.forLoop(i, 1, 8, 'serial', t.ifThenElse(c, st(1), st(2)))],
    ['loop extent', () => t.forLoop(i, 0, 7, 'serial', t.ifThenElse(c, st(1), st(2)))],
    ['loop annotations', () => t.forLoop(i, 0, 8, 'serial', t.ifThenElse(c, st(1), st(2)), { annotations: { pragma_auto_unroll_max_step: 4 } })],
    ['if condition', () => t.forLoop(i, 0, 8, 'serial', t.ifThenElse(d, st(1), st(2)))],
    ['then branch', () => t.forLoop(i, 0, 8, 'serial', t.ifThenElse(c, st(3), st(2)))],
    ['else branch', () => t.forLoop(i, 0, 8, 'serial', t.ifThenElse(c, st(1), st(3)))],
    ['no else branch', () => t.forLoop(i, 0, 8, 'serial', t.ifThenElse(c, st(1)))],
    ['if replaced by its then branch', () => t.forLoop(i, 0, 8, 'serial', t.seq([st(1), st(2)]))],
    ['store buffer', () => t.forLoop(i, 0, 8, 'serial', t.ifThenElse(c, t.bufferStore(A2, t.floatImm(1), [i]), st(2)))],
    ['store index', () => t.forLoop(i, 0, 8, 'serial', t.ifThenElse(c, t.bufferStore(A, t.floatImm(1), [t.sub(i, t.intImm(0))]), st(2)))],
  ];
  const fn = (s: t.Stmt): t.PrimFunc => t.primFunc('f', [A, A2], t.seq([t.evaluate(c), t.evaluate(d), s]));
  for (const [name, v] of STMTS) {
    it(`statements: ${name}`, () => {
      expect(structuralEqual(fn(base()), fn(base()))).toBe(true);
      expect(structuralEqual(fn(base()), fn(v()))).toBe(false);
      expect(structuralEqual(fn(v()), fn(base()))).toBe(false);
      expect(structuralHash(fn(base())) === structuralHash(fn(v()))).toBe(false);
    });
  }

  it('thread tags', () => {
    const tx = t.variable('tx');
    const b = (tag: t.ThreadTag): t.PrimFunc => fn(t.forLoop(tx, 0, 8, 'threadBinding', t.bufferStore(A, t.floatImm(1), [tx]), { threadTag: tag }));
    expect(structuralEqual(b('threadIdx.x'), b('threadIdx.x'))).toBe(true);
    expect(structuralEqual(b('threadIdx.x'), b('threadIdx.y'))).toBe(false);
  });
});

describe('printer: exact text', () => {
  it('select, ramp, broadcast, let, cast', () => {
    expect(print(t.select(c, f, t.floatImm(2)))).toBe('select(c, f, 2f)'.replace('2f', print(t.floatImm(2))));
    expect(print(t.ramp(t.add(x, t.intImm(1)), t.intImm(2), 4))).toBe('ramp(x + 1, 2, 4)');
    expect(print(t.broadcast(y, 8))).toBe('broadcast(y, 8)');
    expect(print(t.letExpr(lv, f, t.add(lv, g)))).toBe('(let lv = f in lv + g)');
    expect(print(t.cast('float32', x))).toBe('float32(x)');
  });

  it('an if with and without else', () => {
    const i = t.variable('i');
    const s1 = t.bufferStore(A, f, [i]);
    const s2 = t.bufferStore(A, g, [i]);
    const lines = (s: t.Stmt): string[] => print(s).split('\n').filter((l) => l.trim() !== '');
    expect(lines(t.ifThenElse(t.lt(i, t.intImm(4)), s1, s2))).toEqual(['if i < 4:', '  A[i] = f', 'else:', '  A[i] = g']);
    expect(lines(t.ifThenElse(c, s1))).toEqual(['if c:', '  A[i] = f']);
  });
});
