// tests/ops/default_schedule_pads.test.ts — a conv's padded input that its wasm template materializes
// ('pad_inline' false: computeRoot) gets defaultSchedule's injective schedule (parallel, row vectorized
// where it can), not a serial scalar loop; convs and a stride-2, dilation-2 ConvTranspose (its input dilated
// and padded: dilation 1 has no such stage, the sub-pixel form reads X) built that way against plain-JS
// references, on shapes no tile divides.

import { beforeAll, describe, expect, it } from 'vitest';
import * as ops from '../../ops/index.js';
import * as te from '../../schedule/index.js';
import { setTemplateWarningSink } from '../../autotune/apply_template.js';
import { checkCases, input } from './ops_harness.js';
import { jsConv2d, jsConv2dTranspose, type ConvCase, type ConvTCase } from './reference.js';

beforeAll(() => setTemplateWarningSink(() => undefined));

const conv: ConvCase = { N: 1, C: 5, H: 11, W: 13, O: 6, KH: 3, KW: 3, strides: [1, 1], padding: [1, 1, 1, 1], dilation: [1, 1], groups: 1 };
const convS2: ConvCase = { ...conv, C: 3, H: 17, W: 19, O: 5, strides: [2, 2], padding: [1, 2, 1, 0] };
const convT: ConvTCase = { N: 1, C: 5, H: 7, W: 9, O: 3, KH: 2, KW: 2, strides: [2, 2], padding: [0, 0, 0, 0], outputPadding: [0, 0], dilation: [2, 2], groups: 1 };

const kinds = (st: te.Stage): string[] => st.leaves.map((l) => st.iterAttrs.get(l)?.forKind ?? 'serial');

function build() {
  const x = input([1, conv.C, conv.H, conv.W], 81, 'x');
  const w = input([conv.O, conv.C, 3, 3], 82, 'w');
  const x2 = input([1, convS2.C, convS2.H, convS2.W], 83, 'x2');
  const w2 = input([convS2.O, convS2.C, 3, 3], 84, 'w2');
  const xt = input([1, convT.C, convT.H, convT.W], 85, 'xt');
  const wt = input([convT.C, convT.O, 2, 2], 86, 'wt');
  return {
    inputs: [x, w, x2, w2, xt, wt],
    cases: [
      { name: 'conv2d 5→6 3×3 pad 1 on 11×13', out: ops.conv2d(x.t, w.t, { padding: 1 }), want: jsConv2d(x.data as Float32Array, w.data as Float32Array, conv), tol: 1e-4 },
      { name: 'conv2d 3→5 3×3 stride 2 pad [1,2,1,0] on 17×19', out: ops.conv2d(x2.t, w2.t, { strides: 2, padding: [1, 2, 1, 0] }), want: jsConv2d(x2.data as Float32Array, w2.data as Float32Array, convS2), tol: 1e-4 },
      { name: 'conv2dTranspose 5→3 2×2 stride 2 dilation 2 on 7×9', out: ops.conv2dTranspose(xt.t, wt.t, { strides: 2, dilation: 2 }), want: jsConv2dTranspose(xt.data as Float32Array, wt.data as Float32Array, convT), tol: 1e-4 },
    ],
  };
}

describe('defaultSchedule: padded inputs a conv template put at root', () => {
  it('are scheduled as injective stages: a parallel loop, not the serial nest they had', () => {
    const { cases } = build();
    for (const c of cases) {
      const s = ops.defaultSchedule([c.out], 'wasm -threads=1');
      const pad = s.stages.find((st) => st.op.kind === 'compute' && st.op.tag === 'injective,pad');
      expect(pad, c.name).toBeDefined();
      expect(pad!.attach.type, c.name).toBe('root');
      expect(kinds(pad!), c.name).toContain('parallel');
    }
  });

  it.each(['wasm', 'wasm -simd=0', 'wasm -threads=2'])('match plain-JS conv and ConvTranspose on %s', async (target) => {
    const { inputs, cases } = build();
    await checkCases(target, inputs, cases);
  });
});
