// tuning-logs/record.ts — one tuning-log record in AutoTVM's JSON-lines layout: type, encode, decode.

import { cpus } from 'node:os';
import type { ConfigData } from './dispatch_context.js';
import { workloadKey, type WorkloadArg } from './workload_key.js';

/** AutoTVM's log format version; TVM v0.19 writes and reads 0.2. */
export const LOG_VERSION = 0.2;
/** The package version (package.json's; a test keeps them equal). */
export const VERSION = '0.1.0';
/** What records write as `tvm_version`. */
export const TOOL_VERSION = `tensortune-${VERSION}`;

/** What a record was measured on. An extra field: AutoTVM readers ignore unknown keys. */
export type DeviceFingerprint = Readonly<Record<string, string | number | boolean>>;

/** Exactly the JSON object of one line, field for field. */
export interface LogRecord {
  /** [target, task name, args, kwargs] */
  readonly input: readonly [string, string, readonly WorkloadArg[], Readonly<Record<string, unknown>>];
  readonly config: ConfigData;
  /** [costs in seconds, error number, total seconds spent, unix timestamp in seconds] */
  readonly result: readonly [readonly number[], number, number, number];
  readonly version: number;
  readonly tvm_version: string;
  readonly device?: DeviceFingerprint;
}

/** AutoTVM writes (1e9,) as the costs of a failed measurement; we do the same so readers agree. */
export const ERROR_COST = 1e9;

export interface MakeRecordOptions {
  readonly target: string;
  readonly taskName: string;
  readonly args: readonly WorkloadArg[];
  readonly kwargs?: Readonly<Record<string, unknown>>;
  readonly config: ConfigData;
  readonly costs: readonly number[];
  readonly errorNo: number;
  readonly allCost: number;
  /** Unix time in seconds (AutoTVM's unit), not milliseconds. */
  readonly timestamp: number;
  readonly device?: DeviceFingerprint;
}

/** Builds a checked record; a failed measurement gets AutoTVM's [1e9] costs. */
export function makeRecord(o: MakeRecordOptions): LogRecord {
  const costs = o.errorNo === 0 ? [...o.costs] : [ERROR_COST];
  const r: LogRecord = {
    input: [o.target, o.taskName, o.args, o.kwargs ?? {}],
    config: o.config,
    result: [costs, o.errorNo, o.allCost, o.timestamp],
    version: LOG_VERSION,
    tvm_version: TOOL_VERSION,
    ...(o.device !== undefined ? { device: o.device } : {}),
  };
  checkRecord(r);
  return r;
}

/** The measured side as autotune reports it (structural: tuning-logs must not import autotune). */
export interface ResultLike {
  readonly costs: readonly number[];
  readonly errorNo: number;
  readonly allCost: number;
  readonly timestamp: number;
}

/** The input side as autotune has it: a task (name, args, canonical target) and a config. */
export interface InputLike {
  readonly task: { readonly name: string; readonly args: readonly WorkloadArg[]; readonly target: string };
  readonly config: ConfigData | { toData(): ConfigData };
}

/** Turns a (MeasureInput, MeasureResult) pair into a record, as AutoTVM's `encode(inp, res)`. */
export function toLogRecord(input: InputLike, result: ResultLike, device?: DeviceFingerprint): LogRecord {
  const config = 'toData' in input.config ? input.config.toData() : input.config;
  return makeRecord({
    target: input.task.target,
    taskName: input.task.name,
    args: input.task.args,
    config,
    costs: result.costs,
    errorNo: result.errorNo,
    allCost: result.allCost,
    timestamp: result.timestamp,
    ...(device !== undefined ? { device } : {}),
  });
}

/** The fingerprint of this host: CPU model, logical cores, V8 and Node versions, platform. */
export function hostFingerprint(extra: DeviceFingerprint = {}): DeviceFingerprint {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    v8: process.versions.v8,
    node: process.versions.node,
    platform: `${process.platform}-${process.arch}`,
    ...extra,
  };
}

/** One line of JSON (no newline). Key order is fixed so equal records give equal lines. */
export function encodeRecord(r: LogRecord): string {
  checkRecord(r);
  const ordered: Record<string, unknown> = {
    input: r.input,
    config: { index: r.config.index, code_hash: r.config.code_hash, entity: r.config.entity },
    result: r.result,
    version: r.version,
    tvm_version: r.tvm_version,
  };
  if (r.device !== undefined) ordered.device = r.device;
  return JSON.stringify(ordered);
}

/** Parses and checks one line; errors name the offending field (e.g. `result[1] (error number)`). */
export function decodeRecord(line: string): LogRecord {
  let obj: unknown;
  try {
    obj = JSON.parse(line);
  } catch (e) {
    throw new Error(`not valid JSON: ${(e as Error).message}`);
  }
  checkRecord(obj);
  const r = obj;
  // Rebuild with only the known fields (plus device) so unknown keys from other tools do not leak.
  return {
    input: r.input,
    config: r.config,
    result: r.result,
    version: r.version,
    tvm_version: r.tvm_version,
    ...(r.device !== undefined ? { device: r.device } : {}),
  };
}

