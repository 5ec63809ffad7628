// tests/runtime/bundle.test.ts — the bundle format: a plan with real compiled kernels and weights packed
// into files, written to a folder, read back (folder and URL), and the kernel still computes the same;
// every damaged bundle is refused naming the file or field.

import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compile } from '../../codegen/compile.js';
import { BUNDLE_FORMAT, packBundle, unpackBundle, type BundleManifest } from '../../runtime/bundle.js';
import { readBundle } from '../../runtime/bundle_source.js';
import { array, empty } from '../../runtime/ndarray.js';
import { loadWasm } from '../../runtime/wasm_module.js';
import type { CompiledArtifact } from '../../codegen/artifact.js';
import * as t from '../../tir/nodes.js';
import { tempDir } from '../tuning-logs/helpers.js';

const dir = tempDir('bundle');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Y[i] = X[i] · W[i] + 1 over n elements (scalar loop, any n). */
function scaleAdd(n: number): t.PrimFunc {
  const X = t.buffer('X', [n], 'float32');
  const W = t.buffer('W', [n], 'float32');
  const Y = t.buffer('Y', [n], 'float32');
  const i = t.variable('i');
  const body = t.forLoop(i, 0, n, 'serial', t.bufferStore(Y, t.add(t.mul(t.bufferLoad(X, [i]), t.bufferLoad(W, [i])), t.floatImm(1)), [i]));
  return t.primFunc('scale_add', [X, W, Y], body, { argShapes: [[n], [n], [n]] });
}

function writeFiles(root: string, files: Map<string, Uint8Array>): void {
  for (const [name, bytes] of files) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), bytes);
  }
}

async function samplePlan(n = 7) {
  const kernel = await compile(scaleAdd(n), 'wasm -threads=1');
  const w = Float32Array.from({ length: n }, (_, i) => i - 2.5);
  const ids = new Int32Array([4, 0, 2]);
  // A plan-like object: JSON plus kernels (one used twice) and typed arrays, as the contract describes.
  const plan = {
    inputs: [{ name: 'x', shape: [n], dtype: 'float32', storageId: 0 }],
    outputs: [{ name: 'y', shape: [n], dtype: 'float32', storageId: 2 }],
    storage: [{ id: 0, bytes: 4 * n }, { id: 1, bytes: 4 * n }, { id: 2, bytes: 4 * n }],
    kernels: [{ name: 'k0', artifact: kernel, args: [0, 1, 2] }, { name: 'k1', artifact: kernel, args: [2, 1, 2] }],
    constants: [{ storageId: 1, name: 'w', shape: [n], dtype: 'float32', data: w }, { storageId: 3, name: 'ids', shape: [3], dtype: 'int32', data: ids }],
    note: null,
  };
  return { plan, kernel, w, ids };
}

const INFO = {
  target: 'wasm -threads=1',
  inputs: [{ name: 'x', shape: [7], dtype: 'float32' }],
  outputs: [{ name: 'y', shape: [7], dtype: 'float32' }],
  tunedOn: { cpu: 'test', threads: 1 },
  kernelInfo: (_a: CompiledArtifact, i: number) => ({ task: { template: 'scale_add.wasm', args: [] }, config: { index: i }, source: 'default' }),
};

