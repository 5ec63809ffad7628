#!/usr/bin/env node
// scripts/mutate.mjs — `npm run mutate`: mutation testing with StrykerJS 9's command runner, one
// source folder at a time against that folder's tests (tests/<folder>), so a run stays feasible
// on a small machine. Scores go to reports/mutation/<folder>.json and .html (not in git).
//
// Why the command runner: Stryker 10 needs Node 22, and 9.x's vitest runner fails on vitest 4
// ("The 1st argument inside a fixture must use object destructuring"). The command runner works
// with any vitest; it cannot tell which tests cover a mutant, so each mutant runs the whole
// folder's tests (with --bail=1, so a killed mutant stops at its first failing test).
//
// Usage:
//   npm run mutate                                   # tir, schedule, codegen, tuning-logs (hours)
//   npm run mutate -- tir                            # one folder
//   npm run mutate -- tir --files tir/arith/div_mod.ts,tir/passes/simplify.ts
//   npm run mutate -- codegen --sample 3 --seed 7    # 3 random source files of the folder
//   npm run mutate -- tir --tests tests/tir/arith    # a narrower test command for a quick look
//   … --name barriers                                # reports/mutation/barriers-summary.json
//   npm run mutate -- tir --concurrency 2
//   npm run mutate -- tir --sample 4 --lines 12 --related --plan   # print what would run
//   npm run mutate -- tir --sample 4 --lines 12 --related   # a quick sample (see below)
//   … --related --max-tests 10                      # more of the tests that reach each file
//   … --skip tir/interpreter.ts                      # leave files of the sample out (same windows for the rest)
//   npm run mutate -- --help                         # this usage
//
// Sampling (what fits in ~15 minutes on a shared 2-core machine): --sample K picks K source files
// of the folder (seeded by --seed), --lines L mutates only L random 3-line windows of each (a
// `file:from-to` range each, so mutants spanning more lines are left out), and --related
// runs, for each file, the test files that reach it (scripts/related_tests.mjs: the file is in the
// test's transitive import closure — static imports, literal `import()`, worker and child-process
// entries loaded by `new URL(…, import.meta.url)`; anywhere under tests/, not only tests/<folder>),
// best-ranked first, at most --max-tests of them (default 6) and within --budget-ms of recorded
// test time (default 8000; vitest's cache of its last run), one Stryker run per file (falling
// back to tests/<folder> when none reaches it). The score of a sample estimates the folder's.
// Run it niced on a shared machine: `nice -n 15 npm run mutate -- …`.

import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Stryker } from '@stryker-mutator/core';
import { importersGraph, loadDurations, relatedTests } from './related_tests.mjs';

const FOLDERS = ['tir', 'schedule', 'codegen', 'tuning-logs'];
/** Lines per sampled window (--lines counts windows). */
const WINDOW = 3;

function parseArgs(argv) {
  const out = { folders: [], files: undefined, sample: undefined, lines: undefined, related: false, seed: 1, tests: undefined, concurrency: 1, timeoutMS: 60_000, maxTests: 6, budgetMs: 8000 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`mutate: ${a} needs a value`);
      return v;
    };
    if (a === '--help' || a === '-h') out.help = true;
    else if (a === '--files') out.files = next().split(',').filter(Boolean);
    else if (a === '--sample') out.sample = Number(next());
    else if (a === '--seed') out.seed = Number(next());
    else if (a === '--lines') out.lines = Number(next());
    else if (a === '--related') out.related = true;
    else if (a === '--max-tests') out.maxTests = Number(next());
    else if (a === '--budget-ms') out.budgetMs = Number(next());
    else if (a === '--plan') out.planOnly = true;
    else if (a === '--name') out.name = next();
    else if (a === '--skip') out.skip = next().split(',').filter(Boolean);
    else if (a === '--tests') out.tests = next();
    else if (a === '--concurrency') out.concurrency = Number(next());
    else if (a === '--timeout-ms') out.timeoutMS = Number(next());
    else if (a.startsWith('-')) throw new Error(`mutate: unknown option ${a} (npm run mutate -- --help lists them)`);
    else if (FOLDERS.includes(a)) out.folders.push(a);
    else throw new Error(`mutate: unknown folder ${a}; one of ${FOLDERS.join(', ')}`);
  }
  if (out.folders.length === 0) out.folders = FOLDERS;
  if (out.sample !== undefined && !(Number.isInteger(out.sample) && out.sample > 0)) throw new Error('mutate: --sample needs a positive integer (files per folder)');
  if (out.lines !== undefined && !(Number.isInteger(out.lines) && out.lines > 0)) throw new Error('mutate: --lines needs a positive integer (lines per file)');
  if (!(Number.isInteger(out.maxTests) && out.maxTests > 0)) throw new Error('mutate: --max-tests needs a positive integer (test files per mutated file, with --related)');
  if (!(out.budgetMs > 0)) throw new Error('mutate: --budget-ms needs a positive number (recorded test time per mutated file, ms, with --related)');
  if (out.files && out.folders.length !== 1) throw new Error('mutate: --files needs exactly one folder');
  return out;
}

