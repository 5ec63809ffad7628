// schedule/index.ts — the `te` namespace: tensor expressions, schedules and lowering to TIR.

export { Expr, type ExprLike, cast, select, ifThenElse, exp, log, sqrt, rsqrt, tanh, sigmoid, erf, floor, ceil, abs, pow,
  floordiv, floormod, maximum, minimum, all, constValue as const, wrap } from './expr.js';
export { Tensor, placeholder, compute, reduceAxis, type ComputeOp, type PlaceholderOp, type Operation,
  type ComputeOptions, postOrderOps, inputTensors } from './tensor.js';
export { sum, prod, max, min } from './reduce.js';
export { flopCount, opFlops } from './flops.js';
export { Stage, type PragmaName, type ScheduleStep, type Relation, type SplitRelation, type FuseRelation, type Attach, type IterAttr } from './stage.js';
export { Schedule, createSchedule } from './schedule.js';
export { scheduleOps } from './schedule_ops.js';
export { lower, type LowerOptions, type LoweredWithTrace } from './lower.js';
export type { LowerStep } from '../tir/pipeline.js';
