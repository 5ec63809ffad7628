#!/usr/bin/env node
// scripts/related_tests.mjs — which test files reach a source file, for `npm run mutate --related`:
// a test counts when the file is in its transitive import closure (static imports and re-exports,
// `import()` with a literal path, and files loaded by path — `new URL('<lit>', import.meta.url)`,
// as worker entries and child-process scripts are, and the project's `siblingModule(import.meta.url,
// '<name>')`). Tests are ranked: those named after the file, then those importing it themselves
// (or through a barrel index.ts), then those in its own tests/ folder, then the rest (each by
// fewest import hops, then path); --max keeps the first N, so a mutant's run stays affordable (a
// file of tir/ is reached by ~140 tests).
//
// A file under tests/ that imports a barrel is counted as importing only the modules behind it
// whose exports its code names (`ops.conv2dGemm`, `{ fold }`): every tests/ops test imports
// ops/index.js, and without this each would "import" every op and rank above the tests that use
// the file (session 16: the related tests of ops/batch_matmul_pack.ts were the first ten of
// tests/ops by path, its own tests below them).
//
// Comments and string literals holding code (fixture sources) are not read as imports.
// Tests are also skipped, in rank order, when their recorded time (vitest's cache of the last run)
// would take the file's selection past --budget-ms, so one slow test does not slow every mutant.
//
// Usage (prints JSON, one entry per file):
//   node scripts/related_tests.mjs [--root DIR] [--max N] [--budget-ms MS] FILE…
// Plain Node, no TypeScript loader, like scripts/check_structure.mjs.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** Folders never scanned (build output, reports, mutation sandboxes, dependencies). */
const SKIP_DIRS = new Set(['node_modules', 'dist', 'reports', 'coverage', 'demo', '.git', '.gl', 'out']);
const CODE_EXT = /\.(?:ts|mts|js|mjs)$/;

/** Every code file under root (relative, '/'-separated), skipping SKIP_DIRS and dot folders. */
function codeFiles(root) {
  const files = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.') || SKIP_DIRS.has(name)) continue;
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (CODE_EXT.test(name) && !name.endsWith('.d.ts')) files.push(relative(root, p).split(sep).join('/'));
    }
  };
  walk(root);
  return files;
}

