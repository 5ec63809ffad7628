// tests/ops/batch_matmul_const_b.test.ts — the prepacked batched product task 'batch_matmul_prepacked.wasm'
// (ops/templates/gemm_const_b.ts, session 16): the plain batch_matmul.wasm knob space index for index; every sampled
// config (each tile_x × tile_order × pack_at × vectorize with pack_b, and configs without it) fed the host-made panels
// [b, ⌈N/bn⌉, K, bn] matches plain JS on odd shapes (M = 1, N no panel width divides, odd K, a B of batch 1 and a
// 2-D B broadcast over A's batch) with no packing stage in the kernel; the local runner feeds each candidate its own panels, and a wrong
// panel fails the reference check.

import { beforeAll, describe, expect, it } from 'vitest';
import type { ConfigEntity } from '../../autotune/space.js';
import { createTask, tensorArg, type Task } from '../../autotune/task.js';
import { registerAll } from '../../ops/register.js';
import { array } from '../../runtime/ndarray.js';
import { productMismatch, productRef, seededValues } from '../reference/plain_js.js';
import { buildPrepacked, expectMeasuredWithOwnPanels, expectSameSpace, sampledPrepackedConfigs } from './prepacked_harness.js';

/** [A batch, B batch (0: B is 2-D [K, N]), M, K, N]. */
type Case = readonly [number, number, number, number, number];
const CASES: readonly Case[] = [[3, 3, 5, 7, 11], [2, 2, 1, 19, 13], [3, 1, 17, 9, 10], [2, 0, 6, 5, 9]];
const NAME = 'batch_matmul_prepacked.wasm';

const bShape = ([, bb, , K, N]: Case): number[] => (bb === 0 ? [K, N] : [bb, K, N]);
const taskOf = (c: Case, name: string): Task => createTask(name, [tensorArg([c[0], c[2], c[3]]), tensorArg(bShape(c))], 'wasm -threads=2');

/** C[t] = A[t] · B[t or 0] in plain JS (float64 sums), [ba, M, N]. */
function batchedRef(a: Float32Array, b: Float32Array, [ba, bb, M, K, N]: Case): Float32Array {
  const out = new Float32Array(ba * M * N);
  for (let t = 0; t < ba; t++) {
    const tb = bb <= 1 ? 0 : t;
    out.set(productRef(a.subarray(t * M * K, (t + 1) * M * K), b.subarray(tb * K * N, (tb + 1) * K * N), M, K, N, 'kn'), t * M * N);
  }
  return out;
}

async function runConfig(task: Task, c: Case, cfg: ConfigEntity): Promise<{ got: Float32Array; want: Float32Array; packedInput: boolean }> {
  const [ba, bb, M, K, N] = c;
  const Av = seededValues(ba * M * K, K);
  const Bv = seededValues(Math.max(bb, 1) * K * N, M + N);
  const { mod, weight: b, packedInput } = await buildPrepacked(task, cfg, Bv, bShape(c), 'batch_matmul_prepacked');
  const x = array(Av, [ba, M, K]);
  const wa = array(b.values, b.shape);
  const y = array(new Float32Array(ba * M * N).fill(Number.NaN), [ba, M, N]);
  try {
    await mod.run(x, wa, y);
    return { got: y.toArray() as Float32Array, want: batchedRef(Av, Bv, c), packedInput };
  } finally {
    x.free(); wa.free(); y.free();
    mod.dispose();
  }
}

describe('the prepacked batch_matmul task', () => {
  beforeAll(() => registerAll());

  it("defines the plain task's knobs: config i is the same point in both spaces (records carry over)", () => {
    for (const c of CASES) {
      expectSameSpace(taskOf(c, NAME), taskOf(c, 'batch_matmul.wasm'));
    }
  });

  for (const c of CASES) {
    it(`A [${c[0]}, ${c[2]}, ${c[3]}] · B [${bShape(c).join(', ')}]: every sampled config, fed the host-made panels where it packs, matches plain JS`, async () => {
      const task = taskOf(c, NAME);
      const configs = sampledPrepackedConfigs(task, false);
      const packing = configs.filter((e) => e.getKnob('pack_b').val === true).length;
      expect(packing).toBeGreaterThanOrEqual(8);
      expect(configs.length - packing).toBeGreaterThanOrEqual(2);
      // Some panel width leaves a partial last panel (zero past N).
      expect(configs.some((e) => e.getKnob('pack_b').val === true && c[4] % e.getSplit('tile_x').size[1]! !== 0)).toBe(true);
      for (const cfg of configs) {
        const { got, want, packedInput } = await runConfig(task, c, cfg);
        expect(packedInput, `config ${cfg.index}`).toBe(cfg.getKnob('pack_b').val === true);
        expect(productMismatch(got, want), `config ${cfg.index} ${cfg.toString()}`).toBeUndefined();
      }
    }, 900_000);
  }
});

describe('measuring the prepacked batch_matmul task', () => {
  beforeAll(() => registerAll());

  it('feeds each candidate the panels of its own tile_x (checked against the reference), and a wrong panel fails the check', async () => {
    const task = taskOf([2, 2, 3, 19, 21], NAME);
    const all = sampledPrepackedConfigs(task, false);
    const pick = (bn: number, pack: boolean): ConfigEntity => all.find((e) => e.getKnob('pack_b').val === pack && (!pack || e.getSplit('tile_x').size[1] === bn))!;
    const configs = [pick(7, true), pick(3, true), pick(1, true), pick(0, false)];
    await expectMeasuredWithOwnPanels(task, configs);
  }, 300_000);
});
