// autotune/callbacks.ts — tune-loop callbacks: a progress bar (trials, best GFLOP/s, errors, ETA) and
// logToFile (one tuning-log record per measured config, appended and flushed as it arrives).

import type { Writable } from 'node:stream';
import { hostFingerprint, toLogRecord, type DeviceFingerprint } from '../tuning-logs/record.js';
import { appendRecord } from '../tuning-logs/writer.js';
import { resultFlops, type Callback } from './tuner.js';

export interface ProgressBarOptions {
  readonly prefix?: string;
  /** Where to draw (default: stderr). A TTY gets one line redrawn in place, anything else a line per batch. */
  readonly stream?: Writable & { isTTY?: boolean };
}

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${s.toFixed(0)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
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
    const perTrial = elapsed / Math.max(done - startTrials, 1);
    const left = Math.max(Math.min(total - done, tuner.ttl), 0);
    const line = `${prefix}Current/Best: ${(cur / 1e9).toFixed(2).padStart(7)}/${(tuner.bestFlops / 1e9).toFixed(2).padStart(7)} GFLOP/s`
      + ` | Progress: (${done}/${total}) | errors ${tuner.errorCount} | ${elapsed.toFixed(1)} s | ETA ${formatSeconds(left * perTrial)}`;
    if (stream.isTTY) stream.write(`\r${line}${done >= total ? '\n' : ''}`);
    else stream.write(`${line}\n`);
  };
}

export interface LogToFileOptions {
  /** Extra device fields for each record (default: this host's CPU, cores, V8 and Node versions). */
  readonly device?: DeviceFingerprint;
}

/** Appends one record per measured config to `path` (AutoTVM's log_to_file), each written and flushed whole. */
export function logToFile(path: string, opts: LogToFileOptions = {}): Callback {
  const device = opts.device ?? hostFingerprint();
  return (_tuner, inputs, results) => {
    inputs.forEach((inp, k) => {
      appendRecord(path, toLogRecord(inp, results[k]!, { ...device, target: inp.task.target }));
    });
  };
}
