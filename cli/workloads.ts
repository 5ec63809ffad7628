// cli/workloads.ts — what `--op X --shape …` (or `--workload C6`) means: the template and its arguments.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTask } from '../autotune/task.js';
import { getTemplate, listTemplates } from '../autotune/template.js';
import { checkOpParams, OP_SPECS, OpParamError, opArgs, opSpec, parseOpParams, paramsOfWorkload, type OpParams, type OpSpec, type WorkloadEntry } from '../ops/op_params.js';
import { EPILOGUE_STEPS } from '../ops/templates/workloads.js';
import { registerAll } from '../ops/register.js';
import { CONST_B_TAGS, constBTemplateName, type ConstBTag } from '../ops/templates/gemm_const_b.js';
import { targetFamily } from '../target/index.js';
import type { WorkloadArg } from '../tuning-logs/workload_key.js';
import { UsageError } from './errors.js';

/** Registers the operator library's templates (idempotent); every command that makes tasks calls it. */
export async function registerTemplates(): Promise<void> {
  registerAll();
}

export interface Workload {
  /** The op as --op names it (conv2d, depthwise_conv2d, …). */
  readonly op: string;
  readonly taskName: string;
  readonly args: WorkloadArg[];
  /** The complete, checked parameters. */
  readonly params: OpParams;
  readonly target: string;
}

/** What selects the workload: --op and --shape, or --workload (with --op to pick a conv2d's layout). */
export interface WorkloadSelector {
  readonly op?: string;
  readonly shape?: string;
  readonly workload?: string;
  /** The workloads file for --workload; default: see defaultWorkloadsFile. */
  readonly workloadsFile?: string;
  /** Fused steps after the op (--epilogue bias,relu). */
  readonly epilogue?: string;
  /** --const-b: B is a model's constant weight, packed once at build time: the product's prepacked task (wasm dense/matmul/batch_matmul). */
  readonly constB?: boolean;
}

/** The package root: the nearest folder above this module with a package.json. */
function packageRoot(): string {
  let d = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(d, 'package.json')) && dirname(d) !== d) d = dirname(d);
  return d;
}

/**
 * The workloads file --workload reads (see WorkloadSelector.workloadsFile): $TENSORTUNE_WORKLOADS,
 * else the team's ../shared/workloads.json beside the package where it exists (the source of truth
 * while developing), else the copy shipped in the package (data/workloads.json), so a clone or an
 * install anywhere else has the same ids (C1–C12, D1–D9, MM-512, DENSE-fc, …).
 */
export function defaultWorkloadsFile(): string {
  if (process.env.TENSORTUNE_WORKLOADS !== undefined) return process.env.TENSORTUNE_WORKLOADS;
  const shared = resolve(packageRoot(), '../shared/workloads.json');
  return existsSync(shared) ? shared : resolve(packageRoot(), 'data/workloads.json');
}

function readWorkload(id: string, file: string): WorkloadEntry {
  if (!existsSync(file)) throw new UsageError(`--workload ${id}: workloads file '${file}' does not exist; give one with --workloads-file`);
  let list: WorkloadEntry[];
  try {
    list = (JSON.parse(readFileSync(file, 'utf8')) as { workloads: WorkloadEntry[] }).workloads;
    if (!Array.isArray(list)) throw new Error('no "workloads" list');
  } catch (e) {
    throw new UsageError(`--workloads-file '${file}': not a workloads file (${(e as Error).message})`);
  }
  const w = list.find((x) => x.id === id);
  if (w === undefined) throw new UsageError(`--workload '${id}': no such id in '${file}' (ids: ${list.map((x) => x.id).join(', ')})`);
  return w;
}

function epilogueOf(text: string | undefined): string[] {
  if (text === undefined || text.trim() === '') return [];
  const steps = text.split(',').map((s) => s.trim());
  for (const s of steps) {
    if (!(EPILOGUE_STEPS as readonly string[]).includes(s)) throw new UsageError(`--epilogue '${text}': unknown step '${s}' (steps: ${EPILOGUE_STEPS.join(', ')})`);
  }
  return steps;
}

/**
 * `--workload C6 --op conv2d_winograd --shape transformed=1`: with --workload, --shape holds named
 * parameters that add to or replace the entry's (a parameter the workloads file does not hold, such as
 * the Winograd task a model build runs on host-transformed weights). Positional shapes are refused there:
 * they would replace the whole entry.
 */
function withOverrides(spec: OpSpec, base: OpParams, shape: string | undefined): OpParams {
  if (shape === undefined) return base;
  if (!shape.includes('=')) throw new OpParamError(`with --workload, --shape takes name=value parameters that replace or add to the entry's (e.g. transformed=1), not a whole shape '${shape}'`);
  return { ...base, ...parseOpParams(spec, shape) };
}

