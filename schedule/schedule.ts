// schedule/schedule.ts — a schedule: one Stage per operation reachable from the outputs, plus
// the primitives that rewrite the dataflow graph (cacheRead, cacheWrite, rfactor).

import type { IterVar, StorageScope } from '../tir/nodes.js';
import { cacheRead, cacheWrite } from './cache.js';
import { rfactor } from './rfactor.js';
import { Stage, type ScheduleStep } from './stage.js';
import { redirectReads } from './redirect.js';
import type { ScheduleGraph } from './schedule_graph.js';
import { inputTensors, makeComputeOp, postOrderOps, Tensor, tensorOf, type ComputeOp, type Operation } from './tensor.js';

const SCOPES: readonly StorageScope[] = ['global', 'shared', 'warp', 'local'];

export class Schedule implements ScheduleGraph {
  readonly outputs: readonly Tensor[];
  /** Stages in creation order; lowering re-derives the dataflow order from the ops. */
  readonly stages: Stage[] = [];
  private readonly byOp = new Map<Operation, Stage>();
  /** Schedule-level steps (cacheRead, cacheWrite, rfactor), as data. */
  readonly steps: ScheduleStep[] = [];

  constructor(outputs: readonly Tensor[]) {
    this.outputs = Object.freeze([...outputs]);
    const outOps = new Set(outputs.map((t) => t.op));
    for (const op of postOrderOps(outputs)) this.addStage(new Stage(op, outOps.has(op)));
  }

  /** Registers a stage (and the op it computes) with the schedule. */
  addStage(stage: Stage, before?: Stage): void {
    const at = before ? this.stages.indexOf(before) : -1;
    if (at >= 0) this.stages.splice(at, 0, stage);
    else this.stages.push(stage);
    this.byOp.set(stage.op, stage);
    this.byOp.set(stage.originOp, stage);
  }

  /**
   * Makes `stage` compute `op` from now on; every stage that read the old op is rewritten to
   * read the new one (and so on down the graph), keeping its axes and therefore its schedule.
   * `reset` also drops the stage's loop structure (the op has new axes).
   */
  replaceOp(stage: Stage, op: ComputeOp, opts: { reset?: boolean } = {}): void {
    const old = stage.op;
    if (opts.reset) stage.resetTo(op);
    else stage.op = op;
    this.byOp.set(op, stage);
    const fresh = tensorOf(op);
    for (const r of this.stages) {
      if (r === stage || r.op.kind !== 'compute') continue;
      const body = redirectReads(r.op.body, old, fresh);
      if (body !== r.op.body) {
        this.replaceOp(r, makeComputeOp(r.op.name, r.op.shape, r.op.axis, body, { tag: r.op.tag, attrs: r.op.attrs }));
      }
    }
  }

  /** The stage of tensor T (also after cacheRead/cacheWrite replaced its operation). */
  stage(t: Tensor): Stage {
    if (!(t instanceof Tensor)) throw new TypeError('schedule.stage: expected a te.Tensor');
    const st = this.byOp.get(t.op);
    if (!st) throw new Error(`schedule.stage: tensor ${t.name} is not part of this schedule (not reachable from its outputs)`);
    return st;
  }

  /** The tensor a stage currently produces (after cacheWrite/rfactor, not the user's handle). */
  outputOf(stage: Stage): Tensor {
    return tensorOf(stage.op);
  }

  /** Stages whose current op reads `stage`'s current op. */
  readersOf(stage: Stage): Stage[] {
    return this.stages.filter((s) => inputTensors(s.op).some((t) => t.op === stage.op));
  }

  recordStep(op: string, args: Record<string, string | number | readonly string[]>): void {
    this.steps.push(Object.freeze({ op, args: Object.freeze(args) }));
  }

  /** A new stage that copies T into `scope` memory; `readers` read the copy instead. */
  cacheRead(t: Tensor, scope: StorageScope, readers: readonly Tensor[]): Tensor {
    checkScope(scope, 'cacheRead', t);
    return cacheRead(this, t, scope, readers);
  }

  /** A new stage computing T's body into `scope` memory; T becomes a copy out of it. */
  cacheWrite(t: Tensor, scope: StorageScope): Tensor {
    checkScope(scope, 'cacheWrite', t);
    return cacheWrite(this, t, scope);
  }

  /** Factors the reduction of T over `axis` into a new stage (partial results indexed by it). */
  rfactor(t: Tensor, axis: IterVar): Tensor {
    return rfactor(this, t, axis);
  }
}

function checkScope(scope: StorageScope, primitive: string, t: Tensor): void {
  if (!SCOPES.includes(scope)) {
    throw new Error(`${primitive}: tensor ${t.name}: unknown storage scope '${String(scope)}' (expected ${SCOPES.join(', ')})`);
  }
}

/** A schedule for computing `outputs`, every stage at root with its default loops. */
export function createSchedule(outputs: Tensor | readonly Tensor[]): Schedule {
  const outs = Array.isArray(outputs) ? outputs : [outputs as Tensor];
  if (outs.length === 0) throw new Error('createSchedule: needs at least one output tensor');
  for (const t of outs) {
    if (!(t instanceof Tensor)) throw new TypeError('createSchedule: outputs must be te.Tensor values');
    if (t.op.kind !== 'compute') throw new Error(`createSchedule: output ${t.name} is a placeholder; outputs must be computed tensors`);
  }
  return new Schedule(outs);
}
