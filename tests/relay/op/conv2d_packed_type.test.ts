// tests/relay/op/conv2d_packed_type.test.ts — the type relation of nn.contrib_conv2d_nchw_packed (relay/op/
// conv2d_packed.ts, lavapipe's packed-weight conv): data [N, C, H, W] and a weight packed 'OIHW{ob}o'
// [⌈O/ob⌉, C, KH, KW, ob] with attr channels O give [N, O, OH, OW], OH and OW the textbook size, for blocks that do
// and do not divide O; each bad input, one part changed at a time from a good one, is the op's own error naming it
// (the layout text, the dtypes, groups, the shapes, the channel count, an empty output).

import { describe, expect, it } from 'vitest';
import { CONV_PACKED, convPackedBlock } from '../../../relay/op/conv2d_packed.js';
import { opDef } from '../../../relay/op/registry.js';
import { tensorType } from '../../../relay/ty.js';

const packed = opDef(CONV_PACKED);
const OP = CONV_PACKED.replace(/\./g, '\\.');

/** The conv output size by the textbook formula: ⌊(H + pads − d·(K − 1) − 1) / s⌋ + 1. */
const outSize = (h: number, k: number, s: number, p0: number, p1: number, d: number): number => Math.floor((h + p0 + p1 - d * (k - 1) - 1) / s) + 1;

