// tests/browser/webgpu_browser.test.ts — tensortune's WebGPU target in headless Chromium through
// navigator.gpu: a bound matmul checked against a JavaScript matmul, and the error without an adapter.

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, WEBGPU_FLAGS } from '../../scripts/browser/launch.js';
import { serveIsolated, type IsolatedServer } from '../../scripts/browser/serve.js';
import { bundlePages, callPage, openPage, type OpenPage } from './harness.js';

let server: IsolatedServer;
let gpuBrowser: Browser;
let plainBrowser: Browser;
let gpu: OpenPage;
let plain: OpenPage;

beforeAll(async () => {
  server = await serveIsolated(await bundlePages());
  // Flags are per browser process: one with WebGPU forced on, one as headless Chromium comes.
  [gpuBrowser, plainBrowser] = await Promise.all([launchChromium(WEBGPU_FLAGS), launchChromium()]);
  [gpu, plain] = await Promise.all([openPage(gpuBrowser, server.origin), openPage(plainBrowser, server.origin)]);
}, 120_000);

afterAll(async () => {
  await gpuBrowser?.close();
  await plainBrowser?.close();
  await server?.close();
});

describe('tensortune in headless Chromium (WebGPU through navigator.gpu)', () => {
  it('runs a matmul bound to blockIdx/threadIdx on the page\'s adapter like a JS matmul', async () => {
    for (const [M, N, K] of [[32, 32, 16], [37, 45, 29]] as const) {
      const r = await callPage(gpu.page, 'webgpuMatmul', M, N, K);
      expect(r.maxAbsRef, `${M}x${N}x${K}`).toBeGreaterThan(1); // the reference did real work
      expect(r.maxAbsDiff, `${M}x${N}x${K}`).toBeLessThan(1e-4);
      // The module names the adapter it ran on (SwiftShader here: Chromium's software Vulkan).
      expect(r.info['target']).toMatch(/^webgpu -device=\w+/);
      expect(String(r.info['vendor']) + String(r.info['architecture'])).not.toBe('');
    }
  });

  it('says clearly that there is no adapter when the browser offers none', async () => {
    // Without --enable-unsafe-webgpu, headless Linux Chromium has navigator.gpu but no adapter.
    expect((await callPage(plain.page, 'environment')).hasGpu).toBe(true);
    expect(await callPage(plain.page, 'webgpuBuildError')).toMatch(/webgpu: no WebGPU adapter found: navigator\.gpu\.requestAdapter\(\) returned none.*--enable-unsafe-webgpu/);
  });

  it('says that navigator.gpu is missing, rather than reaching for Node\'s Dawn package, where the page has none', async () => {
    await callPage(plain.page, 'hideNavigatorGpu');
    expect((await callPage(plain.page, 'environment')).hasGpu).toBe(false);
    expect(await callPage(plain.page, 'webgpuBuildError')).toMatch(/webgpu: navigator\.gpu is missing/);
  });
});
