// bench/search_tasks.ts — workloads of ../shared/workloads.json as tuning tasks (template + args, as
// ops/anchor.ts's taskOf writes them), for the search benches.

import { readFileSync } from 'node:fs';
import { createTask, tensorArg, type Task } from '../autotune/task.js';
import type { WorkloadArg } from '../tuning-logs/workload_key.js';
import { defaultWorkloadsFile } from '../cli/workloads.js';

interface Workload { id: string; op: string; M?: number; K?: number; N?: number; B?: number; C?: number; H?: number; W?: number; O?: number; R?: number; stride?: number; pad?: number }

const workloads = (JSON.parse(readFileSync(defaultWorkloadsFile(), 'utf8')) as { workloads: Workload[] }).workloads;

/** The template and args of a workload on a target kind (as ops/anchor.ts's taskOf writes them). */
export function taskOfWorkload(id: string, target: string): { task: Task; title: string } {
  const w = workloads.find((x) => x.id === id);
  if (!w) throw new RangeError(`bench/search: unknown workload '${id}' (ids in ../shared/workloads.json: ${workloads.map((x) => x.id).join(', ')})`);
  const kind = target.split(' ')[0]!;
  const s = w.stride ?? 1;
  const p = w.pad ?? 0;
  let name: string;
  let args: WorkloadArg[];
  let title: string;
  switch (w.op) {
    case 'matmul': name = `matmul.${kind}`; args = [tensorArg([w.M!, w.K!]), tensorArg([w.K!, w.N!])]; title = `matmul ${w.M}×${w.K}×${w.N}`; break;
    case 'dense': name = `dense.${kind}`; args = [tensorArg([w.M!, w.K!]), tensorArg([w.N!, w.K!])]; title = `dense ${w.M}×${w.K}→${w.N}`; break;
    case 'batch_matmul': name = `batch_matmul.${kind}`; args = [tensorArg([w.B!, w.M!, w.K!]), tensorArg([w.B!, w.K!, w.N!])]; title = `batch_matmul ${w.B}×${w.M}×${w.K}×${w.N}`; break;
    case 'depthwise_conv2d':
      name = `depthwise_conv2d_nchw.${kind}`;
      args = [tensorArg([1, w.C!, w.H!, w.W!]), tensorArg([w.C!, 1, w.R!, w.R!]), [s, s], [p, p, p, p], [1, 1]];
      title = `depthwise ${w.C}×${w.H}×${w.W} ${w.R}×${w.R}/${s}`;
      break;
    default:
      name = `conv2d_nchw.${kind}`;
      args = [tensorArg([1, w.C!, w.H!, w.W!]), tensorArg([w.O!, w.C!, w.R!, w.R!]), [s, s], [p, p, p, p], [1, 1], 1];
      title = `conv2d ${w.C}→${w.O} ${w.H}×${w.W} ${w.R}×${w.R}/${s}`;
  }
  return { task: createTask(name, args, target), title };
}
