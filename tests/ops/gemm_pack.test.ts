// tests/ops/gemm_pack.test.ts — the wasm gemm template's pack_b knob (B copied into panels [⌈N/bn⌉, K, bn] inside
// the kernel, ops/templates/gemm_pack.ts) and dense's vec_k knob (W read along k, rfactored lane sums): sampled
// configs with the knob on, on shapes no panel or k block divides (the zeroed tail), M = 1, K = 1, dense's W [N, K],
// broadcast batch dims and a fused epilogue, against tfjs-core's CPU matMul (plain JS for rank-broadcast batches);
// the untuned default's choice; the named errors of a body that is no product and of refused knob combinations.

import { beforeAll, describe, expect, it } from 'vitest';
import { applyTemplate, setTemplateWarningSink } from '../../autotune/apply_template.js';
import { Rng } from '../../autotune/rng.js';
import type { ConfigEntity } from '../../autotune/space.js';
import { tensorArg } from '../../autotune/task.js';
import { registerAll } from '../../ops/register.js';
import { packPanels } from '../../ops/templates/gemm_pack.js';
import { createSchedule } from '../../schedule/schedule.js';
import { compute, placeholder } from '../../schedule/tensor.js';
import { gemmReference, mismatch, runConfig, seeded, tfMatMul } from './reference.js';

type Op = 'dense' | 'matmul' | 'batch_matmul';
type Case = readonly [op: Op, a: readonly number[], b: readonly number[]];
const CASES: readonly Case[] = [
  ['matmul', [37, 29], [29, 53]], // N = 53: no panel width divides it (zeroed tail)
  ['matmul', [16, 32], [32, 24]],
  ['matmul', [1, 64], [64, 40]], // M = 1
  ['matmul', [9, 1], [1, 13]], // K = 1
  ['dense', [37, 29], [53, 29]],
  ['dense', [20, 1], [7, 1]],
  ['batch_matmul', [2, 1, 5, 6], [3, 6, 4]], // batch dims [2, 1] × [3] broadcast
  ['batch_matmul', [4, 8, 16], [1, 16, 11]], // one B shared by 4 batches
  ['batch_matmul', [1, 9, 7], [3, 7, 10]],
];

const packed = (e: ConfigEntity): boolean => e.getKnob('pack_b').val === true;
const vecK = (e: ConfigEntity): boolean => e.getKnob('vec_k').val === true;
const DENSE_CASES: readonly Case[] = [
  ['dense', [37, 29], [53, 29]], // K = 29: no lane count divides it
  ['dense', [1, 1024], [30, 1024]], // a GEMV
  ['dense', [3, 7], [5, 7]],
  ['dense', [20, 1], [7, 1]], // K = 1
];

