// autotune/measure/measure_types.ts — the measurement contract: inputs, results, AutoTVM error numbers,
// and the Builder/Runner interfaces every builder or runner (local, browser, remote) implements.

import type { CompiledArtifact } from '../../codegen/artifact.js';
import type { DeviceInfo } from '../../runtime/module.js';
import type { ConfigEntity } from '../space.js';
import type { Task } from '../task.js';

/** AutoTVM's error numbers, written into every tuning-log record. */
export const MeasureErrorNo = {
  NO_ERROR: 0,
  INSTANTIATION_ERROR: 1,
  COMPILE_HOST: 2,
  COMPILE_DEVICE: 3,
  RUNTIME_DEVICE: 4,
  WRONG_ANSWER: 5,
  BUILD_TIMEOUT: 6,
  RUN_TIMEOUT: 7,
  UNKNOWN_ERROR: 8,
} as const;
export type MeasureErrorNo = (typeof MeasureErrorNo)[keyof typeof MeasureErrorNo];

const ERROR_NAMES: readonly string[] = Object.keys(MeasureErrorNo);

/** 'WRONG_ANSWER' for 5, for messages and progress output. */
export function errorName(no: MeasureErrorNo): string {
  return ERROR_NAMES[no] ?? `ERROR_${String(no)}`;
}

/** One candidate: a task and one point of its config space. */
export interface MeasureInput {
  readonly task: Task;
  readonly config: ConfigEntity;
}

/** AutoTVM's MeasureResult: costs in seconds per repeat, error number, seconds spent, unix time. */
export interface MeasureResult {
  readonly costs: readonly number[];
  readonly errorNo: MeasureErrorNo;
  /** Wall seconds spent on this candidate: build plus run. */
  readonly allCost: number;
  /** Unix time in seconds when the measurement finished. */
  readonly timestamp: number;
  readonly errorMsg?: string;
  /** What the candidate ran on (the module's `info`: V8 version, SIMD, threads, or the GPU adapter). */
  readonly device?: DeviceInfo;
}

/** What a builder hands a runner: plain bytes + metadata, so it can cross threads, pages or machines. */
export interface BuildResult {
  /** Present when errorNo is NO_ERROR. */
  readonly artifact?: CompiledArtifact;
  readonly errorNo: MeasureErrorNo;
  readonly errorMsg?: string;
  /** Wall seconds the build took (or until it was given up). */
  readonly timeCost: number;
}

export interface Builder {
  /** One BuildResult per input, same order; never rejects for a bad candidate. */
  build(inputs: readonly MeasureInput[]): Promise<BuildResult[]>;
  /** Stops any workers; the builder must not be used afterwards. */
  close(): Promise<void>;
}

export interface Runner {
  /** One MeasureResult per input, same order, timing candidates one after another. */
  run(inputs: readonly MeasureInput[], builds: readonly BuildResult[]): Promise<MeasureResult[]>;
  close(): Promise<void>;
}

/** Unix time in seconds, as records store it. */
export function unixNow(): number {
  return Date.now() / 1000;
}
