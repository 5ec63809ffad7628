// tests/codegen/wgsl/wgsl_names.test.ts — WGSL identifiers for TIR names (codegen/wgsl/wgsl_names.ts):
// every name legal (WGSL's identifier grammar, no keyword or reserved word or called built-in,
// no `tt_` prefix left to user names), unique within a table however often a name repeats,
// stable per variable/buffer object, and a rebound buffer gets a new name.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NameTable } from '../../../codegen/wgsl/wgsl_names.js';
import * as T from '../../../tir/nodes.js';

const IDENT = /^[A-Za-z][A-Za-z0-9_]*$/; // what fresh() may produce (WGSL also allows a leading _, never used)
const WGSL_WORDS = ['fn', 'let', 'var', 'loop', 'if', 'for', 'return', 'true', 'false', 'struct', 'select', 'min', 'max', 'exp', 'vec4', 'f32', 'i32', 'array', 'workgroupBarrier', 'main', 'mod', 'override', 'alias', 'const'];

describe('NameTable', () => {
  it('makes any TIR name a legal, unreserved WGSL identifier and never repeats one (property)', () => {
    const hint = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom(...WGSL_WORDS, 'tt_lid', 'tt_x', '_', '__a', '0k', 'input.1', 'a.b.c', 'x_1', 'x'));
    fc.assert(fc.property(fc.array(hint, { minLength: 1, maxLength: 30 }), (hints) => {
      const t = new NameTable();
      t.reserve('tt_lid');
      const names = hints.map((h) => t.fresh(h));
      for (const n of names) {
        expect(n).toMatch(IDENT);
        expect(WGSL_WORDS).not.toContain(n);
        expect(n.startsWith('tt_')).toBe(false);
      }
      expect(new Set(names).size).toBe(names.length);
    }), { numRuns: 300, seed: 1471 });
  });

  it('keeps good names, replaces bad characters, numbers repeats', () => {
    const t = new NameTable();
    expect(t.fresh('A')).toBe('A');
    expect(t.fresh('A')).toBe('A_1');
    expect(t.fresh('A')).toBe('A_2');
    expect(t.fresh('input.1')).toBe('input_1');
    expect(t.fresh('input_1')).toBe('input_1_1');
    expect(t.fresh('0k')).toBe('v0k');
    expect(t.fresh('')).toBe('v');
    expect(t.fresh('__a')).toBe('a');
    expect(t.fresh('tt_x')).toBe('utt_x');
    expect(t.fresh('loop')).toBe('loop_1');
    expect(t.fresh('select')).toBe('select_1');
    expect(t.fresh('main')).toBe('main_1');
  });

  it('reserve takes an exact name out of the pool', () => {
    const t = new NameTable();
    expect(t.reserve('tt_lid')).toBe('tt_lid');
    expect(t.reserve('x')).toBe('x');
    expect(t.fresh('x')).toBe('x_1');
  });

  it('binds variables and buffers once per object', () => {
    const t = new NameTable();
    const i1 = T.variable('i');
    const i2 = T.variable('i');
    expect(t.varName(i1)).toBeUndefined();
    expect(t.bindVar(i1)).toBe('i');
    expect(t.bindVar(i2)).toBe('i_1');
    expect(t.varName(i1)).toBe('i');
    expect(t.varName(i2)).toBe('i_1');
    const A = T.buffer('A', [4], 'float32');
    const A2 = T.buffer('A', [4], 'float32');
    expect(t.bufferName(A)).toBeUndefined();
    expect(t.bindBuffer(A)).toBe('A');
    expect(t.bindBuffer(A)).toBe('A');
    expect(t.bindBuffer(A2)).toBe('A_1');
    expect(t.rebindBuffer(A)).toBe('A_2');
    expect(t.bufferName(A)).toBe('A_2');
    expect(t.bufferName(A2)).toBe('A_1');
  });
});
