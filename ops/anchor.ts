// ops/anchor.ts — anchor ops (dense, matmul, convolutions) inside a fused graph: which tunable task
// schedules each one (taskOf), and scheduling it (scheduleAnchor). Minimal first version, so that
// defaultSchedule compiles and runs: taskOf names today's gemm templates, scheduleAnchor gives every
// anchor the generic reduction schedule. The ops-nn engineer owns this file and replaces it with the
// template-driven version (configs from the dispatch context, epilogue fused into the anchor's tile).

import { listTemplates } from '../autotune/template.js';
import { tensorArg } from '../autotune/task.js';
import { parseTarget, type Target } from '../target/target.js';
import type { Schedule } from '../schedule/schedule.js';
import { inputTensors, type Tensor } from '../schedule/tensor.js';
import type { WorkloadArg } from '../tuning-logs/workload_key.js';
import { scheduleInjectiveWasm, scheduleReduceWasm } from './schedule_wasm.js';
import { scheduleInjectiveWebGPU, scheduleReduceWebGPU } from './schedule_webgpu.js';
import { isAnchorTag } from './tags.js';

/** The tunable task of an anchor: template name `<op>.<target kind>` and its workload args. */
export interface AnchorTask {
  readonly template: string;
  readonly args: WorkloadArg[];
}

/** The task whose config schedules `anchor` on `target`, or undefined when no template covers it. */
export function taskOf(anchor: Tensor, target: string | Target): AnchorTask | undefined {
  const t = parseTarget(target);
  const op = anchor.op;
  if (op.kind !== 'compute' || !isAnchorTag(op.tag)) return undefined;
  const ins = inputTensors(op);
  if ((op.tag === 'dense' || op.tag === 'matmul') && ins.length === 2 && anchor.ndim === 2) {
    const template = `${op.tag}.${t.kind}`;
    if (!listTemplates().includes(template)) return undefined;
    return { template, args: ins.map((x) => tensorArg(x.dims, x.dtype)) };
  }
  return undefined;
}

/**
 * Schedules `anchor` in `s` (generic reduction schedule: parallel output rows on wasm, one thread per
 * output on WebGPU) and its epilogue outputs among `outs` (injective stages, already inlined by
 * defaultSchedule) as root injective stages.
 */
export function scheduleAnchor(s: Schedule, anchor: Tensor, outs: readonly Tensor[], target: string | Target): void {
  const t = parseTarget(target);
  const st = s.stage(anchor);
  if (st.op.kind !== 'compute' || !isAnchorTag(st.op.tag)) throw new TypeError(`scheduleAnchor: ${anchor.name} is not an anchor op`);
  if (t.kind === 'wasm') scheduleReduceWasm(st);
  else scheduleReduceWebGPU(s, st);
  for (const out of outs) {
    if (out.op === anchor.op) continue;
    const os = s.stage(out);
    if (t.kind === 'wasm') scheduleInjectiveWasm(os);
    else scheduleInjectiveWebGPU(os);
  }
}