describe('gemm wasm template, pack_b', () => {
  const rng = new Rng(2026);
  beforeAll(() => {
    registerAll();
    setTemplateWarningSink(() => undefined);
  });

  for (const target of ['wasm -threads=2', 'wasm -threads=1 -simd=0']) {
    it(`sampled configs with pack_b on match tfjs matMul on odd shapes (${target})`, async () => {
      let ran = 0;
      for (const [op, aShape, bShape] of CASES) {
        // Two configs per shape: different tiles, so different panel widths (tile_x) and loop orders.
        for (let n = 0; n < 2; n++) {
          const index = rng.int(1 << 30);
          const a = seeded(aShape.reduce((x, y) => x * y, 1), index);
          const b = seeded(bShape.reduce((x, y) => x * y, 1), index + 1);
          const r = await runConfig(`${op}.wasm`, [tensorArg(aShape), tensorArg(bShape)], target, index, [a, b], packed);
          if (!r.out) continue;
          ran++;
          const want = gemmReference(op, a, aShape, b, bShape);
          const i = mismatch(r.out, want);
          expect(i, `${op} ${aShape}×${bShape} config ${r.config}: [${i}] = ${r.out[i]}, expected ${want[i]}`).toBe(-1);
        }
      }
      expect(ran).toBeGreaterThanOrEqual(CASES.length);
    }, 240_000);
  }

  it('tile_order yxy (blocks of 8 row tiles outermost; row counts no block divides) matches tfjs matMul', async () => {
    const blocked = (e: ConfigEntity): boolean => e.getKnob('tile_order').val === 'yxy';
    let ran = 0;
    for (const [op, aShape, bShape] of [...CASES, ['matmul', [67, 9], [9, 12]] as Case]) {
      const index = rng.int(1 << 30);
      const a = seeded(aShape.reduce((x, y) => x * y, 1), index);
      const b = seeded(bShape.reduce((x, y) => x * y, 1), index + 1);
      const r = await runConfig(`${op}.wasm`, [tensorArg(aShape), tensorArg(bShape)], 'wasm -threads=2', index, [a, b], blocked);
      if (!r.out) continue;
      ran++;
      const want = gemmReference(op, a, aShape, b, bShape);
      const i = mismatch(r.out, want);
      expect(i, `${op} ${aShape}×${bShape} config ${r.config}: [${i}] = ${r.out[i]}, expected ${want[i]}`).toBe(-1);
    }
    expect(ran).toBeGreaterThanOrEqual(CASES.length - 1);
  }, 240_000);

  it('pack_at panel (each column panel packed inside the parallel loop, into a per-thread buffer) matches tfjs matMul', async () => {
    const atPanel = (e: ConfigEntity): boolean => e.getKnob('pack_at').val === 'panel';
    let ran = 0;
    for (const target of ['wasm -threads=2', 'wasm -threads=1 -simd=0']) {
      for (const [op, aShape, bShape] of [...CASES, ['matmul', [67, 9], [9, 12]] as Case, ['dense', [32, 40], [21, 40]] as Case]) {
        const index = rng.int(1 << 30);
        const a = seeded(aShape.reduce((x, y) => x * y, 1), index);
        const b = seeded(bShape.reduce((x, y) => x * y, 1), index + 1);
        const r = await runConfig(`${op}.wasm`, [tensorArg(aShape), tensorArg(bShape)], target, index, [a, b], atPanel);
        if (!r.out) continue;
        ran++;
        const want = gemmReference(op, a, aShape, b, bShape);
        const i = mismatch(r.out, want);
        expect(i, `${op} ${aShape}×${bShape} config ${r.config} (${target}): [${i}] = ${r.out[i]}, expected ${want[i]}`).toBe(-1);
      }
    }
    expect(ran).toBeGreaterThanOrEqual(2 * CASES.length);
  }, 240_000);

  for (const target of ['wasm -threads=2', 'wasm -threads=1 -simd=0']) {
    it(`dense: sampled configs with vec_k on match tfjs matMul (${target})`, async () => {
      let ran = 0;
      for (const [op, aShape, bShape] of DENSE_CASES) {
        for (let n = 0; n < 3; n++) {
          const index = rng.int(1 << 30);
          const a = seeded(aShape.reduce((x, y) => x * y, 1), index);
          const b = seeded(bShape.reduce((x, y) => x * y, 1), index + 1);
          const r = await runConfig(`${op}.wasm`, [tensorArg(aShape), tensorArg(bShape)], target, index, [a, b], vecK);
          if (!r.out) continue;
          ran++;
          const want = gemmReference(op, a, aShape, b, bShape);
          const i = mismatch(r.out, want);
          expect(i, `${op} ${aShape}×${bShape} config ${r.config}: [${i}] = ${r.out[i]}, expected ${want[i]}`).toBe(-1);
        }
      }
      expect(ran).toBeGreaterThanOrEqual(DENSE_CASES.length * 2);
    }, 240_000);
  }

  it('vec_k and pack_b together, and vec_k accumulator tiles over 32 vectors, are refused by the space', () => {
    const applied = applyTemplate('dense.wasm', [tensorArg([64, 256]), tensorArg([64, 256])], 'wasm');
    const space = applied.task.space;
    const data = applied.config.toData();
    const withKnobs = (over: Record<string, unknown>) => space.entityFromData({ ...data, entity: data.entity.map((e) => (e[0] in over ? [e[0], e[1], over[e[0]]] : e)) as typeof data.entity });
    const small = { tile_y: [-1, 1], tile_x: [-1, 8], tile_k: [-1, 4] }; // 8 accumulators
    const root = { pack_at: 'root' };
    expect(space.isIndexValid(withKnobs({ ...small, ...root, vec_k: true, pack_b: false }).index)).toBe(true);
    expect(space.isIndexValid(withKnobs({ ...small, ...root, vec_k: true, pack_b: true }).index)).toBe(false);
    expect(space.isIndexValid(withKnobs({ ...root, vec_k: true, pack_b: false, tile_y: [-1, 8], tile_x: [-1, 8], tile_k: [-1, 8] }).index)).toBe(false);
    expect(space.isIndexValid(withKnobs({ ...root, vec_k: false, pack_b: false, tile_y: [-1, 8], tile_x: [-1, 8], tile_k: [-1, 8] }).index)).toBe(true);
    // pack_at 'panel' packs B inside the panel loop of tile_order 'xy': refused without pack_b or with another order.
    expect(space.isIndexValid(withKnobs({ vec_k: false, pack_b: true, tile_order: 'xy', pack_at: 'panel' }).index)).toBe(true);
    expect(space.isIndexValid(withKnobs({ vec_k: false, pack_b: false, tile_order: 'xy', pack_at: 'panel' }).index)).toBe(false);
    expect(space.isIndexValid(withKnobs({ vec_k: false, pack_b: true, tile_order: 'yxy', pack_at: 'panel' }).index)).toBe(false);
    expect(space.isIndexValid(withKnobs({ vec_k: false, pack_b: true, tile_order: 'yx', pack_at: 'panel' }).index)).toBe(false);
    // matmul reads B along n: no vec_k knob (its space is unchanged by it).
    expect(applyTemplate('matmul.wasm', [tensorArg([8, 8]), tensorArg([8, 8])], 'wasm').task.space.knobNames).not.toContain('vec_k');
  });

  it('dense with pack_b or vec_k and the fused epilogue bias → relu → residual is right', async () => {
    const [M, K, N] = [19, 11, 18];
    const x = seeded(M * K, 1);
    const w = seeded(N * K, 2);
    const bias = seeded(N, 3);
    const res = seeded(M * N, 4);
    const prod = tfMatMul(x, [M, K], w, [N, K], true);
    const want = prod.map((v, i) => Math.max(v + bias[i % N]!, 0) + res[i]!);
    for (const [index, where] of [[5, packed], [4321, packed], [98765, vecK], [777, vecK]] as const) {
      const r = await runConfig('dense.wasm', [tensorArg([M, K]), tensorArg([N, K]), ['bias', 'relu', 'residual']], 'wasm -threads=2', index, [x, w, bias, res], where);
      expect(r.out, `config ${r.config} was rejected`).toBeDefined();
      const i = mismatch(r.out!, want);
      expect(i, `config ${r.config}: [${i}] = ${r.out![i]}, expected ${want[i]}`).toBe(-1);
    }
  }, 120_000);

  it('the untuned default packs B from 16 rows of A on (row tiles innermost, blocked for a large A), not for a GEMV or a single panel', () => {
    const fallbackPack = (op: Op, a: number[], b: number[]): unknown => {
      const applied = applyTemplate(`${op}.wasm`, [tensorArg(a), tensorArg(b)], 'wasm -threads=1');
      expect(applied.source).toBe('fallback');
      const pack = applied.config.getKnob('pack_b').val;
      // Packed: row tiles innermost, in blocks of 8 row tiles where A is over 2 MiB (MM-1024).
      const order = pack !== true ? 'yx' : a[0]! * a[1]! * 4 > 2 << 20 ? 'yxy' : 'xy';
      expect(applied.config.getKnob('tile_order').val).toBe(order);
      // With row tiles innermost each panel is packed where it is used (pack_at 'panel').
      expect(applied.config.getKnob('pack_at').val).toBe(order === 'xy' ? 'panel' : 'root');
      return pack;
    };
    expect(fallbackPack('matmul', [1024, 1024], [1024, 1024])).toBe(true);
    expect(fallbackPack('matmul', [32, 512], [512, 512])).toBe(true);
    expect(fallbackPack('dense', [128, 768], [3072, 768])).toBe(true);
    expect(fallbackPack('batch_matmul', [12, 128, 64], [12, 64, 128])).toBe(true);
    expect(fallbackPack('dense', [1, 1024], [1000, 1024])).toBe(false); // GEMV: the copy costs as much as the product
    const gemv = applyTemplate('dense.wasm', [tensorArg([1, 1024]), tensorArg([1000, 1024])], 'wasm -threads=1').config;
    expect(gemv.getKnob('vec_k').val).toBe(true); // … and reads W along k instead
    expect(applyTemplate('dense.wasm', [tensorArg([128, 768]), tensorArg([3072, 768])], 'wasm').config.getKnob('vec_k').val).toBe(false);
    expect(fallbackPack('matmul', [8, 64], [64, 64])).toBe(false); // too few rows to pay for the copy
    expect(fallbackPack('matmul', [64, 64], [64, 8])).toBe(false); // N is one panel already
    // Packed, an x tile of 8 over a guarded tail where no whole vector divides N (zero-padded panels); else a divisor.
    const xTile = (a: number[], b: number[]): number => applyTemplate('dense.wasm', [tensorArg(a), tensorArg(b)], 'wasm -threads=1').config.getSplit('tile_x').size[1]!;
    expect(xTile([40, 120], [6625, 120])).toBe(8);
    expect(xTile([17, 37], [30, 37])).toBe(8);
    expect(xTile([17, 37], [12, 37])).toBe(4);
    const bmm = applyTemplate('batch_matmul.wasm', [tensorArg([8, 40, 40]), tensorArg([8, 40, 15])], 'wasm -threads=1').config;
    expect(bmm.getSplit('tile_x').size[1]).toBe(1); // batched products keep the divisor (8 over a tail measured slower there)
    expect(xTile([1, 64], [6625, 64])).toBe(1); // the GEMV (vec_k, no panels) keeps the whole-vector divisor rule (none: 1)
  });

  it('the pack rewrite refuses a stage that is not a product Σ_k A·B, naming it', () => {
    const A = placeholder([4, 4], 'float32', 'A');
    const E = compute([4, 4], (i, j) => A.at(i, j).add(1), 'E');
    expect(() => packPanels(createSchedule(E), E, 4)).toThrow(/gemm pack_b: E is not a product/);
    expect(() => packPanels(createSchedule(E), E, 0)).toThrow(/panel width must be a positive integer/);
  });
});