/** Source files of a folder (recursively), without barrels (index.ts only re-exports). */
function sourceFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts') && name !== 'index.ts') out.push(p);
  }
  return out;
}

/** A seeded random source (xorshift32), so a sampled run can be repeated. */
function rng(seed) {
  // Small seeds are spread over 32 bits first (xorshift starts poorly from a few set bits).
  let s = (Math.imul(seed >>> 0, 2654435761) ^ 0x9e3779b9) >>> 0 || 1;
  const next = () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
  for (let i = 0; i < 8; i++) next();
  return next;
}

function pick(items, k, rand) {
  const pool = [...items];
  const picked = [];
  while (picked.length < k && pool.length > 0) picked.push(pool.splice(Math.floor(rand() * pool.length), 1)[0]);
  return picked;
}

/** Line numbers (1-based) that hold code: not blank, not comments, not imports/exports of names. */
function codeLines(file) {
  return readFileSync(file, 'utf8').split('\n').flatMap((line, i) => {
    const t = line.trim();
    if (t === '' || t.startsWith('//') || t.startsWith('*') || t.startsWith('/*') || /^(import|export \{|export type|\}|\);?$|\]\)?;?$)/.test(t)) return [];
    return [i + 1];
  });
}

async function runStryker(label, mutate, tests, opts) {
  const stryker = new Stryker({
    mutate,
    testRunner: 'command',
    commandRunner: { command: `npx vitest run ${tests} --bail=1 --reporter=dot --silent` },
    coverageAnalysis: 'off',
    concurrency: opts.concurrency,
    timeoutMS: opts.timeoutMS,
    // Type errors are tsc's job; mutants that would not type-check still run.
    disableTypeChecks: true,
    ignorePatterns: ['dist', 'reports', 'bench/out', '.gl', 'demo', '*.log', '.stryker-tmp*'],
    tempDirName: opts.name ? `.stryker-tmp-${opts.name}` : '.stryker-tmp',
    cleanTempDir: true,
    reporters: ['clear-text', 'progress', 'json', 'html'],
    jsonReporter: { fileName: `reports/mutation/${label}.json` },
    htmlReporter: { fileName: `reports/mutation/${label}.html` },
    thresholds: { high: 80, low: 60, break: null },
    // The unmutated run of a file's tests, on a loaded 2-core machine, can pass Stryker's 5 minutes.
    dryRunTimeoutMinutes: 20,
    logLevel: 'warn',
  });
  return stryker.runMutationTest();
}

