// ops/templates/gemm_const_b.ts — the tuning tasks of products on a model's constant weight ('dense_prepacked.wasm',
// 'matmul_prepacked.wasm', and since session 16 'batch_matmul_prepacked.wasm' for a constant B [b, K, N], which relay
// packs per batch as [b, ⌈N/bn⌉, K, bn]): the plain wasm gemm template's knobs (same order, same config indices), but a config that
// packs B reads panels made on the host before the timing, as a model build packs them once (relay's AlterDenseLayout)
// — TVM tunes dense_pack.x86 on a placeholder for the packed weight (`autotvm.GLOBAL_SCOPE.in_tuning`). A separate
// task, so a record that timed the per-call pack (the plain task, which also serves runtime weights) and one that
// did not never mix; a build looks the prepacked task up first, then the plain one (TemplateOptions.sharesSpaceWith).

import type { ConfigSpace } from '../../autotune/space.js';
import type { HostInput, TemplateFn } from '../../autotune/template.js';
import { createSchedule, type Schedule } from '../../schedule/schedule.js';
import type { Tensor } from '../../schedule/tensor.js';
import type { WorkloadArg } from '../../tuning-logs/workload_key.js';
import { packBatchedWeight, packProductWeight, type PackSource } from '../pack_weight.js';
import { scheduleRootInjective } from './anchor_templates.js';
import { scheduleGemmWasm } from './gemm_wasm.js';
import { anchorCompute, applyEpilogue } from './workloads.js';

/** A product with a constant-B (prepacked) task. */
export type ConstBTag = PackSource | 'batch_matmul';

/** The products that have a constant-B (prepacked) task: dense (W [N, K]), matmul (B [K, N]), batch_matmul (B [..., K, N]); wasm only. */
export const CONST_B_TAGS: readonly ConstBTag[] = ['dense', 'matmul', 'batch_matmul'];

/** Whether `tag` (an op tag) has a prepacked task. */
export function isConstBTag(tag: string): tag is ConstBTag {
  return (CONST_B_TAGS as readonly string[]).includes(tag);
}

/** The name of the prepacked task of product `tag` on wasm: 'dense_prepacked.wasm'. */
export function constBTemplateName(tag: ConstBTag): string {
  return `${tag}_prepacked.wasm`;
}

/**
 * The template of `tag`'s prepacked task: args [A, B] (the original shapes, as the plain task) and an optional
 * epilogue list. Returns [A, Bp, …epilogue inputs, out] where the config packs B (Bp [⌈N/bn⌉, K, bn], batched
 * [..., ⌈N/bn⌉, K, bn]; bn = tile_x's inner size), else [A, B, …, out].
 */
export function constBTemplate(tag: ConstBTag): TemplateFn {
  const fn = (cfg: ConfigSpace, ...args: unknown[]): readonly [Schedule, readonly Tensor[]] => {
    const { inputs, anchor, rest } = anchorCompute(tag, args);
    if (rest.length > 1) throw new RangeError(`template ${constBTemplateName(tag)}: ${rest.length} extra args; only an epilogue list may follow the workload`);
    const steps = rest[0] ?? [];
    if (!Array.isArray(steps)) throw new TypeError(`template ${constBTemplateName(tag)}: the epilogue must be a list of steps, got ${JSON.stringify(steps)}`);
    const { out, extra } = applyEpilogue(anchor, steps, [anchor.ndim - 1]);
    const s = createSchedule(out);
    const { packedB } = scheduleGemmWasm(cfg, s, anchor, [out], { constB: true });
    scheduleRootInjective(s);
    return [s, [inputs[0]!, packedB ?? inputs[1]!, ...extra, out]];
  };
  return fn as unknown as TemplateFn;
}

/**
 * TemplateOptions.hostInputs of `tag`'s prepacked task: with pack_b on, argument 1 (B) becomes its panels of the
 * config's tile_x (packProductWeight; batch_matmul's B [..., K, N] matrix by matrix, packBatchedWeight: zero past N);
 * otherwise nothing is made (the kernel reads B as it is). TypeError for a B that is not a tensor of the product's rank.
 */
export function constBHostInputs(tag: ConstBTag): (config: ConfigSpace, args: readonly WorkloadArg[]) => readonly HostInput[] {
  return (config, args) => {
    if (config.getKnob('pack_b').val !== true) return [];
    const b = args[1];
    const batched = tag === 'batch_matmul';
    if (!Array.isArray(b) || b[0] !== 'TENSOR' || !Array.isArray(b[1]) || (batched ? b[1].length < 2 : b[1].length !== 2)) {
      throw new TypeError(`${constBTemplateName(tag)}: argument 1 must be a ${batched ? 'tensor of rank ≥ 2' : '2-D tensor'}, got ${JSON.stringify(b)}`);
    }
    const shape = b[1] as readonly number[];
    const bn = config.getSplit('tile_x').size[1]!;
    if (batched) {
      // Leading batch dims (none for a B broadcast over A's batch) flattened: the panels of each [K, N] matrix lie one
      // after another either way.
      const [K, N] = shape.slice(-2) as [number, number];
      const batch = shape.slice(0, -2);
      const flat = [batch.reduce((p, d) => p * d, 1), K, N];
      return [{ index: 1, shape: [...batch, Math.ceil(N / bn), K, bn], make: (w) => packBatchedWeight(w, flat, bn).values }];
    }
    const [N, K] = tag === 'dense' ? [shape[0]!, shape[1]!] : [shape[1]!, shape[0]!];
    return [{ index: 1, shape: [Math.ceil(N / bn), K, bn], make: (w) => packProductWeight(w, shape, bn, tag).values }];
  };
}
