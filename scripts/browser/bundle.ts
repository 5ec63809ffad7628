// scripts/browser/bundle.ts — bundles the library entry (index.ts) into one ES module for browsers
// with esbuild. Node built-ins that Node-only code paths import (tuning-log files, worker_threads,
// binaryen's Node loader) become stubs that throw a clear error if a page ever calls them.

import { builtinModules, createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

/** The repository root (this file lives in scripts/browser/). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface BrowserBundleOptions {
  /** Entry file; default the root barrel index.ts. */
  readonly entry?: string;
  /** Write the bundle here; when absent the bundle is only returned. */
  readonly outfile?: string;
  readonly minify?: boolean;
}

export interface BrowserBundle {
  /** The ES module's source text. */
  readonly code: string;
  readonly bytes: number;
  /** Node built-ins replaced by throwing stubs (e.g. 'node:fs'). */
  readonly stubbed: readonly string[];
}

const BUILTINS = new Set(builtinModules);

function builtinName(spec: string): string | undefined {
  const bare = spec.startsWith('node:') ? spec.slice(5) : spec;
  return BUILTINS.has(bare) ? bare : undefined;
}

/**
 * Stubs for Node built-ins. Each stub exports every name the real module exports (read from this
 * Node at bundle time), so named imports link; calling one throws, naming the module and function.
 */
function nodeStubPlugin(stubbed: Set<string>): Plugin {
  return {
    name: 'tensortune-node-builtin-stubs',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        const name = builtinName(args.path);
        if (name === undefined) return undefined;
        stubbed.add(`node:${name}`);
        return { path: name, namespace: 'node-stub' };
      });
      b.onLoad({ filter: /.*/, namespace: 'node-stub' }, (args) => {
        const real = createRequire(import.meta.url)(`node:${args.path}`) as Record<string, unknown>;
        const names = Object.keys(real).filter((n) => n !== 'default' && /^[A-Za-z_$][\w$]*$/.test(n));
        const lines = [
          'function unavailable(name) {',
          `  return function () { throw new Error('tensortune: node:${args.path}' + (name ? '.' + name : '') + ' is not available in a browser (a Node-only feature was used)'); };`,
          '}',
          ...names.map((n) => `export const ${n} = unavailable('${n}');`),
          'export default unavailable(\'\');',
        ];
        return { contents: lines.join('\n'), loader: 'js' };
      });
    },
  };
}

/** Where pages import the library from: the bundle served at this URL path. */
export const LIBRARY_URL = '/tensortune.js';

/**
 * Keeps the library out of a page bundle: imports of the root index.ts (as '../index.js' from
 * TypeScript) become imports of LIBRARY_URL, so a page and the library bundle share one instance.
 */
function libraryExternalPlugin(): Plugin {
  const index = resolve(REPO_ROOT, 'index.ts');
  return {
    name: 'tensortune-library-external',
    setup(b) {
      b.onResolve({ filter: /index\.js$/ }, (args) => {
        const target = resolve(args.resolveDir, args.path).replace(/\.js$/, '.ts');
        return target === index ? { path: LIBRARY_URL, external: true } : undefined;
      });
    },
  };
}

/** Bundles a page's own code (TypeScript importing the library's index.ts) against LIBRARY_URL. */
export async function bundlePage(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    write: false,
    outfile: resolve(REPO_ROOT, 'dist', 'browser', 'page.js'),
    plugins: [libraryExternalPlugin()],
    logLevel: 'silent',
  });
  const out = result.outputFiles.find((f) => f.path.endsWith('.js'));
  if (!out) throw new Error(`bundlePage: esbuild produced no JavaScript for ${entry}`);
  return out.text;
}

/** Bundles the library for browsers (platform browser, format esm, ES2022). */
export async function bundleForBrowser(opts: BrowserBundleOptions = {}): Promise<BrowserBundle> {
  const stubbed = new Set<string>();
  const result = await build({
    entryPoints: [opts.entry ?? resolve(REPO_ROOT, 'index.ts')],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: opts.minify ?? false,
    write: false,
    outfile: opts.outfile ?? resolve(REPO_ROOT, 'dist', 'browser', 'tensortune.js'),
    // Dawn (the 'webgpu' package) is a Node addon, imported lazily only when navigator.gpu is absent
    // in Node; the browser path never reaches that import.
    external: ['webgpu'],
    plugins: [nodeStubPlugin(stubbed)],
    logLevel: 'silent',
  });
  const out = result.outputFiles.find((f) => f.path.endsWith('.js'));
  if (!out) throw new Error('bundleForBrowser: esbuild produced no JavaScript output');
  if (opts.outfile) {
    const { mkdir, writeFile } = await import('node:fs/promises');
    await mkdir(dirname(opts.outfile), { recursive: true });
    await writeFile(opts.outfile, out.contents);
  }
  return { code: out.text, bytes: out.contents.byteLength, stubbed: [...stubbed].sort() };
}
