// autotune/callbacks.ts — tune-loop callbacks: a progress bar (trials, best GFLOP/s, errors, ETA) and
// logToFile (one tuning-log record per measured config, appended and flushed as it arrives).

import type { Writable } from 'node:stream';
import { LogWriter } from '../tuning-logs/writer.js';
import { hostFingerprint, toLogRecord, type DeviceFingerprint } from '../tuning-logs/record.js';
import { appendRecord } from '../tuning-logs/writer.js';
import { formatDuration } from './format.js';
import { resultFlops, type Callback, type Tuner } from './tuner.js';

export interface ProgressBarOptions {
  readonly prefix?: string;
  /** Where to draw (default: stderr). A TTY gets one line redrawn in place, anything else a line per batch. */
  readonly stream?: Writable & { isTTY?: boolean };
}

/**
 * Seconds left for a tune job: the time per trial measured in this run (trials after
 * `startTrials`) times the trials left (`total` or the early-stopping ttl, whichever is first).
 * Undefined before any trial of this run. The one ETA rule of both progress displays.
 */
export function etaSeconds(tuner: Pick<Tuner, 'trials' | 'ttl' | 'nTrial'>, startTrials: number, elapsedSeconds: number, total = tuner.nTrial): number | undefined {
  const done = tuner.trials - startTrials;
  if (done <= 0) return undefined;
  const left = Math.max(0, Math.min(tuner.ttl, total - tuner.trials));
  return (elapsedSeconds / done) * left;
}

/** AutoTVM's progress_bar: `[prefix] Current/Best: 12.30/45.60 GFLOP/s | Progress: (64/300) | errors 2 | ETA 3m10s`. */
export function progressBar(total: number, opts: ProgressBarOptions = {}): Callback {
  const stream = opts.stream ?? process.stderr;
  const prefix = opts.prefix ? `${opts.prefix} ` : '';
  const start = Date.now();
  let startTrials: number | undefined;
  return (tuner, inputs, results) => {
    startTrials ??= tuner.trials - inputs.length;
    let cur = 0;
    inputs.forEach((inp, k) => {
      cur = Math.max(cur, resultFlops(inp.task, results[k]!));
    });
    const done = tuner.trials;
    const elapsed = (Date.now() - start) / 1000;
    const eta = etaSeconds(tuner, startTrials, elapsed, total);
    const line = `${prefix}Current/Best: ${(cur / 1e9).toFixed(2).padStart(7)}/${(tuner.bestFlops / 1e9).toFixed(2).padStart(7)} GFLOP/s`
      + ` | Progress: (${done}/${total}) | errors ${tuner.errorCount} | ${elapsed.toFixed(1)} s | ETA ${formatDuration(eta ?? NaN)}`;
    if (stream.isTTY) stream.write(`\r${line}${done >= total ? '\n' : ''}`);
    else stream.write(`${line}\n`);
  };
}

export interface LogToFileOptions {
  /** Extra device fields for each record (default: this host's CPU, cores, V8 and Node versions). */
  readonly device?: DeviceFingerprint;
}

/**
 * Appends one record per measured config (AutoTVM's log_to_file), each written and flushed whole:
 * to `path` (opened per batch), or through an open LogWriter (the CLI keeps one for the job).
 * The record's device is `opts.device` (default: this host) plus the task's canonical target.
 */
export function logToFile(dest: string | LogWriter, opts: LogToFileOptions = {}): Callback {
  const device = opts.device ?? hostFingerprint();
  return (_tuner, inputs, results) => {
    inputs.forEach((inp, k) => {
      const record = toLogRecord(inp, results[k]!, { ...device, target: inp.task.target });
      if (dest instanceof LogWriter) dest.write(record);
      else appendRecord(dest, record);
    });
  };
}
