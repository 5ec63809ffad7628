// tests/tir/passes/unroll_pragma_values.test.ts — unrollLoops and the auto-unroll pragma's value:
// 0 is legal (no automatic unrolling: the loop stays, values vs plain JS), a negative or
// fractional step is refused with a message naming the loop and the value, and a loop that stays a
// loop loses the pragma but keeps its other annotations. The fresh seed-1101 sample found
// `step < 0` → `step <= 0` / `false` and the pragma filter in withoutPragma unchecked.

import { describe, expect, it } from 'vitest';
import * as t from '../../../tir/nodes.js';
import { interpret } from '../../../tir/interpreter.js';
import { AUTO_UNROLL_PRAGMA, unrollLoops } from '../../../tir/passes/index.js';

const B = t.buffer('B', [6], 'float32');
const i = t.variable('i');

function loop(annotations: t.Annotations, extent = 6): t.PrimFunc {
  return t.primFunc('f', [B], t.forLoop(i, 0, extent, 'serial', t.bufferStore(B, t.mul(t.cast('float32', i), t.floatImm(2)), [i]), { annotations }));
}

describe('unrollLoops: the auto-unroll pragma value', () => {
  it('0: nothing is unrolled, the loop stays without the pragma, values vs plain JS', () => {
    const g = unrollLoops(loop({ [AUTO_UNROLL_PRAGMA]: 0, note: 'kept' }));
    expect(g.body.kind).toBe('For');
    expect((g.body as t.For).annotations).toEqual({ note: 'kept' });
    const b = new Float32Array(6);
    interpret(g, [b]);
    expect([...b]).toEqual([0, 2, 4, 6, 8, 10]);
  });

  it('a step too small for the loop: it stays a loop, keeps its other annotations in order', () => {
    const g = unrollLoops(loop({ zeta: 1, [AUTO_UNROLL_PRAGMA]: 2, alpha: 'a' }));
    expect(g.body.kind).toBe('For');
    expect((g.body as t.For).annotations).toEqual({ zeta: 1, alpha: 'a' });
  });

  it('a step large enough: unrolled (no loop left)', () => {
    const g = unrollLoops(loop({ [AUTO_UNROLL_PRAGMA]: 16, note: 'x' }));
    expect(g.body.kind).toBe('SeqStmt');
    const b = new Float32Array(6);
    interpret(g, [b]);
    expect([...b]).toEqual([0, 2, 4, 6, 8, 10]);
  });

  it('a negative or fractional step is refused, naming the loop and the value', () => {
    expect(() => unrollLoops(loop({ [AUTO_UNROLL_PRAGMA]: -1 }))).toThrow(`unrollLoops: ${AUTO_UNROLL_PRAGMA} on loop i must be a non-negative integer, got -1`);
    expect(() => unrollLoops(loop({ [AUTO_UNROLL_PRAGMA]: 1.5 }))).toThrow('got 1.5');
  });
});
