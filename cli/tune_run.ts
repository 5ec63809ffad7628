// cli/tune_run.ts — runs `tensortune tune`: task, tuner, measurement, log, progress, Ctrl-C.

import { existsSync } from 'node:fs';
import { logToFile } from '../autotune/callbacks.js';
import { GATuner } from '../autotune/ga_tuner.js';
import { GridSearchTuner } from '../autotune/grid_search_tuner.js';
import { localBuilder, localRunner, measureOption } from '../autotune/measure/measure.js';
import { RandomTuner } from '../autotune/random_tuner.js';
import type { Task } from '../autotune/task.js';
import { resultFlops, type Callback, type Tuner, type TuneSummary } from '../autotune/tuner.js';
import { errorName, MeasureErrorNo } from '../autotune/measure/measure_types.js';
import { XGBTuner } from '../autotune/xgb_tuner.js';
import { parseTarget, wasmOptions } from '../target/index.js';
import { loadRecords, readEntriesSync } from '../tuning-logs/reader.js';
import { hostFingerprint, type DeviceFingerprint, type LogRecord } from '../tuning-logs/record.js';
import { isRecordOf } from '../tuning-logs/task_key.js';
import { LogWriter } from '../tuning-logs/writer.js';
import { EXIT_FAILURE, EXIT_INTERRUPTED, ExitError, UsageError } from './errors.js';
import { formatArgs, formatGflops } from './format.js';
import { verbosity } from './output_option.js';
import { progress } from './progress.js';
import { boundText, rooflineJson, taskRooflines } from './roofline_option.js';
import type { FeatureKind, TuneArgs, TunerKind } from './tune_args.js';
import { createTaskChecked, registerTemplates, resolveWorkload } from './workloads.js';

export function makeTuner(kind: TunerKind, task: Task, seed: number, featureType: FeatureKind, xgb: { planSize?: number; mutationShare?: number } = {}): Tuner {
  switch (kind) {
    case 'xgb':
      // 'itervar' and 'curve' features read each candidate's loop nest before the TIR passes
      // (the tuner's default, as AutoTVM's simple-mode lowering): after unrolling, one config's
      // feature row grew to 1.7M columns and exhausted XGBoost's WASM heap.
      return new XGBTuner(task, { seed, featureType, ...xgb });
    case 'ga':
      return new GATuner(task, { seed });
    case 'random':
      return new RandomTuner(task, { seed });
    case 'grid':
      return new GridSearchTuner(task);
  }
}

/** How many records of this task (same name, args and canonical target) a log holds. */
function recordsOfTask(log: string, task: Task): number {
  if (!existsSync(log)) return 0;
  let n = 0;
  for (const { record } of readEntriesSync(log, { onBadLine: () => undefined })) {
    if (isRecordOf(record, task)) n++;
  }
  return n;
}

/** What the records say they ran on: this host, plus the wasm options or the WebGPU adapter. */
export async function deviceOf(task: Task): Promise<DeviceFingerprint> {
  const t = parseTarget(task.target);
  if (t.kind === 'wasm') {
    const w = wasmOptions(t);
    return hostFingerprint({ simd: w.simd, threads: w.threads });
  }
  // The runner's worker holds its own device; asking the adapter here is cheap and released at once.
  const { getWebGPUAdapterInfo, releaseWebGPU } = await import('../runtime/webgpu/device.js');
  try {
    const a = await getWebGPUAdapterInfo();
    return hostFingerprint({ gpuVendor: a.vendor, gpuArchitecture: a.architecture, gpuDescription: a.description, gpu: a.deviceName });
  } finally {
    await releaseWebGPU();
  }
}

/** -v: one line per measured candidate on stderr (trial number, config index, GFLOP/s or the error). */
function trialLines(task: Task): Callback {
  return (tuner, inputs, results) => {
    const first = tuner.trials - inputs.length;
    // On a terminal the progress bar owns the line: clear it first.
    const clear = process.stderr.isTTY ? '\r\x1b[K' : '';
    inputs.forEach((inp, i) => {
      const r = results[i]!;
      const what = r.errorNo === 0
        ? formatGflops(resultFlops(task, r) / 1e9)
        : `${errorName(r.errorNo)} (${r.errorNo})${r.errorMsg !== undefined ? `: ${r.errorMsg.split('\n')[0]}` : ''}`;
      process.stderr.write(`${clear}trial ${first + i + 1}: config ${inp.config.index}: ${what}\n`);
    });
  };
}

/** Counts this run's failed candidates by error number (MeasureErrorNo), for the closing line. */
function errorCounter(counts: Map<MeasureErrorNo, number>): Callback {
  return (_tuner, _inputs, results) => {
    for (const r of results) if (r.errorNo !== 0) counts.set(r.errorNo, (counts.get(r.errorNo) ?? 0) + 1);
  };
}