async function mutateFolder(folder, opts) {
  const rand = rng(opts.seed);
  let files = opts.files ?? sourceFiles(folder);
  if (opts.sample) files = pick(files, opts.sample, rand).sort();
  const importers = opts.related && !opts.tests ? importersGraph(process.cwd()) : undefined;
  const durations = importers ? loadDurations(process.cwd()) : undefined;
  const plan = files.map((f) => {
    // Windows of WINDOW lines starting at sampled code lines (a single line often holds no mutant).
    const lines = opts.lines ? pick(codeLines(f), opts.lines, rand).sort((a, b) => a - b) : undefined;
    // --files may name ranges (file:from-to); the import graph knows the file.
    const related = importers ? relatedTests(process.cwd(), f.replace(/:[\d-]+$/, ''), { max: opts.maxTests, budgetMs: opts.budgetMs, durations, importers }) : undefined;
    const tests = opts.tests ?? (related ? (related.tests.length > 0 ? related.tests.map((t) => t.file).join(' ') : `tests/${folder}`) : `tests/${folder}`);
    return { file: f, mutate: lines ? lines.map((l) => `${f}:${l}-${l + WINDOW - 1}`) : [f], tests, reaching: related?.total };
  }).filter((p) => !opts.skip?.includes(p.file));
  // One run per file when tests differ per file; otherwise one run for the folder.
  const groups = opts.related && !opts.tests
    ? plan.map((p) => ({ label: `${folder}--${p.file.replace(/[/\\:]/g, '_')}`, mutate: p.mutate, tests: p.tests, reaching: p.reaching }))
    : [{ label: opts.name ?? folder, mutate: plan.flatMap((p) => p.mutate), tests: opts.tests ?? `tests/${folder}` }];
  if (opts.planOnly) {
    for (const g of groups) console.log(`${g.label}\n  mutate: ${g.mutate.join(' ')}\n  tests${reachingNote(g)}: ${g.tests}`);
    return undefined;
  }
  const results = [];
  let summary;
  for (const g of groups) {
    console.error(`mutate ${folder}: ${g.mutate.join(' ')}\n  tests${reachingNote(g)}: ${g.tests}`);
    results.push(...await runStryker(g.label, g.mutate, g.tests, opts));
    // Written after every run, so a run stopped part way still leaves the scores so far.
    summary = summarize(folder, opts, plan, results);
    mkdirSync('reports/mutation', { recursive: true });
    writeFileSync(`reports/mutation/${opts.name ?? folder}-summary.json`, JSON.stringify(summary, null, 2));
  }
  return summary;
}

/** ` (6 of 87 reaching it)` for a --related run. */
function reachingNote(g) {
  return g.reaching === undefined ? '' : ` (${g.tests.split(' ').length} of ${g.reaching} test files reaching it)`;
}

function summarize(folder, opts, plan, results) {
  const count = (status) => results.filter((m) => m.status === status).length;
  const killed = count('Killed') + count('Timeout');
  const survived = count('Survived');
  const noCov = count('NoCoverage');
  const valid = killed + survived + noCov;
  const score = valid === 0 ? NaN : (100 * killed) / valid;
  const survivors = results.filter((m) => m.status === 'Survived').map((m) => ({
    file: m.fileName.replace(`${process.cwd()}/`, ''), line: m.location.start.line, mutator: m.mutatorName, replacement: m.replacement,
  }));
  return {
    folder, seed: opts.seed, sample: opts.sample ?? null, lines: opts.lines ?? null, related: opts.related,
    files: plan.map((p) => ({ file: p.file, tests: p.tests, reaching: p.reaching ?? null })), maxTests: opts.related ? opts.maxTests : null, budgetMs: opts.related ? opts.budgetMs : null, mutants: results.length, killed, survived,
    errors: count('CompileError') + count('RuntimeError'), score, survivors,
  };
}

/** The header comment from `Usage:` to the end of the sampling notes, without the `// `. */
function usage() {
  const lines = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n');
  const from = lines.findIndex((l) => l.startsWith('// Usage:'));
  const to = lines.findIndex((l, i) => i > from && !l.startsWith('//'));
  return lines.slice(from, to).map((l) => l.replace(/^\/\/ ?/, '')).join('\n');
}

const opts = parseArgs(process.argv.slice(2));
if (opts.help) {
  console.log(usage());
  process.exit(0);
}
const summary = [];
for (const folder of opts.folders) {
  const s = await mutateFolder(folder, opts);
  if (s) summary.push(s);
}
if (summary.length > 0) console.log('\nfolder        files  mutants  killed  survived  errors  score');
for (const s of summary) {
  console.log(`${s.folder.padEnd(13)} ${String(s.files.length).padStart(5)}  ${String(s.mutants).padStart(7)}  ${String(s.killed).padStart(6)}  ${String(s.survived).padStart(8)}  ${String(s.errors).padStart(6)}  ${s.score.toFixed(1)} %`);
}
