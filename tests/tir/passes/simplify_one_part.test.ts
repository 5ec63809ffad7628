// tests/tir/passes/simplify_one_part.test.ts — simplifyStmt rebuilds a statement when ONE of its
// parts alone simplifies, with exactly that part simplified and every other part the very same
// object: a loop's min, extent or body; a let's value or body; an if's condition, then or else
// branch; each child of a sequence; a store's value or either index; an allocation's body; an
// evaluated expression. A part that simplifies to a bare variable: v + 0·v (int32), v · 1.0
// (float32), v && true (bool). A statement with nothing to simplify comes back as itself.

import { describe, expect, it } from 'vitest';
import * as t from '../../../tir/nodes.js';
import { simplifyStmt } from '../../../tir/passes/index.js';
import { expectEachPartAlone, grow, type OnePartCase } from '../one_part.js';

const B = t.buffer('B', [8, 8], 'float32');
const L = t.buffer('L', [4], 'float32', 'local');
const loopVar = t.variable('i');
const lv = t.variable('lv');


/** A statement part: a store of the (float32) part at [r, r] for a fixed row variable r. */
const row = t.variable('r');
const store = (e: t.PrimExpr, at: t.PrimExpr = row): t.Stmt => t.bufferStore(B, e, [at, row]);

type Case = OnePartCase<t.Stmt>;
const CASES: Case[] = [
  {
    name: 'For', parts: ['int32', 'int32', 'float32'], slots: [['min'], ['extent'], ['body']],
    build: (p) => t.forLoop(loopVar, p[0]!, p[1]!, 'serial', store(p[2]!, loopVar), { annotations: { note: 1 } }),
  },
  { name: 'LetStmt', parts: ['int32', 'float32'], slots: [['value'], ['body']], build: (p) => t.letStmt(lv, p[0]!, store(p[1]!, lv)) },
  {
    name: 'IfThenElse', parts: ['bool', 'float32', 'float32'], slots: [['condition'], ['thenCase'], ['elseCase']],
    build: (p) => t.ifThenElse(p[0]!, store(p[1]!), store(p[2]!)),
  },
  { name: 'IfThenElse without else', parts: ['bool', 'float32'], slots: [['condition'], ['thenCase']], build: (p) => t.ifThenElse(p[0]!, store(p[1]!)) },
  {
    name: 'SeqStmt', parts: ['float32', 'float32', 'float32'], slots: [['seq', 0], ['seq', 1], ['seq', 2]],
    build: (p) => t.seq(p.map((e) => store(e))),
  },
  {
    name: 'BufferStore', parts: ['float32', 'int32', 'int32'], slots: [['value'], ['indices', 0], ['indices', 1]],
    build: (p) => t.bufferStore(B, p[0]!, [p[1]!, p[2]!]),
  },
  { name: 'Allocate', parts: ['float32'], slots: [['body']], build: (p) => t.allocate(L, t.bufferStore(L, p[0]!, [t.intImm(0)])) },
  { name: 'Evaluate', parts: ['int32'], slots: [['value']], build: (p) => t.evaluate(p[0]!) },
];

describe('simplifyStmt: one part simplifies', () => {
  for (const c of CASES) {
    it(`${c.name}: each part alone, the rest kept`, () => {
      expectEachPartAlone(c, simplifyStmt);
    });
    it(`${c.name}: nothing to simplify is the same statement`, () => {
      const s = c.build(c.parts.map((d, i) => t.variable(`q${i}`, d)));
      expect(simplifyStmt(s)).toBe(s);
    });
  }

  it('a loop rebuilt for its body keeps its kind and thread tag', () => {
    const tx = t.variable('tx');
    const p = t.variable('p', 'float32');
    const loop = t.forLoop(tx, 0, 8, 'threadBinding', store(grow(p), tx), { threadTag: 'threadIdx.x' });
    const out = simplifyStmt(loop) as t.For;
    expect(out).not.toBe(loop);
    expect(out.threadTag).toBe('threadIdx.x');
    expect(out.forKind).toBe('threadBinding');
    expect((out.body as t.BufferStore).value).toBe(p);
  });
});
