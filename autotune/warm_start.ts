// autotune/warm_start.ts — the configs a warm-started tuning job measures first: the template's default
// config, then the best configs of earlier logs transferred to this task (AutoTVM's load_history feeds a
// tuner records of other tasks of the template; Ansor seeds its evolutionary search with the measured best).

import { groupKey } from '../tuning-logs/task_key.js';
import { meanCost, type LogRecord } from '../tuning-logs/record.js';
import type { ConfigEntity } from './space.js';
import type { Task } from './task.js';

/** How a job is warm-started (TuneOptions.warmStart). */
export interface WarmStartOptions {
  /**
   * Earlier records, of any task and target: those of this task's template whose config is a valid point of
   * this task's space are transferred (decoded knob by knob in this space, their logged index ignored, since
   * another workload's space numbers its configs differently); the rest are skipped and counted.
   */
  readonly records?: readonly LogRecord[];
  /** At most this many transferred configs are measured (default 8: a small first plan, as XGBTuner's plan_size start). */
  readonly top?: number;
}

/** What warmStartConfigs made of the options; the counts are reported by tune() (TuneSummary.warmStart). */
export interface WarmStartPlan {
  /** The configs to measure first, in order, distinct: the default (when asked), then the transferred bests. */
  readonly configs: readonly ConfigEntity[];
  /** Configs taken from the records (the default not counted). */
  readonly transferred: number;
  /** Successful records of another template (task name), skipped. */
  readonly otherTemplate: number;
  /** Successful records of this template whose config is not a valid point of this space (a knob or value it lacks, or rejected by its multiFilter). */
  readonly invalid: number;
}

/**
 * The warm-start configs of `task`: `defaultConfig` first when given, then up to `top` configs from the
 * successful records of the same template (or of the template it shares its space with, Task.sharesSpaceWith). Records are ranked within their own task (a task is a target and
 * workload) by mean cost, and taken rank by rank across tasks — every earlier task's best before any second
 * best — ties by cost; a config already taken (the default, or the same point from another task) is not
 * repeated. Failed records (errorNo ≠ 0) are ignored, not counted: they are no one's best.
 * Throws RangeError for a `top` that is not a non-negative integer.
 */
export function warmStartConfigs(task: Task, defaultConfig: ConfigEntity | undefined, opts: WarmStartOptions = {}): WarmStartPlan {
  const top = opts.top ?? 8;
  if (!Number.isInteger(top) || top < 0) throw new RangeError(`warmStart.top must be a non-negative integer, got ${String(top)}`);
  const configs: ConfigEntity[] = [];
  const taken = new Set<number>();
  if (defaultConfig !== undefined && task.space.isIndexValid(defaultConfig.index)) {
    configs.push(defaultConfig);
    taken.add(defaultConfig.index);
  }
  let otherTemplate = 0;
  let invalid = 0;
  const byTask = new Map<string, { cost: number; config: ConfigEntity }[]>();
  for (const r of opts.records ?? []) {
    const cost = meanCost(r);
    if (!Number.isFinite(cost)) continue;
    // A prepacked product's plain task defines the same knobs: its records are configs of this space too.
    if (r.input[1] !== task.name && r.input[1] !== task.sharesSpaceWith) { otherTemplate++; continue; }
    let config: ConfigEntity;
    try {
      config = task.space.entityFromData(r.config);
    } catch {
      invalid++;
      continue;
    }
    if (!task.space.isIndexValid(config.index)) { invalid++; continue; }
    const key = groupKey(r);
    const list = byTask.get(key) ?? [];
    list.push({ cost, config });
    byTask.set(key, list);
  }
  const ranked = [...byTask.values()].flatMap((list) => list.sort((a, b) => a.cost - b.cost).map((e, rank) => ({ ...e, rank })));
  ranked.sort((a, b) => a.rank - b.rank || a.cost - b.cost);
  let transferred = 0;
  for (const e of ranked) {
    if (transferred >= top) break;
    if (taken.has(e.config.index)) continue;
    taken.add(e.config.index);
    configs.push(e.config);
    transferred++;
  }
  return { configs, transferred, otherTemplate, invalid };
}
