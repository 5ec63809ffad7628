// relay/backend/extract_tasks.ts — autotune.extractTasks: the tunable tasks of a model, one per
// distinct anchor workload of its fused functions (TVM's autotvm.task.extract_from_program), optionally with
// the other candidate of each conv that could run either as Winograd or directly (TVM extracts every
// implementation's workload; the build then takes the faster record). Lives in relay because it needs the
// graph; the root exports it in the `autotune` namespace.

import { createTask, type Task } from '../../autotune/task.js';
import * as ops from '../../ops/index.js';
import { postOrderOps, tensorOf } from '../../schedule/tensor.js';
import { parseTarget, type Target } from '../../target/index.js';
import { workloadKey } from '../../tuning-logs/workload_key.js';
import { postOrder } from '../functor.js';
import type { IRModule } from '../nodes.js';
import type { ConvChoice, LayoutMode } from '../transform/alter_op_layout.js';
import type { TaskRef, WinogradOption } from '../transform/conv_impl.js';
import { sequential } from '../transform/pass.js';
import { buildPasses } from './build.js';
import { teOf } from './lower_function.js';

/**
 * The tuning tasks of `mod` for `target`, in the order the model first runs them, without
 * duplicates (a workload met twice is one task). Fused functions without an anchor op (pools,
 * softmax, elementwise chains) have no task: their default schedules are used.
 */
export function extractTasks(mod: IRModule, target: string | Target, opts: ExtractOptions = {}): Task[] {
  return extractWeightedTasks(mod, target, opts).map((w) => w.task);
}

export interface ExtractOptions {
  /** The layout choice of `relay.build(mod, { alterOpLayout })` (default 'auto', as the build): the same packed conv tasks. */
  readonly alterOpLayout?: boolean | LayoutMode;
  /** The Winograd choice of `relay.build(mod, { winograd })` (default 'auto': the default rule, as a build without records). */
  readonly winograd?: WinogradOption;
  /** The im2col + gemm choice of `relay.build(mod, { convGemm })` (default true, as the build). */
  readonly convGemm?: boolean;
  /**
   * With winograd 'auto', also list for every conv that could run either as Winograd or directly the task it
   * did not get, right after the one it got (TVM's extraction of every implementation), so that tuning gives
   * the build records of both and the faster one is used. Default false: only the tasks the build runs (the
   * task scheduler's latency estimate counts an alternative as if it ran too).
   */
  readonly bothCandidates?: boolean;
}

/**
 * The same tasks with their weights: how many times one inference runs each (Ansor's task
 * weights, which the task scheduler multiplies each task's latency by).
 */
export function extractWeightedTasks(mod: IRModule, target: string | Target, opts: ExtractOptions = {}): { task: Task; weight: number }[] {
  const t = parseTarget(target);
  ops.registerAll();
  // The candidate each Winograd-eligible conv did not get, by the key of the task it got.
  const others = new Map<string, Map<string, TaskRef>>();
  const onChoice = (ch: ConvChoice): void => {
    if (ch.source === 'option' || opts.bothCandidates !== true) return;
    const k = workloadKey(ch.chosen.template, ch.chosen.args);
    let m = others.get(k);
    if (m === undefined) others.set(k, (m = new Map()));
    m.set(workloadKey(ch.other.template, ch.other.args), ch.other);
  };
  // AlterDenseLayout only marks the products on constant weights (no packing): they are extracted as their prepacked
  // tasks ('dense_prepacked.wasm', timed without the pack a build does once), on the original shapes.
  const fused = sequential(buildPasses(t, opts.alterOpLayout, { winograd: opts.winograd, gemm: opts.convGemm !== false, onChoice }, 'mark'), mod).main;
  const byKey = new Map<string, { task: Task; weight: number }>();
  const add = (key: string, task: TaskRef): void => {
    const hit = byKey.get(key);
    if (hit !== undefined) hit.weight++;
    else byKey.set(key, { task: createTask(task.template, task.args, t.str), weight: 1 });
  };
  for (const e of postOrder(fused.body, false)) {
    if (e.kind !== 'Call' || typeof e.op === 'string') continue;
    const { out } = teOf(e.op);
    for (const op of postOrderOps([out])) {
      const task = ops.taskOf(tensorOf(op), t);
      if (task === undefined) continue;
      const key = workloadKey(task.template, task.args);
      add(key, task);
      for (const [k, other] of others.get(key) ?? []) add(k, other);
    }
  }
  return [...byKey.values()];
}