const STATIC_RE = /(?:^|[^\w.$])(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/g;
const DYNAMIC_RE = /(?:^|[^\w.$])import\(\s*['"`]([^'"`$]+)['"`]\s*\)/g;
// `new URL(<args>, import.meta.url)`: every string literal in <args> that names a code file (so
// `new URL(dist ? '../dist/main.js' : '../main.ts', import.meta.url)` gives both).
const URL_RE = /new\s+URL\(([^;]*?),\s*import\.meta\.url\s*\)/g;
const SIBLING_RE = /siblingModule\(\s*import\.meta\.url\s*,\s*['"]([\w.-]+)['"]\s*\)/g;
const LITERAL_RE = /['"`]([^'"`$]+)['"`]/g;

/** Blanks comments (keeping newlines and string literals such as 'http://…'). */
function stripComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' ')).replace(/(^|[^:'"`\\])\/\/[^\n]*/g, '$1');
}

/** Empties string literals holding whitespace: code kept in a string (a fixture) loads nothing. */
function stripCodeStrings(code) {
  return code.replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g, (m) => (/\s/.test(m.slice(1, -1)) ? `${m[0]}${m[0]}` : m));
}

/** The relative module specifiers a file loads, by any of the ways listed at the top. */
export function specifiersOf(text) {
  const code = stripCodeStrings(stripComments(text));
  const specs = [];
  for (const m of code.matchAll(STATIC_RE)) specs.push(m[1]);
  for (const m of code.matchAll(DYNAMIC_RE)) specs.push(m[1]);
  for (const m of code.matchAll(URL_RE)) for (const l of m[1].matchAll(LITERAL_RE)) if (CODE_EXT.test(l[1])) specs.push(l[1]);
  for (const m of code.matchAll(SIBLING_RE)) specs.push(`./${m[1]}.ts`);
  return specs.filter((s) => s.startsWith('.'));
}

/** The file a relative specifier names (`.js` written for a `.ts` source), or undefined. */
function resolveSpec(root, from, spec) {
  const abs = resolve(root, dirname(from), spec);
  const candidates = [abs.replace(/\.js$/, '.ts'), abs.replace(/\.mjs$/, '.mts'), abs, `${abs}.ts`, join(abs, 'index.ts')];
  const hit = candidates.find((c) => existsSync(c) && statSync(c).isFile());
  return hit === undefined ? undefined : relative(root, hit).split(sep).join('/');
}

const EXPORT_DECL_RE = /(?:^|[^\w.$])export\s+(?:default\s+)?(?:declare\s+)?(?:async\s+)?(?:function\*?|const|let|var|class|interface|type|enum)\s+([A-Za-z_$][\w$]*)/g;
const EXPORT_LIST_RE = /(?:^|[^\w.$])export\s+(?:type\s+)?\{([^}]*)\}/g;

/**
 * The names a module exports: declarations (`export function f`) and `export { a, b as c }`
 * lists, re-exports included (`export *` adds no name).
 */
export function exportNames(text) {
  const code = stripCodeStrings(stripComments(text));
  const names = new Set();
  for (const m of code.matchAll(EXPORT_DECL_RE)) names.add(m[1]);
  for (const m of code.matchAll(EXPORT_LIST_RE)) {
    for (const part of m[1].split(',')) {
      const name = part.trim().replace(/^type\s+/, '').split(/\s+as\s+/).pop()?.trim();
      if (name && /^[A-Za-z_$][\w$]*$/.test(name) && name !== 'default') names.add(name);
    }
  }
  return names;
}

/** Whether code (comments and code strings already blanked) names any of `names` as a whole word. */
function namesAny(code, names) {
  for (const n of names) if (new RegExp(`(?<![\\w$])${n.replace(/\$/g, '\\$')}(?![\\w$])`).test(code)) return true;
  return false;
}

const isTest = (f) => f.startsWith('tests/') && f.endsWith('.test.ts');
const isBarrel = (f) => /(?:^|\/)index\.ts$/.test(f);

/**
 * The modules behind `barrel` (through nested barrels) whose exports `code` names. A barrel only
 * re-exports (none of the project's declares anything), so it is never a module of its own here.
 */
function namedBehindBarrel(root, barrel, code, text, seen = new Set()) {
  if (seen.has(barrel)) return [];
  seen.add(barrel);
  const out = [];
  for (const spec of specifiersOf(text(barrel))) {
    const m = resolveSpec(root, barrel, spec);
    if (m === undefined || m === barrel) continue;
    if (isBarrel(m)) out.push(...namedBehindBarrel(root, m, code, text, seen));
    else if (namesAny(code, exportNames(text(m)))) out.push(m);
  }
  return out;
}

/**
 * For each file, the files that load it (the reversed import graph). A file under tests/ that
 * imports a barrel loads, here, only the modules behind it whose exports it names (see the top).
 */
export function importersGraph(root) {
  const importers = new Map();
  const texts = new Map();
  const text = (f) => {
    if (!texts.has(f)) texts.set(f, readFileSync(join(root, f), 'utf8'));
    return texts.get(f);
  };
  const add = (target, file) => {
    if (!importers.has(target)) importers.set(target, new Set());
    importers.get(target).add(file);
  };
  for (const file of codeFiles(root)) {
    const src = text(file);
    for (const spec of specifiersOf(src)) {
      const target = resolveSpec(root, file, spec);
      if (target === undefined || target === file) continue;
      if (file.startsWith('tests/') && isBarrel(target)) {
        const code = stripCodeStrings(stripComments(src));
        for (const m of namedBehindBarrel(root, target, code, text)) if (m !== file) add(m, file);
      } else add(target, file);
    }
  }
  return importers;
}
/** The stem of a file name: `tests/x/parallel.test.ts` → parallel, `codegen/wasm/simd.ts` → simd. */
const stem = (f) => f.split('/').pop().replace(/\.test\.ts$|\.[mc]?[jt]s$/, '');
/** A word in more test names than this is too common to say what a test is about (wasm, build). */
const COMMON_WORD = 3;

/**
 * Whether test stem `t` is named after module stem `m`: equal, or one is the other plus `_…`
 * (parallel.test.ts for parallel_outline.ts, bound_union.test.ts for bound.ts), unless the
 * shorter one is a word common to many test names.
 */
function namedAfter(t, m, common) {
  if (t === m) return true;
  const [short, long] = t.length < m.length ? [t, m] : [m, t];
  return long.startsWith(`${short}_`) && !common.has(short);
}

/**
 * The test files (tests/**\/*.test.ts) whose import closure holds `file`, best first.
 * Returns { tests: [{ file, hops, named, direct, sameDir, own, ms }], total: how many reach it,
 * ms: the picked tests' recorded time }: in rank order, at most `max` tests, skipping any that
 * would take the recorded time (`durations`, ms; a test with no record counts 1 s) past `budgetMs`
 * (the first is always kept), so one slow test (tuning, a model) does not make every mutant slow. `hops` is the shortest chain of loads from the test to `file` (1 = the test imports
 * it). Ranked: the test named exactly after the file, then others named after it (see namedAfter), then those importing it themselves,
 * then those in the mirror of its directory (tests/codegen/wgsl for codegen/wgsl/x.ts), then in
 * its top folder's tests/<folder>, then the rest (through build, the CLI, a worker); each group by
 * hops, then path.
 */
export function relatedTests(root, file, { max = Infinity, budgetMs = Infinity, durations = new Map(), importers = importersGraph(root) } = {}) {
  // Shortest chains of loads (0-1 BFS): a hop through a barrel (index.ts, which only re-exports)
  // costs nothing, so a test importing `schedule/index.js` counts as importing each module of it.
  const hops = new Map([[file, 0]]);
  const queue = [file];
  while (queue.length > 0) {
    const f = queue.shift();
    for (const imp of importers.get(f) ?? []) {
      const h = hops.get(f) + (isBarrel(imp) ? 0 : 1);
      if (hops.has(imp) && hops.get(imp) <= h) continue;
      hops.set(imp, h);
      if (isBarrel(imp)) queue.unshift(imp);
      else queue.push(imp);
    }
  }
  const allTests = new Set([...importers.values()].flatMap((set) => [...set]).filter(isTest));
  const freq = new Map();
  for (const t of allTests) for (const w of new Set(stem(t).split(/[_\-.]+/))) freq.set(w, (freq.get(w) ?? 0) + 1);
  const common = new Set([...freq].filter(([, n]) => n > COMMON_WORD).map(([w]) => w));
  const dir = `tests/${dirname(file)}/`;
  const own = `tests/${file.split('/')[0]}/`;
  const tests = [...hops].filter(([f]) => isTest(f)).map(([f, h]) => ({
    file: f, hops: h, exact: stem(f) === stem(file), named: namedAfter(stem(f), stem(file), common), direct: h === 1,
    sameDir: f.startsWith(dir), own: f.startsWith(own),
  }));
  // The test of exactly the file's name first: simd.test.ts is "named after" simd_gather.ts too, and sorts first by path.
  const key = (t) => [Number(!t.exact), Number(!t.named), Number(!t.direct), Number(!t.sameDir), Number(!t.own), t.hops];
  tests.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] - kb[i];
    return a.file < b.file ? -1 : 1;
  });
  // In rank order, each test that still fits the time budget (the first one always does).
  const picked = [];
  let spent = 0;
  for (const t of tests) {
    if (picked.length >= max) break;
    t.ms = Math.round(durations.get(t.file) ?? UNKNOWN_MS);
    if (picked.length > 0 && spent + t.ms > budgetMs) continue;
    picked.push(t);
    spent += t.ms;
  }
  return { tests: picked, total: tests.length, ms: spent };
}