/**
 * The closing line's account of failed candidates: each kind with its count, as `logs stats` names them
 * ("2× RUN_TIMEOUT (7)"), and for run timeouts on WebGPU the likely cause and the remedy — the first run includes
 * the driver's shader compile, tens of seconds on lavapipe for a big kernel (docs/webgpu.md "Session 18").
 * Empty when nothing failed.
 */
export function describeErrors(counts: ReadonlyMap<MeasureErrorNo, number>, targetKind: string): string {
  if (counts.size === 0) return '';
  const kinds = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([no, n]) => `${n}× ${errorName(no)} (${no})`);
  const hint = targetKind === 'webgpu' && counts.has(MeasureErrorNo.RUN_TIMEOUT)
    ? "; a WebGPU candidate's first run includes the driver's shader compile: raise --timeout (seconds) to measure big kernels"
    : '';
  return `: ${kinds.join(', ')}${hint}; each one's reason with -v or \`tensortune logs stats\``;
}

/**
 * A hook for tests that signal a running job (tests/cli/tune_build.test.ts): with
 * TENSORTUNE_HOLD_AFTER_RECORD=n, once the log holds n or more records of this run (after the
 * batch that got there is written), the job says `holding after record k` on stderr and waits
 * there until a signal (SIGINT, SIGTERM, SIGCONT) arrives — so a test kills or interrupts it at a
 * known point, instead of guessing when a signal will land. Runs after the log callback.
 */
function holdCallback(writer: LogWriter): Callback[] {
  const at = Number(process.env.TENSORTUNE_HOLD_AFTER_RECORD ?? NaN);
  if (!Number.isInteger(at) || at < 1) return [];
  let held = false;
  return [() => {
    if (held || writer.count < at) return Promise.resolve();
    held = true;
    return new Promise<void>((resolve) => {
      const go = (): void => {
        for (const s of ['SIGINT', 'SIGTERM', 'SIGCONT'] as const) process.off(s, go);
        resolve();
      };
      for (const s of ['SIGINT', 'SIGTERM', 'SIGCONT'] as const) process.on(s, go);
      process.stderr.write(`holding after record ${writer.count}\n`);
    });
  }];
}

/**
 * Ctrl-C (or SIGTERM) once: stop after the batch in flight, whose records are still written.
 * Twice: quit now; every record already written is a whole line, the batch in flight is dropped.
 */
