// tests/tuning-logs/version.test.ts — the one version string (tuning-logs/record.ts VERSION) is
// package.json's, and what records write as tvm_version and `tensortune --version` print.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeRecord, TOOL_VERSION, VERSION } from '../../tuning-logs/record.js';
import { createProgram } from '../../cli/program.js';

describe('version', () => {
  it('is package.json\'s, in records and in the command', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
    expect(TOOL_VERSION).toBe(`tensortune-${pkg.version}`);
    const r = makeRecord({ target: 'wasm', taskName: 't', args: [], config: { index: 0, code_hash: null, entity: [] }, costs: [1], errorNo: 0, allCost: 1, timestamp: 0 });
    expect(r.tvm_version).toBe(`tensortune-${pkg.version}`);
    expect(createProgram().version()).toBe(pkg.version);
  });
});
