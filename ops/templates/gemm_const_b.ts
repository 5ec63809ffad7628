// ops/templates/gemm_const_b.ts — the tuning tasks of products on a model's constant weight ('dense_prepacked.wasm',
// 'matmul_prepacked.wasm'): the plain wasm gemm template's knobs (same order, same config indices), but a config that
// packs B reads panels made on the host before the timing, as a model build packs them once (relay's AlterDenseLayout)
// — TVM tunes dense_pack.x86 on a placeholder for the packed weight (`autotvm.GLOBAL_SCOPE.in_tuning`). A separate
// task, so a record that timed the per-call pack (the plain task, which also serves runtime weights) and one that
// did not never mix; a build looks the prepacked task up first, then the plain one (TemplateOptions.sharesSpaceWith).

import type { ConfigSpace } from '../../autotune/space.js';
import type { HostInput, TemplateFn } from '../../autotune/template.js';
import { createSchedule, type Schedule } from '../../schedule/schedule.js';
import type { Tensor } from '../../schedule/tensor.js';
import type { WorkloadArg } from '../../tuning-logs/workload_key.js';
import { packProductWeight, type PackSource } from '../pack_weight.js';
import { scheduleRootInjective } from './anchor_templates.js';
import { scheduleGemmWasm } from './gemm_wasm.js';
import { anchorCompute, applyEpilogue } from './workloads.js';

/** The products that have a constant-B (prepacked) task: dense (W [N, K]) and matmul (B [K, N]); wasm only. */
export const CONST_B_TAGS: readonly PackSource[] = ['dense', 'matmul'];

/** The name of the prepacked task of product `tag` on wasm: 'dense_prepacked.wasm'. */
export function constBTemplateName(tag: PackSource): string {
  return `${tag}_prepacked.wasm`;
}

/**
 * The template of `tag`'s prepacked task: args [A, B] (the original shapes, as the plain task) and an optional
 * epilogue list. Returns [A, Bp, …epilogue inputs, out] where the config packs B (Bp [⌈N/bn⌉, K, bn], bn = tile_x's
 * inner size), else [A, B, …, out].
 */
export function constBTemplate(tag: PackSource): TemplateFn {
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
 * config's tile_x (packProductWeight, zero past N); otherwise nothing is made (the kernel reads B as it is).
 */
export function constBHostInputs(tag: PackSource): (config: ConfigSpace, args: readonly WorkloadArg[]) => readonly HostInput[] {
  return (config, args) => {
    if (config.getKnob('pack_b').val !== true) return [];
    const b = args[1];
    if (!Array.isArray(b) || b[0] !== 'TENSOR' || !Array.isArray(b[1]) || b[1].length !== 2) {
      throw new TypeError(`${constBTemplateName(tag)}: argument 1 must be a 2-D tensor, got ${JSON.stringify(b)}`);
    }
    const shape = b[1] as readonly number[];
    const bn = config.getSplit('tile_x').size[1]!;
    const [N, K] = tag === 'dense' ? [shape[0]!, shape[1]!] : [shape[1]!, shape[0]!];
    return [{ index: 1, shape: [Math.ceil(N / bn), K, bn], make: (w) => packProductWeight(w, shape, bn, tag).values }];
  };
}
