// scripts/browser/launch.ts — starts headless Chromium (the distribution's /usr/bin/chromium) through
// playwright-core with flags for a closed network, and forwards the page's console for debugging.

import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where Debian's `chromium` package puts the browser; TENSORTUNE_CHROMIUM overrides it. */
export function chromiumPath(): string {
  return process.env['TENSORTUNE_CHROMIUM'] ?? '/usr/bin/chromium';
}

/** Flags that keep Chromium from reaching the (closed) network on its own. */
export const QUIET_FLAGS: readonly string[] = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-domain-reliability',
  '--disable-client-side-phishing-detection',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-quic',
  '--metrics-recording-only',
];

/**
 * Flags that give headless Chromium a WebGPU adapter on a machine without a GPU: WebGPU is off in
 * headless Linux Chromium unless forced; forced, Dawn picks Chromium's bundled SwiftShader
 * (software Vulkan, /usr/lib/chromium/libvk_swiftshader.so from Debian's chromium-common).
 */
export const WEBGPU_FLAGS: readonly string[] = ['--enable-unsafe-webgpu'];

/** Launches headless Chromium; a missing browser is an error that says how to install it. */
export async function launchChromium(extraFlags: readonly string[] = []): Promise<Browser> {
  const exe = chromiumPath();
  if (!existsSync(exe)) {
    throw new Error(`browser tests need Chromium at ${exe} (not found): run \`bash scripts/setup.sh\` or ` +
      '`apt-get install -y chromium` (Debian), or point TENSORTUNE_CHROMIUM at a Chromium binary');
  }
  return chromium.launch({ executablePath: exe, headless: true, args: ['--headless=new', ...QUIET_FLAGS, ...extraFlags] });
}
