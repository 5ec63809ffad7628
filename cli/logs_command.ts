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
import { note, outputOf, outputOption, type OutputOpts } from './output_option.js';
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
    note(`templates unavailable, GFLOP/s unknown: ${(e as Error).message}`);
    return () => undefined;
  }
}

type RecordCheck = (r: LogRecord) => string | undefined;

/**
 * The check that a record's config fits its template (entity in the space, index matching), as
 * builds apply it. Needs the templates, loaded lazily; without them nothing is checked (said so
 * with -v), as for records of templates this build does not have.
 */
async function loadRecordCheck(): Promise<RecordCheck> {
  try {
    const w = await import('./workloads.js');
    await w.registerTemplates();
    const { recordChecker } = await import('../autotune/record_check.js');
    return recordChecker();
  } catch (e) {
    note(`templates unavailable, configs not checked: ${(e as Error).message}`);
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

async function bestCommand(files: string[], o: CommonOpts & { out: string | undefined }): Promise<void> {
  requireFiles(files);
  const workloadFlop = await loadFlopOf();
  const check = await loadRecordCheck();
  const entries: LogEntry[] = [];
  for (const f of files) for (const e of readEntriesSync(f, readOpts(o))) entries.push(e);
  const where = new Map<LogRecord, LogEntry>(entries.map((e) => [e.record, e]));
  const skipped: { file: string | undefined; line: number | undefined; index: number; reason: string }[] = [];
  const winners = best(entries.map((e) => e.record), {
    check,
    onSkip: (r, reason) => skipped.push({ file: where.get(r)?.file, line: where.get(r)?.line, index: r.config.index, reason }),
  });
  // Said on stderr (stdout stays the table or the JSON): a skipped record would otherwise just vanish.
  for (const s of skipped) process.stderr.write(`skipped config ${s.index} from ${s.file}:${s.line}: ${s.reason}\n`);
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
  const check = await loadRecordCheck();
  const s = stats(loadRecordsSync(files, readOpts(o)), { flopOf: workloadFlop, check });
  print(o.json, s.map((w) => ({ ...w, bestCost: Number.isFinite(w.bestCost) ? w.bestCost : null })), () =>
    s.length === 0
      ? 'no records'
      : s
          .map((w) => {
            const errs = Object.entries(w.errors).map(([n, c]) => `${c}× ${ERROR_NAMES[Number(n)] ?? 'error'} (${n})`);
            return [
              `${w.taskName} [${formatArgs(JSON.parse(w.workloadKey)[1] as LogRecord['input'][2])}] on ${w.target}`,
              `  records ${w.records} (${w.distinctConfigs} distinct configs), ok ${w.ok}, errors ${w.records - w.ok - w.invalid}${errs.length ? ': ' + errs.join(', ') : ''}` +
                (w.invalid > 0 ? `, ${w.invalid} not counted (see \`tensortune logs validate\`)` : ''),
              `  best ${formatSeconds(w.bestCost)} = ${formatGflops(w.bestGflops)}, config ${w.bestIndex ?? '—'}, found at trial ${w.bestAtTrial ?? '—'}`,
              // secondsSpent adds up each record's own build + run time (AutoTVM's all_cost): with builds in
              // parallel it exceeds the job's wall time, so both are named for what they are.
              `  measurement time (sum over records) ${formatDuration(w.secondsSpent)}; wall clock first→last record ${formatDuration(w.lastTimestamp - w.firstTimestamp)}`,
            ].join('\n');
          })
          .join('\n'),
  );
}

async function validateCommand(files: string[], o: CommonOpts): Promise<void> {
  requireFiles(files);
  const check = await loadRecordCheck();
  const reports = files.map((f) => validate(f, { check }));
  print(o.json, reports, () =>
    reports
      .map((r) => {
        const old = r.oldFormat === undefined ? '' : `, ${r.oldFormat.count} line${r.oldFormat.count === 1 ? '' : 's'} in the old v0.1 layout skipped`;
        const lines = [`${r.path}: ${r.records} records, ${r.bad.length} bad lines${old}${r.tornLastLine ? ', torn last line (harmless)' : ''}`];
        if (r.oldFormat !== undefined) {
          const at = r.oldFormat.count === 1 ? `line ${r.oldFormat.first}` : `lines ${r.oldFormat.first}–${r.oldFormat.last}`;
          lines.push(`  ${at}: ${r.oldFormat.message}`);
        }
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

function examples(lines: readonly string[], more = ''): string {
  return `\nExamples:\n${lines.map((l) => `  $ tensortune logs ${l}`).join('\n')}${more ? `\n\n${more}` : ''}`;
}

export function addLogsCommand(program: Command): void {
  const logs = program
    .command('logs')
    .description('inspect and combine tuning logs (JSON lines, AutoTVM layout)')
    .addHelpText('after', examples(['validate dense.jsonl', 'best a.jsonl b.jsonl -o best.jsonl', 'merge a.jsonl b.jsonl -o all.jsonl', 'stats dense.jsonl --json', 'plot xgb.jsonl random.jsonl -o curve.svg']));
  const common = (c: Command): Command => c.option('--json', 'machine-readable output').option('--strict', 'a malformed line is an error instead of a warning');
  outputOption(common(logs.command('best').argument('<logs...>', 'log files')), 'also write the best records as a log')
    .description('best record per workload and target (lowest mean cost among records that count)')
    .addHelpText('after', examples(['best dense.jsonl', 'best a.jsonl b.jsonl -o best.jsonl --json'],
      'Records that do not count are said on stderr with the reason: failed measurements are\nignored; invalid lines and configs that do not fit their template (as `validate` reports)\nare skipped — the same records a build would skip.'))
    .action((files: string[], o: CommonOpts & OutputOpts) => bestCommand(files, { ...o, out: outputOf(o, 'logs best') }));
  outputOption(common(logs.command('merge').argument('<logs...>', 'log files')), 'merged log (required; may be one of the inputs)')
    .description('concatenate logs in order, dropping exact duplicates')
    .addHelpText('after', examples(['merge job1.jsonl job2.jsonl -o all.jsonl', 'merge all.jsonl new.jsonl -o all.jsonl       # in place: written aside, then renamed']))
    .action((files: string[], o: CommonOpts & OutputOpts) => mergeCommand(files, { ...o, out: outputOf(o, 'logs merge', true) }));
  common(logs.command('stats').argument('<logs...>', 'log files'))
    .description('per workload: records, errors by number, best time and GFLOP/s, time spent')
    .addHelpText('after', examples(['stats dense.jsonl', 'stats a.jsonl b.jsonl --json']))
    .action((files: string[], o: CommonOpts) => statsCommand(files, o));
  logs
    .command('validate')
    .argument('<logs...>', 'log files')
    .option('--json', 'machine-readable output')
    .description('report bad lines by number (exit 1 if any; a torn last line is harmless)')
    .addHelpText('after', examples(['validate dense.jsonl', 'validate tophub/*.log --json'],
      'A line is bad when it is not a valid record (layout, costs finite and positive for a record\nwithout error, an error number 0-8) or when its config does not fit its template (the entity\nnames the space\'s knobs and values, and the index is that entity\'s). Lines starting with #\nare comments; lines in AutoTVM\'s old v0.1 layout are reported once and skipped, as AutoTVM does.'))
    .action((files: string[], o: CommonOpts) => validateCommand(files, o));
  outputOption(common(logs.command('plot').argument('<logs...>', 'log files, one curve per file and workload')), 'SVG file to write (required)', '<file.svg>')
    .option('--title <text>', 'chart title')
    .description('SVG tuning curve: best GFLOP/s vs trial number')
    .addHelpText('after', examples(['plot xgb.jsonl -o curve.svg', "plot xgb.jsonl ga.jsonl random.jsonl -o compare.svg --title 'matmul 512³'"]))
    .action((files: string[], o: CommonOpts & OutputOpts & { title?: string }) => plotCommand(files, { ...o, out: outputOf(o, 'logs plot', true) }));
}
