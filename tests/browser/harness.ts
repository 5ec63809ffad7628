// tests/browser/harness.ts — serves the library bundle and the test page (tests/browser/pages/page_api.ts)
// from a cross-origin-isolated local server and opens it in headless Chromium, ready to call.

import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { bundleForBrowser, bundlePage, LIBRARY_URL, REPO_ROOT } from '../../scripts/browser/bundle.js';
import type { ServedFile } from '../../scripts/browser/serve.js';

/** The page's exports, as the test calls them through `page.evaluate`. */
export type PageApi = typeof import('./pages/page_api.js');

const INDEX_HTML = `<!doctype html>
<meta charset="utf-8">
<title>tensortune browser test</title>
<link rel="icon" href="data:,">
<script type="module">
  import * as api from '/page.js';
  globalThis.pageApi = api;
  globalThis.pageReady = true;
</script>`;

/** Bundles the library and the page: the files a server hands out, keyed by URL path. */
export async function bundlePages(): Promise<Map<string, ServedFile>> {
  const [lib, page] = await Promise.all([
    bundleForBrowser(),
    bundlePage(resolve(REPO_ROOT, 'tests', 'browser', 'pages', 'page_api.ts')),
  ]);
  const js = 'text/javascript; charset=utf-8';
  return new Map([
    ['/index.html', { body: INDEX_HTML, type: 'text/html; charset=utf-8' }],
    [LIBRARY_URL, { body: lib.code, type: js }],
    ['/page.js', { body: page, type: js }],
  ]);
}

export interface OpenPage {
  readonly page: Page;
  /** Console errors and uncaught exceptions the page reported, for failure messages. */
  readonly errors: string[];
}

/** Opens the test page in `browser` and waits until its module (and the library bundle) has loaded. */
export async function openPage(browser: Browser, origin: string): Promise<OpenPage> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  await page.goto(`${origin}/index.html`);
  try {
    await page.waitForFunction(() => (globalThis as { pageReady?: boolean }).pageReady === true, undefined, { timeout: 30_000 });
  } catch (e) {
    await page.close();
    throw new Error(`the test page did not load: ${(e as Error).message.split('\n')[0]}; page errors: ${errors.join(' | ') || 'none'}`);
  }
  return { page, errors };
}

/** Calls one page export with JSON arguments and returns its (JSON) result. */
export async function callPage<K extends keyof PageApi>(
  page: Page, name: K, ...args: Parameters<PageApi[K]>
): Promise<Awaited<ReturnType<PageApi[K]>>> {
  const result = await page.evaluate(
    async ([n, a]) => {
      const api = (globalThis as unknown as { pageApi: Record<string, (...xs: unknown[]) => unknown> }).pageApi;
      return api[n]!(...a);
    },
    [name as string, args as unknown[]] as const,
  );
  return result as Awaited<ReturnType<PageApi[K]>>;
}
