// tests/ops/gemm_const_b.test.ts — the prepacked product tasks (ops/templates/gemm_const_b.ts): the plain task's
// knob space index for index; every sampled config (each tile_x × tile_order × pack_at × vectorize with pack_b, and
// configs without it, vec_k among them) fed the host-made panels matches plain JS on odd shapes (M = 1, N no panel
// width divides, odd K) with no packing stage in the kernel; and the local runner measures them, feeding the panels.

import { beforeAll, describe, expect, it } from 'vitest';
import { localBuilder } from '../../autotune/measure/local_builder.js';
import { localRunner } from '../../autotune/measure/local_runner.js';
import { measureOption, MeasureErrorNo } from '../../autotune/measure/measure.js';
import type { ConfigEntity } from '../../autotune/space.js';
import { createTask, tensorArg, type Task } from '../../autotune/task.js';
import type { PackSource } from '../../ops/pack_weight.js';
import { registerAll } from '../../ops/register.js';
import { build } from '../../runtime/build.js';
import { array } from '../../runtime/ndarray.js';
import { lower } from '../../schedule/lower.js';
import { productMismatch, productRef, seededValues } from '../reference/plain_js.js';

type Case = readonly [PackSource, number, number, number];
const CASES: readonly Case[] = [['dense', 1, 37, 29], ['dense', 17, 33, 13], ['matmul', 5, 7, 11]];

const wShape = ([source, , K, N]: Case): number[] => (source === 'dense' ? [N, K] : [K, N]);
const taskOf = (c: Case, name: string): Task => createTask(name, [tensorArg([c[1], c[2]]), tensorArg(wShape(c))], 'wasm -threads=2');

/** One config per (pack_b, tile_x, tile_order, pack_at, vectorize, vec_k), the other knobs by a seeded draw. */
function sampledConfigs(task: Task): ConfigEntity[] {
  const byKey = new Map<string, ConfigEntity[]>();
  const vecK = task.name.startsWith('dense');
  for (let i = 0; i < task.space.length; i++) {
    if (!task.space.isIndexValid(i)) continue;
    const e = task.space.entityAt(i);
    const key = [e.getKnob('pack_b').val, e.getSplit('tile_x').size[1], e.getKnob('tile_order').val, e.getKnob('pack_at').val,
      e.getKnob('vectorize').val, vecK ? e.getKnob('vec_k').val : '-'].join('/');
    let l = byKey.get(key);
    if (l === undefined) byKey.set(key, (l = []));
    l.push(e);
  }
  let seed = task.space.length;
  return [...byKey.values()].map((l) => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return l[seed % l.length]!;
  });
}

async function runConfig(task: Task, c: Case, cfg: ConfigEntity): Promise<{ got: Float32Array; want: Float32Array; packedInput: boolean }> {
  const [source, M, K, N] = c;
  const Xv = seededValues(M * K, K);
  const Wv = seededValues(N * K, M + N);
  const { schedule, tensors } = task.instantiate(cfg);
  const made = task.hostInputs?.(cfg) ?? [];
  const w = made.length === 1 ? { values: made[0]!.make(Wv), shape: made[0]!.shape } : { values: Wv, shape: wShape(c) };
  // The kernel's second argument is what the host made (a placeholder of panels), never a stage of the kernel.
  expect(tensors[1]!.op.kind).toBe('placeholder');
  expect([...tensors[1]!.dims]).toEqual([...w.shape]);
  expect(schedule.stages.some((st) => st.op.kind === 'compute' && st.op.name.endsWith('_packed'))).toBe(false);
  const mod = await build(lower(schedule, tensors, { name: 'dense_prepacked' }), 'wasm -threads=2');
  const x = array(Xv, [M, K]);
  const wa = array(w.values, w.shape);
  const y = array(new Float32Array(M * N).fill(Number.NaN), [M, N]);
  try {
    await mod.run(x, wa, y);
    return { got: y.toArray() as Float32Array, want: productRef(Xv, Wv, M, K, N, source === 'dense' ? 'nk' : 'kn'), packedInput: made.length === 1 };
  } finally {
    x.free(); wa.free(); y.free();
    mod.dispose();
  }
}

describe('the prepacked product tasks', () => {
  beforeAll(() => registerAll());

  it('define the plain task\'s knobs: config i is the same point in both spaces (records carry over)', () => {
    for (const c of CASES) {
      const plain = taskOf(c, `${c[0]}.wasm`);
      const pre = taskOf(c, `${c[0]}_prepacked.wasm`);
      expect(pre.space.length).toBe(plain.space.length);
      expect(pre.sharesSpaceWith).toBe(`${c[0]}.wasm`);
      for (const i of [0, 1, Math.floor(plain.space.length / 3), plain.space.length - 1]) {
        expect(pre.space.entityAt(i).toData()).toEqual(plain.space.entityAt(i).toData());
        expect(pre.space.isIndexValid(i)).toBe(plain.space.isIndexValid(i));
      }
    }
  });

  for (const c of CASES) {
    it(`${c[0]} ${c.slice(1).join('×')}: every sampled config, fed the host-made panels where it packs, matches plain JS`, async () => {
      const task = taskOf(c, `${c[0]}_prepacked.wasm`);
      const configs = sampledConfigs(task);
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
    const all = sampledConfigs(task);
    const pick = (bn: number, pack: boolean): ConfigEntity => all.find((e) => e.getKnob('pack_b').val === pack && (!pack || e.getSplit('tile_x').size[1] === bn))!;
    const configs = [pick(8, true), pick(4, true), pick(2, true), pick(0, false)];
    const m = measureOption({ builder: localBuilder({ inProcess: true }), runner: localRunner({ number: 1, repeat: 1, timeout: 60 }) });
    try {
      const results = await m.measureBatch(configs.map((config) => ({ task, config })));
      expect(results.map((r) => [r.errorNo, r.errorMsg])).toEqual(configs.map(() => [MeasureErrorNo.NO_ERROR, undefined]));
      // The same kernels fed the panels of another width: the reference check catches it.
      const wrongWidth: Task = {
        ...task,
        hostInputs: (config) => task.hostInputs!(config).map((h) => ({ ...h, make: (w: Float32Array) => { const v = h.make(w); v.reverse(); return v; } })),
      };
      const bad = await m.measureBatch([{ task: wrongWidth, config: configs[0]! }]);
      expect(bad[0]!.errorNo).toBe(MeasureErrorNo.WRONG_ANSWER);
    } finally {
      await m.close();
    }
  }, 300_000);
});
