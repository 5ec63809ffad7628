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

describe('names after every WGSL keyword and reserved word compile on WebGPU (Dawn is the reference)', () => {
  // The WGSL spec's keywords (§15.2) and reserved words (§15.3), written out here from the spec.
  const KEYWORDS = 'alias break case const const_assert continue continuing default diagnostic discard else enable false fn for if let loop override requires return struct switch true var while';
  const RESERVED_WORDS = 'NULL Self abstract active alignas alignof as asm asm_fragment async attribute auto await become binding_array cast catch class co_await co_return co_yield coherent column_major common compile compile_fragment concept const_cast consteval constexpr constinit crate debugger decltype delete demote demote_to_helper do dynamic_cast enum explicit export extends extern external fallthrough filter final finally friend from fxgroup get goto groupshared highp impl implements import inline instanceof interface layout lowp macro macro_rules match mediump meta mod module move mut mutable namespace new nil noexcept noinline nointerpolation noperspective null nullptr of operator package packoffset partition pass patch pixelfragment precise precision premerge priv protected pub public readonly ref regardless register reinterpret_cast require resource restrict self set shared signed sizeof smooth snorm static static_assert static_cast std subroutine super target template this thread_local throw trait try type typedef typeid typename typeof union unless unorm unsafe unsized use using varying virtual volatile wgsl where with writeonly yield';
  const WORDS = `${KEYWORDS} ${RESERVED_WORDS}`.split(' ');

  it('the name table never hands one out', () => {
    const t = new NameTable();
    for (const w of WORDS) expect(t.fresh(w), w).not.toBe(w);
  });

  it('a kernel whose let variables are named after each word compiles and computes Y[t] = X[t] + Σ 1 (plain JS)', async () => {
    const { buildWebGPU } = await import('../../../runtime/webgpu/build_webgpu.js');
    const { releaseWebGPU } = await import('../../../runtime/webgpu/device.js');
    const X = T.buffer('X', [4], 'float32');
    const Y = T.buffer('Y', [4], 'float32');
    const tx = T.variable('tx');
    const vars = WORDS.map((w) => T.variable(w, 'float32'));
    // let w0 = X[tx] in let w1 = w0 + 1 in … Y[tx] = w_last + X[tx]·0.5 (each let read once, in order)
    let body: T.Stmt = T.bufferStore(Y, T.add(vars.at(-1)!, T.mul(T.bufferLoad(X, [tx]), T.floatImm(0.5))), [tx]);
    for (let i = vars.length - 1; i >= 0; i--) {
      body = T.letStmt(vars[i]!, i === 0 ? T.bufferLoad(X, [tx]) : T.add(vars[i - 1]!, T.floatImm(1)), body);
    }
    const f = T.primFunc('reserved_names', [X, Y], T.forLoop(tx, 0, 4, 'threadBinding', body, { threadTag: 'threadIdx.x' }));
    const x = Float32Array.from([0.5, -2, 3.25, 10]);
    const y = new Float32Array(4);
    const arr = (data: Float32Array) => ({ shape: [4], dtype: 'float32' as const, size: 4, data });
    try {
      const mod = await buildWebGPU(f, 'webgpu');
      await mod.run(arr(x), arr(y));
    } finally {
      await releaseWebGPU();
    }
    expect(Array.from(y)).toEqual(Array.from(x, (v) => v + (WORDS.length - 1) + v * 0.5));
  });
});