describe(`${CONV_PACKED} type`, () => {
  it("the block of 'OIHW{ob}o', any number of digits; anything else names the op and the layout", () => {
    for (const [layout, ob] of [['OIHW8o', 8], ['OIHW1o', 1], ['OIHW4o', 4], ['OIHW16o', 16], ['OIHW128o', 128]] as const) expect(convPackedBlock(layout, 'op'), layout).toBe(ob);
    for (const bad of ['OIHW0o', 'OIHWo', 'OIHW8', 'OIHW8oo', 'xOIHW8o', 'OIHW8o ', 'OIHWxo', 'OIHW-8o', 'OIHW8i', 'NC8n', '']) {
      expect(() => convPackedBlock(bad, 'my.op'), bad).toThrow(new RegExp(`^my\\.op: weight_layout must be 'OIHW<ob>o' with a block ob ≥ 1, got '${bad}'$`));
      expect(() => convPackedBlock(bad, 'my.op'), bad).toThrow(RangeError);
    }
  });

  it('is [N, O, OH, OW] with the textbook OH, OW, blocks dividing O or not', () => {
    const cases = [
      // [N, C, H, W, O, ob, KH, KW, strides, padding, dilation]
      [1, 16, 20, 70, 16, 8, 3, 3, [2, 2], [1, 1, 1, 1], [1, 1]],
      [2, 6, 17, 13, 13, 4, 5, 3, [3, 2], [2, 0, 1, 1], [1, 2]],
      [1, 3, 9, 31, 5, 8, 1, 7, [1, 4], [0, 3, 0, 2], [2, 1]],
    ] as const;
    for (const [N, C, H, W, O, ob, KH, KW, strides, padding, dilation] of cases) {
      const attrs = { strides: [...strides], padding: [...padding], dilation: [...dilation], groups: 1, channels: O, weight_layout: `OIHW${ob}o` };
      const got = packed.inferType([tensorType([N, C, H, W]), tensorType([Math.ceil(O / ob), C, KH, KW, ob])], attrs);
      expect(got.shape, `${[N, C, H, W]} O ${O} ob ${ob}`).toEqual([N, O, outSize(H, KH, strides[0], padding[0], padding[2], dilation[0]), outSize(W, KW, strides[1], padding[1], padding[3], dilation[1])]);
      expect(got.dtype).toBe('float32');
    }
  });

  describe('bad inputs, one part changed from data [1, 4, 10, 10] and weight [2, 4, 3, 3, 8] (O = 12, OIHW8o)', () => {
    const attrs = { strides: [1, 1], padding: [1, 1, 1, 1], dilation: [1, 1], groups: 1, channels: 12, weight_layout: 'OIHW8o' };
    const type = (x: readonly number[], w: readonly number[], a: Record<string, unknown> = {}, dt: [string, string] = ['float32', 'float32']) =>
      () => packed.inferType([tensorType(x, dt[0] as never), tensorType(w, dt[1] as never)], { ...attrs, ...a });
    const [X, Wt] = [[1, 4, 10, 10], [2, 4, 3, 3, 8]] as const;

    it('the good one types', () => {
      expect(type(X, Wt)().shape).toEqual([1, 12, 10, 10]);
    });

    it('a layout that is not OIHW{ob}o', () => {
      expect(type(X, Wt, { weight_layout: 'OIHW0o' })).toThrow(new RegExp(`^${OP}: weight_layout must be 'OIHW<ob>o' with a block ob ≥ 1, got 'OIHW0o'$`));
    });

    it('int32 data or weight, each alone', () => {
      expect(type(X, Wt, {}, ['int32', 'float32'])).toThrow(new RegExp(`^${OP}: data and weight must be float32, got int32 and float32$`));
      expect(type(X, Wt, {}, ['float32', 'int32'])).toThrow(new RegExp(`^${OP}: data and weight must be float32, got float32 and int32$`));
      expect(type(X, Wt, {}, ['float32', 'int32'])).toThrow(TypeError);
    });

    it('groups 2', () => {
      expect(type(X, Wt, { groups: 2 })).toThrow(new RegExp(`^${OP}: groups must be 1, got 2$`));
    });

    it('a 3-D data, a 4-D weight, a block of 4 against OIHW8o, C 5 against 4', () => {
      const msg = (x: string, w: string): RegExp => new RegExp(`^${OP}: needs data \\[N, C, H, W\\] and a packed weight \\[⌈O/8⌉, C, KH, KW, 8\\] of the same C, got ${x.replace(/[[\]]/g, '\\$&')} and ${w.replace(/[[\]]/g, '\\$&')}$`);
      expect(type([4, 10, 10], Wt)).toThrow(msg('[4, 10, 10]', '[2, 4, 3, 3, 8]'));
      expect(type(X, [2, 4, 3, 3])).toThrow(msg('[1, 4, 10, 10]', '[2, 4, 3, 3]'));
      expect(type(X, [3, 4, 3, 3, 4])).toThrow(msg('[1, 4, 10, 10]', '[3, 4, 3, 3, 4]'));
      expect(type(X, [2, 5, 3, 3, 8])).toThrow(msg('[1, 4, 10, 10]', '[2, 5, 3, 3, 8]'));
      expect(type([1, 5, 10, 10], Wt)).toThrow(msg('[1, 5, 10, 10]', '[2, 4, 3, 3, 8]'));
    });

    it('channels that need another number of blocks, or are not a positive integer', () => {
      // 17 channels need 3 blocks of 8, 8 need 1; the weight has 2.
      expect(type(X, Wt, { channels: 17 })).toThrow(new RegExp(`^${OP}: 17 channels need 3 blocks of 8, the weight \\[2, 4, 3, 3, 8\\] has 2$`));
      expect(type(X, Wt, { channels: 8 })).toThrow(new RegExp(`^${OP}: 8 channels need 1 blocks of 8, the weight \\[2, 4, 3, 3, 8\\] has 2$`));
      // 9 and 16 need exactly 2: they type.
      expect(type(X, Wt, { channels: 9 })().shape).toEqual([1, 9, 10, 10]);
      expect(type(X, Wt, { channels: 16 })().shape).toEqual([1, 16, 10, 10]);
      expect(type(X, Wt, { channels: 12.5 })).toThrow(new RegExp(`^${OP}: 12\\.5 channels need 2 blocks of 8`));
      expect(type(X, [1, 4, 3, 3, 8], { channels: 0 })).toThrow(new RegExp(`^${OP}: 0 channels need 0 blocks of 8`));
    });

    it('an empty output', () => {
      expect(type([1, 4, 2, 10], Wt, { padding: [0, 0, 0, 0] })).toThrow(new RegExp(`^${OP}: the output \\[1, 12, 0, 8\\] is empty \\(input \\[1, 4, 2, 10\\] is too small for the window\\)$`));
      expect(type([1, 4, 10, 2], Wt, { padding: [0, 0, 0, 0] })).toThrow(new RegExp(`^${OP}: the output \\[1, 12, 8, 0\\] is empty`));
    });
  });
});
