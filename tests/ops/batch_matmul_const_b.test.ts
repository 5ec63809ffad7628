// tests/ops/batch_matmul_const_b.test.ts — the prepacked batched product task 'batch_matmul_prepacked.wasm'
// (ops/templates/gemm_const_b.ts, session 16): the plain batch_matmul.wasm knob space index for index; every sampled
// config (each tile_x × tile_order × pack_at × vectorize with pack_b, and configs without it) fed the host-made panels
// [b, ⌈N/bn⌉, K, bn] matches plain JS on odd shapes (M = 1, N no panel width divides, odd K, a B of batch 1 and a
// 2-D B broadcast over A's batch) with no packing stage in the kernel; the local runner feeds each candidate its own panels, and a wrong
// panel fails the reference check.

import { beforeAll, describe, expect, it } from 'vitest';
import { localBuilder } from '../../autotune/measure/local_builder.js';
import { localRunner } from '../../autotune/measure/local_runner.js';
import { measureOption, MeasureErrorNo } from '../../autotune/measure/measure.js';
import type { ConfigEntity } from '../../autotune/space.js';
import { createTask, tensorArg, type Task } from '../../autotune/task.js';
import { registerAll } from '../../ops/register.js';
import { build } from '../../runtime/build.js';
import { array } from '../../runtime/ndarray.js';
import { lower } from '../../schedule/lower.js';
import { productMismatch, productRef, seededValues } from '../reference/plain_js.js';

/** [A batch, B batch (0: B is 2-D [K, N]), M, K, N]. */
type Case = readonly [number, number, number, number, number];
const CASES: readonly Case[] = [[3, 3, 5, 7, 11], [2, 2, 1, 19, 13], [3, 1, 17, 9, 10], [2, 0, 6, 5, 9]];
const NAME = 'batch_matmul_prepacked.wasm';

const bShape = ([, bb, , K, N]: Case): number[] => (bb === 0 ? [K, N] : [bb, K, N]);
const taskOf = (c: Case, name: string): Task => createTask(name, [tensorArg([c[0], c[2], c[3]]), tensorArg(bShape(c))], 'wasm -threads=2');

/** One config per (pack_b, tile_x, tile_order, pack_at, vectorize), the other knobs by a seeded draw. */
function sampledConfigs(task: Task): ConfigEntity[] {
  const byKey = new Map<string, ConfigEntity[]>();
  for (let i = 0; i < task.space.length; i++) {
    if (!task.space.isIndexValid(i)) continue;
    const e = task.space.entityAt(i);
    const key = [e.getKnob('pack_b').val, e.getSplit('tile_x').size[1], e.getKnob('tile_order').val, e.getKnob('pack_at').val, e.getKnob('vectorize').val].join('/');
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
  const { schedule, tensors } = task.instantiate(cfg);
  const made = task.hostInputs?.(cfg) ?? [];
  const b = made.length === 1 ? { values: made[0]!.make(Bv), shape: made[0]!.shape } : { values: Bv, shape: bShape(c) };
  // The kernel's second argument is what the host made (a placeholder of panels), never a stage of the kernel.
  expect(tensors[1]!.op.kind).toBe('placeholder');
  expect([...tensors[1]!.dims]).toEqual([...b.shape]);
  expect(schedule.stages.some((st) => st.op.kind === 'compute' && st.op.name.endsWith('_packed'))).toBe(false);
  const mod = await build(lower(schedule, tensors, { name: 'batch_matmul_prepacked' }), 'wasm -threads=2');
  const x = array(Av, [ba, M, K]);
  const wa = array(b.values, b.shape);
  const y = array(new Float32Array(ba * M * N).fill(Number.NaN), [ba, M, N]);
  try {
    await mod.run(x, wa, y);
    return { got: y.toArray() as Float32Array, want: batchedRef(Av, Bv, c), packedInput: made.length === 1 };
  } finally {
    x.free(); wa.free(); y.free();
    mod.dispose();
  }
}

describe('the prepacked batch_matmul task', () => {
  beforeAll(() => registerAll());

  it("defines the plain task's knobs: config i is the same point in both spaces (records carry over)", () => {
    for (const c of CASES) {
      const plain = taskOf(c, 'batch_matmul.wasm');
      const pre = taskOf(c, NAME);
      expect(pre.space.length).toBe(plain.space.length);
      expect(pre.sharesSpaceWith).toBe('batch_matmul.wasm');
      for (const i of [0, 1, Math.floor(plain.space.length / 3), plain.space.length - 1]) {
        expect(pre.space.entityAt(i).toData()).toEqual(plain.space.entityAt(i).toData());
        expect(pre.space.isIndexValid(i)).toBe(plain.space.isIndexValid(i));
      }
    }
  });

  for (const c of CASES) {
    it(`A [${c[0]}, ${c[2]}, ${c[3]}] · B [${bShape(c).join(', ')}]: every sampled config, fed the host-made panels where it packs, matches plain JS`, async () => {
      const task = taskOf(c, NAME);
      const configs = sampledConfigs(task);
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
    const all = sampledConfigs(task);
    const pick = (bn: number, pack: boolean): ConfigEntity => all.find((e) => e.getKnob('pack_b').val === pack && (!pack || e.getSplit('tile_x').size[1] === bn))!;
    const configs = [pick(7, true), pick(3, true), pick(1, true), pick(0, false)];
    const m = measureOption({ builder: localBuilder({ inProcess: true }), runner: localRunner({ number: 1, repeat: 1, timeout: 60 }) });
    try {
      const results = await m.measureBatch(configs.map((config) => ({ task, config })));
      expect(results.map((r) => [r.errorNo, r.errorMsg])).toEqual(configs.map(() => [MeasureErrorNo.NO_ERROR, undefined]));
      // The same kernels fed the panels reversed: the reference check catches it.
      const wrong: Task = {
        ...task,
        hostInputs: (config) => task.hostInputs!(config).map((h) => ({ ...h, make: (w: Float32Array) => { const v = h.make(w); v.reverse(); return v; } })),
      };
      const bad = await m.measureBatch([{ task: wrong, config: configs[0]! }]);
      expect(bad[0]!.errorNo).toBe(MeasureErrorNo.WRONG_ANSWER);
    } finally {
      await m.close();
    }
  }, 300_000);
});
