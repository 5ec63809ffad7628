// tests/autotune/esm_passthrough.test.ts — the loader hook that lets installed packages' ES modules skip tsx's
// transform in processes started from sources (autotune/measure/esm_passthrough.ts): which files it answers itself
// (untransformed bytes, format 'module') and which it hands on to the next hook (tsx), by Node's own rule.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ESM_PASSTHROUGH_HOOKS } from '../../autotune/measure/esm_passthrough.js';
import { ROOT } from '../cli/run_cli.js';

type Load = (url: string, context: object, next: (url: string, context: object) => Promise<unknown>) => Promise<{ format?: string; source?: Uint8Array | string; shortCircuit?: boolean } | 'next'>;
const { load } = (await import(ESM_PASSTHROUGH_HOOKS)) as { load: Load };
const viaHook = (path: string) => load(pathToFileURL(path).href, {}, async () => 'next');

describe('esm passthrough hook', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tt-esm-pass-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  /** A package under dir/node_modules/<name> with package.json `pkg` and one file. */
  const pkg = (name: string, json: string, file: string): string => {
    const p = join(dir, 'node_modules', name);
    mkdirSync(join(p, 'lib'), { recursive: true });
    writeFileSync(join(p, 'package.json'), json);
    writeFileSync(join(p, 'lib', file), 'export const x = 1;\n');
    return join(p, 'lib', file);
  };

  it("answers an ES-module package's .js (binaryen) with its bytes, untransformed, as format 'module'", async () => {
    const file = join(ROOT, 'node_modules', 'binaryen', 'index.js');
    const r = await viaHook(file);
    expect(r).not.toBe('next');
    const got = r as { format: string; source: Uint8Array; shortCircuit: boolean };
    expect([got.format, got.shortCircuit]).toEqual(['module', true]);
    expect(Buffer.from(got.source).equals(readFileSync(file))).toBe(true);
  });

  it('follows the nearest package.json (a nested one without a type is CommonJS) and answers any .mjs', async () => {
    expect(await viaHook(pkg('esm-pkg', '{"type":"module"}', 'a.js'))).toMatchObject({ format: 'module' });
    const nested = pkg('esm-outer', '{"type":"module"}', 'b.js');
    writeFileSync(join(dir, 'node_modules', 'esm-outer', 'lib', 'package.json'), '{}');
    expect(await viaHook(nested)).toBe('next');
    expect(await viaHook(pkg('cjs-pkg', '{"name":"cjs-pkg"}', 'c.mjs'))).toMatchObject({ format: 'module' });
  });

  it('hands on CommonJS packages, broken package.json, tsx itself, our own sources and non-file URLs', async () => {
    expect(await viaHook(pkg('cjs-only', '{"type":"commonjs"}', 'd.js'))).toBe('next');
    expect(await viaHook(pkg('no-type', '{"name":"no-type"}', 'e.js'))).toBe('next');
    expect(await viaHook(pkg('broken', '{not json', 'f.js'))).toBe('next');
    expect(await viaHook(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs'))).toBe('next');
    expect(await viaHook(join(ROOT, 'autotune', 'measure', 'esm_passthrough.ts'))).toBe('next');
    expect(await load('node:fs', {}, async () => 'next')).toBe('next');
  });
});
