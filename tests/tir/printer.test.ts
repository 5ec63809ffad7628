// tests/tir/printer.test.ts — golden text for typical loop nests and expressions.
import { describe, expect, it } from 'vitest';
import * as t from '../../tir/nodes.js';
import { print } from '../../tir/printer.js';

describe('print', () => {
  it('prints a guarded, annotated matmul with loop kinds and a local allocation', () => {
    const A = t.buffer('A', [64, 64], 'float32');
    const B = t.buffer('B', [64, 64], 'float32');
    const C = t.buffer('C', [64, 64], 'float32');
    const T = t.buffer('T', [4], 'float32', 'local');
    const [i, j, k] = [t.variable('i'), t.variable('j'), t.variable('k')];
    const update = t.bufferStore(C, t.add(t.bufferLoad(C, [i, j]), t.mul(t.bufferLoad(A, [i, k]), t.bufferLoad(B, [k, j]))), [i, j]);
    const body = t.forLoop(i, 0, 64, 'parallel', t.forLoop(j, 0, 64, 'serial', t.seq([
      t.bufferStore(C, t.floatImm(0), [i, j]),
      t.allocate(T, t.forLoop(k, 0, 64, 'unrolled', t.ifThenElse(t.lt(t.add(t.mul(k, t.intImm(8)), j), t.intImm(64)), update),
        { annotations: { pragma_auto_unroll_max_step: 16 } })),
    ])));
    expect(print(t.primFunc('matmul', [A, B, C], body, { argShapes: [[64, 64]] }))).toBe([
      'def matmul(A: float32[64, 64], B: float32[64, 64], C: float32[64, 64]):',
      '  # argShapes = [[64,64]]',
      '  for i in range(0, 64):  # parallel',
      '    for j in range(0, 64):',
      '      C[i, j] = 0.0',
      '      allocate T: float32[4], scope="local"',
      '      for k in range(0, 64):  # unrolled; pragma_auto_unroll_max_step=16',
      '        if k * 8 + j < 64:',
      '          C[i, j] = C[i, j] + A[i, k] * B[k, j]',
    ].join('\n'));
  });

  it('prints thread bindings, vectors, else branches and scoped allocations', () => {
    const A = t.buffer('A', [256], 'float32');
    const S = t.buffer('S', [64], 'float32', 'shared');
    const [bx, tx] = [t.variable('bx'), t.variable('tx')];
    const body = t.forLoop(bx, 0, 4, 'threadBinding', t.forLoop(tx, 0, 16, 'threadBinding', t.seq([
      t.allocate(S, t.seq([
        t.bufferStore(S, t.broadcast(t.floatImm(1.5), 4), [t.ramp(t.mul(tx, t.intImm(4)), t.intImm(1), 4)]),
        t.evaluate(t.call('tir.storage_sync', [], 'int32')),
      ])),
      t.ifThenElse(t.eq(t.floormod(tx, t.intImm(2)), t.intImm(0)),
        t.bufferStore(A, t.floatImm(-1), [t.floordiv(tx, t.intImm(2))]),
        t.bufferStore(A, t.bufferLoad(A, [t.sub(tx, t.sub(bx, t.intImm(1)))]), [tx])),
    ]), { threadTag: 'threadIdx.x' }), { threadTag: 'blockIdx.x' });
    expect(print(body)).toBe([
      'for bx in range(0, 4):  # thread_binding "blockIdx.x"',
      '  for tx in range(0, 16):  # thread_binding "threadIdx.x"',
      '    with allocate S: float32[64], scope="shared":',
      '      S[ramp(tx * 4, 1, 4)] = broadcast(1.5, 4)',
      '      tir.storage_sync()',
      '    if tx % 2 == 0:',
      '      A[tx // 2] = -1.0',
      '    else:',
      '      A[tx] = A[tx - (bx - 1)]',
    ].join('\n'));
  });

  it('distinguishes distinct variables that share a name', () => {
    const [a, b] = [t.variable('i'), t.variable('i')];
    expect(print(t.add(t.mul(a, b), a))).toBe('i * i_1 + i');
  });

  it('parenthesizes by precedence and marks C-style integer division', () => {
    const [x, y] = [t.variable('x'), t.variable('y')];
    expect(print(t.mul(t.add(x, y), t.div(x, t.intImm(3))))).toBe('(x + y) * truncdiv(x, 3)');
    expect(print(t.and(t.lt(x, y), t.not(t.eq(x, t.intImm(0)))))).toBe('x < y && !(x == 0)');
    expect(print(t.select(t.ge(x, t.intImm(0)), t.cast('float32', x), t.floatImm(0)))).toBe('select(x >= 0, float32(x), 0.0)');
  });
});
