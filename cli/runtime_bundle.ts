// cli/runtime_bundle.ts — bundles the runtime-only entry (runtime/standalone) into one ES module for
// browsers with esbuild, for `tensortune serve` and the example page. esbuild is loaded only here.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface RuntimeBundle {
  readonly code: string;
  readonly bytes: number;
  /** Source files that went into it (repository-relative), to check what the runtime pulls in. */
  readonly inputs: readonly string[];
}

/** The runtime entry next to this file: TypeScript sources in a checkout, compiled JS in dist/. */
export function runtimeEntry(): string {
  for (const rel of ['../runtime/standalone.ts', '../runtime/standalone.js']) {
    const p = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(p)) return p;
  }
  throw new Error('runtime entry runtime/standalone.(ts|js) not found next to the command; reinstall tensortune');
}

/**
 * One ES2022 module of the runtime for browsers. Node built-ins stay external: the runtime reaches
 * them only through dynamic imports on Node-only paths (reading a bundle folder, worker_threads),
 * which a page never takes. Throws when esbuild (a development dependency) is not installed.
 */
export async function bundleRuntime(opts: { minify?: boolean } = {}): Promise<RuntimeBundle> {
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch {
    throw new Error('bundling the browser runtime needs esbuild (npm install --save-dev esbuild)');
  }
  const result = await esbuild.build({
    entryPoints: [runtimeEntry()],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: opts.minify ?? true,
    write: false,
    metafile: true,
    outfile: 'tensortune-runtime.js',
    external: ['node:*', 'webgpu'],
    logLevel: 'silent',
  });
  const out = result.outputFiles.find((f) => f.path.endsWith('.js'));
  if (!out) throw new Error('bundleRuntime: esbuild produced no JavaScript');
  return { code: out.text, bytes: out.contents.byteLength, inputs: Object.keys(result.metafile.inputs).sort() };
}
