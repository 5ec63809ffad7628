// schedule/schedule_graph.ts — the narrow view of a Schedule that the graph rewrites (cacheRead,
// cacheWrite, rfactor) need: look up, add and replace stages, record the step. Schedule
// implements it; the rewrites import only this, so schedule.ts ↔ cache.ts/rfactor.ts is no circle.

import type { Stage } from './stage.js';
import type { ComputeOp, Tensor } from './tensor.js';

export interface ScheduleGraph {
  /** Stages in creation order. */
  readonly stages: readonly Stage[];
  /** The stage of tensor T; throws when T is not part of the schedule. */
  stage(t: Tensor): Stage;
  /** Registers a stage, before `before` when given, else last. */
  addStage(stage: Stage, before?: Stage): void;
  /** Makes `stage` compute `op`; readers of the old op are rewritten to read the new one. */
  replaceOp(stage: Stage, op: ComputeOp, opts?: { reset?: boolean }): void;
  /** Records a schedule-level step as data (for printing and replay). */
  recordStep(op: string, args: Record<string, string | number | readonly string[]>): void;
}
