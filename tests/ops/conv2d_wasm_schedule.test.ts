// tests/ops/conv2d_wasm_schedule.test.ts — the wasm NCHW convolution template on the shapes its default and
// vector-axis choices are about: strided depthwise (stride 2 and 3, widths 7/11/13, asymmetric padding,
// dilation 2, C not a multiple of 4, a channel multiplier), narrow images whose default vectorizes along
// output channels (7², 14², width 6), with a fused bias + relu; the untuned default (ops.defaultSchedule) and
// sampled configs of both vec_axis values, against tfjs-core's CPU conv2d/depthwiseConv2d and a plain-JS one.

import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { setTemplateWarningSink } from '../../autotune/apply_template.js';
import { createTask, tensorArg } from '../../autotune/task.js';
import { Rng } from '../../autotune/rng.js';
import { add, relu } from '../../ops/elementwise.js';
import { conv2d } from '../../ops/nn/conv2d.js';
import { registerAll } from '../../ops/register.js';
import { scheduleConvWasm } from '../../ops/templates/conv2d_wasm.js';
import { FallbackConfigEntity } from '../../autotune/fallback_config.js';
import { createSchedule } from '../../schedule/schedule.js';
import { placeholder } from '../../schedule/tensor.js';
import { checkCases, cpuBackend } from './ops_harness.js';
import { jsConv2d, mismatch, runConfig, seeded, tfConv2d, type ConvCase } from './reference.js';

const base = { N: 1, strides: [1, 1], padding: [0, 0, 0, 0], dilation: [1, 1], groups: 1 } as const;
const dw = (c: Omit<ConvCase, 'O' | 'groups' | 'N' | 'dilation' | 'strides' | 'padding'> & Partial<ConvCase>): ConvCase => ({ ...base, O: c.C, groups: c.C, ...c });

/** Depthwise cases: strided (2 and 3) with widths no vector divides, asymmetric padding, dilation 2. */
const STRIDED_DW: readonly ConvCase[] = [
  dw({ C: 5, H: 9, W: 13, KH: 3, KW: 3, strides: [2, 2], padding: [1, 1, 1, 1] }),   // OW 7
  dw({ C: 6, H: 12, W: 22, KH: 3, KW: 3, strides: [2, 2], padding: [0, 1, 1, 0] }),  // OW 11, asymmetric
  dw({ C: 3, H: 8, W: 25, KH: 3, KW: 3, strides: [2, 2], padding: [1, 0, 0, 1] }),   // OW 13
  dw({ C: 7, H: 10, W: 20, KH: 3, KW: 3, strides: [3, 3], padding: [1, 1, 1, 1] }),  // stride 3, OW 7
  dw({ C: 4, H: 11, W: 34, KH: 5, KW: 5, strides: [3, 2], padding: [2, 1, 2, 2] }),  // OW 16, 5×5, mixed strides
  dw({ C: 6, H: 13, W: 13, KH: 3, KW: 3, dilation: [2, 2], padding: [2, 2, 1, 2] }), // dilation 2, OW 12
  dw({ C: 8, H: 7, W: 7, KH: 3, KW: 3, padding: [1, 1, 1, 1] }),                      // 7², C in fours: default along co
  dw({ C: 12, H: 16, W: 32, KH: 3, KW: 3, strides: [2, 2], padding: [1, 1, 1, 1] }), // stride 2, OW 16 (peeled border)
];
/** Convolutions whose default vectorizes along output channels (OW not a multiple of 4), and one that cannot. */
const NARROW: readonly ConvCase[] = [
  { ...base, C: 8, H: 7, W: 7, O: 8, KH: 3, KW: 3, padding: [1, 1, 1, 1] },
  { ...base, C: 5, H: 14, W: 14, O: 12, KH: 3, KW: 3, padding: [1, 1, 1, 1] },
  { ...base, C: 9, H: 5, W: 6, O: 16, KH: 1, KW: 1 },
  { ...base, C: 4, H: 9, W: 13, O: 20, KH: 3, KW: 3, strides: [2, 2], padding: [0, 1, 2, 1] },
  { ...base, C: 3, H: 7, W: 7, O: 6, KH: 3, KW: 3, padding: [1, 1, 1, 1] }, // O not in fours: along ow
];

const tfRefOk = (c: ConvCase): boolean => !(c.dilation[0] > 1 && (c.strides[0] > 1 || c.strides[1] > 1));

function argsOf(c: ConvCase): unknown[] {
  const a: unknown[] = [tensorArg([c.N, c.C, c.H, c.W]), tensorArg([c.O, c.C / c.groups, c.KH, c.KW]), [...c.strides], [...c.padding], [...c.dilation]];
  return c.groups === c.C && c.C > 1 ? a : [...a, c.groups];
}

const templateOf = (c: ConvCase): string => (c.groups === c.C && c.C > 1 ? 'depthwise_conv2d_nchw.wasm' : 'conv2d_nchw.wasm');

/** A random config index of the case's template space with its vec_axis knob set to `axis`. */
function indexWith(c: ConvCase, axis: 'ow' | 'co', rng: Rng): number {
  const space = createTask(templateOf(c), argsOf(c) as never, 'wasm').space;
  const knobs = space.pointToKnobs(rng.int(space.length));
  knobs[space.knobNames.indexOf('vec_axis')] = axis === 'ow' ? 0 : 1;
  return space.knobsToPoint(knobs);
}

