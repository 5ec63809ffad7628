// tests/tuning-logs/helpers.ts — small record and temp-dir helpers shared by the tuning-logs tests.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeRecord, type LogRecord } from '../../tuning-logs/record.js';

/** A fresh temporary folder for one test file. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `tt-${prefix}-`));
}

/** A matmul record with given config index and mean cost (errorNo ≠ 0 makes it a failure). */
export function rec(index: number, cost: number, o: { target?: string; shape?: number[]; errorNo?: number; timestamp?: number } = {}): LogRecord {
  const [m, k, n] = o.shape ?? [8, 8, 8];
  return makeRecord({
    target: o.target ?? 'wasm',
    taskName: 'matmul.wasm',
    args: [['TENSOR', [m!, k!], 'float32'], ['TENSOR', [k!, n!], 'float32']],
    config: { index, code_hash: null, entity: [['tile_y', 'sp', [-1, index % 4 + 1]]] },
    costs: [cost * 0.9, cost * 1.1],
    errorNo: o.errorNo ?? 0,
    allCost: 0.25,
    timestamp: o.timestamp ?? 1763942400 + index,
  });
}
