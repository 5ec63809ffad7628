// autotune/task.ts — a tuning task: a template applied to concrete arguments on a target, with its
// config space, workload key and FLOP count; and applyTemplate, how builds pick a config.

import { parseTarget, type Target } from '../target/index.js';
import { flopCount } from '../schedule/flops.js';
import { createSchedule, type Schedule } from '../schedule/schedule.js';
import { placeholder, Tensor } from '../schedule/tensor.js';
import { checkDType } from '../tir/nodes.js';
import { workloadKey as makeWorkloadKey, type WorkloadArg } from '../tuning-logs/workload_key.js';
import { ConfigSpace, type ConfigEntity } from './space.js';
import { FallbackConfigEntity } from './fallback_config.js';
import { getTemplate, withTarget, type HostInput, type TemplateArg, type TemplateEntry } from './template.js';

/** A template's output: the schedule and its tensors in argument order (inputs, then outputs). */
export interface Instantiated {
  readonly schedule: Schedule;
  readonly tensors: readonly Tensor[];
}

export interface Task {
  /** The template name, e.g. 'dense.wasm'. */
  readonly name: string;
  /** AutoTVM-style arguments: ["TENSOR", shape, dtype] or plain values. */
  readonly args: readonly WorkloadArg[];
  /** The canonical target string (parseTarget(...).str). */
  readonly target: string;
  readonly workloadKey: string;
  /** Floating-point operations of one run (multiply-add = 2). */
  readonly flop: number;
  readonly space: ConfigSpace;
  /** Runs the template with `config` (a point of `space`, or a FallbackConfigEntity). */
  instantiate(config: ConfigSpace): Instantiated;
  /** The same computation with the default (untransformed) schedule: the correctness reference. */
  naive(): Instantiated;
  /** Which returned tensors are outputs (computed), by position. */
  readonly outputIndices: readonly number[];
  /**
   * The template's fallback (what a build without a tuning record uses) as a point of `space`,
   * or undefined when the fallback lies outside the space.
   */
  defaultConfig?(): ConfigEntity | undefined;
  /** The template whose records also configure this task (TemplateOptions.sharesSpaceWith). */
  readonly sharesSpaceWith?: string;
  /** The inputs `config`'s kernel reads made on the host from the reference's (TemplateOptions.hostInputs); none when absent. */
  hostInputs?(config: ConfigSpace): readonly HostInput[];
}

/** Thrown when a template rejects a config (cfg.raiseError, or a schedule primitive refusing it). */
export class InstantiationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InstantiationError';
  }
}

/** ["TENSOR", shape, dtype], the way AutoTVM writes a tensor argument. */
export function tensorArg(shape: readonly number[], dtype = 'float32'): WorkloadArg {
  return ['TENSOR', [...shape], dtype] as const;
}

/** Accepts te tensors among the args and writes them as ["TENSOR", shape, dtype]. */
export function normalizeArgs(args: readonly (WorkloadArg | Tensor)[]): WorkloadArg[] {
  return args.map((a, i) => normalizeArg(a, `argument ${i}`));
}

function normalizeArg(a: WorkloadArg | Tensor, where: string): WorkloadArg {
  if (a instanceof Tensor) return tensorArg(a.dims, a.dtype);
  if (isTensorArg(a)) {
    const [, shape, dtype] = a;
    if (!shape.every((d) => Number.isInteger(d) && d > 0)) throw new RangeError(`${where}: tensor shape [${shape.join(', ')}] must be positive integers`);
    checkDType(dtype, where);
    return tensorArg(shape, dtype);
  }
  if (Array.isArray(a)) return (a as readonly (WorkloadArg | Tensor)[]).map((x, i) => normalizeArg(x, `${where}[${i}]`));
  if (a === null || ['number', 'string', 'boolean'].includes(typeof a)) return a as WorkloadArg;
  throw new TypeError(`${where}: ${String(a)} is not a task argument (a tensor, ["TENSOR", shape, dtype], number, string, boolean, null or a list)`);
}

function isTensorArg(a: unknown): a is readonly ['TENSOR', readonly number[], string] {
  return Array.isArray(a) && a.length === 3 && a[0] === 'TENSOR' && Array.isArray(a[1]) && typeof a[2] === 'string';
}

