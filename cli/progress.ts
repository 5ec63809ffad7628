// cli/progress.ts — the CLI's tuning progress line: a bar, trials, best GFLOP/s, errors, ETA (a tune
// callback). Its ETA rule and duration format are autotune's (etaSeconds, formatDuration); only the
// look differs from autotune's progressBar (AutoTVM's text, for library users).
// Written to stderr so `--json` output on stdout stays clean; on a terminal it redraws one line,
// elsewhere (a CI log, a file) it prints a plain line at most every `intervalMs`.

import type { Callback, Tuner } from '../autotune/tuner.js';
import { etaSeconds } from '../autotune/callbacks.js';
import { formatDuration } from '../autotune/format.js';
import { formatGflops } from './format.js';

export interface ProgressOptions {
  readonly stream?: NodeJS.WriteStream;
  readonly prefix?: string;
  /** Minimum time between lines when the stream is not a terminal. */
  readonly intervalMs?: number;
  readonly now?: () => number;
}

export interface Progress {
  readonly callback: Callback;
  /** Draws the final state and ends the line. */
  finish(tuner: Tuner, note?: string): void;
}

const BAR = 24;

/** The text of one progress line (exported for tests). */
export function progressLine(p: { prefix: string; trials: number; nTrial: number; bestGflops: number; errors: number; etaSeconds: number | undefined }): string {
  const frac = p.nTrial > 0 ? Math.min(1, p.trials / p.nTrial) : 1;
  const filled = Math.round(frac * BAR);
  const bar = '#'.repeat(filled) + '.'.repeat(BAR - filled);
  const eta = p.etaSeconds === undefined ? '' : `  ETA ${formatDuration(p.etaSeconds)}`;
  return `${p.prefix}[${bar}] ${p.trials}/${p.nTrial}  best ${formatGflops(p.bestGflops)}  errors ${p.errors}${eta}`;
}

/**
 * A progress display for `tuner.tune`. `startTrials` is the trial count before this run (after
 * resuming), so the ETA uses only trials measured now.
 */
export function progress(startTrials: number, opts: ProgressOptions = {}): Progress {
  const stream = opts.stream ?? process.stderr;
  const now = opts.now ?? Date.now;
  const tty = stream.isTTY === true;
  const interval = opts.intervalMs ?? 10_000;
  const t0 = now();
  let lastPrint = -Infinity;
  const line = (tuner: Tuner): string => {
    const elapsed = (now() - t0) / 1000;
    return progressLine({
      prefix: opts.prefix ?? '',
      trials: tuner.trials,
      nTrial: tuner.nTrial,
      bestGflops: tuner.bestFlops / 1e9,
      errors: tuner.errorCount,
      etaSeconds: etaSeconds(tuner, startTrials, elapsed),
    });
  };
  return {
    callback: (tuner) => {
      if (tty) stream.write(`\r${line(tuner)}\x1b[K`);
      // The last batch is drawn by finish(); printing it here too would repeat the line.
      else if (tuner.trials < tuner.nTrial && now() - lastPrint >= interval) {
        stream.write(line(tuner) + '\n');
        lastPrint = now();
      }
    },
    finish: (tuner, note) => {
      const text = line(tuner).replace(/ {2}ETA .*$/, '') + (note ? `  (${note})` : '');
      stream.write(tty ? `\r${text}\x1b[K\n` : text + '\n');
    },
  };
}