/** Recorded time of a test file with no record in vitest's cache (a new file). */
const UNKNOWN_MS = 1000;

/**
 * Each test file's duration (ms) in vitest's last recorded run, from its cache
 * (node_modules/.vite/vitest/<hash>/results.json: `results` is a list of ["<project>:<file>",
 * { duration }]); an empty map when there is none.
 */
export function loadDurations(root) {
  const out = new Map();
  const dir = join(root, 'node_modules', '.vite', 'vitest');
  if (!existsSync(dir)) return out;
  for (const hash of readdirSync(dir)) {
    const p = join(dir, hash, 'results.json');
    if (!existsSync(p)) continue;
    try {
      for (const [key, r] of JSON.parse(readFileSync(p, 'utf8')).results ?? []) {
        if (typeof r?.duration === 'number') out.set(key.slice(key.indexOf(':') + 1), r.duration);
      }
    } catch {
      // A cache being rewritten by a concurrent run: no durations from it.
    }
  }
  return out;
}

function main(argv) {
  let root = process.cwd();
  let max = Infinity;
  let budgetMs = Infinity;
  const files = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--root') root = resolve(argv[++i] ?? '.');
    else if (argv[i] === '--max') max = Number(argv[++i]);
    else if (argv[i] === '--budget-ms') budgetMs = Number(argv[++i]);
    else if (argv[i].startsWith('-')) throw new Error(`related_tests: unknown option '${argv[i]}' (expected --root DIR, --max N, --budget-ms MS)`);
    else files.push(argv[i]);
  }
  if (!(max === Infinity || (Number.isInteger(max) && max > 0))) throw new Error('related_tests: --max needs a positive integer (test files per source file)');
  if (!(budgetMs > 0)) throw new Error('related_tests: --budget-ms needs a positive number (recorded test time per source file, ms)');
  if (files.length === 0) throw new Error('related_tests: name at least one source file, relative to --root');
  const importers = importersGraph(root);
  const durations = loadDurations(root);
  const out = files.map((f) => {
    if (!existsSync(join(root, f))) throw new Error(`related_tests: no file '${f}' under ${root}`);
    return { file: f, ...relatedTests(root, f, { max, budgetMs, durations, importers }) };
  });
  console.log(JSON.stringify(out, null, 2));
}

if (process.argv[1]?.endsWith('related_tests.mjs')) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    console.error(e.message);
    process.exit(2);
  }
}
