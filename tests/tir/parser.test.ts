// tests/tir/parser.test.ts — printed IR parses back to the same IR (and prints the same text).
import { describe, expect, it } from 'vitest';
import * as t from '../../tir/nodes.js';
import { parse, parseStmt } from '../../tir/parser.js';
import { print } from '../../tir/printer.js';
import { structuralEqual } from '../../tir/structural.js';
import { c, expectIR, vars } from './helpers.js';

function roundTrip(f: t.PrimFunc): void {
  const text = print(f);
  const back = parse(text);
  expect(structuralEqual(back, f), text).toBe(true);
  expect(print(back)).toBe(text);
}

describe('parse', () => {
  it('round-trips loops of every kind, thread tags, annotations, guards and allocations', () => {
    const A = t.buffer('A', [64], 'float32');
    const S = t.buffer('S', [16], 'float32', 'shared');
    const L = t.buffer('L', [4], 'int32', 'local');
    const [bx, tx, i, j] = vars('bx', 'tx', 'i', 'j') as [t.Var, t.Var, t.Var, t.Var];
    const body = t.forLoop(bx, 0, 4, 'threadBinding', t.seq([
      t.allocate(S, t.forLoop(tx, 0, 16, 'threadBinding', t.seq([
        t.bufferStore(S, t.bufferLoad(A, [t.add(t.mul(bx, c(16)), tx)]), [tx]),
        t.evaluate(t.call('tir.storage_sync', [], 'int32')),
      ]), { threadTag: 'threadIdx.x' })),
      t.allocate(L, t.forLoop(i, 1, 3, 'unrolled', t.forLoop(j, 0, 4, 'vectorized',
        t.ifThenElse(t.lt(t.add(i, j), c(5)), t.bufferStore(L, t.intImm(-3), [j]), t.bufferStore(L, t.floordiv(i, c(2)), [j]))),
      { annotations: { pragma_auto_unroll_max_step: 16, vectorize_failed: 'a reason; with, punctuation "quoted"' } })),
    ]), { threadTag: 'blockIdx.x' });
    roundTrip(t.primFunc('k', [A], body, { argShapes: [[8, 8]], target: 'webgpu' }));
  });

  it('round-trips expressions: precedence, associativity, literals, vectors, lets and casts', () => {
    const A = t.buffer('A', [64], 'float32');
    const H = t.buffer('H', [8], 'float16');
    const [x, y] = vars('x', 'y') as [t.Var, t.Var];
    const v = t.variable('v');
    const exprs: t.PrimExpr[] = [
      t.sub(x, t.sub(y, c(1))), t.add(x, t.add(y, c(1))), t.mul(t.add(x, y), t.div(x, c(3))), t.mod(x, c(-4)),
      t.min(x, t.max(y, c(0))), t.floormod(t.floordiv(x, c(8)), c(2)),
    ];
    const floats: t.PrimExpr[] = [
      t.floatImm(1e21), t.floatImm(-0), t.floatImm(Infinity), t.floatImm(-Infinity), t.floatImm(0.1), t.floatImm(1e-7),
      t.div(t.bufferLoad(A, [x]), t.floatImm(3)),
      t.select(t.and(t.lt(x, y), t.not(t.eq(x, c(0)))), t.call('exp', [t.cast('float32', x)]), t.call('pow', [t.floatImm(2), t.floatImm(-1.5)])),
      t.cast('float32', t.letExpr(v, t.add(x, c(1)), t.mul(v, v))),
    ];
    const vec = t.add(t.bufferLoad(A, [t.ramp(t.mul(x, c(4)), c(1), 4)]), t.broadcast(t.floatImm(2), 4));
    const body = t.seq([
      ...exprs.map((e, k) => t.bufferStore(A, t.cast('float32', e), [c(k)])),
      ...floats.map((e, k) => t.bufferStore(A, e, [c(10 + k)])),
      t.bufferStore(A, vec, [t.ramp(c(32), c(2), 4)]),
      t.bufferStore(H, t.add(t.bufferLoad(H, [c(0)]), t.floatImm(0.5, 'float16')), [c(1)]),
    ]);
    roundTrip(t.primFunc('e', [A, H], t.forLoop(x, 0, 2, 'serial', t.forLoop(y, 0, 2, 'serial', body))));
  });

  it('reads hand-written IR, so tests can state expected IR as text', () => {
    const f = parse([
      'def scale(A: float32[8], B: float32[8]):',
      '  for i in range(0, 8):  # parallel',
      '    if i < 6:',
      '      B[i] = A[i] * 2.0',
    ].join('\n'));
    const [A, B] = f.params as [t.Buffer, t.Buffer];
    const i = t.variable('i');
    expectIR(f, t.primFunc('scale', [A, B], t.forLoop(i, 0, 8, 'parallel',
      t.ifThenElse(t.lt(i, c(6)), t.bufferStore(B, t.mul(t.bufferLoad(A, [i]), t.floatImm(2)), [i])))));
    const s = parseStmt('for k in range(2, 5):\n  B[k] = 0.0', [B]);
    expect(s.kind === 'For' && s.min.kind === 'IntImm' && s.extent.kind === 'IntImm' ? [s.min.value, s.extent.value] : []).toEqual([2, 3]);
  });

  it('names the line of a syntax error', () => {
    expect(() => parse('def f(A: float32[4]):\n  A[0] = 1.0 +')).toThrow(/parse: line 2: unexpected end of line/);
    expect(() => parse('def f(A: float32[4]):\n  Q[0] = 1.0')).toThrow(/parse: line 2: unknown buffer Q/);
    expect(() => parse('f(A: float32[4])')).toThrow(/expected `def name\(params\):`/);
  });
});
