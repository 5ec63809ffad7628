// tests/cli/static_server.test.ts — `tensortune serve`'s server against a real listening socket on an
// ephemeral port: isolation headers, content types, and every refusal (paths out however encoded,
// symlinks out, NUL bytes, methods, foreign Host headers), with request lines sent byte for byte.

import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestPath, startStaticServer, type StaticServer } from '../../cli/static_server.js';
import { tempDir } from '../tuning-logs/helpers.js';

const dir = tempDir('serve');
const SECRET = 'TOP-SECRET-CONTENT';
const WASM = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
let server: StaticServer;
/** The server's clock (ms): tests move it instead of sleeping. */
let nowMs = 1_000_000;

beforeAll(async () => {
  mkdirSync(join(dir, 'outside'));
  writeFileSync(join(dir, 'outside', 'secret.txt'), SECRET);
  writeFileSync(join(dir, 'secret.txt'), SECRET);
  const bundle = join(dir, 'bundle');
  mkdirSync(join(bundle, 'kernels'), { recursive: true });
  writeFileSync(join(bundle, 'manifest.json'), '{"format":"tensortune-bundle"}');
  writeFileSync(join(bundle, 'kernels', 'k0.wasm'), WASM);
  writeFileSync(join(bundle, 'kernels', 'k1.wgsl'), '@compute @workgroup_size(1) fn main() {}');
  writeFileSync(join(bundle, 'weights.bin'), new Uint8Array([1, 2, 3, 4]));
  writeFileSync(join(bundle, '.env'), SECRET);
  symlinkSync(join(dir, 'outside', 'secret.txt'), join(bundle, 'link_out.txt'));
  symlinkSync(join(dir, 'outside'), join(bundle, 'dir_out'));
  symlinkSync('manifest.json', join(bundle, 'link_in.json'));
  const site = join(dir, 'site');
  mkdirSync(site);
  writeFileSync(join(site, 'index.html'), '<!doctype html><title>page</title>');
  writeFileSync(join(site, 'app.js'), 'export {};');
  server = await startStaticServer({
    mounts: [{ prefix: '/', dir: site }, { prefix: '/bundle/', dir: bundle }],
    memory: new Map([['/tensortune-runtime.js', { body: 'export const runtime = 1;', type: 'text/javascript; charset=utf-8' }]]),
    index: '/index.html',
    clock: () => nowMs,
  });
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Raw { status: number; headers: Record<string, string>; body: string }

/** Sends one request exactly as written (no client-side URL normalization) and reads the answer. */
function raw(method: string, target: string, host = `127.0.0.1:${server.address.port}`): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const sock = connect(server.address.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    sock.on('data', (c) => chunks.push(c));
    sock.on('error', reject);
    sock.on('end', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const [head, ...rest] = text.split('\r\n\r\n');
      const lines = head!.split('\r\n');
      const headers: Record<string, string> = {};
      for (const l of lines.slice(1)) {
        const k = l.indexOf(':');
        headers[l.slice(0, k).toLowerCase()] = l.slice(k + 1).trim();
      }
      resolve({ status: Number(lines[0]!.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    });
    sock.write(`${method} ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
  });
}

describe('tensortune serve: what it serves', () => {
  it('binds 127.0.0.1 by default on the port it was given', () => {
    expect(server.address.address).toBe('127.0.0.1');
    expect(server.origin).toBe(`http://127.0.0.1:${server.address.port}`);
  });

  it('serves the page, the bundle and in-memory files with isolation headers and the right types', async () => {
    const cases: [string, string, string][] = [
      ['/', 'text/html; charset=utf-8', '<!doctype html><title>page</title>'],
      ['/index.html', 'text/html; charset=utf-8', '<!doctype html><title>page</title>'],
      ['/app.js', 'text/javascript; charset=utf-8', 'export {};'],
      ['/bundle/manifest.json', 'application/json; charset=utf-8', '{"format":"tensortune-bundle"}'],
      ['/bundle/kernels/k0.wasm', 'application/wasm', Buffer.from(WASM).toString('latin1')],
      ['/bundle/kernels/k1.wgsl', 'text/wgsl; charset=utf-8', '@compute @workgroup_size(1) fn main() {}'],
      ['/bundle/weights.bin', 'application/octet-stream', '\x01\x02\x03\x04'],
      ['/bundle/link_in.json', 'application/json; charset=utf-8', '{"format":"tensortune-bundle"}'],
      ['/tensortune-runtime.js', 'text/javascript; charset=utf-8', 'export const runtime = 1;'],
      ['/bundle/manifest.json?v=3', 'application/json; charset=utf-8', '{"format":"tensortune-bundle"}'],
    ];
    for (const [path, type, body] of cases) {
      const r = await raw('GET', path);
      expect(r.status, path).toBe(200);
      expect(r.headers['content-type'], path).toBe(type);
      expect(r.body, path).toBe(body);
      expect(r.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(r.headers['cross-origin-embedder-policy']).toBe('require-corp');
      expect(r.headers['cross-origin-resource-policy']).toBe('same-origin');
      expect(r.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('answers HEAD with the headers and no body', async () => {
    const r = await raw('HEAD', '/bundle/kernels/k0.wasm');
    expect(r.status).toBe(200);
    expect(r.headers['content-length']).toBe('8');
    expect(r.headers['content-type']).toBe('application/wasm');
    expect(r.body).toBe('');
  });

  it('lists what it serves, without the symlinks pointing out or dotfiles', () => {
    const files = [...server.files().keys()].sort();
    expect(files).toEqual([
      '/app.js', '/bundle/kernels/k0.wasm', '/bundle/kernels/k1.wgsl', '/bundle/link_in.json', '/bundle/manifest.json',
      '/bundle/weights.bin', '/index.html', '/tensortune-runtime.js',
    ]);
    expect(server.skipped.map((p) => p.split('/').pop()).sort()).toEqual(['dir_out', 'link_out.txt']);
  });
});

describe('tensortune serve: refusals', () => {
  const escapes: [string, number][] = [
    ['/../secret.txt', 400],
    ['/bundle/../secret.txt', 400],
    ['/bundle/../../secret.txt', 400],
    ['/%2e%2e/secret.txt', 400],
    ['/%2E%2E/%2E%2E/secret.txt', 400],
    ['/bundle/%2e%2e/%2e%2e/secret.txt', 400],
    ['/bundle/..%2fsecret.txt', 400],
    ['/bundle/%2e%2e%2f%2e%2e%2fsecret.txt', 400],
    ['/bundle/..%5csecret.txt', 400],
    ['/bundle/..\\..\\secret.txt', 400],
    ['/bundle/%252e%252e/secret.txt', 404],
    ['/bundle/./manifest.json', 400],
    ['/bundle/manifest.json%00.html', 400],
    ['/bundle/%c0%ae%c0%ae/secret.txt', 400],
    ['/bundle/%ZZ', 400],
    [`/bundle${join(dir, 'outside', 'secret.txt')}`, 404],
    [`${join(dir, 'outside', 'secret.txt')}`, 404],
    [`//${join(dir, 'outside', 'secret.txt').slice(1)}`, 400],
    ['/etc/passwd', 404],
    [`http://127.0.0.1/${join(dir, 'secret.txt')}`, 400],
    ['/bundle/link_out.txt', 404],
    ['/bundle/dir_out/secret.txt', 404],
    ['/bundle/.env', 404],
    ['/bundle/', 404],
    ['/bundle/kernels', 404],
  ];
  it.each(escapes)('GET %s → %i, never a file outside', async (target, status) => {
    const r = await raw('GET', target);
    expect(r.status).toBe(status);
    expect(r.body).not.toContain(SECRET);
    expect(r.headers['cross-origin-embedder-policy']).toBe('require-corp');
  });

  it.each(['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE'])('%s → 405 with Allow: GET, HEAD', async (method) => {
    const r = await raw(method, '/bundle/manifest.json');
    expect(r.status).toBe(405);
    expect(r.headers.allow).toBe('GET, HEAD');
  });

  it('refuses a Host header that is not loopback (DNS rebinding)', async () => {
    expect((await raw('GET', '/index.html', 'evil.example.com')).status).toBe(403);
    expect((await raw('GET', '/index.html', `localhost:${server.address.port}`)).status).toBe(200);
  });

  it('picks up files added after start-up (re-walking the mounts at most once a second), still only from inside the mounts', async () => {
    writeFileSync(join(dir, 'bundle', 'late.json'), '{}');
    writeFileSync(join(dir, 'outside', 'late_secret.txt'), SECRET);
    symlinkSync(join(dir, 'outside', 'late_secret.txt'), join(dir, 'bundle', 'late_link.txt'));
    nowMs += 1000;
    expect((await raw('GET', '/bundle/late.json')).status).toBe(404);
    nowMs += 1;
    expect((await raw('GET', '/bundle/late.json')).status).toBe(200);
    nowMs += 1001;
    const r = await raw('GET', '/bundle/late_link.txt');
    expect(r.status).toBe(404);
    expect(r.body).not.toContain(SECRET);
  });
});

describe('requestPath', () => {
  it('keeps ordinary names and percent-encoded spaces', () => {
    expect(requestPath('/a/b.wasm?x=1')).toBe('/a/b.wasm');
    expect(requestPath('/my%20model/x.bin')).toBe('/my%20model/x.bin');
    expect(requestPath('/my model/x.bin')).toBe('/my%20model/x.bin');
  });
});
