#!/usr/bin/env node
// scripts/check_structure.mjs — the project's structure gate (run by `npm run check` and .ci/run):
// imports only down the layer order, no import circles (type-only and dynamic imports count),
// no source file over the line budget, tsconfig's noImplicitOverride on. Prints one line per
// fault naming the file and the import; exits 1 on any fault, 0 otherwise.
//
// Usage: node scripts/check_structure.mjs [--root DIR] [--quiet]
// Plain Node (no TypeScript loader) so it runs before anything is built.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** Layers, top to bottom: a file may import its own layer or any layer after it (DESIGN.md). */
export const LAYERS = ['cli', 'relay', 'ops', 'autotune', 'tuning-logs', 'runtime', 'codegen', 'schedule', 'tir', 'target'];
/** Top-level folders that are not layers of the library (checked for nothing but circles among themselves). */
const NOT_LAYERS = new Set(['tests', 'bench', 'scripts', 'examples', 'docs', 'node_modules', 'dist', 'demo', 'coverage', 'reports']);
/** Root files that may import any layer (the package's export lists). */
const ROOT_FILES = new Set(['index.ts']);
/** Lines per source file. STYLE.md asks for small files with one job each (≤ ~400 lines). */
export const LINE_BUDGET = 400;
/** Files allowed past the budget, with the reason; keep this short. */
export const BUDGET_ALLOWLIST = {
  'tir/nodes.ts': { max: 480, why: 'every node type and its checked factory in one place, as TVM’s tir/expr.h + stmt.h' },
  'codegen/wasm/simd.ts': { max: 420, why: 'f32x4 lowering of every vector node; being changed on the faults-compiler branch, split after it lands' },
};

function parseArgs(argv) {
  const out = { root: process.cwd(), quiet: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--root') out.root = resolve(argv[++i] ?? '.');
    else if (argv[i] === '--quiet') out.quiet = true;
    else {
      console.error(`check_structure: unknown argument '${argv[i]}' (expected --root DIR, --quiet)`);
      process.exit(2);
    }
  }
  return out;
}

/** The library's .ts sources (layer folders and root files), as paths relative to root. */
function sourceFiles(root) {
  const files = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.')) continue;
      const p = join(dir, name);
      const rel = relative(root, p);
      if (statSync(p).isDirectory()) {
        if (dir === root && NOT_LAYERS.has(name)) continue;
        walk(p);
      } else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) {
        if (dir === root && !ROOT_FILES.has(name)) continue;
        files.push(rel.split(sep).join('/'));
      }
    }
  };
  walk(root);
  return files;
}

