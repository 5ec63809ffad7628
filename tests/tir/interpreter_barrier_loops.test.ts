// tests/tir/interpreter_barrier_loops.test.ts — loops that hold a barrier inside a thread loop (the
// interpreter runs them as generators, every thread up to the next tir.storage_sync): a serial loop
// with a non-zero start runs its iterations min, min+1, … (values vs plain JS), shared storage
// allocated inside it is one storage for all threads, a race inside one iteration is still a race
// (an iteration of a serial loop is not a new block).

import { describe, expect, it } from 'vitest';
import * as T from '../../tir/nodes.js';
import { interpret } from '../../tir/interpreter.js';
import { DataRaceError } from '../../tir/interpreter_race.js';

const c = (n: number): T.IntImm => T.intImm(n);
const sync = (): T.Stmt => T.evaluate(T.call('tir.storage_sync', [], 'int32'));
const NT = 4;
const [K0, NK] = [2, 3];

/** for tx (threadIdx.x, 4) { for k in [2, 5) { S[tx] = A[4k + tx]; [sync]; B[4k + tx] = S[(tx + 1) % 4] + k; sync } } */
function kernel(opts: { firstSync: boolean; allocInside: boolean }): T.PrimFunc {
  const A = T.buffer('A', [4 * (K0 + NK)], 'float32');
  const B = T.buffer('B', [4 * (K0 + NK)], 'float32');
  const S = T.buffer('S', [NT], 'float32', 'shared');
  const tx = T.variable('tx');
  const k = T.variable('k');
  const at = T.add(T.mul(k, c(4)), tx);
  let step: T.Stmt = T.seq([
    T.bufferStore(S, T.bufferLoad(A, [at]), [tx]),
    ...(opts.firstSync ? [sync()] : []),
    T.bufferStore(B, T.add(T.bufferLoad(S, [T.floormod(T.add(tx, c(1)), c(NT))]), T.cast('float32', k)), [at]),
    sync(),
  ]);
  if (opts.allocInside) step = T.allocate(S, step);
  let body: T.Stmt = T.forLoop(k, K0, NK, 'serial', step);
  body = T.forLoop(tx, 0, NT, 'threadBinding', body, { threadTag: 'threadIdx.x' });
  if (!opts.allocInside) body = T.allocate(S, body);
  return T.primFunc('k', [A, B], body);
}

function expected(a: Float32Array): Float32Array {
  const b = new Float32Array(a.length);
  for (let k = K0; k < K0 + NK; k++) for (let t = 0; t < NT; t++) b[4 * k + t] = Math.fround(a[4 * k + ((t + 1) % NT)]! + k);
  return b;
}

const input = (): Float32Array => Float32Array.from({ length: 4 * (K0 + NK) }, (_, i) => i * 1.5 - 7);

describe('interpret: loops holding a barrier inside a thread loop', () => {
  for (const allocInside of [false, true]) {
    it(`a serial loop from ${K0} with the shared buffer allocated ${allocInside ? 'inside' : 'outside'} it matches plain JS, race-free`, () => {
      const a = input();
      const b = new Float32Array(a.length);
      interpret(kernel({ firstSync: true, allocInside }), [a, b]);
      expect([...b]).toEqual([...expected(a)]);
    });

    it(`without the barrier between the write and the read it is a race (allocation ${allocInside ? 'inside' : 'outside'})`, () => {
      const a = input();
      expect(() => interpret(kernel({ firstSync: false, allocInside }), [a, new Float32Array(a.length)])).toThrow(DataRaceError);
    });
  }

});
