// cli/tune_args.ts — the checked arguments of `tensortune tune` (what tune_run.ts consumes), the
// tuner and feature choices, and their conversion from commander's raw options.

import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { UsageError } from './errors.js';
import { oneOf, parseIntOption, parseTargetOption } from './parse.js';
import { processCpuTimerRefusal } from '../runtime/time_evaluator.js';
import { parseRooflineStop } from './roofline_option.js';

export const TUNERS = ['xgb', 'ga', 'random', 'grid'] as const;
/** What a measurement reads (LocalRunnerOptions.timer). */
export const TIMERS = ['wall', 'process-cpu'] as const;
export type TunerKind = (typeof TUNERS)[number];
export const FEATURE_TYPES = ['itervar', 'itervar-flat', 'knob', 'curve'] as const;
export type FeatureKind = (typeof FEATURE_TYPES)[number];

export interface TuneArgs {
  readonly op?: string;
  readonly shape?: string;
  /** An entry id of the workloads file (--workload C6) instead of --shape. */
  readonly workload?: string;
  readonly workloadsFile?: string;
  /** Fused steps after the op: 'bias,relu'. */
  readonly epilogue?: string;
  /** --const-b: the product's prepacked task (B a model's constant weight, packed at build time; not timed). */
  readonly constB?: boolean;
  readonly target: string;
  readonly trials: number;
  readonly tuner: TunerKind;
  /** Features of the xgb tuner's cost model (AutoTVM's feature_type). */
  readonly featureType: FeatureKind;
  readonly log: string;
  readonly resume: boolean;
  readonly earlyStopping: number | undefined;
  readonly seed: number;
  readonly json: boolean;
  readonly quiet: boolean;
  /** Configs per batch (built in parallel, then timed one by one); default: the measurer's parallelism. */
  readonly batch: number | undefined;
  readonly number: number;
  readonly repeat: number;
  readonly minRepeatMs: number;
  /** Seconds per build and per run before the candidate counts as a timeout. */
  readonly timeout: number;
  /** 'wall' (default) or 'process-cpu' (`wasm -threads=1`, or WebGPU on lavapipe): what a measurement reads. */
  readonly timer: (typeof TIMERS)[number];
  /** --warm-start default[,<log.jsonl>…]: measure the default first (`default`) and the best configs of these logs. */
  readonly warmStart?: { readonly default: boolean; readonly logs: readonly string[] };
  /** --plan-size: configs per xgb plan (the model is refitted every planSize results; AutoTVM 64). */
  readonly planSize?: number;
  /** --mutation-share: share of each xgb plan that mutates the incumbent (ModelBasedTunerOptions.mutationShare). */
  readonly mutationShare?: number;
  /** --roofline-stop: a task is done once its best reaches this share of its roofline bound (autotune/roofline/). */
  readonly rooflineStop?: number;
  /** --remeasure-peak: measure the machine's peak again instead of reading its cache. */
  readonly remeasurePeak?: boolean;
}

export interface RawTuneOpts {
  op?: string;
  shape?: string;
  workload?: string;
  workloadsFile?: string;
  epilogue?: string;
  constB?: boolean;
  target: string;
  trials: string;
  tuner: string;
  featureType: string;
  /** -o/--output (tvmc's name) or --log: the same option. */
  output?: string;
  log?: string;
  resume?: boolean;
  earlyStopping?: string;
  seed: string;
  json?: boolean;
  quiet?: boolean;
  batch?: string;
  number: string;
  repeat: string;
  minRepeatMs: string;
  timeout: string;
  timer?: string;
  warmStart?: string;
  planSize?: string;
  mutationShare?: string;
  rooflineStop?: string;
  remeasurePeak?: boolean;
}

/**
 * `--warm-start default,a.jsonl,b.jsonl`: the word `default` (the template's default config first) and/or
 * tuning logs whose best configs are measured next; each log must exist. Without `default` the default
 * config is left to the search.
 */