describe('wasm NCHW convolution template: strided depthwise and narrow images', () => {
  const rng = new Rng(2027);
  beforeAll(async () => {
    registerAll();
    setTemplateWarningSink(() => undefined);
    await cpuBackend();
  });

  it('vec_axis, then tile_loop, are appended last (older indices keep their configs): vec_axis ow, co as the top digits but one', () => {
    const t = createTask('conv2d_nchw.wasm', argsOf(NARROW[0]!) as never, 'wasm');
    expect(t.space.knobNames.slice(-2)).toEqual(['vec_axis', 'tile_loop']);
    const half = t.space.length / 2; // tile_loop 'co' below it: the space before session 17
    expect(t.space.entityAt(0).getKnob('vec_axis').val).toBe('ow');
    expect(t.space.entityAt(half - 1).getKnob('vec_axis').val).toBe('co');
    expect(t.space.entityAt(half - 1).getKnob('tile_loop').val).toBe('co');
  });

  it('the default vectorizes along co for widths not in fours with channels in fours, else along ow', () => {
    const axisOf = (c: ConvCase): unknown => {
      const X = placeholder([c.N, c.C, c.H, c.W], 'float32', 'X');
      const W = placeholder([c.O, c.C / c.groups, c.KH, c.KW], 'float32', 'W');
      const y = conv2d(X, W, { strides: c.strides, padding: c.padding, dilation: c.dilation, groups: c.groups });
      const cfg = new FallbackConfigEntity();
      scheduleConvWasm(cfg, createSchedule([y]), y, [y]);
      return [cfg.getKnob('vec_axis').val, cfg.getKnob('pad_inline').val];
    };
    expect(NARROW.map(axisOf)).toEqual([['co', false], ['co', false], ['co', false], ['co', false], ['ow', false]]);
    expect(axisOf(STRIDED_DW[6]!)).toEqual(['co', true]);
    expect(axisOf(STRIDED_DW[7]!)).toEqual(['ow', true]);
    expect(axisOf(STRIDED_DW[0]!)).toEqual(['ow', true]); // C = 5: not in fours
  });

  for (const [name, cases] of [['strided depthwise', STRIDED_DW], ['narrow conv2d', NARROW]] as const) {
    it(`${name}: sampled configs of vec_axis ow and co match tfjs (or plain JS with dilation and stride)`, async () => {
      let ran = 0;
      for (const c of cases) {
        for (const axis of ['ow', 'co'] as const) {
          const index = indexWith(c, axis, rng);
          const x = seeded(c.N * c.C * c.H * c.W, index + 1);
          const w = seeded(c.O * (c.C / c.groups) * c.KH * c.KW, index + 2);
          const want = tfRefOk(c) ? tfConv2d(x, w, c) : jsConv2d(x, w, c);
          const r = await runConfig(templateOf(c), argsOf(c) as never, 'wasm', index, [x, w]);
          if (!r.out) continue; // over the accumulator budget
          ran++;
          const i = mismatch(r.out, want);
          expect(i, `${JSON.stringify(c)} config ${r.config}: y[${i}] = ${r.out[i]}, expected ${want[i]}`).toBe(-1);
        }
      }
      expect(ran).toBeGreaterThanOrEqual(Math.ceil(cases.length * 2 * 0.75));
    }, 300_000);

    it(`${name}: the untuned default (ops.defaultSchedule), with a fused bias + relu, on 1 and 2 threads`, async () => {
      for (const target of ['wasm', 'wasm -threads=2']) {
        for (const [k, c] of cases.entries()) {
          const X = placeholder([c.N, c.C, c.H, c.W], 'float32', 'X');
          const W = placeholder([c.O, c.C / c.groups, c.KH, c.KW], 'float32', 'W');
          const B = placeholder([c.O, 1, 1], 'float32', 'B');
          const x = seeded(c.N * c.C * c.H * c.W, 10 + k);
          const w = seeded(c.O * (c.C / c.groups) * c.KH * c.KW, 20 + k);
          const b = seeded(c.O, 30 + k);
          const y = tfRefOk(c) ? tfConv2d(x, w, c) : jsConv2d(x, w, c);
          const plane = y.length / (c.N * c.O);
          const want = y.map((v, i) => Math.max(0, Math.fround(v + b[Math.floor(i / plane) % c.O]!)));
          const conv = conv2d(X, W, { strides: c.strides, padding: c.padding, dilation: c.dilation, groups: c.groups });
          const out = relu(add(conv, B));
          await checkCases(target, [{ t: X, data: x }, { t: W, data: w }, { t: B, data: b }], [{ name: `${target} ${JSON.stringify(c)}`, out, want, tol: 1e-4 }]);
        }
      }
    }, 300_000);
  }

  it('the tfjs reference agrees with the plain-JS one on these shapes', () => {
    for (const c of [...STRIDED_DW, ...NARROW].filter(tfRefOk)) {
      const x = seeded(c.N * c.C * c.H * c.W, 5);
      const w = seeded(c.O * (c.C / c.groups) * c.KH * c.KW, 6);
      expect(mismatch(tfConv2d(x, w, c), jsConv2d(x, w, c))).toBe(-1);
    }
    expect(tf.getBackend()).toBe('cpu');
  });
});
