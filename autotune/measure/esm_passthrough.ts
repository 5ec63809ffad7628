// autotune/measure/esm_passthrough.ts — a module-loader hook for processes that run our TypeScript sources through
// tsx: the ES-module files of installed packages (node_modules) load as Node itself loads them, untransformed. tsx
// transforms every JavaScript file it loads; binaryen's is 15 MB, and that transform took 20–37 s of each process
// (`node --import tsx -e "await import('binaryen')"`; 2.3 s with this hook), which every build and run worker started
// from sources paid — at load 16 past JobWorker's 120 s start-up limit (session 19: 41 trials failed so).

/**
 * The hooks module's source: `load` answers a `file:` URL under node_modules (tsx's own files aside) that is an ES
 * module — `.mjs`, or `.js` whose nearest package.json says `"type": "module"` (Node's rule) — with the file's bytes as
 * format 'module'; anything else (CommonJS packages, our .ts sources, an unreadable package.json) goes on to tsx.
 */
const HOOKS = `
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
const types = new Map();
function packageType(dir) {
  for (let d = dir; ; d = dirname(d)) {
    if (types.has(d)) return types.get(d);
    let text;
    try { text = readFileSync(join(d, 'package.json'), 'utf8'); } catch { if (dirname(d) === d) return undefined; continue; }
    let type;
    try { type = JSON.parse(text).type ?? 'commonjs'; } catch { type = undefined; }
    types.set(d, type);
    return type;
  }
}
export async function load(url, context, next) {
  if (url.startsWith('file:') && url.includes('/node_modules/') && !url.includes('/node_modules/tsx/')) {
    const path = fileURLToPath(url);
    if (path.endsWith('.mjs') || (path.endsWith('.js') && packageType(dirname(path)) === 'module')) {
      return { format: 'module', source: await readFile(path), shortCircuit: true };
    }
  }
  return next(url, context);
}
`;

/** The hooks module as a data: URL (tests import it to call `load`). */
export const ESM_PASSTHROUGH_HOOKS = 'data:text/javascript,' + encodeURIComponent(HOOKS);

/**
 * A data: URL module that registers the hooks, for `--import` or `import()`. Register it after tsx: hooks registered
 * later run first, so these answer before tsx sees the file.
 */
export const ESM_PASSTHROUGH_REGISTER = 'data:text/javascript,' + encodeURIComponent(
  `import { register } from 'node:module'; register(${JSON.stringify(ESM_PASSTHROUGH_HOOKS)});`,
);
