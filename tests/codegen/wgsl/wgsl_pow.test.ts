// tests/codegen/wgsl/wgsl_pow.test.ts — which pow helper the WGSL printer picks (codegen/wgsl/wgsl_pow.ts,
// wgsl_expr.ts): the exponent classes of constants, the general helper for an exponent read at run time, the
// specialised one for a constant (a FloatImm, or a Broadcast of one on vec4), none for ±0, and never WGSL's own
// pow (undefined for a negative base). What the helpers compute is checked on lavapipe in
// tests/runtime/webgpu/pow_webgpu.test.ts.

import { describe, expect, it } from 'vitest';
import { codegenWGSL } from '../../../codegen/wgsl/codegen_wgsl.js';
import { POW_EXPONENT_CLASSES, powExponentClass, powHelper } from '../../../codegen/wgsl/wgsl_pow.js';
import { powKernel } from '../../runtime/webgpu/tir_kernels.js';

describe('powExponentClass', () => {
  it('classifies a constant by parity and sign in float32; ±0 needs no pow; NaN and ±inf take the general helper', () => {
    const table: [number, string | undefined][] = [
      [3, 'odd_pos'], [-1, 'odd_neg'], [2 ** 24 - 1, 'odd_pos'], [-(2 ** 24 - 1), 'odd_neg'],
      [4, 'even_pos'], [-2, 'even_neg'], [2 ** 24, 'even_pos'], [2 ** 24 + 1, 'even_pos'] /* rounds to 2^24 in float32 */, [1e10, 'even_pos'],
      [2.5, 'frac_pos'], [-0.75, 'frac_neg'], [1 / 3, 'frac_pos'], [1e-45, 'frac_pos'],
      [0, undefined], [-0, undefined], [1e-50, undefined] /* 0 in float32 */,
      [NaN, 'any'], [Infinity, 'any'], [-Infinity, 'any'], [1e39, 'any'] /* inf in float32 */,
    ];
    expect(table.map(([y]) => powExponentClass(y))).toEqual(table.map(([, c]) => c));
  });
});

describe('the printed pow', () => {
  const code = (lanes: 1 | 4, y?: number): string => codegenWGSL(powKernel(64, lanes, y)).code;
  const calls = (text: string): string[] => [...new Set(text.match(/\btt_pow\w*(?=\()/g) ?? [])].sort();

  it('an exponent read at run time: the general helper, scalar and vec4', () => {
    expect(calls(code(1))).toEqual(['tt_pow_f32']);
    expect(calls(code(4))).toEqual(['tt_pow_vec4f32']);
  });

  it('a constant exponent: the helper of its class (FloatImm scalar, Broadcast vec4)', () => {
    expect(calls(code(1, 2.5))).toEqual(['tt_pow_frac_pos_f32']);
    expect(calls(code(4, -3))).toEqual(['tt_pow_odd_neg_vec4f32']);
    expect(calls(code(4, 4))).toEqual(['tt_pow_even_pos_vec4f32']);
    expect(calls(code(1, NaN))).toEqual(['tt_pow_f32']);
  });

  it('a ±0 exponent prints 1 and no helper', () => {
    for (const [lanes, y] of [[1, 0], [4, -0]] as const) {
      const text = code(lanes, y);
      expect(calls(text), `${lanes} lanes`).toEqual([]);
      expect(text).toContain(lanes === 1 ? '= 1.0f;' : '= vec4<f32>(1.0f);');
    }
  });

  it('never calls WGSL\'s pow; the specialised helpers test no exponent bits', () => {
    for (const y of [undefined, 2.5, -3, 4]) for (const lanes of [1, 4] as const) expect(code(lanes, y)).not.toMatch(/(?<![\w])pow\(/);
    for (const cls of POW_EXPONENT_CLASSES.filter((c) => c !== 'any')) {
      expect(powHelper(cls, 1)[1], cls).not.toMatch(/\b(yb|ay|yneg|yint|yodd)\b/);
    }
    expect(powHelper('any', 1)[1]).toMatch(/\byodd\b/);
  });
});
