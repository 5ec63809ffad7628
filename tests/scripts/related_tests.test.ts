// tests/scripts/related_tests.test.ts — the test selection of `npm run mutate --related`
// (scripts/related_tests.mjs) on a fixture tree: a test is related when the mutated file is in
// its transitive import closure, through static imports, literal `import()`, worker and child
// entries loaded by `new URL(…, import.meta.url)` or `siblingModule`, barrels costing no hop;
// ranked, capped by --max and by --budget-ms of recorded test time (vitest's results cache).

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const script = join(repo, 'scripts', 'related_tests.mjs');

const files: Record<string, string> = {
  'tir/nodes.ts': 'export const n = 1;\n',
  'tir/passes/fold.ts': "import { n } from '../nodes.js';\nexport const fold = n;\n",
  'tir/passes/ghost_user.ts': "// import { ghost } from '../../codegen/ghost.js';\n/* import '../../codegen/ghost.js'; */\nexport const g = 'http://x//y';\n",
  'codegen/ghost.ts': 'export const ghost = 0;\n',
  'codegen/wgsl.ts': 'export const wgsl = 2;\n',
  'codegen/kernel.ts': 'export const kernel = 3;\n',
  'codegen/sim.ts': 'export const sim = 4;\n',
  'codegen/by_name.ts': 'export const byName = 5;\n',
  // Only reachable through a dynamic import with a literal path.
  'runtime/webgpu/gpu.ts': "export { wgsl } from '../../codegen/wgsl.js';\n",
  'runtime/build.ts': [
    "import type { n } from '../tir/nodes.js';",
    "import { fold } from '../tir/passes/fold.js';",
    'export async function build(name: string): Promise<number> {',
    "  const { wgsl } = await import('./webgpu/gpu.js');",
    '  const skipped = await import(`./${name}.js`);', // not a literal: no edge
    '  return fold + wgsl + Number(skipped);',
    '}',
  ].join('\n'),
  // A worker entry loaded by path, never imported.
  'runtime/pool.ts': "import { Worker } from 'node:worker_threads';\nexport const start = () => new Worker(new URL('./pool_worker.ts', import.meta.url));\n",
  'runtime/pool_worker.ts': "import { kernel } from '../codegen/kernel.js';\nexport const k = kernel;\n",
  // The project's sibling-worker helper.
  'autotune/local_runner.ts': "import { siblingModule } from './spawn.js';\nexport const entry = siblingModule(import.meta.url, 'run_worker');\n",
  'autotune/spawn.ts': 'export const siblingModule = (u: string, n: string) => new URL(`./${n}.ts`, u);\n',
  'autotune/run_worker.ts': "import { sim } from '../codegen/sim.js';\nexport const s = sim;\n",
  'cli/main.ts': "import { build } from '../runtime/build.js';\nexport const main = build;\n",
  // A barrel: importing it counts as importing each module it re-exports (no extra hop).
  'tir/index.ts': "export * from './passes/fold.js';\nexport * from './other.js';\nexport { deep } from './passes/index.js';\n",
  'tir/other.ts': 'export const other = 8;\n',
  'tir/passes/index.ts': "export { deep } from './deep.js';\n",
  'tir/passes/deep.ts': 'export function deep(): number { return 9; }\n',
  'tests/tir/barrel_user.test.ts': "import { fold } from '../../tir/index.js';\nexport const t = fold;\n",
  // Through the same barrel, naming only other modules' exports (fold only in a comment and a
  // longer name): they do not reach fold.ts; a nested barrel's module does.
  'tests/tir/barrel_other.test.ts': "import * as tir from '../../tir/index.js';\n// tir.fold is not used here\nexport const t = tir.other + tir.deep();\nconst folded = 1;\n",
  'tests/ops/barrel_type.test.ts': "import type { Other } from '../../tir/index.js';\nexport const t = 0;\n",
  'tests/tir/passes/fold.test.ts': "import { fold } from '../../../tir/passes/fold.js';\nexport const t = fold;\n",
  'tests/tir/nodes_more.test.ts': "import { n } from '../../tir/nodes.js';\nexport const t = n;\n",
  'tests/tir/via_fold.test.ts': "import { fold } from '../../tir/passes/fold.js';\nexport const t = fold;\n",
  'tests/runtime/build.test.ts': "import { build } from '../../runtime/build.js';\nexport const t = build;\n",
  'tests/runtime/pool.test.ts': "import { start } from '../../runtime/pool.js';\nexport const t = start;\n",
  'tests/autotune/runner.test.ts': "import { entry } from '../../autotune/local_runner.js';\nexport const t = entry;\n",
  // The CLI is spawned as a child process; the helper names both the dist and the source entry.
  'tests/cli/run_cli.ts': "export const MAIN = new URL(process.env.DIST ? '../../dist/cli/main.js' : '../../cli/main.ts', import.meta.url);\n",
  'tests/cli/cli.test.ts': "import { MAIN } from './run_cli.js';\nexport const t = MAIN;\n",
  // Source code kept in a string (as in this very test) loads nothing.
  'tests/tir/code_in_strings.test.ts': "export const src = \"import { fold } from '../../tir/passes/fold.js';\\nnew URL('../../cli/main.ts', import.meta.url)\";\n",
  // A helper (not a test) importing a module: only the tests that import the helper count.
  'tests/codegen/helpers.ts': "import { byName } from '../../codegen/by_name.js';\nexport const h = byName;\n",
  'tests/codegen/uses_helper.test.ts': "import { h } from './helpers.js';\nexport const t = h;\n",
  'tests/runtime/by_name.test.ts': "import { h } from '../codegen/helpers.js';\nexport const t = h;\n",
  // Two tests named after lanes_gather.ts: the exact one ranks first, though 'lanes.test.ts' sorts first by path.
  'codegen/lanes_gather.ts': 'export const lg = 6;\n',
  'tests/codegen/lanes.test.ts': "import { lg } from '../../codegen/lanes_gather.js';\nexport const t = lg;\n",
  'tests/codegen/lanes_gather.test.ts': "import { lg } from '../../codegen/lanes_gather.js';\nexport const t = lg;\n",
  // vitest's cache of its last run: each test file's duration (ms); via_fold.test.ts has none.
  'node_modules/.vite/vitest/0123abcd/results.json': JSON.stringify({ version: '4.1.12', results: [
    [':tests/tir/nodes_more.test.ts', { duration: 500, failed: false }],
    [':tests/tir/passes/fold.test.ts', { duration: 9000, failed: false }],
    [':tests/runtime/build.test.ts', { duration: 100, failed: false }],
    [':tests/cli/cli.test.ts', { duration: 50, failed: false }],
  ] }),
  // A file in node_modules is never a test or an importer.
  'node_modules/pkg/tests/x.test.ts': "import '../../../tir/nodes.js';\n",
};

