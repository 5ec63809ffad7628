// tests/tir/verify_hand_built.test.ts — verifyErrors catches what a faulty pass builds by spreading
// a node (`{ ...load, indices }`, `{ ...binary, dtype }`), past the checks of the node builders:
// an access whose index count differs from the buffer's dimensions, and a binary op whose operand
// dtypes differ from its own; each message names the buffer or op, the counts or dtypes.

import { describe, expect, it } from 'vitest';
import * as t from '../../tir/nodes.js';
import { verifyErrors } from '../../tir/verify.js';

const A = t.buffer('A', [4, 8], 'float32');
const B = t.buffer('B', [32], 'float32');
const i = t.variable('i');
const j = t.variable('j');
const c = (n: number): t.IntImm => t.intImm(n);

describe('verifyErrors on hand-spread nodes', () => {
  it('an access with the wrong number of indices (2-d buffer read with one index)', () => {
    const good = t.bufferLoad(A, [i, j]);
    const bad = { ...good, indices: [t.add(t.mul(i, c(8)), j)] } as t.BufferLoad;
    const body = t.forLoop(i, 0, 4, 'serial', t.forLoop(j, 0, 8, 'serial', t.bufferStore(B, bad, [t.add(t.mul(i, c(8)), j)])));
    const errs = verifyErrors(t.primFunc('f', [A, B], body));
    expect(errs.some((e) => e.includes('A accessed with 1 indices, has 2 dimensions'))).toBe(true);
    // the same function with the right access is clean
    const ok = t.forLoop(i, 0, 4, 'serial', t.forLoop(j, 0, 8, 'serial', t.bufferStore(B, good, [t.add(t.mul(i, c(8)), j)])));
    expect(verifyErrors(t.primFunc('f', [A, B], ok))).toEqual([]);
  });

  it('a binary op typed differently from its operands', () => {
    const good = t.add(t.bufferLoad(B, [i]), t.floatImm(1));
    const bad = { ...good, dtype: 'int32' } as t.PrimExpr;
    const body = t.forLoop(i, 0, 32, 'serial', t.bufferStore(B, t.cast('float32', bad), [i]));
    const errs = verifyErrors(t.primFunc('f', [B], body));
    expect(errs.some((e) => e.startsWith('add of float32 and float32 typed int32'))).toBe(true);
    expect(verifyErrors(t.primFunc('f', [B], t.forLoop(i, 0, 32, 'serial', t.bufferStore(B, good, [i]))))).toEqual([]);
    // one operand of another dtype is enough, either side
    for (const [bad1, msg] of [
      [{ ...good, a: t.intImm(3) }, 'add of int32 and float32 typed float32'],
      [{ ...good, b: t.intImm(3) }, 'add of float32 and int32 typed float32'],
    ] as const) {
      const f1 = t.primFunc('f', [B], t.forLoop(i, 0, 32, 'serial', t.bufferStore(B, bad1 as t.PrimExpr, [i])));
      expect(verifyErrors(f1).some((e) => e.startsWith(msg)), msg).toBe(true);
    }
  });
});
