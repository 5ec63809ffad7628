// cli/build_args.ts — the checked arguments of `tensortune build` / `bench` (what build_run.ts
// consumes) and their conversion from commander's raw options.

import { outputOf } from './output_option.js';
import { parseLogList, parseTargetOption } from './parse.js';

export interface BuildArgs {
  readonly op?: string;
  readonly shape?: string;
  /** An entry id of the workloads file (--workload C6) instead of --shape. */
  readonly workload?: string;
  readonly workloadsFile?: string;
  /** Fused steps after the op: 'bias,relu'. */
  readonly epilogue?: string;
  readonly target: string;
  /** Logs to take configs from; empty: the shipped tophub logs. */
  readonly logs: readonly string[];
  readonly printIr: boolean;
  readonly out: string | undefined;
  readonly json: boolean;
}

export interface BenchArgs extends BuildArgs {
  readonly number: number;
  readonly repeat: number;
  readonly minRepeatMs: number;
  /** Compare the output with the untuned schedule's before timing. */
  readonly check: boolean;
  readonly seed: number;
}

export interface RawBuildOpts {
  op?: string;
  shape?: string;
  workload?: string;
  workloadsFile?: string;
  epilogue?: string;
  target: string;
  log?: string[];
  printIr?: boolean;
  /** -o/--output, or the older --out (build only). */
  output?: string;
  out?: string;
  json?: boolean;
}

export interface RawBenchOpts extends RawBuildOpts {
  number: string;
  repeat: string;
  minRepeatMs: string;
  check: boolean;
  seed: string;
}

/** Checks and converts the options of `build`; every problem is a UsageError naming the option. */
export function buildArgs(o: RawBuildOpts): BuildArgs {
  const logs = parseLogList(o.log);
  const sel = {
    ...(o.op !== undefined && o.op !== '' ? { op: o.op } : {}),
    ...(o.shape !== undefined && o.shape !== '' ? { shape: o.shape } : {}),
    ...(o.workload !== undefined ? { workload: o.workload } : {}),
    ...(o.workloadsFile !== undefined ? { workloadsFile: o.workloadsFile } : {}),
    ...(o.epilogue !== undefined ? { epilogue: o.epilogue } : {}),
  };
  return { ...sel, target: parseTargetOption(o.target), logs, printIr: o.printIr ?? false, out: outputOf(o, 'build'), json: o.json ?? false };
}
