// tests/tir/passes/unroll_too_big.test.ts — unrollTooBig: a loop with a symbolic extent is never
// "too big" (it cannot be unrolled explicitly at all, and that is decided elsewhere); a constant
// extent is refused exactly when extent × max(body stores, 1) passes MAX_EXPLICIT_UNROLL_STEPS,
// with the documented message.

import { describe, expect, it } from 'vitest';
import * as t from '../../../tir/nodes.js';
import { MAX_EXPLICIT_UNROLL_STEPS, unrollTooBig } from '../../../tir/passes/unroll_loops.js';

const i = t.variable('i');
const B = t.buffer('B', [1], 'int32');
const loop = (extent: t.PrimExpr | number): t.For => t.forLoop(i, 0, extent, 'unrolled', t.bufferStore(B, i, [t.intImm(0)]));

describe('unrollTooBig', () => {
  it('a symbolic extent is not refused here', () => {
    const n = t.variable('n');
    expect(unrollTooBig(loop(n), 1)).toBeUndefined();
    expect(unrollTooBig(loop(t.add(n, t.intImm(1))), 100)).toBeUndefined();
  });

  it('a constant extent: refused exactly past the limit', () => {
    expect(unrollTooBig(loop(MAX_EXPLICIT_UNROLL_STEPS), 1)).toBeUndefined();
    expect(unrollTooBig(loop(MAX_EXPLICIT_UNROLL_STEPS), 0)).toBeUndefined();
    expect(unrollTooBig(loop(MAX_EXPLICIT_UNROLL_STEPS / 4), 4)).toBeUndefined();
    expect(unrollTooBig(loop(MAX_EXPLICIT_UNROLL_STEPS / 4), 5)).toBe(
      `unrolling i would copy its body ${MAX_EXPLICIT_UNROLL_STEPS / 4} times (${(MAX_EXPLICIT_UNROLL_STEPS / 4) * 5} stores), over the limit of ${MAX_EXPLICIT_UNROLL_STEPS}; split the axis and unroll only the inner part`);
    expect(unrollTooBig(loop(MAX_EXPLICIT_UNROLL_STEPS + 1), 0)).toMatch(/would copy its body 4097 times \(4097 stores\)/);
  });
});
