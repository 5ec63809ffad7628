// cli/static_server.ts — the server behind `tensortune serve`: serves an allow-list of files (those found
// under the mounted folders, plus in-memory ones) with the cross-origin isolation headers wasm threads need.
//
// Node's http and our own checks rather than `send`/`sirv`: those cannot be installed here, and an
// allow-list is the stronger design anyway — a URL is only ever looked up in a map of files found
// by walking the mounted folders, never joined onto a filesystem path, so `..`, encoded slashes,
// absolute paths and symlinks pointing out have nothing to reach.

import { constants, lstatSync, openSync, readdirSync, readSync, closeSync, fstatSync, realpathSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, relative, sep } from 'node:path';

/** Headers that make a page cross-origin isolated (SharedArrayBuffer, hence wasm threads) and keep files same-origin. */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** Content types by extension; anything else is application/octet-stream. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json; charset=utf-8', '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm', '.wgsl': 'text/wgsl; charset=utf-8', '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp',
  '.ico': 'image/x-icon', '.bin': 'application/octet-stream', '.npy': 'application/octet-stream', '.onnx': 'application/octet-stream',
};

export function contentType(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** A folder served under a URL prefix ('/' or '/bundle/'). */
export interface Mount {
  readonly prefix: string;
  readonly dir: string;
}

export interface StaticServerOptions {
  readonly mounts: readonly Mount[];
  /** Files held in memory (e.g. the bundled runtime), keyed by URL path. */
  readonly memory?: ReadonlyMap<string, { readonly body: string | Uint8Array; readonly type: string }>;
  /** Served for '/'. */
  readonly index?: string;
  readonly host?: string;
  readonly port?: number;
  /** Milliseconds now (default Date.now); the mounts are re-walked for an unknown path at most once a second by it. Tests inject a clock. */
  readonly clock?: () => number;
}

export interface StaticServer {
  readonly origin: string;
  readonly address: AddressInfo;
  /** URL path → where it comes from (absolute file path, or 'memory'), as served now. */
  files(): ReadonlyMap<string, string>;
  /** Files skipped while walking the mounts: symlinks pointing outside them, special files. */
  readonly skipped: readonly string[];
  close(): Promise<void>;
}

const MAX_FILES = 10_000;
/** An unknown path re-walks the mounts at most this often (ms). */
const RESCAN_MS = 1000;
const MAX_DEPTH = 8;

/** Regular files under `dir` (real paths inside it), by URL path under `prefix`. Dotfiles are never served. */
function walk(mount: Mount, into: Map<string, string>, skipped: string[]): void {
  const root = realpathSync(mount.dir);
  const visit = (dir: string, urlDir: string, depth: number): void => {
    if (depth > MAX_DEPTH) return;
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.') || into.size >= MAX_FILES) continue;
      const full = join(dir, name);
      let real: string;
      try {
        real = realpathSync(full);
      } catch {
        skipped.push(full);
        continue;
      }
      const rel = relative(root, real);
      if (rel === '' || rel.startsWith('..') || rel.split(sep)[0] === '..' || /^[A-Za-z]:/.test(rel) || rel.startsWith(sep)) {
        skipped.push(full);
        continue;
      }
      const st = statSync(real);
      const url = `${urlDir}${encodeURIComponent(name)}`;
      if (st.isDirectory()) {
        if (!lstatSync(full).isSymbolicLink()) visit(full, `${url}/`, depth + 1);
      } else if (st.isFile()) into.set(url, real);
      else skipped.push(full);
    }
  };
  visit(root, mount.prefix, 0);
}

/**
 * The URL path of a request target, or an HTTP status refusing it: 400 for anything but an
 * origin-form path ('/…'), for encoded slashes, backslashes, NUL bytes, '.' or '..' segments
 * (however encoded) and bad percent-encoding. The result is only ever used as a map key.
 */
export function requestPath(target: string): string | 400 {
  if (!target.startsWith('/') || target.startsWith('//')) return 400;
  const raw = target.split(/[?#]/, 1)[0]!;
  if (/%(2f|5c|00)/i.test(raw) || raw.includes('\\') || raw.includes('\0')) return 400;
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    return 400;
  }
  if (path.includes('\0') || path.includes('\\')) return 400;
  if (path.split('/').some((seg) => seg === '.' || seg === '..')) return 400;
  // Keys are stored percent-encoded per segment: re-encode the decoded path the same way.
  return path.split('/').map((seg) => encodeURIComponent(seg)).join('/');
}

function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || host === '[::1]';
}

/** Starts the server; resolves once it listens. Errors: EADDRINUSE and the like, as Node reports them. */
export async function startStaticServer(opts: StaticServerOptions): Promise<StaticServer> {
  const host = opts.host ?? '127.0.0.1';
  const files = new Map<string, string>();
  const skipped: string[] = [];
  const scan = (): void => {
    files.clear();
    skipped.length = 0;
    for (const m of opts.mounts) walk(m, files, skipped);
  };
  const now = opts.clock ?? Date.now;
  scan();
  let lastScan = now();
  const memory = opts.memory ?? new Map();
  let port = 0;

  const send = (res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void => {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', ...ISOLATION_HEADERS, ...extra });
    res.end(res.req.method === 'HEAD' ? undefined : `${text}\n`);
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, `method ${req.method} not allowed (GET or HEAD)`, { Allow: 'GET, HEAD' });
    // A server bound to loopback answers only loopback names: a page elsewhere cannot reach it by DNS rebinding.
    const hostHeader = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    if (isLoopback(host) && !isLoopback(hostHeader)) return send(res, 403, `host '${hostHeader}' is not this server (use http://127.0.0.1:${port}/)`);
    let path = requestPath(req.url ?? '');
    if (path === 400) return send(res, 400, 'bad request path');
    if (path === '/' && opts.index !== undefined) path = opts.index;
    const mem = memory.get(path);
    let real = files.get(path);
    if (mem === undefined && real === undefined && now() - lastScan > RESCAN_MS) {
      // A rebuilt bundle may have new files: walk the mounts again (at most once a second).
      scan();
      lastScan = now();
      real = files.get(path);
    }
    const headers = { 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache', ...ISOLATION_HEADERS };
    if (mem !== undefined) {
      const body = typeof mem.body === 'string' ? Buffer.from(mem.body) : mem.body;
      res.writeHead(200, { ...headers, 'Content-Type': mem.type, 'Content-Length': String(body.length) });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    if (real === undefined) return send(res, 404, 'not found');
    let body: Buffer;
    try {
      // O_NOFOLLOW: a file swapped for a symlink since the walk is refused, not followed.
      const fd = openSync(real, constants.O_RDONLY | constants.O_NOFOLLOW);
      try {
        const size = fstatSync(fd).size;
        body = Buffer.alloc(size);
        let off = 0;
        while (off < size) {
          const n = readSync(fd, body, off, size - off, off);
          if (n === 0) break;
          off += n;
        }
        body = body.subarray(0, off);
      } finally {
        closeSync(fd);
      }
    } catch {
      return send(res, 404, 'not found');
    }
    res.writeHead(200, { ...headers, 'Content-Type': contentType(real), 'Content-Length': String(body.length) });
    res.end(req.method === 'HEAD' ? undefined : body);
  };

  const server: Server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch {
      if (!res.headersSent) send(res, 500, 'internal error');
      else res.destroy();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  port = address.port;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    origin: `http://${shown}:${address.port}`,
    address,
    files: () => new Map([...[...memory.keys()].map((k) => [k, 'memory'] as const), ...files]),
    skipped,
    close: () => new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((e) => (e ? reject(e) : resolve()));
    }),
  };
}
