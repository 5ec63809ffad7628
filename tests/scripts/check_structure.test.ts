// tests/scripts/check_structure.test.ts — the structure gate (scripts/check_structure.mjs) on tiny
// fixture trees written to a temp folder: each kind of fault is reported with the file and the
// import named, a clean tree passes, and so does this repository.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const script = join(repo, 'scripts', 'check_structure.mjs');
const roots: string[] = [];

/** Writes a fixture tree (path → text) with a valid tsconfig unless one is given. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'tt-structure-'));
  roots.push(root);
  const all = { 'tsconfig.json': JSON.stringify({ compilerOptions: { noImplicitOverride: true } }), ...files };
  for (const [p, text] of Object.entries(all)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text);
  }
  return root;
}

function check(root: string): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [script, '--root', root], { encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

const clean = {
  'index.ts': "export * from './cli/main.js';\n",
  'cli/main.ts': "import { lower } from '../schedule/lower.js';\nexport const main = lower;\n",
  'schedule/lower.ts': "import type { Node } from '../tir/nodes.js';\nexport function lower(n: Node): Node { return n; }\n",
  'tir/nodes.ts': "import { parseTarget } from '../target/target.js';\nexport type Node = { t: ReturnType<typeof parseTarget> };\n",
  'target/target.ts': 'export function parseTarget(s: string): string { return s; }\n',
  'tests/anything.test.ts': "import { main } from '../cli/main.js';\nimport { x } from '../tests/helper.js';\n",
  'bench/b.ts': "import '../cli/main.js';\n",
};

describe('check_structure', () => {
  it('passes a tree whose imports all point down the layers', () => {
    const r = check(tree(clean));
    expect(r.out).toContain('0 faults');
    expect(r.status).toBe(0);
  });

  it('names the file, line and import that points up the layers', () => {
    const r = check(tree({ ...clean, 'tir/bad.ts': "// a comment\nimport type { main } from '../cli/main.js';\nexport type M = typeof main;\n" }));
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/tir\/bad\.ts:2: imports '\.\.\/cli\/main\.js' \(cli\/main\.ts\): layer 'tir' may not import 'cli'/);
  });

  it('counts dynamic and side-effect imports, and ignores imports inside comments', () => {
    const r = check(tree({
      ...clean,
      'target/dyn.ts': "export async function f() { return import('../schedule/lower.js'); }\n",
      'tir/side.ts': "import '../codegen/x.js';\n// import { main } from '../cli/main.js';\n/* import '../cli/main.js' */\n",
      'codegen/x.ts': 'export {};\n',
    }));
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/target\/dyn\.ts:1: imports '\.\.\/schedule\/lower\.js'/);
    expect(r.out).toMatch(/tir\/side\.ts:1: imports '\.\.\/codegen\/x\.js'/);
    expect(r.out).not.toMatch(/tir\/side\.ts:[23]/);
  });

  it('reports an import circle inside one layer, type-only imports included, with the edge lines', () => {
    const r = check(tree({
      ...clean,
      'schedule/a.ts': "import type { B } from './b.js';\nexport interface A { b?: B }\n",
      'schedule/b.ts': "\nimport type { A } from './a.js';\nexport interface B { a?: A }\n",
    }));
    expect(r.status).toBe(1);
    expect(r.out).toContain('import circle (type-only and dynamic imports count): schedule/a.ts:1 → schedule/b.ts:2 → schedule/a.ts');
  });

  it('fails a file over the line budget, and one in a folder outside the layer order', () => {
    const long = Array.from({ length: 401 }, (_, i) => `export const v${i} = ${i};`).join('\n') + '\n';
    const r = check(tree({ ...clean, 'tir/long.ts': long, 'misc/x.ts': 'export {};\n' }));
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/tir\/long\.ts: 401 lines, over the budget of 400/);
    expect(r.out).toMatch(/misc\/x\.ts: folder 'misc\/' is not in the layer order/);
    const ok = check(tree({ ...clean, 'tir/long.ts': long.split('\n').slice(1).join('\n') }));
    expect(ok.status).toBe(0);
  });

  it('fails when noImplicitOverride is off, and on an import that resolves to nothing', () => {
    const r = check(tree({ ...clean, 'tsconfig.json': '{"compilerOptions":{}}', 'tir/missing.ts': "import { q } from './nowhere.js';\n" }));
    expect(r.status).toBe(1);
    expect(r.out).toContain('tsconfig.json: compilerOptions.noImplicitOverride must be true');
    expect(r.out).toContain("tir/missing.ts:1: import './nowhere.js' does not resolve to a file");
  });

  it('passes on this repository', () => {
    const r = check(repo);
    expect(r.out).toContain(' 0 faults');
    expect(r.status).toBe(0);
  });
});