const root = mkdtempSync(join(tmpdir(), 'tt-related-'));
for (const [p, text] of Object.entries(files)) {
  mkdirSync(dirname(join(root, p)), { recursive: true });
  writeFileSync(join(root, p), text);
}
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Related { file: string; total: number; tests: { file: string; hops: number }[] }

function related(args: string[]): { status: number | null; out: Related[]; err: string } {
  const r = spawnSync(process.execPath, [script, '--root', root, ...args], { encoding: 'utf8' });
  return { status: r.status, out: r.status === 0 ? (JSON.parse(r.stdout) as Related[]) : [], err: r.stderr };
}

const pairs = (r: Related) => r.tests.map((t) => [t.file, t.hops]);

describe('related_tests', () => {
  it('follows a literal dynamic import and a child-process entry named by new URL (dist or source)', () => {
    const [r] = related(['codegen/wgsl.ts']).out;
    // wgsl ← gpu (re-export) ← build (import()) ← build.test; … ← cli/main ← run_cli (new URL) ← cli.test
    expect(pairs(r!)).toEqual([['tests/runtime/build.test.ts', 3], ['tests/cli/cli.test.ts', 5]]);
    expect(r!.total).toBe(2);
  });

  it('follows worker entries loaded by new URL(…, import.meta.url) and by siblingModule', () => {
    const [kernel, sim] = related(['codegen/kernel.ts', 'codegen/sim.ts']).out;
    expect(pairs(kernel!)).toEqual([['tests/runtime/pool.test.ts', 3]]);
    expect(pairs(sim!)).toEqual([['tests/autotune/runner.test.ts', 3]]);
  });

  it('ranks: named exactly after the file, named after it, imports it, same directory, same folder, elsewhere; each by hops', () => {
    const [fold] = related(['tir/passes/fold.ts']).out;
    expect(pairs(fold!)).toEqual([
      ['tests/tir/passes/fold.test.ts', 1], // named after it (and imports it)
      ['tests/tir/barrel_user.test.ts', 1], // imports it through the barrel tir/index.ts
      ['tests/tir/via_fold.test.ts', 1], // imports it
      ['tests/runtime/build.test.ts', 2], // through build
      ['tests/cli/cli.test.ts', 4], // through the spawned CLI
    ]);
    const [nodes] = related(['tir/nodes.ts']).out;
    expect(pairs(nodes!)).toEqual([
      ['tests/tir/nodes_more.test.ts', 1],
      ['tests/tir/barrel_user.test.ts', 2], // fold, then the barrel (no hop), then the test
      ['tests/tir/passes/fold.test.ts', 2], // under tests/tir, the mirror of tir/
      ['tests/tir/via_fold.test.ts', 2],
      ['tests/runtime/build.test.ts', 2], // `import type` counts: a type-only import is still an edge
      ['tests/cli/cli.test.ts', 4],
    ]);
    const [gather] = related(['codegen/lanes_gather.ts']).out;
    expect(pairs(gather!)).toEqual([['tests/codegen/lanes_gather.test.ts', 1], ['tests/codegen/lanes.test.ts', 1]]);
  });

  it('counts a test importing a barrel as importing only the modules whose exports it names', () => {
    // Every tests/ops test imports ops/index.js: without this each would rank as importing every op.
    const [fold, other, deep, nodes] = related(['tir/passes/fold.ts', 'tir/other.ts', 'tir/passes/deep.ts', 'tir/nodes.ts']).out;
    expect(fold!.tests.map((t) => t.file)).not.toContain('tests/tir/barrel_other.test.ts');
    expect(pairs(other!)).toEqual([['tests/tir/barrel_other.test.ts', 1]]);
    expect(pairs(deep!)).toEqual([['tests/tir/barrel_other.test.ts', 1]]); // through the nested barrel tir/passes/index.ts
    expect(nodes!.tests.map((t) => t.file)).not.toContain('tests/tir/barrel_other.test.ts'); // not through the barrel to fold
    // A name nothing behind the barrel exports (Other) reaches nothing.
    for (const r of [fold, other, deep, nodes]) expect(r!.tests.map((t) => t.file)).not.toContain('tests/ops/barrel_type.test.ts');
  });

  it('counts a helper through the tests that import it, never the helper itself', () => {
    const [r] = related(['codegen/by_name.ts']).out;
    expect(pairs(r!)).toEqual([['tests/runtime/by_name.test.ts', 2], ['tests/codegen/uses_helper.test.ts', 2]]);
  });

  it('ignores source code inside string literals', () => {
    const [fold] = related(['tir/passes/fold.ts']).out;
    expect(fold!.tests.map((t) => t.file)).not.toContain('tests/tir/code_in_strings.test.ts');
    expect(fold!.total).toBe(5);
  });

  it('ignores imports in comments and non-literal import(): nothing reaches codegen/ghost.ts', () => {
    const [r] = related(['codegen/ghost.ts']).out;
    expect(r).toEqual({ file: 'codegen/ghost.ts', total: 0, tests: [], ms: 0 });
  });

  it('--max keeps the best-ranked tests and still reports how many reach the file', () => {
    const [r] = related(['--max', '2', 'tir/nodes.ts']).out;
    expect(r!.tests.map((t) => t.file)).toEqual(['tests/tir/nodes_more.test.ts', 'tests/tir/barrel_user.test.ts']);
    expect(r!.total).toBe(6);
  });

  it('--budget-ms skips, in rank order, tests whose recorded time would pass the budget (the first always stays)', () => {
    const files = (budget: string) => related(['--budget-ms', budget, 'tir/nodes.ts']).out[0]!.tests.map((t) => `${t.file.split('/').pop()}:${(t as { ms?: number }).ms}`);
    // Ranked: nodes_more 500, barrel_user none (counts 1000), fold 9000, via_fold none, build 100, cli 50.
    expect(files('2000')).toEqual(['nodes_more.test.ts:500', 'barrel_user.test.ts:1000', 'build.test.ts:100', 'cli.test.ts:50']);
    expect(files('2600')).toEqual(['nodes_more.test.ts:500', 'barrel_user.test.ts:1000', 'via_fold.test.ts:1000', 'build.test.ts:100']);
    expect(files('600')).toEqual(['nodes_more.test.ts:500', 'build.test.ts:100']);
    expect(files('100')).toEqual(['nodes_more.test.ts:500']);
    expect(related(['--budget-ms', '600', 'tir/nodes.ts']).out[0]!.total).toBe(6);
  });

  it('refuses a missing file and a bad --max with a message naming them', () => {
    const missing = related(['codegen/nope.ts']);
    expect(missing.status).toBe(2);
    expect(missing.err).toMatch(/no file 'codegen\/nope\.ts'/);
    const bad = related(['--max', '0', 'tir/nodes.ts']);
    expect(bad.status).toBe(2);
    expect(bad.err).toMatch(/--max needs a positive integer/);
  });

  it('drives npm run mutate --related --plan: each file runs the tests that reach it', () => {
    const r = spawnSync(process.execPath, [join(repo, 'scripts', 'mutate.mjs'), 'codegen', '--files', 'codegen/wgsl.ts,codegen/kernel.ts', '--related', '--plan'], { cwd: root, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('tests (2 of 2 test files reaching it): tests/runtime/build.test.ts tests/cli/cli.test.ts');
    expect(r.stdout).toContain('tests (1 of 1 test files reaching it): tests/runtime/pool.test.ts');
    const capped = spawnSync(process.execPath, [join(repo, 'scripts', 'mutate.mjs'), 'codegen', '--files', 'codegen/wgsl.ts', '--related', '--max-tests', '1', '--plan'], { cwd: root, encoding: 'utf8' });
    expect(capped.stdout).toContain('tests (1 of 2 test files reaching it): tests/runtime/build.test.ts\n');
  });

  it('npm run mutate -- --help prints the usage; an unknown option points to it', () => {
    const help = spawnSync(process.execPath, [join(repo, 'scripts', 'mutate.mjs'), '--help'], { cwd: root, encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout.startsWith('Usage:\n')).toBe(true);
    for (const opt of ['--sample', '--lines', '--related', '--seed', '--concurrency', '--plan', '--skip', '--max-tests', '--help']) expect(help.stdout).toContain(opt);
    expect(help.stdout).not.toMatch(/^\/\//m);
    const bad = spawnSync(process.execPath, [join(repo, 'scripts', 'mutate.mjs'), '--bogus'], { cwd: root, encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('mutate: unknown option --bogus (npm run mutate -- --help lists them)');
  });
});
