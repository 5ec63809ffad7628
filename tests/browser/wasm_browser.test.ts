// tests/browser/wasm_browser.test.ts — tensortune bundled for the browser and run in headless
// Chromium: te → schedule → lower → build for wasm (SIMD on/off, 1 thread or 2 on Web Workers),
// each result checked against a JavaScript matmul in the page; and a page without isolation.

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../scripts/browser/launch.js';
import { serveIsolated, type IsolatedServer } from '../../scripts/browser/serve.js';
import { bundlePages, callPage, openPage, type OpenPage } from './harness.js';

let browser: Browser;
let isolatedServer: IsolatedServer;
let plainServer: IsolatedServer;
let isolated: OpenPage;
let plain: OpenPage;

beforeAll(async () => {
  const files = await bundlePages();
  isolatedServer = await serveIsolated(files);
  plainServer = await serveIsolated(files, false);
  browser = await launchChromium();
  isolated = await openPage(browser, isolatedServer.origin);
  plain = await openPage(browser, plainServer.origin);
  await callPage(isolated.page, 'instrumentWorkers');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await isolatedServer?.close();
  await plainServer?.close();
});

/** f32 sums of K products in [-1, 1): a few ulps of the largest partial sum. */
const TOL = 1e-4;
const TARGETS = ['wasm -threads=2', 'wasm -simd=0 -threads=2', 'wasm -threads=1'] as const;

describe('tensortune in headless Chromium, cross-origin isolated page (wasm)', () => {
  it('serves a cross-origin-isolated page, so SharedArrayBuffer and wasm threads are available', async () => {
    const env = await callPage(isolated.page, 'environment');
    expect(env.crossOriginIsolated).toBe(true);
    expect(env.userAgent).toMatch(/Chrome\//);
  });

  it('runs a split, reordered, vectorized, unrolled, parallel matmul on 2 Web Workers like a JS matmul', async () => {
    const r = await callPage(isolated.page, 'wasmMatmul', 64, 64, 32, 'wasm -threads=2', 2);
    expect(r.maxAbsRef).toBeGreaterThan(1); // the reference did real work
    expect(r.maxAbsDiff).toBeLessThan(TOL);
    expect(r.info).toMatchObject({ target: 'wasm -threads=2', simd: true, threads: 2 });
    expect(Number(r.info['parallelLoops'])).toBeGreaterThanOrEqual(1);
    expect(String(r.info['v8'])).toMatch(/^Chrome\/\d+/);
    // The pool took the browser path: a Web Worker started from a Blob URL.
    expect(await callPage(isolated.page, 'workerCount')).toBeGreaterThanOrEqual(1);
    // The time evaluator runs in the page too (TVM semantics: seconds per run, one per repeat).
    expect(r.seconds).toHaveLength(2);
    expect(r.seconds.every((t) => t > 0 && Number.isFinite(t))).toBe(true);
  });

  it('runs the same schedule with SIMD off and on 1 thread, and reports each', async () => {
    for (const target of TARGETS.slice(1)) {
      const r = await callPage(isolated.page, 'wasmMatmul', 64, 64, 32, target);
      expect(r.maxAbsDiff, target).toBeLessThan(TOL);
      expect(r.info['target'], target).toBe(target);
      expect(r.info['simd'], target).toBe(!target.includes('-simd=0'));
      expect(r.info['threads'], target).toBe(target.includes('-threads=1') ? 1 : 2);
    }
  });

  it('handles shapes that divide none of the tiles (37×45×29) on every target', async () => {
    for (const target of TARGETS) {
      const r = await callPage(isolated.page, 'wasmMatmul', 37, 45, 29, target);
      expect(r.maxAbsRef, target).toBeGreaterThan(1);
      expect(r.maxAbsDiff, target).toBeLessThan(TOL);
    }
  });

  it('reports a trap in a parallel loop whichever thread hits it, without a hang, and the pool runs on', async () => {
    // The caller or the Web Worker claims i = 4 first (timing decides; neither is asserted).
    expect(await callPage(isolated.page, 'workerTrapMessage')).toMatch(/(parallel loop failed in worker 0|wasm kernel trapped): .*out of bounds/);
    const r = await callPage(isolated.page, 'wasmMatmul', 16, 16, 8, 'wasm -threads=2');
    expect(r.maxAbsDiff).toBeLessThan(TOL);
  });

  it('runs the second half of a parallel loop in a Web Worker: its trap is reported as the worker\'s (step schedule)', async () => {
    // The worker takes its hand-off and claims i = 4 (traps) before the caller's first claim: every time.
    expect(await callPage(isolated.page, 'workerTrapMessage', [1, 1])).toMatch(/^parallel loop failed in worker 0: .*out of bounds/);
    // The caller runs i = 0 … 3, then steals i = 4 (traps) before the worker takes its hand-off: the caller's trap.
    expect(await callPage(isolated.page, 'workerTrapMessage', [0, 0, 0, 0, 0])).toMatch(/^oob: wasm kernel trapped: .*out of bounds/);
    const r = await callPage(isolated.page, 'wasmMatmul', 16, 16, 8, 'wasm -threads=2');
    expect(r.maxAbsDiff).toBeLessThan(TOL);
  });
});

describe('tensortune in a page that is not cross-origin isolated (wasm)', () => {
  it('runs single-threaded, and says which headers threads need', async () => {
    expect((await callPage(plain.page, 'environment')).crossOriginIsolated).toBe(false);
    expect(await callPage(plain.page, 'wasmMatmulError', 37, 45, 29, 'wasm -threads=1')).toBe('no error');
    expect(await callPage(plain.page, 'wasmMatmulError', 37, 45, 29, 'wasm -threads=2'))
      .toMatch(/wasm threads need SharedArrayBuffer.*Cross-Origin-Opener-Policy: same-origin.*Cross-Origin-Embedder-Policy: require-corp.*-threads=1/);
  });
});
