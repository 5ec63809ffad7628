// autotune/apply_template.ts — how a build picks a template's config: the innermost dispatch context's
// record for this workload and target, else the template's fallback config with a one-time warning.

import type { Tensor } from '../schedule/tensor.js';
import { currentDispatchContext, type ConfigData, type DispatchHit, type SkippedRecord } from '../tuning-logs/dispatch_context.js';
import { configProblem } from './record_check.js';
import { workloadKey, type WorkloadArg } from '../tuning-logs/workload_key.js';
import { type ConfigEntity } from './space.js';
import { FallbackConfigEntity } from './fallback_config.js';
import { createTask, type Instantiated, type Task } from './task.js';
import { getTemplate } from './template.js';

export interface AppliedTemplate extends Instantiated {
  readonly task: Task;
  readonly config: ConfigEntity | FallbackConfigEntity;
  /** 'log': a record from the dispatch context; 'fallback': the template's defaults. */
  readonly source: 'log' | 'fallback';
  /** Set when the record was taken from another target of the same family. */
  readonly note?: string;
  /** The dispatch context's answer the config came from (file, line, record target, mean cost), when source is 'log'. */
  readonly hit?: DispatchHit;
  /** Records better than the one used (or all of them, for a fallback) that were refused, with why. */
  readonly skipped: readonly SkippedRecord[];
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
  // The CLI's --op knows only the templates that give a --shape spelling (dense, matmul); any
  // other task (a conv of a model) is tuned with its model, whose task scheduler extracts it.
  if (opts.cliShape === undefined) return `tensortune tune <model.onnx> --target '${task.target}' --log <log> (the model's tasks, this one among them)`;
  const op = opts.op ?? task.name.split('.')[0]!;
  return `tensortune tune --op ${op} --shape ${opts.cliShape(task.args)}${opts.cliFlags ?? ''} --target '${task.target}'`;
}

function whereOf(s: SkippedRecord): string {
  return s.file !== undefined ? `${s.file}:${s.line}` : `target '${s.target}'`;
}

/** "config 0 from a.jsonl:3: config.index 0 disagrees with its entity, …" for the skipped records (at most 3 shown). */
export function describeSkipped(skipped: readonly SkippedRecord[]): string {
  const shown = skipped.slice(0, 3).map((s) => `config ${s.config.index} from ${whereOf(s)}: ${s.reason}`);
  return shown.join('; ') + (skipped.length > 3 ? `; and ${skipped.length - 3} more` : '');
}

/**
 * Instantiates template `name` for a build: with the best record of the innermost dispatch
 * context (logs.applyHistoryBest) that fits the task's space — its entity names the space's knobs
 * and values and its index is that entity's (configProblem) — for this task, else for the same args of
 * the template it shares its space with (Task.sharesSpaceWith), else with the template's fallback
 * config. Warns once per task: with the command that would tune it when there is no record, and
 * naming each record passed over (file, line, why) when records were refused.
 */
export function applyTemplate(name: string, args: readonly (WorkloadArg | Tensor)[], target: string): AppliedTemplate {
  const task = createTask(name, args, target);
  const id = `${task.target}\u0000${task.workloadKey}`;
  const skipped: SkippedRecord[] = [];
  const check = (c: ConfigData): string | undefined => configProblem(task, c);
  const ctx = currentDispatchContext();
  const query = (key: string): DispatchHit | undefined => {
    const hit = ctx?.query(task.target, key, { check, onSkip: (s) => skipped.push(s) });
    // A context of another kind may ignore the check: apply it here too, so every context gets the same rule.
    const reason = hit === undefined ? undefined : check(hit.config);
    if (hit === undefined || reason === undefined) return hit;
    skipped.push({ config: hit.config, target: hit.recordTarget ?? task.target, reason, ...(hit.file !== undefined ? { file: hit.file, line: hit.line } : {}) });
    return undefined;
  };
  // This task's records first, then those of the template that shares its space (a prepacked product's plain task);
  // a record of this very target before one of another target of the family (a 'wasm -threads=1' prepacked record,
  // parallel off, must not beat the plain record tuned for 'wasm' in a 2-thread build).
  let hit = query(task.workloadKey);
  if (task.sharesSpaceWith !== undefined && (hit === undefined || hit.note !== undefined)) {
    const plain = query(workloadKey(task.sharesSpaceWith, task.args));
    if (plain !== undefined && (hit === undefined || plain.note === undefined)) hit = plain;
  }
  const what = `${task.name} (${describeArgs(task.args)}) on '${task.target}'`;
  if (hit !== undefined) {
    const config = task.space.entityFromData(hit.config);
    if (skipped.length > 0) {
      warnOnce(`${id}\u0000skipped`, `tensortune: ${what}: skipped ${skipped.length} better tuning record(s) that do not fit the template: ${describeSkipped(skipped)}; using config ${config.index}${hit.file !== undefined ? ` from ${hit.file}:${hit.line}` : ''}`);
    }
    if (hit.note) warnOnce(`${id}\u0000note`, `tensortune: ${what}: ${hit.note}`);
    return { ...task.instantiate(config), task, config, source: 'log', hit, skipped, ...(hit.note ? { note: hit.note } : {}) };
  }
  if (skipped.length > 0) {
    warnOnce(`${id}\u0000stale`, `tensortune: no usable tuning record for ${what}: ${skipped.length} record(s) do not fit the template's current space (${describeSkipped(skipped)}); ` +
      `using the default schedule. Re-tune with: ${tuneCommand(task)}`);
  } else {
    warnOnce(id, `tensortune: no tuning record for ${what}; ` +
      `using the default schedule, which may be slow. Tune it with: ${tuneCommand(task)}`);
  }
  const fallback = new FallbackConfigEntity();
  return { ...task.instantiate(fallback), task, config: fallback, source: 'fallback', skipped };
}