/** The workload key of the task a record measured (same key as `autotune.createTask(...).workloadKey`). */
export function recordWorkloadKey(r: LogRecord): string {
  return workloadKey(r.input[1], r.input[2]);
}

/**
 * Mean of measured costs in seconds; Infinity for a failure (errorNo ≠ 0) or no costs, so it never
 * wins a comparison. The one mean-cost rule: records (meanCost), measure results and tuners use it.
 */
export function meanOfCosts(costs: readonly number[], errorNo: number): number {
  if (errorNo !== 0 || costs.length === 0) return Infinity;
  let s = 0;
  for (const c of costs) s += c;
  return s / costs.length;
}

/** Mean cost of a record in seconds; Infinity for a failed record. */
export function meanCost(r: LogRecord): number {
  return meanOfCosts(r.result[0], r.result[1]);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fail(field: string, want: string, got: unknown): never {
  const shown = JSON.stringify(got);
  throw new Error(`field ${field}: expected ${want}, got ${shown === undefined ? 'nothing' : shown.slice(0, 80)}`);
}

function checkWorkloadArg(v: unknown, field: string): void {
  if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return;
  if (!Array.isArray(v)) fail(field, 'a workload argument (["TENSOR", shape, dtype], number, string, bool, null or list)', v);
  if (v[0] === 'TENSOR') {
    if (v.length !== 3 || !Array.isArray(v[1]) || !v[1].every((d) => Number.isInteger(d)) || typeof v[2] !== 'string') {
      fail(field, '["TENSOR", integer shape, dtype string]', v);
    }
    return;
  }
  v.forEach((x, i) => checkWorkloadArg(x, `${field}[${i}]`));
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Checks the whole layout; narrows `v` to a LogRecord. */
export function checkRecord(v: unknown): asserts v is LogRecord {
  if (!isObject(v)) fail('(record)', 'a JSON object', v);
  const input = v.input;
  if (!Array.isArray(input) || input.length !== 4) fail('input', '[target, task name, args, kwargs]', input);
  if (typeof input[0] !== 'string' || input[0].length === 0) fail('input[0] (target)', 'a non-empty string', input[0]);
  if (typeof input[1] !== 'string' || input[1].length === 0) fail('input[1] (task name)', 'a non-empty string', input[1]);
  if (!Array.isArray(input[2])) fail('input[2] (args)', 'a list', input[2]);
  input[2].forEach((a: unknown, i: number) => checkWorkloadArg(a, `input[2][${i}] (args)`));
  if (!isObject(input[3])) fail('input[3] (kwargs)', 'an object', input[3]);

  const config = v.config;
  if (!isObject(config)) fail('config', 'an object', config);
  if (!Number.isSafeInteger(config.index) || (config.index as number) < 0) fail('config.index', 'a non-negative integer', config.index);
  if (config.code_hash !== null && typeof config.code_hash !== 'string') fail('config.code_hash', 'null or a string', config.code_hash);
  if (!Array.isArray(config.entity)) fail('config.entity', 'a list of [name, kind, value]', config.entity);
  config.entity.forEach((e: unknown, i: number) => {
    if (!Array.isArray(e) || e.length !== 3 || typeof e[0] !== 'string' || typeof e[1] !== 'string') {
      fail(`config.entity[${i}]`, '[knob name, knob kind, value]', e);
    }
  });

  const result = v.result;
  if (!Array.isArray(result) || result.length !== 4) fail('result', '[costs, error number, total seconds, timestamp]', result);
  if (!Array.isArray(result[0]) || !result[0].every(isFiniteNumber)) fail('result[0] (costs)', 'a list of numbers (seconds)', result[0]);
  if (!Number.isInteger(result[1]) || (result[1] as number) < 0) fail('result[1] (error number)', 'a non-negative integer', result[1]);
  if (!isFiniteNumber(result[2]) || result[2] < 0) fail('result[2] (total seconds)', 'a non-negative number', result[2]);
  if (!isFiniteNumber(result[3])) fail('result[3] (timestamp)', 'a number (unix seconds)', result[3]);
  if (result[1] === 0 && result[0].length === 0) fail('result[0] (costs)', 'at least one cost for a record without error', result[0]);

  if (!isFiniteNumber(v.version)) fail('version', 'a number (0.2)', v.version);
  if (typeof v.tvm_version !== 'string') fail('tvm_version', 'a string', v.tvm_version);
  if (v.device !== undefined) {
    if (!isObject(v.device)) fail('device', 'an object of strings, numbers and booleans', v.device);
    for (const [k, x] of Object.entries(v.device)) {
      if (typeof x !== 'string' && typeof x !== 'number' && typeof x !== 'boolean') fail(`device.${k}`, 'a string, number or boolean', x);
    }
  }
}
