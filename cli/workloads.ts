// cli/workloads.ts — what `--op X --shape a,b,c` means: the template and its arguments, per op.

import { createTask } from '../autotune/task.js';
import { getTemplate, listTemplates } from '../autotune/template.js';
import { registerAll } from '../ops/register.js';
import { targetFamily } from '../target/index.js';
import type { WorkloadArg } from '../tuning-logs/workload_key.js';
import { UsageError } from './errors.js';
import { CLI_OPS } from './op_shapes.js';
import { parseShape } from './parse.js';

/** Registers the operator library's templates (idempotent); every command that makes tasks calls it. */
export async function registerTemplates(): Promise<void> {
  registerAll();
}

export interface Workload {
  readonly op: string;
  readonly taskName: string;
  readonly args: WorkloadArg[];
  readonly dims: number[];
  readonly target: string;
}

/** `--op dense --shape 1,1024,1000 --target wasm` → template 'dense.wasm' with its tensor args. */
export function resolveWorkload(op: string, shapeText: string, target: string): Workload {
  const spec = CLI_OPS[op];
  if (spec === undefined) throw new UsageError(`--op '${op}': unknown operator (known: ${Object.keys(CLI_OPS).join(', ')})`);
  const dims = parseShape(shapeText);
  const want = spec.shape.split(',').length;
  if (dims.length !== want) throw new UsageError(`--shape '${shapeText}': ${op} takes ${spec.shape} (${want} numbers), e.g. --shape ${spec.example}`);
  const taskName = `${op}.${targetFamily(target)}`;
  if (!listTemplates().includes(taskName)) {
    throw new UsageError(`no tunable template '${taskName}' for --op ${op} on target '${target}' (templates: ${listTemplates().join(', ') || 'none'})`);
  }
  const args = spec.args(dims);
  // The template says how it prints its own shape (for its "tune it with …" hint): both must agree.
  const cliShape = getTemplate(taskName).options.cliShape;
  if (cliShape !== undefined && cliShape(args) !== dims.join(',')) {
    throw new Error(`internal: --shape ${dims.join(',')} of ${op} maps to args the template reads back as ${cliShape(args)}`);
  }
  return { op, taskName, args, dims, target };
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
