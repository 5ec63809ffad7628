// tests/tir/arith/simplify_expr_one_part.test.ts — simplifyExpr rebuilds a node when any ONE of its
// parts simplifies, with exactly that part simplified: logical ops, not, select, cast, calls,
// broadcast, let, buffer and producer loads, float arithmetic and float comparisons, each part in
// turn (a part that simplifies to a bare variable: v + 0·v for int32, v · 1.0 for float32,
// v && true for bool). Every other part of the result is the very same object, and a node with
// nothing to simplify comes back as itself. (Ramp and Reduce: simplify_expr_rebuild.test.ts.)

import { describe, expect, it } from 'vitest';
import * as t from '../../../tir/nodes.js';
import { simplifyExpr } from '../../../tir/arith/index.js';
import { expectEachPartAlone, type OnePartCase } from '../one_part.js';

type Case = OnePartCase<t.PrimExpr>;

const A = t.buffer('A', [16, 16], 'float32');
const P: t.DataProducer = { name: 'P', shape: [t.intImm(16), t.intImm(16)], dtype: 'float32' };
const lv = t.variable('lv', 'float32');


const CASES: Case[] = [
  { name: 'and', parts: ['bool', 'bool'], slots: [['a'], ['b']], build: (p) => t.and(p[0]!, p[1]!) },
  { name: 'or', parts: ['bool', 'bool'], slots: [['a'], ['b']], build: (p) => t.or(p[0]!, p[1]!) },
  { name: 'not', parts: ['bool'], slots: [['a']], build: (p) => t.not(p[0]!) },
  {
    name: 'select', parts: ['bool', 'float32', 'float32'], slots: [['condition'], ['trueValue'], ['falseValue']],
    build: (p) => t.select(p[0]!, p[1]!, p[2]!),
  },
  { name: 'cast', parts: ['int32'], slots: [['value']], build: (p) => t.cast('float32', p[0]!) },
  {
    name: 'call fma', parts: ['float32', 'float32', 'float32'], slots: [['args', 0], ['args', 1], ['args', 2]],
    build: (p) => t.call('fma', [p[0]!, p[1]!, p[2]!]),
  },
  {
    name: 'call if_then_else', parts: ['bool', 'float32', 'float32'], slots: [['args', 0], ['args', 1], ['args', 2]],
    build: (p) => t.ifThenElseExpr(p[0]!, p[1]!, p[2]!),
  },
  { name: 'broadcast', parts: ['float32'], slots: [['value']], build: (p) => t.broadcast(p[0]!, 4) },
  { name: 'let', parts: ['float32', 'float32'], slots: [['value'], ['body']], build: (p) => t.letExpr(lv, p[0]!, t.sub(lv, p[1]!)) },
  { name: 'buffer load', parts: ['int32', 'int32'], slots: [['indices', 0], ['indices', 1]], build: (p) => t.bufferLoad(A, [p[0]!, p[1]!]) },
  { name: 'producer load', parts: ['int32', 'int32'], slots: [['indices', 0], ['indices', 1]], build: (p) => t.producerLoad(P, [p[0]!, p[1]!]) },
  { name: 'float sub', parts: ['float32', 'float32'], slots: [['a'], ['b']], build: (p) => t.sub(p[0]!, p[1]!) },
  { name: 'float max', parts: ['float32', 'float32'], slots: [['a'], ['b']], build: (p) => t.max(p[0]!, p[1]!) },
  { name: 'float lt', parts: ['float32', 'float32'], slots: [['a'], ['b']], build: (p) => t.lt(p[0]!, p[1]!) },
  { name: 'float ge', parts: ['float32', 'float32'], slots: [['a'], ['b']], build: (p) => t.ge(p[0]!, p[1]!) },
];

describe('simplifyExpr: one part simplifies', () => {
  for (const c of CASES) {
    it(`${c.name}: each part alone, the rest kept`, () => {
      expectEachPartAlone(c, simplifyExpr);
    });
    it(`${c.name}: nothing to simplify is the same node`, () => {
      const e = c.build(c.parts.map((d, i) => t.variable(`q${i}`, d)));
      expect(simplifyExpr(e)).toBe(e);
    });
  }
});
