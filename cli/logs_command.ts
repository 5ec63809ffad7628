// cli/logs_command.ts — `tensortune logs best|merge|stats|validate|plot`: whole-log chores.

import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { best, merge, stats, validate } from '../tuning-logs/ops.js';
import { groupKey } from '../tuning-logs/task_key.js';
import { tuningCurve, tuningCurveSvg, type Series } from '../tuning-logs/plot.js';
import { loadRecordsSync, readEntriesSync, type LogEntry, type ReadOptions } from '../tuning-logs/reader.js';
import { encodeRecord, meanCost, type LogRecord } from '../tuning-logs/record.js';
import { ExitError } from './errors.js';
import { formatDuration } from '../autotune/format.js';
import { formatArgs, formatGflops, formatSeconds, table } from './format.js';
import { requireFiles } from './parse.js';

interface CommonOpts {
  json?: boolean;
  strict?: boolean;
}

type FlopOf = (taskName: string, args: LogRecord['input'][2], target: string) => number | undefined;

/**
 * FLOP counts come from the templates, which means loading the whole compiler (binaryen
 * included). Loaded lazily, only by the subcommands that show GFLOP/s; if that fails, the log
 * chores still work and GFLOP/s is shown as unknown.
 */
async function loadFlopOf(): Promise<FlopOf> {
  try {
    const w = await import('./workloads.js');
    await w.registerTemplates();
    return w.workloadFlop;
  } catch (e) {
    if (process.env.TENSORTUNE_DEBUG) process.stderr.write(`note: templates unavailable, GFLOP/s unknown: ${(e as Error).message}\n`);
    return () => undefined;
  }
}

function readOpts(o: CommonOpts): ReadOptions {
  return { strict: o.strict ?? false };
}

function print(json: boolean | undefined, data: unknown, human: () => string): void {
  process.stdout.write((json ? JSON.stringify(data, null, 2) : human()) + '\n');
}

function gflopsOf(r: LogRecord, workloadFlop: FlopOf): number | undefined {
  const flop = workloadFlop(r.input[1], r.input[2], r.input[0]);
  const c = meanCost(r);
  return flop === undefined || !Number.isFinite(c) ? undefined : flop / c / 1e9;
}

async function bestCommand(files: string[], o: CommonOpts & { out?: string }): Promise<void> {
  requireFiles(files);
  const workloadFlop = await loadFlopOf();
  const entries: LogEntry[] = [];
  for (const f of files) for (const e of readEntriesSync(f, readOpts(o))) entries.push(e);
  const winners = best(entries.map((e) => e.record));
  const where = new Map<LogRecord, LogEntry>(entries.map((e) => [e.record, e]));
  if (o.out !== undefined) writeFileSync(o.out, winners.map((r) => encodeRecord(r) + '\n').join(''));
  const rows = winners.map((r) => ({
    target: r.input[0],
    task: r.input[1],
    args: r.input[2],
    configIndex: r.config.index,
    meanCost: meanCost(r),
    gflops: gflopsOf(r, workloadFlop),
    file: where.get(r)?.file,
    line: where.get(r)?.line,
    config: r.config,
  }));
  print(o.json, rows, () =>
    rows.length === 0
      ? 'no successful records'
      : table(
          ['target', 'task', 'args', 'config', 'mean', 'speed', 'from'],
          rows.map((r) => [r.target, r.task, formatArgs(r.args), String(r.configIndex), formatSeconds(r.meanCost), formatGflops(r.gflops), `${r.file}:${r.line}`]),
        ) + (o.out !== undefined ? `\nwrote ${rows.length} best records to ${o.out}` : ''),
  );
}

function mergeCommand(files: string[], o: CommonOpts & { out: string }): void {
  requireFiles(files);
  const report = merge(files, o.out, readOpts(o));
  print(o.json, { ...report, out: o.out }, () => `merged ${files.length} logs into ${o.out}: ${report.written} records (${report.duplicates} duplicates dropped)`);
}

const ERROR_NAMES: Readonly<Record<number, string>> = {
  1: 'instantiation', 2: 'compile host', 3: 'compile device', 4: 'runtime device', 5: 'wrong answer', 6: 'build timeout', 7: 'run timeout', 8: 'unknown',
};

