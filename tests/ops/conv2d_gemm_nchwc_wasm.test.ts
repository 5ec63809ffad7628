// tests/ops/conv2d_gemm_nchwc_wasm.test.ts — the schedule of conv2d_gemm_NCHWc.wasm (ops/templates/
// conv2d_gemm_nchwc_wasm.ts, session 17: row tiles across the image's OH·OW pixels, im2col_at 'block' + im2col_block)
// where the value tests (conv2d_gemm_nchwc.test.ts) cannot see it: the knob list (the gemm's without pack_b,
// tile_order, pack_at — the weight is already panels — then im2col_at, im2col_block; adding a knob renumbers the
// configs and the TopHub records), the untuned default (convGemmNCHWcFallback), and where the im2col buffer lives
// ('block': a local buffer of im2col_block row tiles inside the parallel (n, block) loop, every oc block's panel run
// over it; 'root': the whole image's rows before it). And each im2col_block, and 'root', against the plain-JS scatter
// conv on a shape whose 35 pixels no row tile, block or k block divides.

import { beforeAll, describe, expect, it } from 'vitest';
import { setTemplateWarningSink } from '../../autotune/apply_template.js';
import type { ConfigEntity } from '../../autotune/space.js';
import { createTask, tensorArg, type Task } from '../../autotune/task.js';
import { registerAll } from '../../ops/register.js';
import { lower } from '../../schedule/lower.js';
import { print } from '../../tir/printer.js';
import { convOut, jsConv2d, mismatch, packHost, runConfig, seeded, type ConvCase } from './reference.js';

/** conv2d_gemm_NCHWc.wasm's task: data [1, C/icb, H, OW, icb], a 3×3 weight packed [O/ocb, C/icb, 3, 3, icb, ocb], pad 1. */
const taskFor = (C: number, icb: number, H: number, OW: number, O: number, ocb: number): Task => createTask('conv2d_gemm_NCHWc.wasm', [
  tensorArg([1, C / icb, H, OW, icb]), tensorArg([O / ocb, C / icb, 3, 3, icb, ocb]), [1, 1], [1, 1, 1, 1], [1, 1],
] as never, 'wasm');

/** The default config of `task` with the knobs named in `set` moved to the given option positions. */
function withKnobs(task: Task, set: Record<string, number>): ConfigEntity {
  const point = task.space.pointToKnobs(task.defaultConfig!()!.index);
  for (const [name, pos] of Object.entries(set)) point[task.space.knobNames.indexOf(name)] = pos;
  return task.space.entityAt(task.space.knobsToPoint(point));
}

/** The lowered TIR of config `e` of `task`, as lines. */
const lowered = (task: Task, e: ConfigEntity): string[] => {
  const { schedule, tensors } = task.instantiate(e);
  return print(lower(schedule, tensors, { name: 'k' })).split('\n');
};

