// autotune/template.ts — the template registry: `template(name, fn)` registers a tunable schedule
// template by name (AutoTVM's @autotvm.template); worker threads replay the registrations.

import type { Target } from '../target/index.js';
import type { Schedule } from '../schedule/schedule.js';
import type { Tensor } from '../schedule/tensor.js';
import type { WorkloadArg } from '../tuning-logs/workload_key.js';
import type { ConfigSpace } from './space.js';

/** What a template receives for each task argument: ["TENSOR", shape, dtype] becomes a te.placeholder. */
export type TemplateArg = Tensor | number | string | boolean | null | readonly TemplateArg[];

/**
 * A template: defines knobs on `cfg`, reads their chosen values, and returns the schedule and
 * the tensors in argument order (inputs first, outputs last), as AutoTVM's `return s, [A, B, C]`.
 */
// `never[]` makes any (cfg, A: Tensor, B: Tensor) => … assignable; args are checked at call time.
export type TemplateFn = (cfg: ConfigSpace, ...args: never[]) => readonly [Schedule, readonly Tensor[]];

export interface TemplateOptions {
  /** The operator name the `tensortune tune --op` command knows, e.g. 'dense'. */
  readonly op?: string;
  /** The `--shape` text of the tune command for these args, e.g. 'M,K,N' for dense: '1,1024,1000'. */
  readonly cliShape?: (args: readonly WorkloadArg[]) => string;
  /** Flags the tune command needs besides `--shape` for this template, e.g. ' --const-b'. */
  readonly cliFlags?: string;
  /**
   * Another template whose records are configs of this one's space for the same args (it defines the same
   * knobs in the same order): a build looks this template's records up first, then that one's, and a warm
   * start takes both. The prepacked product tasks name their plain task ('dense_prepacked.wasm' → 'dense.wasm').
   */
  readonly sharesSpaceWith?: string;
  /**
   * The inputs `config`'s kernel reads in another form than the task's args (and its reference) hold them, with
   * how to make that form from the reference's data on the host: what a build does once at build time (a
   * constant weight packed into panels) and measurement must not time. Called on the measuring thread.
   */
  readonly hostInputs?: (config: ConfigSpace, args: readonly WorkloadArg[]) => readonly HostInput[];
}

/** One kernel input made on the host from the task's input at `index` (TemplateOptions.hostInputs). */
export interface HostInput {
  /** Position among the task's tensors (inputs first); the kernel reads this form there instead. */
  readonly index: number;
  /** The shape of the made input. */
  readonly shape: readonly number[];
  /** The made input's float32 values from the task input's (row-major). */
  readonly make: (values: Float32Array) => Float32Array;
}

export interface TemplateEntry {
  readonly name: string;
  readonly fn: TemplateFn;
  readonly options: TemplateOptions;
}

const registry = new Map<string, TemplateEntry>();

let targetStack: Target[] = [];

/**
 * Runs `fn` with `target` as the current target (TVM's `with tvm.target.Target(...)`), so a template
 * can read what the target offers (`currentTarget()`: subgroups on webgpu). Tasks and scheduleAnchor
 * run their templates inside it.
 */
export function withTarget<T>(target: Target, fn: () => T): T {
  targetStack = [...targetStack, target];
  try {
    return fn();
  } finally {
    targetStack = targetStack.slice(0, -1);
  }
}

/** The target a template is being run for (TVM's `Target.current()`), or undefined outside withTarget. */
export function currentTarget(): Target | undefined {
  return targetStack[targetStack.length - 1];
}

/** A module whose named export, called with no arguments, registers templates (e.g. ops' registerAll). */
export interface TemplateModule {
  readonly url: string;
  readonly exportName: string;
}

const modules: TemplateModule[] = [];

/**
 * Registers `fn` as the template `name` (e.g. 'matmul.wasm') and returns it. Registering a name
 * again replaces the entry, so an explicit `registerAll()` may run more than once.
 */
export function template<F extends TemplateFn>(name: string, fn: F, options: TemplateOptions = {}): F {
  if (typeof name !== 'string' || !/^[A-Za-z_][\w.-]*$/.test(name)) {
    throw new TypeError(`autotune.template: name '${String(name)}' must be an identifier like 'matmul.wasm'`);
  }
  if (typeof fn !== 'function') throw new TypeError(`autotune.template '${name}': fn must be a function (cfg, ...args) => [schedule, tensors]`);
  registry.set(name, { name, fn, options });
  return fn;
}

export function getTemplate(name: string): TemplateEntry {
  const e = registry.get(name);
  if (!e) {
    const known = [...registry.keys()].sort();
    throw new RangeError(
      `no template named '${name}' (registered: ${known.join(', ') || 'none'}; ` +
      'call ops.registerAll() first, or register yours with autotune.template and autotune.registerTemplateModule)',
    );
  }
  return e;
}

export function listTemplates(): string[] {
  return [...registry.keys()].sort();
}

/**
 * Records that `exportName` of the module at `url` (its import.meta.url) registers templates.
 * Build workers import these modules and call the exports, so templates exist there too;
 * ops' registerAll() records itself this way.
 */
export function registerTemplateModule(url: string, exportName = 'registerAll'): void {
  if (!modules.some((m) => m.url === url && m.exportName === exportName)) modules.push({ url, exportName });
}

export function templateModules(): readonly TemplateModule[] {
  return [...modules];
}

/** Imports each module and calls its registering export (in a worker, before any build). */
export async function loadTemplateModules(mods: readonly TemplateModule[]): Promise<void> {
  for (const m of mods) {
    const ns = (await import(m.url)) as Record<string, unknown>;
    const fn = ns[m.exportName];
    if (typeof fn !== 'function') throw new TypeError(`template module ${m.url} has no function export '${m.exportName}'`);
    (fn as () => unknown)();
  }
}
