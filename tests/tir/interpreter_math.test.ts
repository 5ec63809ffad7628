// tests/tir/interpreter_math.test.ts — numeric semantics of the interpreter: half precision,
// erf accuracy, round half to even.
import { describe, expect, it } from 'vitest';
import * as t from '../../tir/nodes.js';
import { interpret } from '../../tir/interpreter.js';
import { erf, f16round } from '../../tir/interpreter_math.js';

describe('f16round', () => {
  it('rounds to half precision with ties to even, subnormals and overflow', () => {
    expect(f16round(1 + 2 ** -11)).toBe(1); // a tie between 1 and 1 + 2^-10: even mantissa wins
    expect(f16round(1 + 3 * 2 ** -11)).toBe(1 + 2 * 2 ** -10);
    expect(f16round(0.1)).toBe(0.0999755859375);
    expect(f16round(65504)).toBe(65504);
    expect(f16round(65520)).toBe(Infinity);
    expect(f16round(-(2 ** -25))).toBe(-0);
    expect(f16round(3 * 2 ** -25)).toBe(2 ** -23);
  });

  it('rounds float16 arithmetic in the interpreter', () => {
    const O = t.buffer('O', [1], 'float16');
    const f = t.primFunc('h', [O], t.bufferStore(O, t.add(t.floatImm(2048, 'float16'), t.floatImm(1, 'float16')), [t.intImm(0)]));
    const o = new Float32Array(1);
    interpret(f, [o]);
    expect(o[0]).toBe(2048); // 2049 is not representable in half precision
  });
});

describe('erf and round', () => {
  it('computes erf within float32 resolution', () => {
    // Reference values of erf (Abramowitz & Stegun table 7.1).
    const table: [number, number][] = [[0, 0], [0.1, 0.1124629160], [0.5, 0.5204998778], [1, 0.8427007929], [2, 0.9953222650], [-1.5, -0.9661051465]];
    for (const [x, want] of table) expect(Math.abs(erf(x) - want)).toBeLessThan(2e-7);
  });

  it('rounds half to even, as WGSL round()', () => {
    const O = t.buffer('O', [4], 'float32');
    const vals = [0.5, 1.5, 2.5, -2.5];
    const f = t.primFunc('r', [O], t.seq(vals.map((v, i) => t.bufferStore(O, t.call('round', [t.floatImm(v)]), [t.intImm(i)]))));
    const o = new Float32Array(4);
    interpret(f, [o]);
    expect(Array.from(o)).toEqual([0, 2, 2, -2]);
  });
});
