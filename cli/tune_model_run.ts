// cli/tune_model_run.ts — runs `tensortune tune model.onnx`: import, extract the weighted tasks, measure
// on this machine, schedule trials across tasks (cli/tune_model.ts), Ctrl-C keeps every record.

import { localBuilder, localRunner, measureOption } from '../autotune/measure/measure.js';
import type { SchedulerStrategy } from '../autotune/task_scheduler.js';
import { extractWeightedTasks } from '../relay/backend/extract_tasks.js';
import type { LayoutMode } from '../relay/transform/alter_op_layout.js';
import type { WinogradOption } from '../relay/transform/conv_impl.js';
import { EXIT_INTERRUPTED, ExitError, UsageError } from './errors.js';
import { formatArgs, formatSeconds } from './format.js';
import { importOnnx } from './build_model.js';
import { layoutFlag, winogradFlag } from './layout_option.js';
import type { TuneArgs } from './tune_args.js';
import { tuneModelJob } from './tune_model.js';
import { boundText, taskRooflines } from './roofline_option.js';
import { deviceOf, stopOnSignals } from './tune_run.js';

export interface TuneModelExtra {
  readonly nTrial: number | undefined;
  readonly budgetSeconds: number | undefined;
  readonly inputShapes: Readonly<Record<string, readonly number[]>>;
  readonly verbose: boolean;
  readonly strategy: SchedulerStrategy;
  /** Trials per scheduler round (TVM's num_measures_per_round); undefined: the scheduler's 64. */
  readonly trialsPerRound?: number;
  /** Extract the tasks relay.build meets with this alterOpLayout (default auto, as the build). */
  readonly alterOpLayout?: LayoutMode;
  /** Extract with this winograd choice (default auto, as the build). */
  readonly winograd?: WinogradOption;
  /** Also extract the other Winograd/direct candidate of each such conv (`--winograd both`). */
  readonly bothCandidates?: boolean;
}

export async function runTuneModel(model: string, a: TuneArgs, x: TuneModelExtra): Promise<void> {
  const { mod } = importOnnx(model, x.inputShapes);
  const weighted = extractWeightedTasks(mod, a.target, { alterOpLayout: x.alterOpLayout ?? 'auto', winograd: x.winograd ?? 'auto', bothCandidates: x.bothCandidates ?? false });
  if (weighted.length === 0) throw new UsageError(`${model}: no tunable operator (conv2d, dense, matmul, …) for '${a.target}'; build it without tuning`);
  const tasks = weighted.map((w) => w.task);
  // Checked before the log is opened: the scheduler's warm-up gives every task one trial (TaskScheduler).
  if (x.nTrial !== undefined && x.nTrial < tasks.length) {
    throw new UsageError(`--trials ${x.nTrial} is fewer than the model's ${tasks.length} tunable tasks; give at least ${tasks.length} (one per task; with --resume, --trials counts the log's earlier trials too)`);
  }
  const say = (m: string): void => {
    if (!a.quiet && !a.json) process.stderr.write(m + '\n');
  };
  say(`tuning ${model} on '${a.target}': ${tasks.length} tasks (${x.strategy}), ${x.nTrial !== undefined ? `${x.nTrial} trials` : ''}${x.nTrial !== undefined && x.budgetSeconds !== undefined ? ' or ' : ''}${x.budgetSeconds !== undefined ? `${x.budgetSeconds} s` : ''} with ${a.tuner}`);
  weighted.forEach((w, i) => say(`  ${String(i + 1).padStart(3)}  ${w.task.name} [${formatArgs(w.task.args)}] ×${w.weight}  space ${w.task.space.sizeText()}`));
  const roof = a.rooflineStop !== undefined ? await taskRooflines(tasks, a.remeasurePeak === true, say) : undefined;
  roof?.bounds.forEach((b, i) => say(`  ${String(i + 1).padStart(3)}  roofline ${boundText(b)}`));
  const device = await deviceOf(tasks[0]!);
  const measure = measureOption({
    builder: localBuilder({ timeout: a.timeout }),
    runner: localRunner({ number: a.number, repeat: a.repeat, minRepeatMs: a.minRepeatMs, timeout: a.timeout, timer: a.timer }),
  });
  const controller = new AbortController();
  const unhook = stopOnSignals(controller, (m) => process.stderr.write(m + '\n'));
  let summary;
  try {
    summary = await tuneModelJob({
      tasks, weights: weighted.map((w) => w.weight), log: a.log, resume: a.resume, tuner: a.tuner, featureType: a.featureType, seed: a.seed,
      strategy: x.strategy, measureOption: measure, device, signal: controller.signal,
      ...(x.nTrial !== undefined ? { nTrial: x.nTrial } : {}),
      ...(x.budgetSeconds !== undefined ? { budgetSeconds: x.budgetSeconds } : {}),
      ...(a.batch !== undefined ? { batchSize: a.batch } : {}),
      ...(x.trialsPerRound !== undefined ? { trialsPerRound: x.trialsPerRound } : {}),
      output: a.json ? 'json' : a.quiet ? 'quiet' : 'text', verbose: x.verbose,
      ...(roof !== undefined ? { roofline: { fraction: a.rooflineStop!, boundFlops: roof.bounds.map((b) => b.boundFlops) } } : {}),
    });
  } finally {
    unhook();
    await measure.close();
  }
  if (!a.json) {
    const speed = summary.latency !== undefined && summary.untunedLatency !== undefined ? ` (untuned ${formatSeconds(summary.untunedLatency)}, ${(summary.untunedLatency / summary.latency).toFixed(2)}× faster)` : '';
    process.stdout.write(`${summary.trials} trials (${summary.measured} this run) over ${tasks.length} tasks, stopped by ${summary.stoppedBy}; estimated model latency ${summary.latency !== undefined ? formatSeconds(summary.latency) : '—'}${speed}; records in ${a.log}\n` +
      (summary.measured === 0 && x.nTrial !== undefined && summary.trials >= x.nTrial
        ? `the log already holds ${summary.trials} trials for these tasks; --trials is a total, so raise it (e.g. --trials ${summary.trials + x.nTrial}) to continue\n` : '') +
      (roof !== undefined ? `roofline stop (${a.rooflineStop}): ${rooflineDone(summary.tasks)}\n` : '') +
      `build it with: tensortune build ${model}${inputShapesFlag(x.inputShapes)}${layoutFlag(x.alterOpLayout ?? 'auto')}${winogradFlag(x.winograd ?? 'auto')} --target '${a.target}' --log ${a.log} -o out/\n`);
  }
  if (summary.stoppedBy === 'signal') throw new ExitError('stopped by signal; every finished record is in the log (continue with --resume)', EXIT_INTERRUPTED);
}

/** The --input-shapes flag that reproduces `shapes` (empty when none), for the commands we print. */
function inputShapesFlag(shapes: Readonly<Record<string, readonly number[]>>): string {
  const parts = Object.entries(shapes).map(([name, dims]) => `${name}:[${dims.join(',')}]`);
  return parts.length === 0 ? '' : ` --input-shapes "${parts.join(' ')}"`;
}

/** Which tasks the roofline stop ended (1-based, as the task list numbers them), or that none did. */
function rooflineDone(tasks: readonly { readonly atRoofline?: boolean; readonly name: string; readonly trials: number }[]): string {
  const done = tasks.flatMap((t, i) => (t.atRoofline === true ? [`${i + 1} ${t.name} (${t.trials} trial${t.trials === 1 ? '' : 's'})`] : []));
  return done.length === 0 ? 'no task reached it' : `${done.length} of ${tasks.length} tasks reached it and stopped: ${done.join(', ')}`;
}