export function parseWarmStart(v: string): { default: boolean; logs: string[] } {
  const items = v.split(',').map((x) => x.trim()).filter((x) => x !== '');
  if (items.length === 0) throw new UsageError(`--warm-start '${v}': expected 'default' and/or tuning logs, comma-separated (default,old.jsonl)`);
  const logs = items.filter((x) => x !== 'default');
  for (const f of logs) if (!existsSync(f)) throw new UsageError(`--warm-start: log '${f}' does not exist (give 'default' and/or existing tuning logs, comma-separated)`);
  return { default: items.includes('default'), logs };
}

function parseShare(v: string): number {
  const x = Number(v);
  if (v.trim() === '' || !(x >= 0 && x <= 1)) throw new UsageError(`--mutation-share '${v}': expected a number from 0 to 1 (the share of each xgb plan)`);
  return x;
}

/** Checks and converts the options; every problem is a UsageError naming the option. */
export function tuneArgs(o: RawTuneOpts): TuneArgs {
  const timeout = Number(o.timeout);
  if (!(timeout > 0)) throw new UsageError(`--timeout '${o.timeout}': expected a positive number of seconds`);
  if (o.output !== undefined && o.log !== undefined && o.output !== o.log) {
    throw new UsageError(`-o/--output '${o.output}' and --log '${o.log}' disagree: they name the same tuning log; give one`);
  }
  const log = o.output ?? o.log;
  if (log === undefined) throw new UsageError("required option '-o, --output <file>' (or --log <file>) not specified: the tuning log to append to");
  if (!existsSync(dirname(log))) throw new UsageError(`--log '${log}': folder '${dirname(log)}' does not exist`);
  const target = parseTargetOption(o.target);
  const timer = oneOf(o.timer ?? 'wall', TIMERS, '--timer');
  const refusal = timer === 'process-cpu' ? processCpuTimerRefusal(target) : undefined;
  if (refusal !== undefined) {
    throw new UsageError(`--timer process-cpu: only for targets 'wasm -threads=1' and 'webgpu' on lavapipe (-device=llvmpipe); '${target}': ${refusal}`);
  }
  if (o.remeasurePeak === true && o.rooflineStop === undefined) throw new UsageError('--remeasure-peak measures the peak --roofline-stop uses; give --roofline-stop <fraction> with it');
  return {
    ...(o.op !== undefined && o.op !== '' ? { op: o.op } : {}),
    ...(o.shape !== undefined && o.shape !== '' ? { shape: o.shape } : {}),
    ...(o.workload !== undefined ? { workload: o.workload } : {}),
    ...(o.workloadsFile !== undefined ? { workloadsFile: o.workloadsFile } : {}),
    ...(o.epilogue !== undefined ? { epilogue: o.epilogue } : {}),
    ...(o.constB === true ? { constB: true } : {}),
    target,
    trials: parseIntOption(o.trials, '--trials', 1),
    tuner: oneOf(o.tuner, TUNERS, '--tuner'),
    featureType: oneOf(o.featureType, FEATURE_TYPES, '--feature-type'),
    log,
    resume: o.resume ?? false,
    earlyStopping: o.earlyStopping === undefined ? undefined : parseIntOption(o.earlyStopping, '--early-stopping', 1),
    seed: parseIntOption(o.seed, '--seed', 0),
    json: o.json ?? false,
    quiet: o.quiet ?? false,
    batch: o.batch === undefined ? undefined : parseIntOption(o.batch, '--batch', 1),
    number: parseIntOption(o.number, '--number', 1),
    repeat: parseIntOption(o.repeat, '--repeat', 1),
    minRepeatMs: parseIntOption(o.minRepeatMs, '--min-repeat-ms', 0),
    timeout,
    timer,
    ...(o.warmStart !== undefined ? { warmStart: parseWarmStart(o.warmStart) } : {}),
    ...(o.planSize !== undefined ? { planSize: parseIntOption(o.planSize, '--plan-size', 1) } : {}),
    ...(o.mutationShare !== undefined ? { mutationShare: parseShare(o.mutationShare) } : {}),
    ...(o.rooflineStop !== undefined ? { rooflineStop: parseRooflineStop(o.rooflineStop) } : {}),
    ...(o.remeasurePeak === true ? { remeasurePeak: true } : {}),
  };
}
