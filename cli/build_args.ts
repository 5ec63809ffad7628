// cli/build_args.ts — the checked arguments of `tensortune build` / `bench` (what build_run.ts
// consumes) and their conversion from commander's raw options.

import { parseLogList, parseTargetOption } from './parse.js';

export interface BuildArgs {
  readonly op: string;
  readonly shape: string;
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
  op: string;
  shape: string;
  target: string;
  log?: string[];
  printIr?: boolean;
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
  return { op: o.op, shape: o.shape, target: parseTargetOption(o.target), logs, printIr: o.printIr ?? false, out: o.out, json: o.json ?? false };
}
