// tests/cli/log_list.test.ts — builds take several logs: repeated --log, comma lists, or both; the
// best record over all of them is used and reported with its file.

import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../cli/errors.js';
import { parseLogList } from '../../cli/parse.js';
import { tempDir } from '../tuning-logs/helpers.js';
import { runCli } from './run_cli.js';

const dir = tempDir('cli-loglist');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Two real records, one per file: matmul 128³ (shipped) in a.jsonl, matmul 32×512×512 in b.jsonl (a record
// once shipped, dropped from TopHub in session 9 when the packed default measured 2× faster; kept here as data).
const MM_SKINNY_RECORD = JSON.stringify({"input": ["wasm", "matmul.wasm", [["TENSOR", [32, 512], "float32"], ["TENSOR", [512, 512], "float32"]], {}], "config": {"index": 10777, "code_hash": null, "entity": [["tile_y", "sp", [-1, 2]], ["tile_x", "sp", [-1, 16]], ["tile_k", "sp", [-1, 16]], ["reorder", "ot", 0], ["vectorize", "ot", true], ["auto_unroll_max_step", "ot", 0], ["unroll_y", "ot", true], ["parallel", "ot", false], ["pack_b", "ot", false], ["tile_order", "ot", "yx"]]}, "result": [[0.0003362590572687142, 0.00032847154185019226, 0.00035198198237888713], 0, 0.2869889609999955, 1795486157.642], "version": 0.2, "tvm_version": "tensortune-0.1.0", "device": {"cpu": "AMD EPYC", "cores": 2, "v8": "11.3.244.8-node.38", "node": "20.20.2", "platform": "linux-x64", "simd": true, "threads": 2}});
const lines = [...readFileSync(new URL('../../tuning-logs/tophub/wasm.jsonl', import.meta.url), 'utf8').trim().split('\n'), MM_SKINNY_RECORD];
const pick = (m: number, k: number) => lines.find((l) => l.includes(`"matmul.wasm", [["TENSOR", [${m}, ${k}]`) || l.includes(`"matmul.wasm",[["TENSOR",[${m},${k}]`))!;
const a = join(dir, 'a.jsonl');
const b = join(dir, 'b.jsonl');
writeFileSync(a, pick(128, 128) + '\n');
writeFileSync(b, pick(32, 512) + '\n');

describe('parseLogList', () => {
  it('accepts repeated options and comma lists, in order', () => {
    expect(parseLogList([`${a},${b}`])).toEqual([a, b]);
    expect(parseLogList([b, ` ${a} `])).toEqual([b, a]);
    expect(parseLogList(undefined)).toEqual([]);
  });

  it('names the bad entry', () => {
    expect(() => parseLogList([`${a},,${b}`])).toThrow(UsageError);
    expect(() => parseLogList([`${a},`])).toThrow(/empty file name/);
    expect(() => parseLogList([`${a},${join(dir, 'missing.jsonl')}`])).toThrow(/missing\.jsonl' does not exist/);
  });
});

describe('tensortune build with several logs', () => {
  it('finds the record in the second file of a comma list', async () => {
    expect(pick(128, 128)).toBeDefined();
    expect(pick(32, 512)).toBeDefined();
    for (const logArgs of [['--log', `${a},${b}`]]) {
      const r = await runCli(['build', '--op', 'matmul', '--shape', '32,512,512', ...logArgs, '--json']);
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout) as { source: string; file: string; config: { index: number } };
      expect(out.source).toBe('log');
      expect(out.file).toBe(b);
      expect(out.config.index).toBe((JSON.parse(pick(32, 512)) as { config: { index: number } }).config.index);
    }
    const bad = await runCli(['build', '--op', 'matmul', '--shape', '32,512,512', '--log', `${a},nope.jsonl`]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/log file 'nope\.jsonl' does not exist/);
  }, 300_000);
});
