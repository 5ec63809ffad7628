// tests/tir/printer_signs_order.test.ts — exact printed text the fresh seed-1101 sample found
// unchecked: a float −0 keeps its sign (`-0.0`, also as float16 `-0.0h`, and parses back to −0), a
// loop's annotations are printed sorted by key whatever their insertion order, and forLoop builds
// a node of kind 'For' with exactly the fields given (its kind is what every pass switches on).

import { describe, expect, it } from 'vitest';
import * as t from '../../tir/nodes.js';
import { print } from '../../tir/printer.js';
import { parse } from '../../tir/parser.js';

describe('printer: float signs and annotation order', () => {
  it('−0 prints as -0.0 (float16: -0.0h), +0 as 0.0', () => {
    expect(print(t.floatImm(-0))).toBe('-0.0');
    expect(print(t.floatImm(0))).toBe('0.0');
    expect(print(t.floatImm(-0, 'float16'))).toBe('-0.0h');
    expect(print(t.floatImm(-1.5))).toBe('-1.5');
  });

  it('a function storing −0 round-trips through the parser with the sign kept', () => {
    const B = t.buffer('B', [1], 'float32');
    const f = t.primFunc('f', [B], t.bufferStore(B, t.floatImm(-0), [t.intImm(0)]));
    const g = parse(print(f));
    const v = ((g.body as t.BufferStore).value as t.FloatImm).value;
    expect(Object.is(v, -0)).toBe(true);
  });

  it('annotations are printed sorted by key', () => {
    const i = t.variable('i');
    const B = t.buffer('B', [4], 'float32');
    const body = t.bufferStore(B, t.floatImm(1), [i]);
    const a = t.forLoop(i, 0, 4, 'serial', body, { annotations: { zeta: 1, alpha: 'x', mid: 2 } });
    const b = t.forLoop(i, 0, 4, 'serial', body, { annotations: { mid: 2, alpha: 'x', zeta: 1 } });
    const header = (s: t.Stmt): string => print(s).split('\n')[0]!;
    expect(header(a)).toContain('# alpha="x", mid=2, zeta=1');
    expect(header(b)).toBe(header(a));
  });
});

describe('forLoop builds a For node', () => {
  it('kind, bounds, kind of loop, annotations and body as given; a thread tag only on a thread loop', () => {
    const i = t.variable('i');
    const B = t.buffer('B', [4], 'float32');
    const body = t.bufferStore(B, t.floatImm(1), [i]);
    const l = t.forLoop(i, 1, 3, 'parallel', body);
    expect(l).toEqual({ kind: 'For', loopVar: i, min: t.intImm(1), extent: t.intImm(3), forKind: 'parallel', annotations: {}, body });
    const tl = t.forLoop(i, 0, 4, 'threadBinding', body, { threadTag: 'threadIdx.x' });
    expect(tl.kind).toBe('For');
    expect(tl.threadTag).toBe('threadIdx.x');
    expect('threadTag' in l).toBe(false);
  });
});
