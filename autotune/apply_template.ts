// autotune/apply_template.ts — how a build picks a template's config: the innermost dispatch context's
// record for this workload and target, else the template's fallback config with a one-time warning.

import type { Tensor } from '../schedule/tensor.js';
import { currentDispatchContext } from '../tuning-logs/dispatch_context.js';
import type { WorkloadArg } from '../tuning-logs/workload_key.js';
import { FallbackConfigEntity, type ConfigEntity } from './space.js';
import { createTask, type Instantiated, type Task } from './task.js';
import { getTemplate } from './template.js';

export interface AppliedTemplate extends Instantiated {
  readonly task: Task;
  readonly config: ConfigEntity | FallbackConfigEntity;
  /** 'log': a record from the dispatch context; 'fallback': the template's defaults. */
  readonly source: 'log' | 'fallback';
  /** Set when the record was taken from another target of the same family. */
  readonly note?: string;
}

/** Where warnings go; tests and the CLI may redirect them. */
export type WarningSink = (message: string) => void;
let sink: WarningSink = (m) => console.warn(m);
const warned = new Set<string>();

/** Redirects applyTemplate's warnings (undefined restores console.warn); returns the previous sink. */
export function setTemplateWarningSink(s: WarningSink | undefined): WarningSink {
  const prev = sink;
  sink = s ?? ((m) => console.warn(m));
  return prev;
}

/** Forgets which tasks were already warned about (each warns once per process otherwise). */
export function resetTemplateWarnings(): void {
  warned.clear();
}

function warnOnce(key: string, message: string): void {
  if (warned.has(key)) return;
  warned.add(key);
  sink(message);
}

function describeArgs(args: readonly WorkloadArg[]): string {
  return args.map((a) => (Array.isArray(a) && a[0] === 'TENSOR' ? `${(a[1] as number[]).join('x')} ${String(a[2])}` : JSON.stringify(a))).join(', ');
}

/** The `tensortune tune …` command that would tune this task. */
export function tuneCommand(task: Task): string {
  const opts = getTemplate(task.name).options;
  const op = opts.op ?? task.name.split('.')[0]!;
  const shape = opts.cliShape ? opts.cliShape(task.args) : task.args
    .flatMap((a) => (Array.isArray(a) && a[0] === 'TENSOR' ? [(a[1] as number[]).join('x')] : []))
    .join(',');
  return `tensortune tune --op ${op} --shape ${shape} --target '${task.target}'`;
}

/**
 * Instantiates template `name` for a build: with the best record of the innermost dispatch
 * context (logs.applyHistoryBest) when it has one for this workload and target, else with the
 * template's fallback config, warning once per task with the command that would tune it.
 */
export function applyTemplate(name: string, args: readonly (WorkloadArg | Tensor)[], target: string): AppliedTemplate {
  const task = createTask(name, args, target);
  const id = `${task.target}\u0000${task.workloadKey}`;
  const hit = currentDispatchContext()?.query(task.target, task.workloadKey);
  if (hit) {
    let config: ConfigEntity | undefined;
    try {
      config = task.space.entityFromData(hit.config);
    } catch (e) {
      warnOnce(`${id}\u0000stale`, `tensortune: the tuning record for ${task.name} (${describeArgs(task.args)}) on '${task.target}' ` +
        `does not fit the template's current space (${e instanceof Error ? e.message : String(e)}); using the default schedule. ` +
        `Re-tune with: ${tuneCommand(task)}`);
    }
    if (config) {
      if (hit.note) warnOnce(`${id}\u0000note`, `tensortune: ${task.name} (${describeArgs(task.args)}) on '${task.target}': ${hit.note}`);
      return { ...task.instantiate(config), task, config, source: 'log', ...(hit.note ? { note: hit.note } : {}) };
    }
  } else {
    warnOnce(id, `tensortune: no tuning record for ${task.name} (${describeArgs(task.args)}) on '${task.target}'; ` +
      `using the default schedule, which may be slow. Tune it with: ${tuneCommand(task)}`);
  }
  const fallback = new FallbackConfigEntity();
  return { ...task.instantiate(fallback), task, config: fallback, source: 'fallback' };
}
