// tests/tir/printer_attrs.test.ts — how print writes a PrimFunc's attrs: JSON for what JSON can
// write (nested objects, arrays, strings), String() for what it cannot (a BigInt, which makes
// JSON.stringify throw, and undefined), one `# key = value` line per attribute.

import { describe, expect, it } from 'vitest';
import * as t from '../../tir/nodes.js';
import { print } from '../../tir/printer.js';

const B = t.buffer('B', [2], 'float32');
const body = t.bufferStore(B, t.floatImm(1), [t.intImm(0)]);

describe('print: attributes', () => {
  it('JSON where it can, String() where it cannot', () => {
    const f = t.primFunc('f', [B], body, { big: 5n as unknown, n: 3, s: 'a b', o: { k: [1, 2] }, u: undefined });
    const lines = print(f).split('\n');
    expect(lines).toContain('  # big = 5');
    expect(lines).toContain('  # n = 3');
    expect(lines).toContain('  # s = "a b"');
    expect(lines).toContain('  # o = {"k":[1,2]}');
    expect(lines).toContain('  # u = undefined');
  });
});
