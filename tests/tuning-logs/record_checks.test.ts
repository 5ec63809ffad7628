// tests/tuning-logs/record_checks.test.ts — two record.ts details a second session-9 draw found
// unchecked: the error number must be one of AutoTVM's 0..MAX_ERROR_NO (a negative one is refused,
// naming the field), and the host fingerprint's platform is Node's `<platform>-<arch>`.

import { describe, expect, it } from 'vitest';
import { checkRecord, encodeRecord, decodeRecord, hostFingerprint, makeRecord } from '../../tuning-logs/record.js';
import { rec } from './helpers.js';

describe('record checks', () => {
  it('refuses an error number below 0 or above the last, by field name; accepts 0 and 1', () => {
    const ok = rec(1, 0.01);
    const withError = (n: number) => ({ ...ok, result: [[1e9], n, ok.result[2], ok.result[3]] as const });
    for (const n of [-1, -7, 2.5]) {
      expect(() => checkRecord(withError(n) as never)).toThrow(/result\[1\] \(error number\)/);
      expect(() => decodeRecord(encodeRecord(withError(n) as never))).toThrow(/result\[1\] \(error number\)/);
    }
    expect(() => checkRecord(withError(1) as never)).not.toThrow();
    expect(() => makeRecord({ target: 'wasm', taskName: 't', args: [], config: ok.config, costs: [0.1], errorNo: -1, allCost: 1, timestamp: 1 }))
      .toThrow(/result\[1\] \(error number\)/);
  });

  it("the fingerprint's platform is process.platform-process.arch", () => {
    const f = hostFingerprint();
    expect(f.platform).toBe(`${process.platform}-${process.arch}`);
    expect(f.node).toBe(process.versions.node);
    expect(hostFingerprint({ platform: 'given' }).platform).toBe('given');
  });
});
