// autotune/record_check.ts — does a logged config describe a point of its template's space? The one
// rule builds (applyTemplate), `logs validate`, `logs best` and resumed tuning share.

import type { ConfigData } from '../tuning-logs/dispatch_context.js';
import { recordWorkloadKey, type LogRecord } from '../tuning-logs/record.js';
import { createTask, type Task } from './task.js';
import { listTemplates } from './template.js';

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Why `config` (a record's "config" field) cannot be used for `task`, or undefined when it can:
 * its entity must name exactly the space's knobs with values the space has, and its index must be
 * the index of that entity. A record whose index disagrees with its entity (an edited log, or a
 * template whose knob order changed) is refused rather than trusted either way.
 */
export function configProblem(task: Task, config: ConfigData): string | undefined {
  let index: number;
  try {
    index = task.space.entityFromData(config).index;
  } catch (e) {
    return `its entity does not fit the space of template '${task.name}' (${message(e)})`;
  }
  if (index !== config.index) {
    return `config.index ${config.index} disagrees with its entity, which is config ${index} of template '${task.name}' (space of ${task.space.length})`;
  }
  return undefined;
}

/**
 * A check of whole records against the templates registered now (call ops.registerAll() first):
 * undefined for a record that fits, or for one of a template this process does not have (another
 * tool's record cannot be checked, and counts as AutoTVM would count it); else why it does not fit.
 * Tasks are created once per (target, workload) and cached by the returned function.
 */
export function recordChecker(): (r: LogRecord) => string | undefined {
  const known = new Set(listTemplates());
  const tasks = new Map<string, Task | string>();
  return (r) => {
    const name = r.input[1];
    if (!known.has(name)) return undefined;
    const key = JSON.stringify([r.input[0], recordWorkloadKey(r)]);
    let t = tasks.get(key);
    if (t === undefined) {
      try {
        t = createTask(name, r.input[2], r.input[0]);
      } catch (e) {
        t = `its task does not fit template '${name}' (${message(e)})`;
      }
      tasks.set(key, t);
    }
    return typeof t === 'string' ? t : configProblem(t, r.config);
  };
}