/**
 * `--op conv2d --shape N=1,C=64,… --target wasm` (or `--workload C6 [--op conv2d_NCHWc]`) → template
 * 'conv2d_nchw.wasm' with its args. Every problem is a UsageError naming the option and parameter.
 */
export function resolveWorkload(sel: WorkloadSelector, target: string): Workload {
  let entry: WorkloadEntry | undefined;
  if (sel.workload !== undefined) entry = readWorkload(sel.workload, sel.workloadsFile ?? defaultWorkloadsFile());
  const opName = sel.op ?? entry?.op;
  if (opName === undefined) throw new UsageError('give --op with --shape (or --workload <id>)');
  const spec = opSpec(opName);
  if (spec === undefined) throw new UsageError(`--op '${opName}': unknown operator (known: ${OP_SPECS.map((s) => s.op).join(', ')})`);
  if (sel.shape === undefined && entry === undefined) throw new UsageError(`--op ${spec.op}: give --shape (e.g. --shape ${spec.example}) or --workload <id>`);
  const where = entry !== undefined ? `--workload ${entry.id}${sel.shape !== undefined ? ` --shape '${sel.shape}'` : ''}` : `--shape '${sel.shape}'`;
  let params: OpParams;
  try {
    params = checkOpParams(spec, entry !== undefined ? withOverrides(spec, paramsOfWorkload(spec, entry), sel.shape) : parseOpParams(spec, sel.shape!));
  } catch (e) {
    if (e instanceof RangeError) throw new UsageError(`${where}: ${e.message}`);
    throw e;
  }
  const taskName = sel.constB === true ? constBTaskName(spec.op, spec.tag, target) : `${spec.tag}.${targetFamily(target)}`;
  if (!listTemplates().includes(taskName)) {
    const kinds = listTemplates().filter((t) => t.startsWith(`${spec.tag}.`)).map((t) => t.split('.')[1]);
    throw new UsageError(`--op ${spec.op} has no tunable template on target '${target}' (${kinds.length > 0 ? `it has one on: ${kinds.join(', ')}` : 'none at all'})`);
  }
  const steps = epilogueOf(sel.epilogue);
  const args: WorkloadArg[] = [...opArgs(spec, params), ...(steps.length > 0 ? [steps] : [])];
  // The template says how it prints its own shape (for its "tune it with …" hint): both must agree.
  const cliShape = getTemplate(taskName).options.cliShape;
  if (cliShape !== undefined) {
    const [shape, , epi] = cliShape(args).split(' ');
    const again = [...opArgs(spec, checkOpParams(spec, parseOpParams(spec, shape!))), ...(epi !== undefined ? [epi.split(',')] : [])];
    if (JSON.stringify(again) !== JSON.stringify(args)) throw new Error(`internal: ${where} of ${spec.op} maps to args the template reads back as ${cliShape(args)}`);
  }
  return { op: spec.op, taskName, args, params, target };
}

/**
 * The prepacked task of --op with --const-b ('dense_prepacked.wasm'); a UsageError for an op without a constant
 * weight operand B to pack (convolutions, batch_matmul) or a target other than wasm (WebGPU keeps B as it is).
 */
function constBTaskName(op: string, tag: string, target: string): string {
  if (!(CONST_B_TAGS as readonly string[]).includes(tag)) {
    throw new UsageError(`--const-b: --op ${op} has no constant weight B to pack at build time (--const-b tunes a product on a model's constant weight: --op ${CONST_B_TAGS.join(' or --op ')})`);
  }
  if (targetFamily(target) !== 'wasm') throw new UsageError(`--const-b: only wasm builds pack a constant B (target '${target}' keeps B as it is); tune --op ${op} without --const-b`);
  return constBTemplateName(tag as ConstBTag);
}

/** createTask, with an op's own argument check (a RangeError/TypeError from the compute) as a usage error. */
export function createTaskChecked(w: Workload): ReturnType<typeof createTask> {
  try {
    return createTask(w.taskName, w.args, w.target);
  } catch (e) {
    if (e instanceof RangeError || e instanceof TypeError) throw new UsageError(`--op ${w.op}: ${e.message}`);
    throw e;
  }
}

const flops = new Map<string, number | undefined>();

/** FLOP count of a logged workload, from its template; undefined for templates this build lacks. */
export function workloadFlop(taskName: string, args: readonly WorkloadArg[], target: string): number | undefined {
  const k = JSON.stringify([taskName, args, target]);
  if (!flops.has(k)) {
    let f: number | undefined;
    try {
      f = createTask(taskName, args, target).flop;
    } catch {
      f = undefined; // a record of another tool or an older template: stats still work without GFLOP/s
    }
    flops.set(k, f);
  }
  return flops.get(k);
}
