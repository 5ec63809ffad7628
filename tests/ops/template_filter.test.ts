// tests/ops/template_filter.test.ts — each template's validity predicate (its multiFilter) agrees with the builder:
// on sampled configs of shapes no tile divides, a config the space accepts instantiates, builds and computes the
// answer of an independent reference (plain-JS / tfjs CPU conv2d); one it rejects is refused by the builder with
// the predicate's reason, and the verdict matches the limit recomputed here from the knob values.

import { beforeAll, describe, expect, it } from 'vitest';
import { setTemplateWarningSink } from '../../autotune/apply_template.js';
import { buildCandidate } from '../../autotune/measure/build_candidate.js';
import { MeasureErrorNo } from '../../autotune/measure/measure_types.js';
import { Rng } from '../../autotune/rng.js';
import type { ConfigSpace } from '../../autotune/space.js';
import { createTask, InstantiationError, tensorArg, type Task } from '../../autotune/task.js';
import { nchwcBlocks, packWeights } from '../../ops/nn/conv2d_nchwc.js';
import { packDepthwiseWeights } from '../../ops/nn/depthwise_conv2d_nchwc.js';
import { registerAll } from '../../ops/register.js';
import type { WorkloadArg } from '../../tuning-logs/workload_key.js';
import { jsConv2d, mismatch, runConfig, seeded, type ConvCase } from './reference.js';

const inner = (c: ConfigSpace, knob: string, at = 1): number => c.getSplit(knob).size[at]!;

interface Subject {
  readonly template: string;
  readonly args: readonly WorkloadArg[];
  /** The target (default 'webgpu' for webgpu templates, else 'wasm'). */
  readonly target?: string;
  /** The limit, recomputed here from the knob values (true: the config must be accepted). */
  readonly rule: (c: ConfigSpace) => boolean;
  readonly reason: RegExp;
  /** The recomputed rule is only part of the template's (a rejected config may satisfy it). */
  readonly partial?: boolean;
  /** Inputs and expected output for a run (wasm subjects only). */
  readonly io?: () => { inputs: Float32Array[]; want: Float32Array; pack?: (y: Float32Array) => Float32Array };
}

const base = { N: 1, strides: [1, 1], padding: [1, 1, 1, 1], dilation: [1, 1], groups: 1 } as const;
const conv: ConvCase = { ...base, C: 6, H: 18, W: 19, O: 16, KH: 3, KW: 3 };
const dw: ConvCase = { ...base, C: 16, H: 18, W: 21, O: 16, KH: 3, KW: 3, groups: 16 };
const nchwc: ConvCase = { ...base, C: 8, H: 9, W: 17, O: 16, KH: 3, KW: 3 };
const dwc: ConvCase = { ...base, C: 16, H: 9, W: 17, O: 16, KH: 3, KW: 3, groups: 16 };
const { icBlock, ocBlock } = nchwcBlocks(nchwc.C, nchwc.O);
const convArgs = (c: ConvCase): WorkloadArg[] => [tensorArg([c.N, c.C, c.H, c.W]), tensorArg([c.O, c.C / c.groups, c.KH, c.KW]), [...c.strides], [...c.padding], [...c.dilation]];

/** NCHW → NCHW[b]c on the host (the test's own transform). */
function packHost(x: Float32Array, N: number, C: number, H: number, W: number, b: number): Float32Array {
  const out = new Float32Array(x.length);
  let k = 0;
  for (let n = 0; n < N; n++) for (let cb = 0; cb < C / b; cb++) for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) for (let ci = 0; ci < b; ci++) out[k++] = x[((n * C + cb * b + ci) * H + h) * W + w]!;
  return out;
}

function convIO(c: ConvCase): () => { inputs: Float32Array[]; want: Float32Array } {
  return () => {
    const x = seeded(c.N * c.C * c.H * c.W, 11);
    const w = seeded(c.O * (c.C / c.groups) * c.KH * c.KW, 12);
    return { inputs: [x, w], want: jsConv2d(x, w, c) };
  };
}

