// tests/tir/passes/one_child.test.ts — the statement passes rebuild a container (sequence, if with
// and without else, let, allocation, loop) when ONE child alone is rewritten, with exactly that
// child's rewrite, keeping every other child as the very same object; a container with nothing
// to rewrite comes back as itself. For each pass: a child it rewrites (removeNoOp: a sequence
// ending in a pure evaluate; unrollLoops: an `unrolled` loop of 2; loopPartition: a loop guarded
// by `i < 3`; storageFlatten: a store into a 2-d buffer) and children it leaves alone. Before
// this file, the passes' `x === s.x && … ? s : rebuild` lines were seen only through nests where
// every child or none changed. Values of the rewritten functions vs plain JS.

import { describe, expect, it } from 'vitest';
import * as t from '../../../tir/nodes.js';
import { interpret } from '../../../tir/interpreter.js';
import { print } from '../../../tir/printer.js';
import { loopPartition, removeNoOp, storageFlatten, unrollLoops } from '../../../tir/passes/index.js';

const B = t.buffer('B', [8], 'float32');
const M = t.buffer('M', [2, 4], 'float32');
const F = t.buffer('F', [1], 'int32');
const L = t.buffer('L', [8], 'float32', 'local');
const v = t.variable('v');

/** A store the pass leaves alone, into `buf` at `idx + k`. */
const fixed = (buf: t.Buffer, idx: t.PrimExpr, k: number): t.Stmt =>
  t.bufferStore(buf, t.floatImm(k + 0.5), [t.add(idx, t.intImm(k))]);

type Pass = { name: string; run: (f: t.PrimFunc) => t.PrimFunc; changing: (buf: t.Buffer, idx: t.PrimExpr) => t.Stmt };

const PASSES: Pass[] = [
  {
    name: 'removeNoOp', run: removeNoOp,
    changing: (buf, idx) => t.seq([t.bufferStore(buf, t.floatImm(7), [t.add(idx, t.intImm(3))]), t.evaluate(t.add(idx, t.intImm(1)))]),
  },
  {
    name: 'unrollLoops', run: unrollLoops,
    changing: (buf, idx) => {
      const u = t.variable('u');
      return t.forLoop(u, 0, 2, 'unrolled', t.bufferStore(buf, t.floatImm(9), [t.add(idx, t.add(u, t.intImm(4)))]));
    },
  },
  {
    name: 'loopPartition', run: loopPartition,
    changing: (buf, idx) => {
      const i = t.variable('i');
      const at = t.add(idx, t.add(i, t.intImm(2)));
      return t.forLoop(i, 0, 5, 'serial', t.ifThenElse(t.lt(i, t.intImm(3)), t.bufferStore(buf, t.floatImm(4), [at]), t.bufferStore(buf, t.floatImm(6), [at])));
    },
  },
  {
    name: 'storageFlatten', run: storageFlatten,
    changing: (buf, idx) => t.bufferStore(buf, t.bufferLoad(M, [t.intImm(1), t.intImm(2)]), [t.add(idx, t.intImm(6))]),
  },
];

type Container = { name: string; n: number; build: (kids: t.Stmt[]) => t.Stmt; buf: t.Buffer; idx: t.PrimExpr; slot: (s: t.Stmt, k: number) => t.Stmt };

const cond = t.gt(t.bufferLoad(F, [t.intImm(0)]), t.intImm(0));
const CONTAINERS: Container[] = [
  { name: 'SeqStmt', n: 3, buf: B, idx: t.intImm(0), build: (k) => t.seq(k), slot: (s, k) => (s as t.SeqStmt).seq[k]! },
  {
    name: 'IfThenElse', n: 2, buf: B, idx: t.intImm(0), build: (k) => t.ifThenElse(cond, k[0]!, k[1]!),
    slot: (s, k) => (k === 0 ? (s as t.IfThenElse).thenCase : (s as t.IfThenElse).elseCase!),
  },
  { name: 'IfThenElse without else', n: 1, buf: B, idx: t.intImm(0), build: (k) => t.ifThenElse(cond, k[0]!), slot: (s) => (s as t.IfThenElse).thenCase },
  { name: 'LetStmt', n: 1, buf: B, idx: v, build: (k) => t.letStmt(v, t.bufferLoad(F, [t.intImm(0)]), k[0]!), slot: (s) => (s as t.LetStmt).body },
  {
    name: 'Allocate', n: 1, buf: L, idx: t.intImm(0),
    build: (k) => t.allocate(L, k[0]!), slot: (s) => (s as t.Allocate).body,
  },
];

/** The function around `body`; an allocation's result is copied out so the buffer is used. */
function func(body: t.Stmt): t.PrimFunc {
  return t.primFunc('f', [B, M, F], body);
}

/** B after running `f` (F[0] = flag, v = F[0] where a let binds it). */
function run(f: t.PrimFunc, flag: number): number[] {
  const b = new Float32Array(8).fill(-1);
  interpret(f, [b, Float32Array.from({ length: 8 }, (_, k) => k * 10), Int32Array.of(flag)]);
  return [...b];
}

