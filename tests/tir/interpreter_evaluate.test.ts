// tests/tir/interpreter_evaluate.test.ts — an Evaluate statement is a barrier only when it is
// `tir.storage_sync()`: any other evaluated expression (a constant, a math call) is computed —
// so its out-of-bounds load is still an error — and does not end the race detector's epoch, so a
// race across it is still reported. The synced version gives the plain-JS answer.

import { describe, expect, it } from 'vitest';
import { interpret } from '../../tir/interpreter.js';
import { DataRaceError } from '../../tir/interpreter_race.js';
import * as T from '../../tir/nodes.js';

const N = 16;
const G = T.buffer('G', [N], 'float32');
const O = T.buffer('O', [N], 'float32');
const S = T.buffer('S', [N], 'float32', 'shared');
const tx = T.variable('tx');
const sync = T.evaluate(T.call('tir.storage_sync', [], 'int32'));

/** S[tx] = 2 G[tx]; <between>; O[tx] = S[N - 1 - tx] over N threads of one block. */
function mirror(between: T.Stmt): T.PrimFunc {
  const body = T.seq([
    T.bufferStore(S, T.mul(T.bufferLoad(G, [tx]), T.floatImm(2)), [tx]),
    between,
    T.bufferStore(O, T.bufferLoad(S, [T.sub(T.intImm(N - 1), tx)]), [tx]),
  ]);
  return T.primFunc('k', [G, O], T.allocate(S, T.forLoop(tx, 0, N, 'threadBinding', body, { threadTag: 'threadIdx.x' })));
}

function run(f: T.PrimFunc): Float32Array {
  const o = new Float32Array(N);
  interpret(f, [Float32Array.from({ length: N }, (_, i) => i + 1), o]);
  return o;
}

describe('interpret: Evaluate', () => {
  it('storage_sync is a barrier: the mirror read is race-free and correct', () => {
    expect([...run(mirror(sync))]).toEqual(Array.from({ length: N }, (_, i) => 2 * (N - i)));
  });

  it('any other evaluated expression is not a barrier: the race is reported', () => {
    const others: T.Stmt[] = [
      T.evaluate(T.intImm(0)),
      T.evaluate(T.call('abs', [T.bufferLoad(G, [tx])])),
      T.evaluate(T.call('exp', [T.floatImm(1)])),
    ];
    for (const s of others) expect(() => run(mirror(s))).toThrow(DataRaceError);
  });

  it('an evaluated expression is computed: its out-of-bounds load is an error', () => {
    const A = T.buffer('A', [4], 'float32');
    const i = T.variable('i');
    for (const value of [T.bufferLoad(A, [T.add(i, T.intImm(4))]), T.call('sqrt', [T.bufferLoad(A, [T.add(i, T.intImm(4))])])]) {
      const f = T.primFunc('f', [A], T.forLoop(i, 0, 2, 'serial', T.evaluate(value)));
      expect(() => interpret(f, [new Float32Array(4)])).toThrow(/A/);
    }
    const ok = T.primFunc('f', [A], T.forLoop(i, 0, 4, 'serial', T.evaluate(T.call('sqrt', [T.bufferLoad(A, [i])]))));
    const a = Float32Array.of(1, 4, 9, 16);
    interpret(ok, [a]);
    expect([...a]).toEqual([1, 4, 9, 16]);
  });
});
