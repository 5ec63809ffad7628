// relay/backend/lower_function.ts — one fused (primitive) function → one kernel: its operators as
// library ops on te placeholders, ops.defaultSchedule under the build's dispatch context (anchors
// take their logged config), te.lower, compile. Reports the anchor's task and where its config came from.

import { getTemplate } from '../../autotune/template.js';
import { compile } from '../../codegen/compile.js';
import type { CompiledArtifact } from '../../codegen/artifact.js';
import * as ops from '../../ops/index.js';
import { lower } from '../../schedule/lower.js';
import { placeholder, postOrderOps, tensorOf, type Tensor } from '../../schedule/tensor.js';
import type { Target } from '../../target/index.js';
import type { ApplyHistoryBest } from '../../tuning-logs/apply_history_best.js';
import { withDispatchContext } from '../../tuning-logs/dispatch_context.js';
import { workloadKey, type WorkloadArg } from '../../tuning-logs/workload_key.js';
import { postOrder } from '../functor.js';
import type { Expr, RelayFunction } from '../nodes.js';
import { lowerCall, type LowerArg } from './lower_ops.js';

/** Which tuning record scheduled a fused function's anchor op, if it has one. */
export interface AnchorReport {
  /** Template name, e.g. 'conv2d_nchw.wasm'. */
  readonly template: string;
  readonly args: readonly WorkloadArg[];
  /** 'log' when a record was found (exact target or same family), else the template's 'fallback' config. */
  readonly source: 'log' | 'fallback';
  readonly configIndex?: number;
  /** Mean cost of the record in seconds. */
  readonly cost?: number;
  /** Where the record is: 'file.jsonl:12'. */
  readonly record?: string;
  readonly note?: string;
}

export interface LoweredKernel {
  readonly artifact: CompiledArtifact;
  readonly anchor?: AnchorReport;
}

/** The te computation of a fused function: placeholders per parameter and the output tensor. */
export function teOf(fn: RelayFunction): { params: Tensor[]; out: Tensor } {
  const params = fn.params.map((p, i) => placeholder(p.typeAnnotation.shape, p.typeAnnotation.dtype, `p${i}`));
  const env = new Map<Expr, LowerArg>();
  fn.params.forEach((p, i) => env.set(p, params[i]!));
  for (const e of postOrder(fn.body)) {
    if (e.kind === 'Constant') {
      if (e.data.shape.length !== 0) throw new Error(`relay.build: ${fn.attrs.name}: a non-scalar constant inside a fused function (FuseOps makes them parameters)`);
      env.set(e, e.data.values[0]!);
    } else if (e.kind === 'Call') {
      if (typeof e.op !== 'string') throw new Error(`relay.build: ${fn.attrs.name}: nested function calls are not supported`);
      const args = e.args.map((a) => env.get(a)!);
      try {
        env.set(e, lowerCall(e.op, args, e.attrs));
      } catch (err) {
        throw new Error(`relay.build: ${fn.attrs.name}: lowering ${e.op}${e.span ? ` (node '${e.span}')` : ''} failed: ${(err as Error).message}`);
      }
    }
  }
  const out = env.get(fn.body);
  if (out === undefined || typeof out === 'number') throw new Error(`relay.build: ${fn.attrs.name}: the body is not a tensor computation`);
  return { params, out };
}

function anchorReport(out: Tensor, target: Target, ctx: ApplyHistoryBest): AnchorReport | undefined {
  for (const op of postOrderOps([out])) {
    const task = ops.taskOf(tensorOf(op), target);
    if (task === undefined) continue;
    // As applyTemplate: the task's records, then those of the template sharing its space (a prepacked product's plain task).
    const shared = getTemplate(task.template).options.sharesSpaceWith;
    const own = ctx.lookup(target.str, workloadKey(task.template, task.args));
    const plain = shared !== undefined && own?.exact !== true ? ctx.lookup(target.str, workloadKey(shared, task.args)) : undefined;
    const hit = plain !== undefined && (own === undefined || plain.exact) ? plain : own;
    if (hit === undefined) return { template: task.template, args: task.args, source: 'fallback' };
    return {
      template: task.template, args: task.args, source: 'log', configIndex: hit.config.index,
      cost: hit.record.result[0].reduce((a, b) => a + b, 0) / Math.max(1, hit.record.result[0].length),
      ...(hit.file !== undefined ? { record: `${hit.file}:${hit.line}` } : {}),
      ...(hit.note !== undefined ? { note: hit.note } : {}),
    };
  }
  return undefined;
}

/** Lowers and compiles one fused function for `target` with the configs of `ctx`. */
export async function lowerFunction(fn: RelayFunction, target: Target, ctx: ApplyHistoryBest): Promise<LoweredKernel> {
  const name = fn.attrs.name ?? 'fused';
  return withDispatchContext(ctx, async () => {
    const { params, out } = teOf(fn);
    const s = ops.defaultSchedule([out], target);
    const f = lower(s, [...params, out], { name });
    let artifact: CompiledArtifact;
    try {
      artifact = await compile(f, target);
    } catch (err) {
      throw new Error(`relay.build: compiling ${name} for '${target.str}' failed: ${(err as Error).message}`);
    }
    const anchor = anchorReport(out, target, ctx);
    return anchor ? { artifact, anchor } : { artifact };
  });
}