const SUBJECTS: readonly Subject[] = [
  { template: 'conv2d_nchw.wasm', args: [...convArgs(conv), 1], rule: (c) => inner(c, 'tile_co') * inner(c, 'tile_oh') * inner(c, 'tile_ow') <= 128, reason: /accumulator tile \d+×\d+×\d+ exceeds 128/, io: convIO(conv) },
  { template: 'depthwise_conv2d_nchw.wasm', args: convArgs(dw), rule: (c) => inner(c, 'tile_co') * inner(c, 'tile_oh') * inner(c, 'tile_ow') <= 128, reason: /accumulator tile .* exceeds 128/, io: convIO(dw) },
  {
    template: 'conv2d_NCHWc.wasm',
    args: [tensorArg([1, nchwc.C / icBlock, nchwc.H, nchwc.W, icBlock]), tensorArg([nchwc.O / ocBlock, nchwc.C / icBlock, 3, 3, icBlock, ocBlock]), [1, 1], [1, 1, 1, 1], [1, 1]],
    rule: (c) => inner(c, 'tile_ow') * inner(c, 'tile_oh') * ocBlock <= 128,
    reason: /accumulator tile .* exceeds 128/,
    io: () => {
      const x = seeded(nchwc.C * nchwc.H * nchwc.W, 21);
      const w = seeded(nchwc.O * nchwc.C * 9, 22);
      return {
        inputs: [packHost(x, 1, nchwc.C, nchwc.H, nchwc.W, icBlock), packWeights(w, [nchwc.O, nchwc.C, 3, 3], icBlock, ocBlock)],
        want: jsConv2d(x, w, nchwc),
        pack: (y) => packHost(y, 1, nchwc.O, nchwc.H, nchwc.W, ocBlock),
      };
    },
  },
  {
    // 8-channel blocks: tiles of tile_oh × tile_ow pixels × 8 lanes; 17 wide, 9 tall (no tile divides both).
    template: 'depthwise_conv2d_NCHWc.wasm',
    args: [tensorArg([1, dwc.C / 8, dwc.H, dwc.W, 8]), tensorArg([dwc.C / 8, 1, 3, 3, 1, 8]), [1, 1], [1, 1, 1, 1], [1, 1]],
    rule: (c) => inner(c, 'tile_ow') * inner(c, 'tile_oh') * 8 <= 128,
    reason: /accumulator tile \d+×\d+×8 exceeds 128/,
    io: () => {
      const x = seeded(dwc.C * dwc.H * dwc.W, 31);
      const w = seeded(dwc.C * 9, 32);
      return {
        inputs: [packHost(x, 1, dwc.C, dwc.H, dwc.W, 8), packDepthwiseWeights(w, [dwc.C, 1, 3, 3], 8)],
        want: jsConv2d(x, w, dwc),
        pack: (y) => packHost(y, 1, dwc.C, dwc.H, dwc.W, 8),
      };
    },
  },
  // WebGPU templates: instantiation only (no device run here).
  {
    template: 'conv2d_nchw.webgpu', args: [...convArgs(conv), 1], partial: true,
    rule: (c) => inner(c, 'tile_co') * inner(c, 'tile_oh') * inner(c, 'tile_ow') <= 256 && inner(c, 'tile_co', 2) * inner(c, 'tile_oh', 2) * inner(c, 'tile_ow', 2) <= 256 &&
      (c.getKnob('vec').val !== 4 || inner(c, 'tile_ow', 2) % 4 === 0),
    reason: /threads exceed|register tile|workgroup memory|vec 4 needs the thread's ow tile/,
  },
  {
    // Plain webgpu (no stage_shared knob, always staged): 256 threads at most; A and B tiles of one k step in 16 KiB
    // of workgroup memory; vec 4 (rows of 512 and 256 are multiples of 4) needs tile_k and the thread's x tile to be
    // multiples of 4.
    template: 'dense.webgpu', args: [tensorArg([256, 512]), tensorArg([256, 512])],
    rule: (c) => inner(c, 'tile_y') * inner(c, 'tile_x') <= 256 &&
      4 * inner(c, 'tile_k') * (inner(c, 'tile_y') * inner(c, 'tile_y', 2) + inner(c, 'tile_x') * inner(c, 'tile_x', 2)) <= 16384 &&
      (c.getKnob('vec').val !== 4 || (inner(c, 'tile_k') % 4 === 0 && inner(c, 'tile_x', 2) % 4 === 0)),
    reason: /threads exceed|workgroup memory|vec 4 needs tile_k/,
  },
  {
    // Lavapipe (-device=llvmpipe): as above when staged (stage_shared true); read in place (false), no workgroup
    // memory and vec 4 needs the thread's x tile only.
    template: 'dense.webgpu', args: [tensorArg([256, 512]), tensorArg([256, 512])], target: 'webgpu -device=llvmpipe',
    rule: (c) => {
      const staged = c.getKnob('stage_shared').val === true;
      return inner(c, 'tile_y') * inner(c, 'tile_x') <= 256 &&
        (!staged || 4 * inner(c, 'tile_k') * (inner(c, 'tile_y') * inner(c, 'tile_y', 2) + inner(c, 'tile_x') * inner(c, 'tile_x', 2)) <= 16384) &&
        (c.getKnob('vec').val !== 4 || ((!staged || inner(c, 'tile_k') % 4 === 0) && inner(c, 'tile_x', 2) % 4 === 0));
    },
    reason: /threads exceed|workgroup memory|vec 4 needs (tile_k|the thread's x tile)/,
  },
];

/** Sampled indices of a task's space, split by the space's verdict. */
function sample(task: Task, n: number, seed: number): { accepted: number[]; rejected: number[] } {
  const rng = new Rng(seed);
  const accepted: number[] = [];
  const rejected: number[] = [];
  for (let k = 0; k < n; k++) {
    const i = rng.int(task.space.length);
    (task.space.isIndexValid(i) ? accepted : rejected).push(i);
  }
  return { accepted, rejected };
}

describe('template validity predicates (multiFilter) agree with the builder', () => {
  beforeAll(() => {
    registerAll();
    setTemplateWarningSink(() => undefined);
  });

  for (const sub of SUBJECTS) {
    it(`${sub.template}${sub.target ? ` on '${sub.target}'` : ''}: the space's verdict = instantiation's = the recomputed limit, on 400 sampled configs`, () => {
      const task = createTask(sub.template, sub.args, sub.target ?? (sub.template.endsWith('webgpu') ? 'webgpu' : 'wasm'));
      const { accepted, rejected } = sample(task, 400, 7);
      expect(rejected.length, 'the sample has rejected configs').toBeGreaterThan(3);
      expect(accepted.length, 'the sample has accepted configs').toBeGreaterThan(5);
      expect(task.space.validLength).toBeLessThan(task.space.length);
      for (const i of accepted) {
        const e = task.space.entityAt(i);
        expect(sub.rule(e), `config ${e} accepted against the limit`).toBe(true);
        expect(() => task.instantiate(e), `config ${e}`).not.toThrow();
      }
      for (const i of rejected) {
        const e = task.space.entityAt(i);
        if (!sub.partial) expect(sub.rule(e), `config ${e} rejected within the limit`).toBe(false);
        let err: unknown;
        try { task.instantiate(task.space.entityAt(i)); } catch (x) { err = x; }
        expect(err, `config ${e} was rejected but instantiates`).toBeInstanceOf(InstantiationError);
        expect((err as Error).message).toMatch(sub.reason);
      }
    });
  }

  for (const sub of SUBJECTS.filter((s) => s.io)) {
    it(`${sub.template}: accepted configs build and match the plain-JS conv2d; rejected ones the builder refuses`, async () => {
      const task = createTask(sub.template, sub.args, 'wasm');
      const { accepted, rejected } = sample(task, 60, 13);
      for (const i of rejected.slice(0, 2)) {
        const r = await buildCandidate({ taskName: task.name, args: task.args, target: task.target, configIndex: i });
        expect(r.errorNo).toBe(MeasureErrorNo.INSTANTIATION_ERROR);
        expect(r.errorMsg).toMatch(sub.reason);
      }
      const { inputs, want, pack } = sub.io!();
      const expected = pack ? pack(want) : want;
      for (const i of accepted.slice(0, 3)) {
        const r = await runConfig(sub.template, sub.args, 'wasm', i, inputs);
        expect(r.out, `config ${r.config} was accepted but not built`).toBeDefined();
        const at = mismatch(r.out!, expected);
        expect(at, `${sub.template} config ${r.config}: y[${at}] = ${r.out![at]}, expected ${expected[at]}`).toBe(-1);
      }
    }, 300_000);
  }
});
