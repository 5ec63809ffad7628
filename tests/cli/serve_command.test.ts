// tests/cli/serve_command.test.ts — `tensortune serve` as a user runs it: a real process, an ephemeral
// port, the start-up message, the bundle and the browser runtime served, a clean stop on SIGTERM.

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packBundle } from '../../runtime/bundle.js';
import { tempDir } from '../tuning-logs/helpers.js';
import { runCli, startCli } from './run_cli.js';

const dir = tempDir('serve-cmd');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function makeBundle(out: string): void {
  const kernel = { target: 'wasm', format: 'wasm' as const, bytes: new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]), meta: { name: 'k' } };
  const { files } = packBundle({ kernels: [{ artifact: kernel }], w: new Float32Array([1, 2]) }, { target: 'wasm', inputs: [], outputs: [] });
  for (const [name, bytes] of files) {
    mkdirSync(dirname(join(out, name)), { recursive: true });
    writeFileSync(join(out, name), bytes);
  }
}

function firstLines(child: ReturnType<typeof startCli>, n: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    let buf = '';
    let err = '';
    child.stderr!.on('data', (c: Buffer) => { err += c.toString(); });
    child.stdout!.on('data', (c: Buffer) => {
      buf += c.toString();
      const lines = buf.split('\n');
      if (lines.length > n) resolve(lines.slice(0, n));
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code} before printing: ${err}`)));
  });
}

describe('tensortune serve', () => {
  it('serves the bundles, their listing and the runtime on 127.0.0.1 and stops cleanly', async () => {
    const b = join(dir, 'out');
    makeBundle(b);
    const b2 = join(dir, 'out-b');
    makeBundle(b2);
    const child = startCli(['serve', b, b2, '--port', '0', '--json']);
    try {
      const [line] = await firstLines(child, 1);
      const info = JSON.parse(line!) as { origin: string; files: string[] };
      expect(info.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(info.files).toEqual(expect.arrayContaining(['/bundle/manifest.json', '/bundle/weights.bin', '/bundle/kernels/000_k.wasm', '/bundle-2/manifest.json', '/tensortune-runtime.js', '/bundles.json']));
      const listing = (await (await fetch(`${info.origin}/bundles.json`)).json()) as { url: string; name: string; target: string }[];
      expect(listing.map((x) => [x.url, x.name, x.target])).toEqual([['/bundle/', 'out', 'wasm'], ['/bundle-2/', 'out-b', 'wasm']]);
      const m = await fetch(`${info.origin}/bundle/manifest.json`);
      expect(m.status).toBe(200);
      expect(((await m.json()) as { format: string }).format).toBe('tensortune-bundle');
      expect(m.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
      const k = await fetch(`${info.origin}/bundle/kernels/000_k.wasm`);
      expect(k.headers.get('content-type')).toBe('application/wasm');
      const rt = await fetch(`${info.origin}/tensortune-runtime.js`);
      expect(rt.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(await rt.text()).toMatch(/readBundle/);
      expect((await fetch(`${info.origin}/bundle/manifest.json`, { method: 'POST' })).status).toBe(405);
    } finally {
      child.kill('SIGTERM');
    }
    const code = await new Promise((r) => child.on('exit', r));
    expect(code).toBe(0);
  }, 120_000);

  it('says what it serves and where at start-up', async () => {
    const b = join(dir, 'out2');
    makeBundle(b);
    const child = startCli(['serve', b, '--port', '0']);
    try {
      const lines = await firstLines(child, 4);
      expect(lines[0]).toMatch(new RegExp(`^serving bundle ${b.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(3 files, 1 kernels, wasm\\) at http://127\\.0\\.0\\.1:\\d+/bundle/$`));
      expect(lines.join('\n')).toMatch(/Cross-Origin-Embedder-Policy require-corp/);
    } finally {
      child.kill('SIGTERM');
    }
  }, 120_000);

  it('refuses a folder that is not a bundle, saying how to make one', async () => {
    const r = await runCli(['serve', dir, '--port', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is not a bundle \(no manifest\.json\); make one with: tensortune build/);
  }, 120_000);
});
