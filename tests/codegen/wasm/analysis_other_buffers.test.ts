// tests/codegen/wasm/analysis_other_buffers.test.ts — register promotion (codegen/wasm/analysis.ts
// promotionKind/promotedStride) looks at the accesses of the allocated buffer only: a store to another
// buffer in the same body, at an index that does not fold or as a vector of another stride, changes
// nothing (the seed-1102 sample's survivors analysis.ts:107, counting every store as an access of the
// buffer: the local array then stays in memory, or loses its transposed layout — slower, same values).
// Decisions worked out by hand; the kernel's values against plain JS on every wasm config.

import { describe, expect, it } from 'vitest';
import { promotedStride, promotionKind } from '../../../codegen/wasm/analysis.js';
import type { CodegenOptions } from '../../../codegen/wasm/func_context.js';
import * as T from '../../../tir/nodes.js';
import { CONFIGS, runWasm } from './wasm_harness.js';

const opts: CodegenOptions = { simd: true, relaxedSimd: false, threads: 1, optLevel: 2, maxUnroll: 16 };
const k = T.variable('k');
const j = T.variable('j');
const X = T.buffer('X', [8], 'float32');
const Y = T.buffer('Y', [32], 'float32');

describe('promotion ignores stores to other buffers', () => {
  it('S[k] (unrolled) beside Y[j] (a serial, non-folding index): S still becomes scalar locals', () => {
    const S = T.buffer('S', [8], 'float32', 'local');
    const a = T.allocate(S, T.seq([
      T.forLoop(k, 0, 8, 'unrolled', T.bufferStore(S, T.mul(T.bufferLoad(X, [k]), T.floatImm(2)), [k])),
      T.forLoop(j, 0, 8, 'serial', T.bufferStore(Y, T.bufferLoad(X, [j]), [j])),
    ]));
    expect(promotionKind(a, opts, new Map(), true)).toBe('scalar');
  });

  it('V read as ramp(k, 2, 4) beside a unit-stride vector store to Y: the stride stays 2', () => {
    const V = T.buffer('V', [16], 'float32', 'local');
    const body = T.forLoop(k, 0, 2, 'unrolled', T.seq([
      T.bufferStore(V, T.broadcast(T.floatImm(1), 4), [T.ramp(k, T.intImm(2), 4)]),
      T.bufferStore(Y, T.bufferLoad(V, [T.ramp(k, T.intImm(2), 4)]), [T.ramp(T.mul(k, T.intImm(4)), T.intImm(1), 4)]),
    ]));
    expect(promotedStride(T.allocate(V, body))).toBe(2);
  });

  it('with S read back: Y[j] = X[j] + S[3] = X[j] + 2·X[3] for j < 8, the rest untouched, on every wasm config (plain JS)', async () => {
    const S = T.buffer('S', [8], 'float32', 'local');
    const f = T.primFunc('promote_beside', [X, Y], T.allocate(S, T.seq([
      T.forLoop(k, 0, 8, 'unrolled', T.bufferStore(S, T.mul(T.bufferLoad(X, [k]), T.floatImm(2)), [k])),
      T.forLoop(j, 0, 8, 'serial', T.bufferStore(Y, T.add(T.bufferLoad(X, [j]), T.bufferLoad(S, [T.intImm(3)])), [j])),
    ])));
    const x = Float32Array.from({ length: 8 }, (_, i) => i * 1.5 - 2);
    const want = Array.from({ length: 32 }, (_, i) => (i < 8 ? Math.fround(x[i]! + Math.fround(x[3]! * 2)) : -7));
    for (const target of CONFIGS) {
      const got = await runWasm(f, [x, new Float32Array(32).fill(-7)], target);
      expect(Array.from(got[1]!), target).toEqual(want);
    }
  });
});
