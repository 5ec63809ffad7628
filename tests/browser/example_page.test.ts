// tests/browser/example_page.test.ts — the example page (examples/browser/) served by `tensortune serve`
// and opened in headless Chromium: it loads the runtime-only bundle and a model bundle, runs the model
// on seeded random inputs or an image file, on wasm and on WebGPU (Chromium's SwiftShader), and its
// output equals the Node run of the same bundle on the same inputs.

import { readFileSync, rmSync } from 'node:fs';
import { PNG } from 'pngjs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startServe } from '../../cli/serve_command.js';
import type { StaticServer } from '../../cli/static_server.js';
import { randomInputs } from '../../runtime/random_inputs.js';
import type { GraphInput } from '../../runtime/graph_executor.js';
import { loadBundle } from '../../runtime/standalone.js';
import { launchChromium, WEBGPU_FLAGS } from '../../scripts/browser/launch.js';
import { writeReluAddBundle } from '../cli/fixtures/relu_add_bundle.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { build } from '../../relay/backend/build.js';
import { fromOnnx } from '../../relay/frontend/onnx.js';
import { packBundle } from '../../runtime/bundle.js';
import { resnet } from '../relay/models/zoo.js';
import { tempDir } from '../tuning-logs/helpers.js';

const dir = tempDir('example-page');
const bundle = join(dir, 'relu_add');
const resnetBundle = join(dir, 'resnet');
const resnetGpuBundle = join(dir, 'resnet-webgpu');
const imagePath = join(dir, 'input.png');

/** The ResNet-style test model built by relay.build, packed as `tensortune build` packs it. */
async function writeResnetBundle(out: string, target: string): Promise<void> {
  const gm = await build(fromOnnx(resnet().bytes), { target });
  const io = (x: { name: string; shape: readonly number[]; dtype: string }) => ({ name: x.name, shape: [...x.shape], dtype: x.dtype });
  const { files } = packBundle(gm.plan, { target, inputs: gm.plan.inputs.map(io), outputs: gm.plan.outputs.map(io) });
  gm.dispose();
  for (const [name, bytes] of files) {
    mkdirSync(dirname(join(out, name)), { recursive: true });
    writeFileSync(join(out, name), bytes);
  }
}
const TARGET = 'wasm -threads=2';
let server: StaticServer;
let browser: Browser;
let page: Page;
const errors: string[] = [];

interface DemoResult {
  outputs: { name: string; shape: number[]; dtype: string; data: number[] }[];
  latencyMs: number;
  backend: string;
  target: string;
  threads: number;
  crossOriginIsolated: boolean;
}