async function statsCommand(files: string[], o: CommonOpts): Promise<void> {
  requireFiles(files);
  const workloadFlop = await loadFlopOf();
  const s = stats(loadRecordsSync(files, readOpts(o)), { flopOf: workloadFlop });
  print(o.json, s.map((w) => ({ ...w, bestCost: Number.isFinite(w.bestCost) ? w.bestCost : null })), () =>
    s.length === 0
      ? 'no records'
      : s
          .map((w) => {
            const errs = Object.entries(w.errors).map(([n, c]) => `${c}× ${ERROR_NAMES[Number(n)] ?? 'error'} (${n})`);
            return [
              `${w.taskName} [${formatArgs(JSON.parse(w.workloadKey)[1] as LogRecord['input'][2])}] on ${w.target}`,
              `  records ${w.records} (${w.distinctConfigs} distinct configs), ok ${w.ok}, errors ${w.records - w.ok}${errs.length ? ': ' + errs.join(', ') : ''}`,
              `  best ${formatSeconds(w.bestCost)} = ${formatGflops(w.bestGflops)}, config ${w.bestIndex ?? '—'}, found at trial ${w.bestAtTrial ?? '—'}`,
              `  measuring took ${formatDuration(w.secondsSpent)}, first to last record ${formatDuration(w.lastTimestamp - w.firstTimestamp)}`,
            ].join('\n');
          })
          .join('\n'),
  );
}

function validateCommand(files: string[], o: CommonOpts): void {
  requireFiles(files);
  const reports = files.map((f) => validate(f));
  print(o.json, reports, () =>
    reports
      .map((r) => {
        const lines = [`${r.path}: ${r.records} records, ${r.bad.length} bad lines${r.tornLastLine ? ', torn last line (harmless)' : ''}`];
        for (const b of r.bad) lines.push(`  line ${b.line}: ${b.message}`);
        return lines.join('\n');
      })
      .join('\n'),
  );
  const bad = reports.reduce((n, r) => n + r.bad.length, 0);
  if (bad > 0) throw new ExitError(`${bad} bad lines`, 1);
}

async function plotCommand(files: string[], o: CommonOpts & { out: string; title?: string }): Promise<void> {
  requireFiles(files);
  const workloadFlop = await loadFlopOf();
  const groups: { name: string; records: LogRecord[]; flop: number | undefined }[] = [];
  for (const f of files) {
    const byKey = new Map<string, LogRecord[]>();
    for (const r of loadRecordsSync(f, readOpts(o))) {
      const k = groupKey(r);
      if (!byKey.has(k)) byKey.set(k, []);
      byKey.get(k)!.push(r);
    }
    for (const records of byKey.values()) {
      const [target, task, args] = records[0]!.input;
      const name = `${files.length > 1 ? f + ': ' : ''}${task} [${formatArgs(args)}] ${target}`;
      groups.push({ name, records, flop: workloadFlop(task, args, target) });
    }
  }
  if (groups.length === 0) throw new ExitError('no records to plot', 1);
  // One unknown FLOP count puts every curve in runs/s, so the axis means one thing.
  const useFlop = groups.every((g) => g.flop !== undefined);
  const series: Series[] = groups.map((g) => ({ name: g.name, points: tuningCurve(g.records, useFlop ? g.flop : undefined) }));
  writeFileSync(o.out, tuningCurveSvg(series, { title: o.title ?? 'Tuning curve', yLabel: useFlop ? 'best GFLOP/s' : 'best runs/s' }));
  print(o.json, { out: o.out, series: series.map((s) => ({ name: s.name, trials: s.points.length, best: s.points.at(-1)?.value ?? 0 })) }, () => `wrote ${o.out} (${series.length} curves)`);
}

export function addLogsCommand(program: Command): void {
  const logs = program.command('logs').description('inspect and combine tuning logs (JSON lines, AutoTVM layout)');
  const common = (c: Command): Command => c.option('--json', 'machine-readable output').option('--strict', 'a malformed line is an error instead of a warning');
  common(logs.command('best').argument('<logs...>', 'log files').option('-o, --out <file>', 'also write the best records as a log'))
    .description('best record per workload and target (lowest mean cost without error)')
    .action((files: string[], o: CommonOpts & { out?: string }) => bestCommand(files, o));
  common(logs.command('merge').argument('<logs...>', 'log files').requiredOption('-o, --out <file>', 'merged log (may be one of the inputs)'))
    .description('concatenate logs in order, dropping exact duplicates')
    .action((files: string[], o: CommonOpts & { out: string }) => mergeCommand(files, o));
  common(logs.command('stats').argument('<logs...>', 'log files'))
    .description('per workload: records, errors by number, best time and GFLOP/s, time spent')
    .action((files: string[], o: CommonOpts) => statsCommand(files, o));
  logs
    .command('validate')
    .argument('<logs...>', 'log files')
    .option('--json', 'machine-readable output')
    .description('report bad lines by number (exit 1 if any; a torn last line is harmless)')
    .action((files: string[], o: CommonOpts) => validateCommand(files, o));
  common(logs.command('plot').argument('<logs...>', 'log files, one curve per file and workload').requiredOption('-o, --out <file.svg>', 'SVG file to write').option('--title <text>', 'chart title'))
    .description('SVG tuning curve: best GFLOP/s vs trial number')
    .action((files: string[], o: CommonOpts & { out: string; title?: string }) => plotCommand(files, o));
}