const IMPORT_RE = /(?:^|[^\w.$])(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Relative imports of a file: { spec, line, target } with target relative to root (undefined when missing). */
function importsOf(root, file, text) {
  const out = [];
  // Comments are blanked (keeping newlines) so an import in a comment is not an edge.
  const code = text.replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' ')).replace(/(^|[^:'"`\\])\/\/[^\n]*/g, '$1');
  for (const m of code.matchAll(IMPORT_RE)) {
    const spec = m[1] ?? m[2];
    if (!spec.startsWith('.')) continue;
    const at = m.index + m[0].search(/import|export/);
    const line = code.slice(0, at).split('\n').length;
    const abs = resolve(root, dirname(file), spec);
    const candidates = [abs.replace(/\.js$/, '.ts'), abs, `${abs}.ts`, join(abs, 'index.ts')];
    const hit = candidates.find((c) => existsSync(c) && statSync(c).isFile());
    out.push({ spec, line, target: hit === undefined ? undefined : relative(root, hit).split(sep).join('/') });
  }
  return out;
}

const topOf = (file) => (file.includes('/') ? file.slice(0, file.indexOf('/')) : '');

/** Strongly connected components of size > 1 (and self-loops), by Tarjan's algorithm. */
function circles(edges) {
  let index = 0;
  const stack = [];
  const onStack = new Set();
  const idx = new Map();
  const low = new Map();
  const out = [];
  const visit = (v) => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const { target: w } of edges.get(v) ?? []) {
      if (w === undefined || !edges.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const comp = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      const selfLoop = comp.length === 1 && (edges.get(v) ?? []).some((e) => e.target === v);
      if (comp.length > 1 || selfLoop) out.push(comp.sort());
    }
  };
  for (const v of [...edges.keys()].sort()) if (!idx.has(v)) visit(v);
  return out;
}

/** One cycle through a component, as 'a.ts:3 → b.ts:7 → a.ts', for the message. */
function describeCycle(comp, edges) {
  const inComp = new Set(comp);
  const start = comp[0];
  const path = [start];
  const seen = new Set([start]);
  let cur = start;
  for (;;) {
    const next = (edges.get(cur) ?? []).find((e) => inComp.has(e.target) && (e.target === start || !seen.has(e.target)));
    if (next === undefined) break;
    path[path.length - 1] = `${cur}:${next.line}`;
    if (next.target === start) {
      path.push(start);
      break;
    }
    path.push(next.target);
    seen.add(next.target);
    cur = next.target;
  }
  return path.join(' → ');
}

/** Runs every check; returns the fault lines (empty when the tree is fine). */
export function checkStructure(root) {
  const faults = [];
  const files = sourceFiles(root);
  const edges = new Map();
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    const deps = importsOf(root, file, text);
    edges.set(file, deps);
    const top = topOf(file);
    const from = LAYERS.indexOf(top);
    if (top !== '' && from < 0) {
      faults.push(`${file}: folder '${top}/' is not in the layer order (${LAYERS.join(' → ')}); add it to LAYERS in scripts/check_structure.mjs and to DESIGN.md`);
    }
    for (const d of deps) {
      if (d.target === undefined) {
        faults.push(`${file}:${d.line}: import '${d.spec}' does not resolve to a file`);
        continue;
      }
      const to = LAYERS.indexOf(topOf(d.target));
      if (from >= 0 && to >= 0 && to < from) {
        faults.push(`${file}:${d.line}: imports '${d.spec}' (${d.target}): layer '${LAYERS[from]}' may not import '${LAYERS[to]}', which is above it (order: ${LAYERS.join(' → ')})`);
      } else if (from >= 0 && to < 0 && topOf(d.target) !== '') {
        faults.push(`${file}:${d.line}: imports '${d.spec}' (${d.target}), outside the library's layers`);
      }
    }
    const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    const allowed = BUDGET_ALLOWLIST[file]?.max ?? LINE_BUDGET;
    if (lines > allowed) {
      faults.push(`${file}: ${lines} lines, over the budget of ${allowed}; split it into files with one job each (or, rarely, add it to BUDGET_ALLOWLIST with a reason)`);
    }
  }
  for (const comp of circles(edges)) faults.push(`import circle (type-only and dynamic imports count): ${describeCycle(comp, edges)}`);
  const tsconfig = join(root, 'tsconfig.json');
  if (existsSync(tsconfig)) {
    let opts;
    try {
      opts = JSON.parse(readFileSync(tsconfig, 'utf8')).compilerOptions ?? {};
    } catch (e) {
      faults.push(`tsconfig.json: not plain JSON (${e.message})`);
    }
    if (opts && opts.noImplicitOverride !== true) faults.push('tsconfig.json: compilerOptions.noImplicitOverride must be true');
  }
  return { faults, files: files.length };
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('check_structure.mjs')) {
  const args = parseArgs(process.argv.slice(2));
  const { faults, files } = checkStructure(args.root);
  for (const f of faults) console.log(f);
  if (!args.quiet || faults.length > 0) {
    console.log(`check_structure: ${files} source files, ${faults.length} fault${faults.length === 1 ? '' : 's'}`);
  }
  process.exit(faults.length > 0 ? 1 : 0);
}