describe('passes: one child of a container rewritten', () => {
  for (const p of PASSES) {
    for (const c of CONTAINERS) {
      it(`${p.name}, ${c.name}: each child alone`, () => {
        for (let k = 0; k < c.n; k++) {
          const kids = Array.from({ length: c.n }, (_, j) => (j === k ? p.changing(c.buf, c.idx) : fixed(c.buf, c.idx, j)));
          const s = c.build(kids);
          const g = p.run(func(s));
          const out = g.body;
          expect(out).not.toBe(s);
          expect(out.kind).toBe(s.kind);
          const rewritten = p.run(func(kids[k]!)).body;
          if (s.kind === 'SeqStmt') {
            // a child rewritten into a sequence is flattened into the parent
            const want = kids.flatMap((x, j) => (j !== k ? [x] : rewritten.kind === 'SeqStmt' ? rewritten.seq : [rewritten]));
            const got = (out as t.SeqStmt).seq;
            expect(got).toHaveLength(want.length);
            got.forEach((x, j) => {
              if (kids.includes(want[j]!)) expect(x, `child ${j}`).toBe(want[j]);
              else expect(print(x)).toBe(print(want[j]!));
            });
          } else {
            expect(print(c.slot(out, 0 + k))).toBe(print(rewritten));
            for (let j = 0; j < c.n; j++) if (j !== k) expect(c.slot(out, j), `child ${j}`).toBe(kids[j]);
          }
          if (s.kind === 'LetStmt') {
            expect((out as t.LetStmt).variable).toBe(v);
            expect((out as t.LetStmt).value).toBe(s.value);
          }
          if (s.kind === 'IfThenElse') {
            expect((out as t.IfThenElse).condition).toBe(s.condition);
            expect((out as t.IfThenElse).elseCase === undefined).toBe(s.elseCase === undefined);
          }
          if (s.kind === 'Allocate') expect((out as t.Allocate).buffer).toBe(L);
          if (c.buf === B) for (const flag of [0, 1]) expect(run(g, flag)).toEqual(run(func(s), flag));
        }
      });
      it(`${p.name}, ${c.name}: nothing to rewrite is the same statement`, () => {
        const s = c.build(Array.from({ length: c.n }, (_, j) => fixed(c.buf, c.idx, j)));
        expect(p.run(func(s)).body).toBe(s);
      });
    }
  }

  it('removeNoOp and unrollLoops: a loop whose body alone is rewritten keeps its variable, bounds, kind and annotations', () => {
    const j = t.variable('j');
    for (const p of PASSES.slice(0, 2)) {
      const body = p.changing(B, t.intImm(0));
      const loop = t.forLoop(j, 0, 1, 'parallel', body, { annotations: { note: 'kept' } });
      const g = p.run(func(loop));
      const out = g.body as t.For;
      expect(out.kind).toBe('For');
      expect(out).not.toBe(loop);
      expect(out.loopVar).toBe(j);
      expect(out.min).toBe(loop.min);
      expect(out.extent).toBe(loop.extent);
      expect(out.forKind).toBe('parallel');
      expect(out.annotations).toEqual({ note: 'kept' });
      expect(print(out.body)).toBe(print(p.run(func(body)).body));
      expect(run(g, 0)).toEqual(run(func(loop), 0));
    }
  });

  it('the plain-JS values of the rewritten children', () => {
    // removeNoOp's child stores 7 at 3; unroll's stores 9 at 4, 5; partition's 4 at 2..4, 6 at 5, 6; flatten's M[1][2] = 60 at 6
    const expect0 = (p: Pass): number[] => run(func(p.changing(B, t.intImm(0))), 0);
    expect(expect0(PASSES[0]!)).toEqual([-1, -1, -1, 7, -1, -1, -1, -1]);
    expect(expect0(PASSES[1]!)).toEqual([-1, -1, -1, -1, 9, 9, -1, -1]);
    expect(expect0(PASSES[2]!)).toEqual([-1, -1, 4, 4, 4, 6, 6, -1]);
    expect(expect0(PASSES[3]!)).toEqual([-1, -1, -1, -1, -1, -1, 60, -1]);
    for (const p of PASSES) {
      const f = func(p.changing(B, t.intImm(0)));
      expect(run(p.run(f), 0)).toEqual(run(f, 0));
    }
  });
});

describe('removeNoOp: a child rewritten in place, a branch emptied', () => {
  it('a sequence whose loop child alone loses a no-op keeps its length and its other children', () => {
    const j = t.variable('j');
    const loop = t.forLoop(j, 0, 2, 'serial', t.seq([t.bufferStore(B, t.floatImm(3), [j]), t.evaluate(t.add(j, t.intImm(1)))]));
    const a = fixed(B, t.intImm(0), 4);
    const b = fixed(B, t.intImm(0), 5);
    const s = t.seq([a, loop, b]);
    const out = removeNoOp(func(s)).body as t.SeqStmt;
    expect(out.kind).toBe('SeqStmt');
    expect(out.seq).toHaveLength(3);
    expect(out.seq[0]).toBe(a);
    expect(out.seq[2]).toBe(b);
    expect(print(out.seq[1]!)).toBe(print(t.forLoop(j, 0, 2, 'serial', t.bufferStore(B, t.floatImm(3), [j]))));
    expect(run(removeNoOp(func(s)), 0)).toEqual([3, 3, -1, -1, 4.5, 5.5, -1, -1]);
  });

  it('an else branch that is a no-op is dropped, the then branch kept as the same object', () => {
    const then = fixed(B, t.intImm(0), 1);
    const s = t.ifThenElse(cond, then, t.evaluate(t.add(v, t.intImm(2))));
    const out = removeNoOp(func(s)).body as t.IfThenElse;
    expect(out).not.toBe(s);
    expect(out.kind).toBe('IfThenElse');
    expect(out.thenCase).toBe(then);
    expect(out.condition).toBe(cond);
    expect(out.elseCase).toBeUndefined();
  });
});