describe('conv2d_gemm_NCHWc.wasm', () => {
  beforeAll(() => {
    registerAll();
    setTemplateWarningSink(() => undefined);
  });

  it("its knobs are the gemm's without pack_b, tile_order, pack_at (the weight is already panels), then im2col_at and im2col_block", () => {
    const { space } = taskFor(8, 4, 5, 7, 16, 4);
    expect(space.knobNames).toEqual(['tile_y', 'tile_x', 'tile_k', 'reorder', 'vectorize', 'auto_unroll_max_step', 'unroll_y', 'parallel', 'im2col_at', 'im2col_block']);
    const options = (name: string): unknown[] => (space.knobSpace(name) as unknown as { entities: { val: unknown }[] }).entities.map((e) => e.val);
    expect(options('im2col_at')).toEqual(['root', 'block']);
    expect(options('im2col_block')).toEqual([1, 2, 4, 8, 16]);
    // The space's shape (35 pixels, 4 lanes, K = 72 by the splits' 'verbose' policy; then the gemm's other knobs and
    // the im2col's two): a knob added anywhere changes it.
    expect(space.dims).toEqual([8, 3, 14, 3, 2, 3, 2, 2, 2, 5]);
  });

  it('untuned default: x tile = the oc block, im2col per block of 4 row tiles', () => {
    for (const ocb of [1, 2, 4, 8]) {
      const d = taskFor(8, 4, 5, 7, 16, ocb).defaultConfig!()!;
      expect(d.getSplit('tile_x').size, `ocb ${ocb}`).toEqual([1, ocb]);
      expect(d.getKnob('im2col_at').val, `ocb ${ocb}`).toBe('block');
      expect(d.getKnob('im2col_block').val, `ocb ${ocb}`).toBe(4);
    }
  });

  it("untuned default: row tiles of 4 of the image's OH·OW pixels; all of them under 4, a partial last tile where 4 does not divide them", () => {
    // [H, OW, tile_y] (pad 1, 3×3: OH·OW = H·OW pixels): tiles span rows (2 × 6 → 3 tiles of 4, not 2 rows of 4 + 2).
    const want: [number, number, number[]][] = [
      [1, 1, [1, 1]], [1, 2, [1, 2]], [1, 3, [1, 3]], [1, 4, [1, 4]], [2, 2, [1, 4]], [2, 6, [3, 4]], [4, 4, [4, 4]],
      [1, 5, [2, 4]], [1, 7, [2, 4]], [3, 3, [3, 4]], [5, 7, [9, 4]], [7, 7, [13, 4]], [1, 13, [4, 4]],
    ];
    for (const [H, OW, size] of want) expect(taskFor(8, 4, H, OW, 8, 4).defaultConfig!()!.getSplit('tile_y').size, `${H} × ${OW}`).toEqual(size);
  });

  it('untuned default: k blocks of the largest divisor of K = C·9 up to 64', () => {
    // [C, icb, k block]: K = 72 → 36, 144 → 48, 576 → 64, 36 → 36, 27 → 27 (icb 1), 45 → 45, 108 → 54.
    for (const [C, icb, want] of [[8, 4, 36], [16, 8, 48], [64, 8, 64], [4, 4, 36], [3, 1, 27], [5, 1, 45], [12, 4, 54]] as const) {
      expect(taskFor(C, icb, 5, 7, 8, 4).defaultConfig!()!.getSplit('tile_k').size, `C ${C}`).toEqual([C * 9 / want, want]);
    }
  });

  it("im2col_at 'block': a local buffer of im2col_block row tiles inside the parallel loop, the oc blocks inside it; 'root': the image's rows before it", () => {
    // 35 pixels × K = 72 (8 channels × 9 taps); the default's row tile is 4 pixels, parallel on.
    const task = taskFor(8, 4, 5, 7, 16, 4);
    const at = task.space.knobNames.indexOf('im2col_at');
    expect(at).toBeGreaterThanOrEqual(0);
    for (const [blockPos, tiles] of [[0, 1], [1, 2], [2, 4], [3, 8]] as const) {
      const lines = lowered(task, withKnobs(task, { im2col_at: 1, im2col_block: blockPos }));
      const parallel = lines.findIndex((l) => l.includes('# parallel'));
      const alloc = lines.findIndex((l) => l.trim().includes('allocate data_im2col:'));
      const ob = lines.findIndex((l) => l.trim().startsWith('for ob in'));
      expect(lines[alloc]?.trim().replace(/^with /, '').replace(/:$/, ''), `block ${tiles}`).toBe(`allocate data_im2col: float32[${tiles * 4 * 72}], scope="local"`);
      // The oc blocks' panels run over the block's rows, after they are copied.
      expect(ob, `block ${tiles}`).toBeGreaterThan(alloc);
      // The 9 row tiles (8 of 4 pixels, one of 3) in blocks: a parallel loop over the full blocks (8, 4, 2; the one
      // block of 8 is no loop), the partial block after it.
      if (tiles === 8) {
        expect(parallel, `block ${tiles}`).toBe(-1);
        continue;
      }
      expect(lines[parallel]?.trim(), `block ${tiles}`).toMatch(new RegExp(`^for \\w+ in range\\(0, ${8 / tiles}\\):  # parallel$`));
      expect(alloc, `block ${tiles}`).toBeGreaterThan(parallel);
    }
    const root = lowered(task, withKnobs(task, { im2col_at: 0 }));
    const parallel = root.findIndex((l) => l.includes('# parallel'));
    const alloc = root.findIndex((l) => l.trim().startsWith('allocate data_im2col:'));
    expect(root[alloc]?.trim()).toBe('allocate data_im2col: float32[2520]');
    expect(alloc).toBeLessThan(parallel);
    // At root the copy is its own parallel loop over the image's pixels, then the product's over (n, ob).
    expect(root.filter((l) => l.includes('# parallel')).map((l) => l.trim())).toEqual(['for n_p_fused in range(0, 35):  # parallel', 'for n_ob_fused in range(0, 4):  # parallel']);
  });

  it("each im2col_block and 'root' match the plain-JS scatter conv where no tile divides (35 pixels, row tiles of 2 and 8, K = 45)", async () => {
    // 5 channels (icb 1: K = 45, the default's k block 45), 5 × 7 output, 6 outputs in blocks of 2.
    const c: ConvCase = { N: 1, C: 5, H: 5, W: 7, O: 6, KH: 3, KW: 3, strides: [1, 1], padding: [1, 1, 1, 1], dilation: [1, 1], groups: 1 };
    const [icb, ocb] = [1, 2];
    const task = taskFor(c.C, icb, c.H, c.W, c.O, ocb);
    const x = seeded(c.C * c.H * c.W, 181);
    const w = seeded(c.O * c.C * 9, 182);
    // OIHW → [O/ocb, C/icb, 3, 3, icb, ocb]: each packed index read back to its (o, ch, y, x) here.
    const wp = Float32Array.from({ length: w.length }, (_, i) => {
      const oi = i % ocb;
      const ci = Math.floor(i / ocb) % icb;
      const tap = Math.floor(i / (ocb * icb)) % 9;
      const cb = Math.floor(i / (ocb * icb * 9)) % (c.C / icb);
      const ob = Math.floor(i / (ocb * icb * 9 * (c.C / icb)));
      return w[((ob * ocb + oi) * c.C + cb * icb + ci) * 9 + tap]!;
    });
    const [OH, OW] = convOut(c);
    const want = packHost(jsConv2d(x, w, c), [1, c.O, OH, OW], ocb);
    const tileY = (t: number): number => (task.space.knobSpace('tile_y') as unknown as { entities: { size: number[] }[] }).entities.findIndex((e) => e.size[1] === t);
    const [t2, t8] = [tileY(2), tileY(8)];
    expect(Math.min(t2, t8)).toBeGreaterThanOrEqual(0);
    // Row tiles of 2 (18 tiles: blocks of 1–16, partial but for 1) and of 8 (5 tiles, the last of 3 pixels).
    const configs: Record<string, number>[] = [0, 1, 2, 3, 4].map((b) => ({ tile_y: t2, im2col_at: 1, im2col_block: b }));
    configs.push({ tile_y: t8, im2col_at: 1, im2col_block: 1 }, { tile_y: t8, im2col_at: 0 }, { tile_y: t2, im2col_at: 0 }, {});
    for (const set of configs) {
      const e = withKnobs(task, set);
      expect(task.space.isIndexValid(e.index), JSON.stringify(set)).toBe(true);
      const r = await runConfig('conv2d_gemm_NCHWc.wasm', task.args, 'wasm', e.index, [packHost(x, [1, c.C, c.H, c.W], icb), wp]);
      expect(r.config, JSON.stringify(set)).toBe(e.toString());
      const i = mismatch(r.out!, want, 1e-4);
      expect(i, `${r.config}: y[${i}] = ${r.out![i]}, expected ${want[i]}`).toBe(-1);
    }
  }, 300_000);
});
