// cli/serve_command.ts — `tensortune serve <bundle>`: the bundle, the example page and the browser
// runtime from one local server with the cross-origin isolation headers wasm threads need.

import { existsSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { checkManifest, MANIFEST_FILE, type BundleManifest } from '../runtime/bundle.js';
import { UsageError } from './errors.js';
import { parseIntOption } from './parse.js';
import { bundleRuntime } from './runtime_bundle.js';
import { startStaticServer, type StaticServer } from './static_server.js';

interface RawServeOpts {
  host: string;
  port: string;
  page: boolean;
  json?: boolean;
}

/** Where pages import the runtime from, where bundles are mounted and listed. */
export const RUNTIME_URL = '/tensortune-runtime.js';
export const BUNDLE_PREFIX = '/bundle/';
export const BUNDLES_URL = '/bundles.json';

/** The k-th bundle's URL prefix: /bundle/, /bundle-2/, /bundle-3/, … */
export function bundlePrefix(k: number): string {
  return k === 0 ? BUNDLE_PREFIX : `/bundle-${k + 1}/`;
}

/** The example page folder shipped with the package (examples/browser/), from sources or from dist/. */
export function examplePageDir(): string | undefined {
  for (const rel of ['../examples/browser/', '../../examples/browser/']) {
    const p = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(resolve(p, 'index.html'))) return p;
  }
  return undefined;
}

function checkBundleDir(dir: string): BundleManifest {
  const manifestPath = resolve(dir, MANIFEST_FILE);
  if (!existsSync(manifestPath)) throw new UsageError(`'${dir}' is not a bundle (no ${MANIFEST_FILE}); make one with: tensortune build model.onnx --target wasm -o ${dir}`);
  try {
    return checkManifest(JSON.parse(readFileSync(manifestPath, 'utf8')));
  } catch (e) {
    throw new UsageError(`'${manifestPath}': ${(e as Error).message}`);
  }
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/**
 * Starts the server as `tensortune serve` does and prints what it serves where; resolves once it
 * listens. Several bundles (a wasm and a webgpu build, say) are mounted at /bundle/, /bundle-2/, …
 * and listed at /bundles.json for the page.
 */
export async function startServe(dirs: readonly string[], o: { host: string; port: number; page: boolean; json: boolean }): Promise<StaticServer> {
  if (dirs.length === 0) throw new UsageError('give at least one bundle folder');
  const manifests = dirs.map(checkBundleDir);
  const page = o.page ? examplePageDir() : undefined;
  const runtime = await bundleRuntime({ minify: true });
  const listing = dirs.map((d, k) => ({
    url: bundlePrefix(k), name: basename(resolve(d)), target: manifests[k]!.target, tunedOn: manifests[k]!.tunedOn ?? null,
    inputs: manifests[k]!.inputs, outputs: manifests[k]!.outputs,
  }));
  const server = await startStaticServer({
    mounts: [...(page ? [{ prefix: '/', dir: page }] : []), ...dirs.map((dir, k) => ({ prefix: bundlePrefix(k), dir }))],
    memory: new Map([
      [RUNTIME_URL, { body: runtime.code, type: 'text/javascript; charset=utf-8' }],
      [BUNDLES_URL, { body: JSON.stringify(listing), type: 'application/json; charset=utf-8' }],
    ]),
    ...(page ? { index: '/index.html' } : {}),
    host: o.host,
    port: o.port,
  });
  const files = [...server.files().keys()];
  if (o.json) {
    process.stdout.write(JSON.stringify({
      origin: server.origin, bundles: dirs.map((d, k) => ({ dir: resolve(d), url: `${server.origin}${bundlePrefix(k)}`, target: manifests[k]!.target })),
      page: page ?? null, files, skipped: server.skipped,
    }) + '\n');
  } else {
    const lines = [
      ...dirs.map((d, k) => {
        const n = files.filter((f) => f.startsWith(bundlePrefix(k))).length;
        return `serving bundle ${resolve(d)} (${n} files, ${manifests[k]!.kernels.length} kernels, ${manifests[k]!.target}) at ${server.origin}${bundlePrefix(k)}`;
      }),
      page ? `example page ${page} at ${server.origin}/` : 'no example page (--no-page, or examples/browser/ is not installed)',
      `browser runtime at ${server.origin}${RUNTIME_URL} (${(runtime.bytes / 1024).toFixed(0)} KiB)`,
      'headers: Cross-Origin-Opener-Policy same-origin, Cross-Origin-Embedder-Policy require-corp (wasm threads), Cross-Origin-Resource-Policy same-origin',
      ...(server.skipped.length > 0 ? [`not served (symlinks pointing outside, special files): ${server.skipped.join(', ')}`] : []),
      LOOPBACK.has(o.host) ? `only this machine can connect (--host ${o.host}); Ctrl-C stops` : `WARNING: bound to ${o.host}: other machines on the network can read these files; Ctrl-C stops`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
  }
  return server;
}

export function addServeCommand(program: Command): void {
  program
    .command('serve')
    .argument('<bundles...>', 'bundle folder(s) written by `tensortune build -o` (e.g. a wasm and a webgpu build)')
    .description('serve bundles and the example page locally, cross-origin isolated (COOP/COEP) so wasm threads work')
    .option('--host <host>', 'address to bind (default: this machine only)', '127.0.0.1')
    .option('--port <port>', 'port (0: any free port)', '8080')
    .option('--no-page', 'serve only the bundle and the runtime, not the example page')
    .option('--json', 'print what is served, as one JSON line, once listening')
    .addHelpText('after', `
Serves only: the files of each bundle (the first under /bundle/, then /bundle-2/, …, listed at
/bundles.json), the example page (examples/browser/, at /) and the browser runtime
(/tensortune-runtime.js). Paths outside them are refused however they are
encoded, symlinks pointing out of the bundle are not served, and only GET and HEAD are answered.

Examples:
  $ tensortune serve out/                 # then open http://127.0.0.1:8080/
  $ tensortune serve out-wasm/ out-webgpu/ # the page offers both backends
  $ tensortune serve out/ --port 0 --json # any free port; prints {"origin": ...}`)
    .action(async (dirs: string[], o: RawServeOpts) => {
      const port = parseIntOption(o.port, '--port', 0);
      if (port > 65535) throw new UsageError(`--port '${o.port}': expected 0–65535`);
      const server = await startServe(dirs, { host: o.host, port, page: o.page, json: o.json ?? false });
      await new Promise<void>((done) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void server.close().then(done, done);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