describe('packBundle / readBundle', () => {
  it('round-trips a plan through a folder: kernels stored once, weights aligned, plan restored', async () => {
    const { plan, kernel, w, ids } = await samplePlan();
    const { manifest, files } = packBundle(plan, INFO);
    expect(manifest.format).toBe(BUNDLE_FORMAT);
    expect(manifest.kernels).toHaveLength(1);
    expect(manifest.kernels[0]).toMatchObject({ file: 'kernels/000_scale_add.wasm', format: 'wasm', bytes: kernel.bytes.length, config: { index: 0 }, source: 'default' });
    expect([...files.keys()].sort()).toEqual(['kernels/000_scale_add.wasm', 'manifest.json', 'weights.bin']);
    expect(manifest.weights).toEqual({ file: 'weights.bin', bytes: 64 + 12, tensors: 2 });
    const out = join(dir, 'b1');
    writeFiles(out, files);
    const back = await readBundle(out);
    const p = back.plan as typeof plan;
    expect(p.kernels[0]!.artifact).toBe(p.kernels[1]!.artifact);
    expect(p.kernels[0]!.artifact.bytes).toEqual(kernel.bytes);
    expect(p.kernels[0]!.artifact.meta).toEqual(kernel.meta);
    expect(p.constants[0]!.data).toBeInstanceOf(Float32Array);
    expect(Array.from(p.constants[0]!.data)).toEqual(Array.from(w));
    expect(p.constants[1]!.data).toBeInstanceOf(Int32Array);
    expect(Array.from(p.constants[1]!.data)).toEqual(Array.from(ids));
    expect({ ...p, kernels: null, constants: null }).toEqual({ ...plan, kernels: null, constants: null });
    expect(back.manifest.tunedOn).toEqual({ cpu: 'test', threads: 1 });
  });

  it('a kernel read back from the bundle computes what plain JS computes', async () => {
    const { plan } = await samplePlan(7);
    const out = join(dir, 'b2');
    writeFiles(out, packBundle(plan, INFO).files);
    const p = (await readBundle(out)).plan as typeof plan;
    const mod = await loadWasm(p.kernels[0]!.artifact);
    const xs = [0.5, -1, 2, 3, 4.25, -6, 7];
    const x = array(xs, [7]);
    const wt = array(p.constants[0]!.data, [7]);
    const y = empty([7]);
    await mod.run(x, wt, y);
    expect(Array.from(y.data)).toEqual(xs.map((v, i) => Math.fround(Math.fround(v * (i - 2.5)) + 1)));
    mod.dispose();
    for (const a of [x, wt, y]) a.free();
  });

  it('reads a bundle over HTTP from its URL', async () => {
    const { plan, w } = await samplePlan();
    const { files } = packBundle(plan, INFO);
    const server = createServer((req, res) => {
      const f = files.get((req.url ?? '').replace(/^\/m\//, ''));
      res.writeHead(f ? 200 : 404).end(f);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/m`;
      const back = await readBundle(url);
      expect(Array.from((back.plan as typeof plan).constants[0]!.data)).toEqual(Array.from(w));
      expect(back.location).toBe(`${url}/`);
      await expect(readBundle(`http://127.0.0.1:${(server.address() as AddressInfo).port}/nothing`)).rejects.toThrow(/cannot read manifest\.json.*HTTP 404/);
    } finally {
      server.close();
    }
  });

  it('refuses non-plain data in a plan, naming where', () => {
    expect(() => packBundle({ a: [1, { f: () => 1 }] }, INFO)).toThrow(/plan\.a\[1\]\.f is function/);
    expect(() => packBundle({ m: new Map() }, INFO)).toThrow(/plan\.m is Map/);
    expect(() => packBundle({ x: NaN }, INFO)).toThrow(/plan\.x is NaN/);
    expect(() => packBundle({ $kernel: 1 }, INFO)).toThrow(/reserved/);
  });
});

describe('damaged bundles are refused, naming the file or field', () => {
  async function variant(name: string, edit: (m: Record<string, unknown>, files: Map<string, Uint8Array>) => void): Promise<string> {
    const { plan } = await samplePlan();
    const { manifest, files } = packBundle(plan, INFO);
    const m = JSON.parse(JSON.stringify(manifest)) as Record<string, unknown>;
    edit(m, files);
    files.set('manifest.json', new TextEncoder().encode(JSON.stringify(m)));
    const out = join(dir, name);
    writeFiles(out, files);
    return out;
  }

  it.each([
    ['not a bundle', (m: Record<string, unknown>) => { m.format = 'other'; }, /format is "other"/],
    ['newer version', (m: Record<string, unknown>) => { m.version = 2; }, /version 2 is not supported.*rebuild/],
    ['kernel file outside', (m: Record<string, unknown>) => { (m.kernels as { file: string }[])[0]!.file = '../../etc/passwd'; }, /kernels\[0\]\.file "..\/..\/etc\/passwd" is not a file name inside the bundle/],
    ['absolute kernel file', (m: Record<string, unknown>) => { (m.kernels as { file: string }[])[0]!.file = '/etc/passwd'; }, /not a file name inside the bundle/],
    ['truncated weights', (_m: Record<string, unknown>, f: Map<string, Uint8Array>) => { f.set('weights.bin', f.get('weights.bin')!.subarray(0, 10)); }, /weights file 'weights\.bin' has 10 bytes, the manifest says 76/],
    ['missing kernel', (_m: Record<string, unknown>, f: Map<string, Uint8Array>) => { f.delete('kernels/000_scale_add.wasm'); }, /kernels\[0\] file 'kernels\/000_scale_add\.wasm' cannot be read/],
    ['kernel out of range', (m: Record<string, unknown>) => { ((m.plan as { kernels: { artifact: unknown }[] }).kernels[1]!).artifact = { $kernel: 5 }; }, /plan\.kernels\[1\]\.artifact: kernel reference 5 is out of range/],
    ['weight outside the file', (m: Record<string, unknown>) => { ((m.plan as { constants: { data: { $tensor: { offset: number } } }[] }).constants[1]!.data.$tensor.offset = 128); }, /plan\.constants\[1\]\.data: weight \[128, \+12\) lies outside weights\.bin/],
    ['misaligned weight', (m: Record<string, unknown>) => { ((m.plan as { constants: { data: { $tensor: { offset: number } } }[] }).constants[0]!.data.$tensor.offset = 2); }, /multiple of 4/],
    ['bad input shape', (m: Record<string, unknown>) => { (m.inputs as { shape: unknown }[])[0]!.shape = [-1]; }, /inputs\[0\] needs name, shape/],
  ] as const)('%s', async (name, edit, message) => {
    const out = await variant(name.replace(/ /g, '_'), edit);
    await expect(readBundle(out)).rejects.toThrow(message);
  });

  it('says how to make a bundle when the folder is not one', async () => {
    await expect(readBundle(join(dir, 'nope'))).rejects.toThrow(/not a bundle folder.*tensortune build/);
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    await expect(readBundle(empty)).rejects.toThrow(/cannot read manifest\.json/);
    writeFileSync(join(empty, 'manifest.json'), '{oops');
    await expect(readBundle(empty)).rejects.toThrow(/manifest\.json .* is not JSON/);
  });

  it('unpacks from any reader (what the browser path uses)', async () => {
    const { plan } = await samplePlan();
    const { manifest, files } = packBundle(plan, INFO);
    const back = await unpackBundle(JSON.parse(readFileSync(join(dir, 'b1', 'manifest.json'), 'utf8')) as BundleManifest, (f) => Promise.resolve(files.get(f)!));
    expect((back.plan as typeof plan).kernels[0]!.artifact.bytes.length).toBe(manifest.kernels[0]!.bytes);
  });
});
