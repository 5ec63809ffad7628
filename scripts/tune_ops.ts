// scripts/tune_ops.ts — tunes the anchor-op templates on workloads of ../shared/workloads.json through the
// library API (the CLI's --op knows only dense/matmul so far) and appends every measurement to a log.
// Run: npx tsx scripts/tune_ops.ts <workload ids, e.g. C6,D1> <target, e.g. 'wasm -threads=1'> <trials> <log.jsonl> [nchwc]

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { localBuilder, localRunner, measureOption } from '../autotune/measure/measure.js';
import { createTask, tensorArg } from '../autotune/task.js';
import { logToFile } from '../autotune/callbacks.js';
import { XGBTuner } from '../autotune/xgb_tuner.js';
import { registerAll } from '../ops/register.js';
import { nchwcBlocks } from '../ops/nn/conv2d_nchwc.js';
import type { WorkloadArg } from '../tuning-logs/workload_key.js';

interface Workload { id: string; op: string; M?: number; K?: number; N?: number; B?: number; C?: number; H?: number; W?: number; O?: number; R?: number; stride?: number; pad?: number }

const [ids = 'C6', target = 'wasm -threads=1', trials = '32', log = 'ops_tune.jsonl', layout = ''] = process.argv.slice(2);
const here = dirname(fileURLToPath(import.meta.url));
const all = (JSON.parse(readFileSync(join(here, '../../shared/workloads.json'), 'utf8')) as { workloads: Workload[] }).workloads;

/** The template and args of a workload (as taskOf gives them for the op built from it). */
function taskSpec(w: Workload): { name: string; args: WorkloadArg[] } {
  const kind = target.split(' ')[0]!;
  const s = w.stride ?? 1;
  const p = w.pad ?? 0;
  switch (w.op) {
    case 'matmul': return { name: `matmul.${kind}`, args: [tensorArg([w.M!, w.K!]), tensorArg([w.K!, w.N!])] };
    case 'dense': return { name: `dense.${kind}`, args: [tensorArg([w.M!, w.K!]), tensorArg([w.N!, w.K!])] };
    case 'batch_matmul': return { name: `batch_matmul.${kind}`, args: [tensorArg([w.B!, w.M!, w.K!]), tensorArg([w.B!, w.K!, w.N!])] };
    case 'depthwise_conv2d':
      return { name: `depthwise_conv2d_nchw.${kind}`, args: [tensorArg([1, w.C!, w.H!, w.W!]), tensorArg([w.C!, 1, w.R!, w.R!]), [s, s], [p, p, p, p], [1, 1]] };
    default: {
      if (layout === 'nchwc') {
        const { icBlock: i, ocBlock: o } = nchwcBlocks(w.C!, w.O!);
        return { name: 'conv2d_NCHWc.wasm', args: [tensorArg([1, w.C! / i, w.H!, w.W!, i]), tensorArg([w.O! / o, w.C! / i, w.R!, w.R!, i, o]), [s, s], [p, p, p, p], [1, 1]] };
      }
      return { name: `conv2d_nchw.${kind}`, args: [tensorArg([1, w.C!, w.H!, w.W!]), tensorArg([w.O!, w.C!, w.R!, w.R!]), [s, s], [p, p, p, p], [1, 1], 1] };
    }
  }
}

registerAll();
const option = measureOption({ builder: localBuilder({ timeout: 60, nParallel: 1 }), runner: localRunner({ number: 1, repeat: 3, minRepeatMs: 100, timeout: 60 }) });
try {
  for (const id of ids.split(',')) {
    const w = all.find((x) => x.id === id);
    if (!w) throw new Error(`unknown workload ${id}`);
    const spec = taskSpec(w);
    const task = createTask(spec.name, spec.args, target);
    console.error(`== ${id}: ${spec.name} on '${target}', ${trials} trials, space ${task.space.length}`);
    const tuner = new XGBTuner(task);
    const summary = await tuner.tune({ nTrial: Number(trials), measureOption: option, callbacks: [logToFile(log)], batchSize: 4 });
    console.error(`   best ${(summary.bestFlops / 1e9).toFixed(2)} GFLOP/s (config ${summary.bestConfig?.index})`);
  }
} finally {
  await option.close();
}
process.exit(0);
