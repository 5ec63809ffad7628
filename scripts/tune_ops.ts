// scripts/tune_ops.ts — tunes the anchor-op templates on workloads of ../shared/workloads.json through the
// library API (the same as `tensortune tune --workload <id> [--op …]`, several ids in one process) and
// appends every measurement to a log. The op defaults to the workload's; `nchwc` / `winograd` pick those
// conv2d templates.
// Run: npx tsx scripts/tune_ops.ts <workload ids, e.g. C6,D1> <target, e.g. 'wasm -threads=1'> <trials> <log.jsonl> [nchwc|winograd]

import { readFileSync } from 'node:fs';
import { localBuilder, localRunner, measureOption } from '../autotune/measure/measure.js';
import { createTask } from '../autotune/task.js';
import { logToFile } from '../autotune/callbacks.js';
import { XGBTuner } from '../autotune/xgb_tuner.js';
import { checkOpParams, opArgs, opSpec, paramsOfWorkload, type WorkloadEntry } from '../ops/op_params.js';
import { registerAll } from '../ops/register.js';
import type { WorkloadArg } from '../tuning-logs/workload_key.js';
import { defaultWorkloadsFile } from '../cli/workloads.js';

const [ids = 'C6', target = 'wasm -threads=1', trials = '32', log = 'ops_tune.jsonl', layout = ''] = process.argv.slice(2);
const all = (JSON.parse(readFileSync(defaultWorkloadsFile(), 'utf8')) as { workloads: WorkloadEntry[] }).workloads;

/** The template and args of a workload (ops/op_params.ts, as the CLI's --workload). */
function taskSpec(w: WorkloadEntry): { name: string; args: WorkloadArg[] } {
  const op = layout === 'nchwc' && w.op === 'conv2d' ? 'conv2d_NCHWc' : layout === 'nchwc' && w.op === 'depthwise_conv2d' ? 'depthwise_conv2d_NCHWc'
    : w.op === 'conv2d' && layout === 'winograd' ? 'conv2d_winograd' : w.op;
  const spec = opSpec(op)!;
  return { name: `${spec.tag}.${target.split(' ')[0]!}`, args: opArgs(spec, checkOpParams(spec, paramsOfWorkload(spec, w))) };
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
