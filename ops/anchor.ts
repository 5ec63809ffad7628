// ops/anchor.ts — the anchor ops of a fused graph (convolutions, dense, matmul, batch_matmul): which tunable
// task schedules each (taskOf) and scheduling it with that task's config and its fused epilogue (scheduleAnchor).

import { applyTemplate } from '../autotune/apply_template.js';
import { withTarget } from '../autotune/template.js';
import { type ConfigSpace } from '../autotune/space.js';
import { FallbackConfigEntity } from '../autotune/fallback_config.js';
import { parseTarget, type Target } from '../target/target.js';
import type { Schedule } from '../schedule/schedule.js';
import type { Tensor } from '../schedule/tensor.js';
import type { WorkloadArg } from '../tuning-logs/workload_key.js';
import { registerAll } from './register.js';
import { anchorSchedule, hasTemplate } from './templates/anchor_templates.js';
import { ANCHOR_TAGS, anchorArgs, isAnchorTag } from './templates/workloads.js';
import { constBTemplateName, isConstBTag } from './templates/gemm_const_b.js';

export { ANCHOR_TAGS, isAnchorTag };

/** Whether `t` is an anchor op with a tunable template (recognised by its op tag). */
export function isAnchor(t: Tensor): boolean {
  return t.op.kind === 'compute' && isAnchorTag(t.op.tag);
}

/**
 * The tunable task whose config schedules `anchor`: template `<tag>.<target kind>` (e.g.
 * 'conv2d_nchw.wasm'; on wasm a dense/matmul/batch_matmul on a constant weight 'dense_prepacked.wasm') and the workload args rebuilt from the attrs on the anchor's op (tensor shapes,
 * then strides/padding/… as ops/templates/workloads.ts lists). The epilogue is not part of the
 * workload: as in TVM, one record per anchor workload schedules every fused variant of it.
 * Undefined when `anchor` is not an anchor op, or has no template on that target (conv2d_NCHWc, depthwise_conv2d_NCHWc and conv2d_winograd on webgpu).
 */
export function taskOf(anchor: Tensor, target: string | Target): { template: string; args: WorkloadArg[] } | undefined {
  if (anchor.op.kind !== 'compute' || !isAnchorTag(anchor.op.tag)) return undefined;
  const kind = parseTarget(target).kind;
  if (!hasTemplate(anchor.op.tag, kind)) return undefined;
  const tag = anchor.op.tag;
  return { template: onConstantWeight(anchor) && kind === 'wasm' && isConstBTag(tag) ? constBTemplateName(tag) : `${tag}.${kind}`, args: anchorArgs(anchor) };
}

/**
 * Whether `anchor` is a dense/matmul/batch_matmul on a model's constant weight: packed at build time
 * (ops.densePack's or ops.batchMatmulPack's `packed_bn`) or marked so by relay's AlterDenseLayout (`const_b`). Its
 * task is then the prepacked one ('dense_prepacked.wasm', timed without the pack), whose build lookup falls back to
 * the plain task's records.
 */
function onConstantWeight(anchor: Tensor): boolean {
  const op = anchor.op;
  if (op.kind !== 'compute' || !isConstBTag(op.tag)) return false;
  return typeof op.attrs['packed_bn'] === 'number' || op.attrs['const_b'] === true;
}

/**
 * Schedules `anchor` inside `s` with its template's schedule, and fuses its elementwise epilogue (the
 * injective consumers up to `outs`: bias, activation, residual add) into the anchor's output tile.
 * The config is the current dispatch context's record for taskOf(anchor) (logs.applyHistoryBest /
 * logs.withDispatchContext), else the template's fallback config (with a one-time warning naming the
 * tune command). The anchor's stage must not have been scheduled yet. Throws TypeError for a tensor
 * that is not an anchor op, or an anchor without a template on that target (conv2d_NCHWc, depthwise_conv2d_NCHWc, conv2d_winograd on webgpu).
 */
export function scheduleAnchor(s: Schedule, anchor: Tensor, outs: readonly Tensor[], target: string | Target): void {
  if (anchor.op.kind !== 'compute' || !isAnchorTag(anchor.op.tag)) {
    throw new TypeError(`scheduleAnchor: ${anchor.name} is not an anchor op (tags: ${ANCHOR_TAGS.join(', ')})`);
  }
  const t = parseTarget(target);
  const task = taskOf(anchor, t);
  if (!task) throw new TypeError(`scheduleAnchor: ${anchor.op.tag} (${anchor.name}) has no ${t.kind} template (a wasm-only layout or algorithm); build it with conv2d (NCHW) for ${t.kind}`);
  registerAll();
  const applied = applyTemplate(task.template, task.args, t.str);
  const cfg: ConfigSpace = applied.source === 'log' ? applied.config : new FallbackConfigEntity();
  const schedule = anchorSchedule(anchor.op.tag, t.kind);
  withTarget(t, () => schedule(cfg, s, anchor, outs));
  if (!cfg.valid()) throw new RangeError(`scheduleAnchor: ${task.template}: the config is invalid for this workload: ${cfg.errors.join('; ')}`);
}
