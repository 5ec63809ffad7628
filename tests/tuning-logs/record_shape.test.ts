// tests/tuning-logs/record_shape.test.ts — the exact shape of what record.ts and the reader hand
// out: a record made without a device fingerprint has no `device` key (so decode(encode(r)) is
// strictly r, and records compare equal whichever way they were made), one made with it keeps it;
// OldLogFormatError is named as such (stack traces, `String(e)`); and the reader reports a v0.1
// line as an old-format bad line that is not torn, also when it is the unterminated last line.
// Expected values worked out by hand.

import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readEntriesSync, type BadLine } from '../../tuning-logs/reader.js';
import { OldLogFormatError, decodeRecord, encodeRecord, makeRecord, toLogRecord } from '../../tuning-logs/record.js';
import { tempDir } from './helpers.js';

const dir = tempDir('record-shape');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = {
  target: 'wasm',
  taskName: 'dense.wasm',
  args: [['TENSOR', [4, 8], 'float32'], ['TENSOR', [2, 8], 'float32']] as const,
  config: { index: 3, code_hash: null, entity: [['tile_k', 'sp', [-1, 4]]] as const },
  costs: [0.001, 0.002],
  errorNo: 0,
  allCost: 0.5,
  timestamp: 1763942400,
};
const device = { cpu: 'test cpu', cores: 2, v8: '11.3', node: 'v20.0.0', platform: 'linux-x64' };

describe('record shape', () => {
  it('makeRecord / toLogRecord without a device have no device key; decode(encode(r)) is strictly r', () => {
    const r = makeRecord(base);
    expect(Object.keys(r)).toEqual(['input', 'config', 'result', 'version', 'tvm_version']);
    expect(decodeRecord(encodeRecord(r))).toStrictEqual(r);
    const t = toLogRecord({ task: { name: base.taskName, args: base.args, target: base.target }, config: base.config },
      { costs: base.costs, errorNo: 0, allCost: base.allCost, timestamp: base.timestamp });
    expect(t).toStrictEqual(r);
  });

  it('with a device, the fingerprint is kept and round-trips', () => {
    const r = makeRecord({ ...base, device });
    expect(r.device).toEqual(device);
    expect(decodeRecord(encodeRecord(r))).toStrictEqual(r);
    const t = toLogRecord({ task: { name: base.taskName, args: base.args, target: base.target }, config: { toData: () => base.config } },
      { costs: base.costs, errorNo: 0, allCost: base.allCost, timestamp: base.timestamp }, device);
    expect(t).toStrictEqual(r);
  });

  it('OldLogFormatError is named OldLogFormatError', () => {
    const e = new OldLogFormatError(0.1);
    expect(e.name).toBe('OldLogFormatError');
    expect(String(e)).toBe('OldLogFormatError: AutoTVM log version 0.1 is not supported (TVM dropped it too); re-tune, or convert the log to version 0.2');
    expect(e).toBeInstanceOf(Error);
    let thrown: unknown;
    try { decodeRecord('{"i": ["llvm", "x", [], {}, ["x"], {"i": 0, "t": "direct", "c": null, "e": []}], "r": [[0.1], 0, 1.0, 1.0], "v": 0.1}'); } catch (err) { thrown = err; }
    expect((thrown as Error).name).toBe('OldLogFormatError');
  });

  it('a v0.1 line is reported as old-format and not torn, terminated or last without a newline', () => {
    const v01 = (i: number): string => `{"i": ["opencl -device=mali", "topi_nn_conv2d", [], {}, ["conv2d"], {"i": ${i}, "t": "direct", "c": null, "e": []}], "r": [[0.002], 0, 1.0, 1527656400.0], "v": 0.1}`;
    const good = encodeRecord(makeRecord(base));
    const path = join(dir, 'old.log');
    writeFileSync(path, `${v01(1)}\n${good}\n${v01(2)}`);
    const bad: BadLine[] = [];
    const got = [...readEntriesSync(path, { onBadLine: (b) => bad.push(b) })];
    expect(got.map((e) => [e.line, e.record.config.index])).toEqual([[2, 3]]);
    expect(bad.map((b) => [b.line, b.kind, b.torn])).toEqual([[1, 'old-format', false], [3, 'old-format', false]]);
    // Without onBadLine the same file reads the same record (one summary warning, no per-line call).
    const warnings: string[] = [];
    expect([...readEntriesSync(path, { onWarning: (m) => warnings.push(m) })].map((e) => e.line)).toEqual([2]);
    expect(warnings).toHaveLength(1);
  });
});
