// tests/ops/gemm_const_b.test.ts — the prepacked product tasks (ops/templates/gemm_const_b.ts): the plain task's
// knob space index for index; every sampled config (each tile_x × tile_order × pack_at × vectorize with pack_b, and
// configs without it, vec_k among them) fed the host-made panels matches plain JS on odd shapes (M = 1, N no panel
// width divides, odd K) with no packing stage in the kernel; and the local runner measures them, feeding the panels.

import { beforeAll, describe, expect, it } from 'vitest';
import type { ConfigEntity } from '../../autotune/space.js';
import { createTask, tensorArg, type Task } from '../../autotune/task.js';
import type { PackSource } from '../../ops/pack_weight.js';
import { registerAll } from '../../ops/register.js';
import { array } from '../../runtime/ndarray.js';
import { productMismatch, productRef, seededValues } from '../reference/plain_js.js';
import { buildPrepacked, expectMeasuredWithOwnPanels, expectSameSpace, sampledPrepackedConfigs } from './prepacked_harness.js';

type Case = readonly [PackSource, number, number, number];
const CASES: readonly Case[] = [['dense', 1, 37, 29], ['dense', 17, 33, 13], ['matmul', 5, 7, 11]];

const wShape = ([source, , K, N]: Case): number[] => (source === 'dense' ? [N, K] : [K, N]);
const taskOf = (c: Case, name: string): Task => createTask(name, [tensorArg([c[1], c[2]]), tensorArg(wShape(c))], 'wasm -threads=2');

async function runConfig(task: Task, c: Case, cfg: ConfigEntity): Promise<{ got: Float32Array; want: Float32Array; packedInput: boolean }> {
  const [source, M, K, N] = c;
  const Xv = seededValues(M * K, K);
  const Wv = seededValues(N * K, M + N);
  const { mod, weight: w, packedInput } = await buildPrepacked(task, cfg, Wv, wShape(c), 'dense_prepacked');
  const x = array(Xv, [M, K]);
  const wa = array(w.values, w.shape);
  const y = array(new Float32Array(M * N).fill(Number.NaN), [M, N]);
  try {
    await mod.run(x, wa, y);
    return { got: y.toArray() as Float32Array, want: productRef(Xv, Wv, M, K, N, source === 'dense' ? 'nk' : 'kn'), packedInput };
  } finally {
    x.free(); wa.free(); y.free();
    mod.dispose();
  }
}

describe('the prepacked product tasks', () => {
  beforeAll(() => registerAll());

  it('define the plain task\'s knobs: config i is the same point in both spaces (records carry over)', () => {
    for (const c of CASES) {
      expectSameSpace(taskOf(c, `${c[0]}_prepacked.wasm`), taskOf(c, `${c[0]}.wasm`));
    }
  });

  for (const c of CASES) {
    it(`${c[0]} ${c.slice(1).join('×')}: every sampled config, fed the host-made panels where it packs, matches plain JS`, async () => {
      const task = taskOf(c, `${c[0]}_prepacked.wasm`);
      const configs = sampledPrepackedConfigs(task, c[0] === 'dense');
      const packing = configs.filter((e) => e.getKnob('pack_b').val === true).length;
      expect(packing).toBeGreaterThanOrEqual(16);
      expect(configs.length - packing).toBeGreaterThanOrEqual(4);
      for (const cfg of configs) {
        const { got, want, packedInput } = await runConfig(task, c, cfg);
        expect(packedInput, `config ${cfg.index}`).toBe(cfg.getKnob('pack_b').val === true);
        expect(productMismatch(got, want), `config ${cfg.index} ${cfg.toString()}`).toBeUndefined();
      }
    }, 900_000);
  }
});

describe('measuring a prepacked task', () => {
  beforeAll(() => registerAll());

  it('feeds each candidate the panels of its own tile_x (checked against the reference), and a wrong panel fails the check', async () => {
    const c: Case = ['dense', 3, 19, 21];
    const task = taskOf(c, 'dense_prepacked.wasm');
    const all = sampledPrepackedConfigs(task, true);
    const pick = (bn: number, pack: boolean): ConfigEntity => all.find((e) => e.getKnob('pack_b').val === pack && (!pack || e.getSplit('tile_x').size[1] === bn))!;
    const configs = [pick(8, true), pick(4, true), pick(2, true), pick(0, false)];
    await expectMeasuredWithOwnPanels(task, configs);
  }, 300_000);
});
