// tests/ops/conv2d_tile_loop.test.ts — the wasm NCHW convolution template's 'tile_loop' knob (session 17): 'oh' puts
// the output-row tiles outside the channel blocks in the parallel loop. Sampled 'oh' configs on shapes no tile divides
// (odd sizes, batch 2, stride 2, groups, asymmetric padding), on 1 and 2 threads, against a plain-JS convolution; the
// knob comes last with 'co' (the schedule before it) first, so every older index names the config it named, the
// untuned default takes 'oh' exactly when one image's weights are smaller than its padded input (session 18's rule,
// tileLoopByRule), and a depthwise space has no such knob (its size and knob list unchanged).

import { beforeAll, describe, expect, it } from 'vitest';
import { setTemplateWarningSink } from '../../autotune/apply_template.js';
import { FallbackConfigEntity } from '../../autotune/fallback_config.js';
import { Rng } from '../../autotune/rng.js';
import { createTask, tensorArg } from '../../autotune/task.js';
import { conv2d } from '../../ops/nn/conv2d.js';
import { registerAll } from '../../ops/register.js';
import { scheduleConvWasm } from '../../ops/templates/conv2d_wasm.js';
import { createSchedule } from '../../schedule/schedule.js';
import { placeholder } from '../../schedule/tensor.js';
import { jsConv2d, mismatch, runConfig, seeded, type ConvCase } from './reference.js';

const base = { N: 1, strides: [1, 1], padding: [0, 0, 0, 0], dilation: [1, 1], groups: 1 } as const;
const CASES: readonly ConvCase[] = [
  { ...base, C: 5, H: 7, W: 9, O: 6, KH: 3, KW: 3, padding: [1, 0, 2, 1] },                              // odd, asymmetric
  { ...base, N: 2, C: 6, H: 9, W: 11, O: 10, KH: 3, KW: 3, strides: [2, 2], padding: [1, 1, 1, 1] },      // batch 2, stride 2
  { ...base, C: 6, H: 7, W: 13, O: 9, KH: 3, KW: 3, groups: 3, padding: [1, 1, 1, 1] },                   // groups 3
  { ...base, C: 7, H: 10, W: 12, O: 12, KH: 1, KW: 1 },                                                   // 1×1
];

function argsOf(c: ConvCase): unknown[] {
  return [tensorArg([c.N, c.C, c.H, c.W]), tensorArg([c.O, c.C / c.groups, c.KH, c.KW]), [...c.strides], [...c.padding], [...c.dilation], c.groups];
}

describe("wasm NCHW convolution template: the 'tile_loop' knob", () => {
  const rng = new Rng(1717);
  beforeAll(() => {
    registerAll();
    setTemplateWarningSink(() => undefined);
  });

  it("is the last knob, 'co' first: the lower half of the space is the space before it", () => {
    const t = createTask('conv2d_nchw.wasm', argsOf(CASES[0]!) as never, 'wasm');
    expect(t.space.knobNames.at(-1)).toBe('tile_loop');
    const half = t.space.length / 2;
    expect(t.space.entityAt(half - 1).getKnob('tile_loop').val).toBe('co');
    expect(t.space.entityAt(half).getKnob('tile_loop').val).toBe('oh');
    // The same knobs but the last: index i and i + half differ in tile_loop alone.
    expect(t.space.pointToKnobs(half + 17).slice(0, -1)).toEqual(t.space.pointToKnobs(17).slice(0, -1));
    // CASES[0]: weights 6·5·3·3 = 270 < padded input 5·10·12 = 600.
    expect(t.defaultConfig?.()?.getKnob('tile_loop').val).toBe('oh');
    const dw = createTask('depthwise_conv2d_nchw.wasm', [tensorArg([1, 8, 9, 9]), tensorArg([8, 1, 3, 3]), [1, 1], [1, 1, 1, 1], [1, 1]] as never, 'wasm');
    expect(dw.space.knobNames).not.toContain('tile_loop');
  });

  /** The untuned default's tile_loop for a groups-1 conv C → O, H × W, KH × KW, padding [t, l, b, r]. */
  function defaultTileLoop(C: number, H: number, W: number, O: number, K: number, padding: number[]): unknown {
    const X = placeholder([1, C, H, W], 'float32', 'X');
    const Wt = placeholder([O, C, K, K], 'float32', 'W');
    const y = conv2d(X, Wt, { strides: [1, 1], padding, dilation: [1, 1], groups: 1 });
    const cfg = new FallbackConfigEntity();
    scheduleConvWasm(cfg, createSchedule([y]), y, [y]);
    return cfg.getKnob('tile_loop').val;
  }

  it("the untuned default is 'oh' exactly when the weights are smaller than one image's padded input", () => {
    // C2's shape (weights 36 864 < input 64·58·58) and C6's (147 456 ≥ 128·30·30 = 115 200).
    expect(defaultTileLoop(64, 56, 56, 64, 3, [1, 1, 1, 1])).toBe('oh');
    expect(defaultTileLoop(128, 28, 28, 128, 3, [1, 1, 1, 1])).toBe('co');
    // Equal sizes are 'co' (4·6·6 = 144 = 9·4·2·2), and the padding counts: one row or one column of it (4·7·6 = 168)
    // tips the same conv to 'oh'; 4·(6 + 1 + 2)·6 = 216 > 8·4·2·2 = 128.
    expect(defaultTileLoop(4, 6, 6, 8, 2, [1, 0, 2, 0])).toBe('oh');
    expect(defaultTileLoop(4, 6, 6, 9, 2, [0, 0, 0, 0])).toBe('co');
    expect(defaultTileLoop(4, 6, 6, 9, 2, [1, 0, 0, 0])).toBe('oh');
    expect(defaultTileLoop(4, 6, 6, 9, 2, [0, 1, 0, 0])).toBe('oh');
  });

  for (const target of ['wasm', 'wasm -threads=2']) {
    it(`sampled 'oh' configs match a plain-JS convolution on ${target}`, async () => {
      let ran = 0;
      for (const c of CASES) {
        for (let k = 0; k < 3; k++) {
          const index = rng.int(1 << 30);
          const x = seeded(c.N * c.C * c.H * c.W, index % 1000 + 1);
          const w = seeded(c.O * (c.C / c.groups) * c.KH * c.KW, index % 1000 + 2);
          const r = await runConfig('conv2d_nchw.wasm', argsOf(c) as never, target, index, [x, w], (e) => e.getKnob('tile_loop').val === 'oh');
          if (!r.out) continue; // over the accumulator budget
          ran++;
          const want = jsConv2d(x, w, c);
          const i = mismatch(r.out, want);
          expect(i, `${JSON.stringify(c)} config ${r.config}: y[${i}] = ${r.out[i]}, expected ${want[i]}`).toBe(-1);
        }
      }
      expect(ran).toBeGreaterThanOrEqual(9);
    }, 300_000);
  }
});