export function stopOnSignals(controller: AbortController, say: (m: string) => void): () => void {
  let count = 0;
  const handler = (sig: NodeJS.Signals): void => {
    count++;
    if (count === 1) {
      say(`\n${sig}: stopping after the batch in flight (press Ctrl-C again to quit now)`);
      controller.abort();
    } else {
      process.exit(EXIT_INTERRUPTED);
    }
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}

export async function runTune(a: TuneArgs): Promise<void> {
  await registerTemplates();
  const w = resolveWorkload(a, a.target);
  const task = createTaskChecked(w);
  const existing = recordsOfTask(a.log, task);
  if (existing > 0 && !a.resume) {
    throw new UsageError(`--log '${a.log}' already has ${existing} records of ${task.name} [${formatArgs(task.args)}] on '${task.target}'; pass --resume to continue that job, or use another --log`);
  }
  const say = (m: string): void => {
    if (!a.quiet) process.stderr.write(m + '\n');
  };
  if ((a.planSize !== undefined || a.mutationShare !== undefined) && a.tuner !== 'xgb') {
    throw new UsageError(`--plan-size and --mutation-share are options of the xgb tuner, not of --tuner ${a.tuner}`);
  }
  const tuner = makeTuner(a.tuner, task, a.seed, a.featureType, {
    ...(a.planSize !== undefined ? { planSize: a.planSize } : {}), ...(a.mutationShare !== undefined ? { mutationShare: a.mutationShare } : {}),
  });
  const warmRecords: LogRecord[] = [];
  for (const f of a.warmStart?.logs ?? []) warmRecords.push(...await loadRecords(f));
  let restored = 0;
  if (a.resume && existsSync(a.log)) restored = await tuner.resumeFrom(a.log);
  say(`tuning ${task.name} [${formatArgs(task.args)}] on '${task.target}': space ${task.space.sizeText()} configs, ${a.trials} trials with ${a.tuner}` +
    (restored > 0 ? `; resumed ${restored} from ${a.log} (best so far ${formatGflops(tuner.bestFlops / 1e9)})` : ''));

  const roof = a.rooflineStop !== undefined ? await taskRooflines([task], a.remeasurePeak === true, say) : undefined;
  const bound = roof?.bounds[0];
  if (bound !== undefined) say(`roofline: ${task.name} ${boundText(bound)}; stopping at ${a.rooflineStop} of it (${formatGflops((a.rooflineStop! * bound.boundFlops) / 1e9)})`);
  const device = await deviceOf(task);
  const measure = measureOption({
    builder: localBuilder({ timeout: a.timeout }),
    runner: localRunner({ number: a.number, repeat: a.repeat, minRepeatMs: a.minRepeatMs, timeout: a.timeout, timer: a.timer }),
  });
  const controller = new AbortController();
  // The stop message answers the user's Ctrl-C, so it is shown even with --quiet.
  const unhook = stopOnSignals(controller, (m) => process.stderr.write(m + '\n'));
  const bar = progress(tuner.trials);
  const errorKinds = new Map<MeasureErrorNo, number>();
  let summary: TuneSummary;
  let writer: LogWriter | undefined;
  try {
    writer = new LogWriter(a.log);
    summary = await tuner.tune({
      nTrial: a.trials,
      ...(a.earlyStopping !== undefined ? { earlyStopping: a.earlyStopping } : {}),
      ...(a.batch !== undefined ? { batchSize: a.batch } : {}),
      measureOption: measure,
      callbacks: [logToFile(writer, { device }), errorCounter(errorKinds), ...holdCallback(writer), ...(verbosity() > 0 ? [trialLines(task)] : []), ...(a.quiet ? [] : [bar.callback])],
      signal: controller.signal,
      ...(a.warmStart !== undefined ? { warmStart: { records: warmRecords }, measureDefaultFirst: a.warmStart.default } : {}),
      ...(bound !== undefined ? { stopAtRoofline: { fraction: a.rooflineStop!, boundFlops: bound.boundFlops } } : {}),
    });
  } finally {
    unhook();
    writer?.close();
    await measure.close();
  }
  if (!a.quiet) bar.finish(tuner, summary.stoppedBy === 'nTrial' ? undefined : `stopped: ${summary.stoppedBy}`);
  const ws = summary.warmStart;
  if (ws !== undefined) {
    say(`warm start: ${ws.configs} configs first (${ws.transferred} from ${a.warmStart!.logs.length} logs); skipped ${ws.otherTemplate} records of another template, ${ws.invalid} not valid in this space`);
  }
  const result = {
    task: task.name,
    args: task.args,
    target: task.target,
    log: a.log,
    tuner: a.tuner,
    trials: summary.trials,
    measured: summary.measured,
    resumed: restored,
    errors: summary.errors,
    /** This run's failed candidates by error name (MeasureErrorNo). */
    errorKinds: Object.fromEntries([...errorKinds].map(([no, n]) => [errorName(no), n])),
    stoppedBy: summary.stoppedBy,
    bestGflops: summary.bestFlops / 1e9,
    bestConfig: summary.bestConfig?.toData() ?? null,
    spaceSize: task.space.length,
    /** Configs the template's multiFilter accepts (null: too many to count, at most spaceSize). */
    validSpaceSize: task.space.validLength ?? null,
    ...(ws !== undefined ? { warmStart: ws } : {}),
    ...(bound !== undefined ? { roofline: rooflineJson(bound, a.rooflineStop!, roof!.peak, summary.bestFlops, summary.stoppedBy === 'roofline') } : {}),
  };
  const roofText = bound === undefined || summary.bestConfig === undefined ? ''
    : `; roofline ${boundText(bound)}, best at ${((100 * summary.bestFlops) / bound.boundFlops).toFixed(0)} % of it${summary.stoppedBy === 'roofline' ? `, stopped by the roofline (≥ ${a.rooflineStop})` : ''}`
      // Past 100 %: the roofs are measured references (the f32x4 step alone; DRAM streaming, which cache-resident
      // tensors beat), not limits — say so rather than let a 206 % read as a fault.
      + (summary.bestFlops > bound.boundFlops ? ` (past the bound: the ${bound.limitedBy} roof is a measured reference, not a limit${bound.limitedBy === 'memory' ? ' — tensors that stay in cache beat the DRAM bandwidth' : ''})` : '');
  if (a.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  else {
    process.stdout.write(
      summary.bestConfig === undefined
        ? `no successful candidate in ${summary.trials} trials${describeErrors(errorKinds, parseTarget(task.target).kind)}\n`
        : `best ${formatGflops(result.bestGflops)} with config ${summary.bestConfig.index} after ${summary.trials} trials (${summary.errors} errors this run${describeErrors(errorKinds, parseTarget(task.target).kind)})${roofText}; records in ${a.log}\n`,
    );
  }
  if (summary.stoppedBy === 'signal') throw new ExitError('stopped by signal; every finished record is in the log', EXIT_INTERRUPTED);
  if (summary.bestConfig === undefined && summary.trials > 0) throw new ExitError(`every one of ${summary.trials} candidates failed; see \`tensortune logs stats ${a.log}\``, EXIT_FAILURE);
}
