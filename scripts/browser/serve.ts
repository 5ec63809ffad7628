// scripts/browser/serve.ts — a tiny static server on 127.0.0.1 that sends the cross-origin
// isolation headers (COOP/COEP) a page needs for SharedArrayBuffer, i.e. for wasm threads.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One served file: its body and content type. */
export interface ServedFile {
  readonly body: string | Uint8Array;
  readonly type: string;
}

export interface IsolatedServer {
  /** e.g. 'http://127.0.0.1:41234' (a secure context: WebGPU and SharedArrayBuffer are allowed). */
  readonly origin: string;
  close(): Promise<void>;
}

/** Headers that make the page cross-origin isolated (crossOriginIsolated === true). */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * Serves `files` (keyed by path, e.g. '/index.html') on a random free port of 127.0.0.1, with the
 * isolation headers unless `isolated` is false (to show what a page without them gets).
 */
export async function serveIsolated(files: ReadonlyMap<string, ServedFile>, isolated = true): Promise<IsolatedServer> {
  const headers = isolated ? ISOLATION_HEADERS : {};
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const file = files.get(path === '/' ? '/index.html' : path);
    if (!file || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'Content-Type': 'text/plain', ...headers });
      res.end(`not found: ${path}`);
      return;
    }
    res.writeHead(200, { 'Content-Type': file.type, 'Cache-Control': 'no-store', ...headers });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
