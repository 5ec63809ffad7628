// tests/ops/prepacked_harness.ts — what the prepacked product task tests share (gemm_const_b.test.ts for
// 'dense_prepacked.wasm' / 'matmul_prepacked.wasm', batch_matmul_const_b.test.ts for 'batch_matmul_prepacked.wasm'):
// a config sample per layout knob, the same-space check against the plain task, a kernel built with the host-made
// weight, and the runner's measurement fed each candidate's own panels.

import { expect } from 'vitest';
import { localBuilder } from '../../autotune/measure/local_builder.js';
import { localRunner } from '../../autotune/measure/local_runner.js';
import { measureOption, MeasureErrorNo } from '../../autotune/measure/measure.js';
import type { ConfigEntity } from '../../autotune/space.js';
import type { Task } from '../../autotune/task.js';
import { build } from '../../runtime/build.js';
import type { BuiltModule } from '../../runtime/module.js';
import { lower } from '../../schedule/lower.js';

/** One config per (pack_b, tile_x, tile_order, pack_at, vectorize[, vec_k]), the other knobs by a seeded draw. */
export function sampledPrepackedConfigs(task: Task, withVecK: boolean): ConfigEntity[] {
  const byKey = new Map<string, ConfigEntity[]>();
  for (let i = 0; i < task.space.length; i++) {
    if (!task.space.isIndexValid(i)) continue;
    const e = task.space.entityAt(i);
    const key = [e.getKnob('pack_b').val, e.getSplit('tile_x').size[1], e.getKnob('tile_order').val, e.getKnob('pack_at').val,
      e.getKnob('vectorize').val, withVecK ? e.getKnob('vec_k').val : '-'].join('/');
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

/** The prepacked task defines the plain task's knobs: config i is the same point in both spaces (records carry over). */
export function expectSameSpace(pre: Task, plain: Task): void {
  expect(pre.space.length).toBe(plain.space.length);
  expect(pre.sharesSpaceWith).toBe(plain.name);
  for (const i of [0, 1, Math.floor(plain.space.length / 3), plain.space.length - 1]) {
    expect(pre.space.entityAt(i).toData()).toEqual(plain.space.entityAt(i).toData());
    expect(pre.space.isIndexValid(i)).toBe(plain.space.isIndexValid(i));
  }
}

/**
 * Builds `cfg` of a prepacked task for 'wasm -threads=2' and gives the weight the kernel reads: the host-made panels of
 * `values` where the config packs, else `values` as they are (`shape`). Checks the kernel's weight argument is a
 * placeholder of that shape and that no packing stage is left in the kernel.
 */
export async function buildPrepacked(task: Task, cfg: ConfigEntity, values: Float32Array, shape: readonly number[], name: string):
    Promise<{ mod: BuiltModule; weight: { values: Float32Array; shape: readonly number[] }; packedInput: boolean }> {
  const { schedule, tensors } = task.instantiate(cfg);
  const made = task.hostInputs?.(cfg) ?? [];
  const weight = made.length === 1 ? { values: made[0]!.make(values), shape: made[0]!.shape } : { values, shape };
  expect(tensors[1]!.op.kind).toBe('placeholder');
  expect([...tensors[1]!.dims]).toEqual([...weight.shape]);
  expect(schedule.stages.some((st) => st.op.kind === 'compute' && st.op.name.endsWith('_packed'))).toBe(false);
  const mod = await build(lower(schedule, tensors, { name }), 'wasm -threads=2');
  return { mod, weight, packedInput: made.length === 1 };
}

/** The local runner measures `configs` (each fed its own panels, checked against the reference), and the same kernels
 * fed reversed panels are reported WRONG_ANSWER. */
export async function expectMeasuredWithOwnPanels(task: Task, configs: readonly ConfigEntity[]): Promise<void> {
  const m = measureOption({ builder: localBuilder({ inProcess: true }), runner: localRunner({ number: 1, repeat: 1, timeout: 60 }) });
  try {
    const results = await m.measureBatch(configs.map((config) => ({ task, config })));
    expect(results.map((r) => [r.errorNo, r.errorMsg])).toEqual(configs.map(() => [MeasureErrorNo.NO_ERROR, undefined]));
    const wrong: Task = {
      ...task,
      hostInputs: (config) => task.hostInputs!(config).map((h) => ({ ...h, make: (w: Float32Array) => { const v = h.make(w); v.reverse(); return v; } })),
    };
    const bad = await m.measureBatch([{ task: wrong, config: configs[0]! }]);
    expect(bad[0]!.errorNo).toBe(MeasureErrorNo.WRONG_ANSWER);
  } finally {
    await m.close();
  }
}