beforeAll(async () => {
  await writeReluAddBundle(bundle, TARGET);
  await writeResnetBundle(resnetBundle, TARGET);
  await writeResnetBundle(resnetGpuBundle, 'webgpu');
  writeTestImage(imagePath);
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    server = await startServe([bundle, resnetBundle, resnetGpuBundle], { host: '127.0.0.1', port: 0, page: true, json: true });
  } finally {
    spy.mockRestore();
  }
  // WebGPU forced on (SwiftShader); the wasm bundles run the same either way.
  browser = await launchChromium(WEBGPU_FLAGS);
  page = await browser.newPage();
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  // One short measurement per Run: on a loaded CI machine ten 10-ms measurements of a 2-thread
  // run (each dispatch waking a worker) can take tens of seconds; the test checks outputs, not speed.
  await page.goto(`${server.origin}/?repeat=1&min_repeat_ms=0`);
  await page.waitForFunction(() => (globalThis as { tensortuneDemo?: unknown }).tensortuneDemo !== undefined, undefined, { timeout: 30_000 });
  await page.evaluate(() => (globalThis as unknown as { tensortuneDemo: { ready: Promise<void> } }).tensortuneDemo.ready);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A 20×20 RGB PNG (the ResNet-style input's H×W, so the page draws it unscaled) of a colour ramp. */
function writeTestImage(path: string): void {
  const png = new PNG({ width: 20, height: 20, colorType: 2 });
  for (let y = 0; y < 20; y++) {
    for (let x = 0; x < 20; x++) {
      const i = (y * 20 + x) * 4;
      png.data[i] = (x * 13) & 255; png.data[i + 1] = (y * 11 + 40) & 255; png.data[i + 2] = ((x * y) * 7) & 255; png.data[i + 3] = 255;
    }
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, PNG.sync.write(png, { colorType: 2 }));
}

/** The page's image input computed independently: pixels / 255, then ImageNet mean and std, N×C×H×W. */
function imageInput(path: string): Float32Array {
  const png = PNG.sync.read(readFileSync(path));
  const mean = [0.485, 0.456, 0.406];
  const std = [0.229, 0.224, 0.225];
  const hw = png.width * png.height;
  const x = new Float32Array(3 * hw);
  for (let c = 0; c < 3; c++) for (let i = 0; i < hw; i++) x[c * hw + i] = (png.data[i * 4 + c]! / 255 - mean[c]!) / std[c]!;
  return x;
}

async function nodeRun(seed: number, where = bundle, image?: Float32Array): Promise<number[]> {
  const b = await loadBundle(where);
  try {
    const feeds: Record<string, GraphInput> = Object.fromEntries([...randomInputs(b.manifest.inputs, seed)].map(([k, v]) => [k, v.data]));
    if (image) feeds[b.manifest.inputs[0]!.name] = image;
    const outs = await b.executor.run(feeds);
    const y = Array.from(outs[0]!.toArray());
    for (const o of outs) o.free();
    return y;
  } finally {
    b.executor.dispose();
  }
}

describe('examples/browser in headless Chromium', () => {
  it('runs the bundle and its output matches the Node run of the same bundle', async () => {
    for (const seed of [0, 5]) {
      const r = await page.evaluate((s) => (globalThis as unknown as { tensortuneDemo: { run(o: object): Promise<DemoResult> } }).tensortuneDemo.run({ bundle: 0, seed: s, repeat: 1 }), seed);
      expect(errors).toEqual([]);
      const want = await nodeRun(seed);
      expect(r.outputs[0]!.name).toBe('Y');
      expect(r.outputs[0]!.shape).toEqual([2, 3, 5]);
      expect(r.outputs[0]!.data).toEqual(want);
      expect(want.some((v) => v > 0)).toBe(true);
      expect(r).toMatchObject({ backend: 'wasm', target: TARGET, threads: 2, crossOriginIsolated: true });
      expect(r.latencyMs).toBeGreaterThan(0);
    }
  }, 120_000);

  it('runs a model built by relay.build (ResNet-style) like the Node run', async () => {
    const r = await page.evaluate(() => (globalThis as unknown as { tensortuneDemo: { run(o: object): Promise<DemoResult> } }).tensortuneDemo.run({ bundle: 1, seed: 4, repeat: 1 }));
    expect(errors).toEqual([]);
    const want = await nodeRun(4, resnetBundle);
    expect(r.outputs[0]!.shape).toEqual([1, 5]);
    const scale = Math.max(...want.map(Math.abs));
    expect(scale).toBeGreaterThan(0);
    r.outputs[0]!.data.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThanOrEqual(1e-6 * scale));
  }, 120_000);

  it('runs the WebGPU build of the same model on the page\'s adapter like the Node (Dawn) run', async () => {
    const r = await page.evaluate(() => (globalThis as unknown as { tensortuneDemo: { run(o: object): Promise<DemoResult & { adapter: string }> } }).tensortuneDemo.run({ bundle: 2, seed: 4, repeat: 1 }));
    expect(errors).toEqual([]);
    expect(r).toMatchObject({ backend: 'webgpu', target: 'webgpu' });
    expect(r.adapter).not.toBe('none');
    const want = await nodeRun(4, resnetGpuBundle);
    const wasm = await nodeRun(4, resnetBundle);
    expect(r.outputs[0]!.shape).toEqual([1, 5]);
    const scale = Math.max(...wasm.map(Math.abs));
    expect(scale).toBeGreaterThan(0);
    // Two GPUs (SwiftShader in the page, lavapipe in Node) and the wasm build agree to float rounding.
    r.outputs[0]!.data.forEach((v, i) => {
      expect(Math.abs(v - want[i]!)).toBeLessThanOrEqual(1e-4 * scale);
      expect(Math.abs(v - wasm[i]!)).toBeLessThanOrEqual(1e-4 * scale);
    });
  }, 120_000);

  it('runs an image file (drawn at the input size, ImageNet-normalized) like Node on the decoded pixels', async () => {
    await page.setInputFiles('#image', imagePath);
    const r = await page.evaluate(() => {
      const file = (document.getElementById('image') as HTMLInputElement).files![0];
      return (globalThis as unknown as { tensortuneDemo: { run(o: object): Promise<DemoResult> } }).tensortuneDemo.run({ bundle: 1, file, repeat: 1 });
    });
    expect(errors).toEqual([]);
    const want = await nodeRun(0, resnetBundle, imageInput(imagePath));
    const random = await nodeRun(0, resnetBundle);
    const scale = Math.max(...want.map(Math.abs));
    r.outputs[0]!.data.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThanOrEqual(1e-5 * scale));
    // The image, not the seeded random input, was what ran.
    expect(random.some((v, i) => Math.abs(v - want[i]!) > 1e-3 * scale)).toBe(true);
    // A bundle whose input is not an image is refused with the reason.
    await expect(page.evaluate(() => {
      const file = (document.getElementById('image') as HTMLInputElement).files![0];
      return (globalThis as unknown as { tensortuneDemo: { run(o: object): Promise<DemoResult> } }).tensortuneDemo.run({ bundle: 0, file, repeat: 1 });
    })).rejects.toThrow(/is not an N×C×H×W image/);
  }, 120_000);

  it('shows output, latency, backend and threads when the Run button is pressed', async () => {
    await page.fill('#seed', '5');
    expect(await page.$eval('#run', (b) => (b as HTMLButtonElement).disabled)).toBe(false);
    await page.$eval('#run', (b) => (b as HTMLButtonElement).click());
    try {
      await page.waitForFunction(() => /^Y: \[2, 3, 5\]/.test(document.getElementById('output')?.textContent ?? ''), undefined, { timeout: 90_000 });
    } catch (e) {
      throw new Error(`the page did not show the output: '${await page.textContent('#output')}'; errors: ${errors.join(' | ')}`, { cause: e });
    }
    const env = await page.textContent('#env');
    expect(env).toMatch(/backendwasm/);
    expect(env).toMatch(/threads2/);
    expect(env).toMatch(/latency[\d.]+ ms/);
    expect(env).toMatch(/cross-origin isolatedtrue/);
    expect(await page.textContent('#bundle')).toMatch(/relu_add — wasm -threads=2/);
    expect(env).toMatch(/median of 1 measurement\)/);
    expect(errors).toEqual([]);
  }, 150_000);
});