/** Placeholders p0, p1, … for tensor arguments, in order. */
function toTemplateArgs(args: readonly WorkloadArg[]): TemplateArg[] {
  let n = 0;
  const conv = (a: WorkloadArg): TemplateArg => {
    if (isTensorArg(a)) return placeholder(a[1], checkDType(a[2]), `p${n++}`);
    if (Array.isArray(a)) return (a as readonly WorkloadArg[]).map(conv);
    return a as TemplateArg;
  };
  return args.map(conv);
}

function callTemplate(entry: TemplateEntry, cfg: ConfigSpace, args: readonly WorkloadArg[], target: Target): Instantiated {
  const fn = entry.fn as unknown as (cfg: ConfigSpace, ...a: TemplateArg[]) => readonly [Schedule, readonly Tensor[]];
  const out = withTarget(target, () => fn(cfg, ...toTemplateArgs(args)));
  if (!Array.isArray(out) || out.length !== 2 || !Array.isArray(out[1]) || !out[1].every((t) => t instanceof Tensor)) {
    throw new TypeError(`template '${entry.name}' must return [schedule, tensors]`);
  }
  return { schedule: out[0], tensors: out[1] };
}

const taskCache = new Map<string, { entry: TemplateEntry; task: Task }>();

/**
 * The task of template `name` on `args` and `target` (AutoTVM's autotvm.task.create). Running
 * the template once on a ConfigSpace collects its knobs; tasks are cached per key and target.
 */
export function createTask(name: string, args: readonly (WorkloadArg | Tensor)[], target: string): Task {
  const entry = getTemplate(name);
  const parsed = parseTarget(target);
  const targetStr = parsed.str;
  const wargs = normalizeArgs(args);
  const key = makeWorkloadKey(name, wargs);
  const cached = taskCache.get(`${targetStr}\u0000${key}`);
  if (cached && cached.entry.fn === entry.fn) return cached.task;

  const space = new ConfigSpace();
  let defined: Instantiated;
  try {
    defined = callTemplate(entry, space, wargs, parsed);
  } catch (e) {
    throw new Error(`template '${name}' failed on args ${JSON.stringify(wargs)}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  const outputIndices = defined.tensors.flatMap((t, i) => (t.op.kind === 'placeholder' ? [] : [i]));
  if (outputIndices.length === 0) throw new TypeError(`template '${name}' returned no computed tensor among its tensors`);
  const outputs = outputIndices.map((i) => defined.tensors[i]!);
  const flop = space.flop > 0 ? space.flop : flopCount(outputs);

  const task: Task = {
    name,
    args: wargs,
    target: targetStr,
    workloadKey: key,
    flop,
    space,
    outputIndices,
    instantiate(config: ConfigSpace): Instantiated {
      let out: Instantiated;
      try {
        out = callTemplate(entry, config, wargs, parsed);
      } catch (e) {
        throw new InstantiationError(e instanceof Error ? e.message : String(e));
      }
      if (!config.valid()) throw new InstantiationError(`invalid config: ${config.errors.join('; ')}`);
      return out;
    },
    defaultConfig(): ConfigEntity | undefined {
      const fallback = new FallbackConfigEntity();
      try {
        callTemplate(entry, fallback, wargs, parsed);
        return space.entityFromData(fallback.toData());
      } catch {
        return undefined;
      }
    },
    ...(entry.options.sharesSpaceWith !== undefined ? { sharesSpaceWith: entry.options.sharesSpaceWith } : {}),
    ...(entry.options.hostInputs !== undefined ? { hostInputs: (config: ConfigSpace) => entry.options.hostInputs!(config, wargs) } : {}),
    naive(): Instantiated {
      // The template's own tensors (fresh ones each call) under an untransformed schedule.
      const { tensors } = callTemplate(entry, new ConfigSpace(), wargs, parsed);
      return { schedule: createSchedule(outputIndices.map((i) => tensors[i]!)), tensors };
    },
  };
  taskCache.set(`${targetStr}\u0000${key}`, { entry, task });
  return task;
}

/** The config at `index` of a task's space (what builders and resumed tuners use). */
export function configAt(task: Task, index: number): ConfigEntity {
  return task.space.entityAt(index);
}
