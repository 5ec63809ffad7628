// tests/tir/passes/unroll_skipped.test.ts — the annotation on an `unrolled` loop kept as a loop is
// named `unroll_skipped` (the name docs/tir.md, docs/wasm.md and docs/schedule.md give users, and
// the one TVM-style printed IR shows), not whatever the exported constant happens to hold.

import { describe, expect, it } from 'vitest';
import * as t from '../../../tir/nodes.js';
import { MAX_EXPLICIT_UNROLL_STEPS, unrollLoops } from '../../../tir/passes/unroll_loops.js';
import { print } from '../../../tir/printer.js';

describe('unroll_skipped', () => {
  it('is the annotation key of a loop too big to unroll, and shows in the printed IR', () => {
    const n = MAX_EXPLICIT_UNROLL_STEPS + 1;
    const big = t.buffer('Big', [n], 'float32');
    const i = t.variable('i');
    const f = t.primFunc('f', [big], t.forLoop(i, 0, n, 'unrolled', t.bufferStore(big, t.floatImm(1), [i])));
    const loop = unrollLoops(f).body as t.For;
    expect(loop.kind).toBe('For');
    expect(Object.keys(loop.annotations)).toEqual(['unroll_skipped']);
    expect(loop.annotations.unroll_skipped).toMatch(/^unrolling i would copy its body 4097 times/);
    expect(print(unrollLoops(f))).toMatch(/# unroll_skipped="unrolling i would copy its body 4097 times/);
  });
});
