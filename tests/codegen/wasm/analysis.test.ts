// tests/codegen/wasm/analysis.test.ts — the wasm emitter's pre-pass facts (codegen/wasm/analysis.ts):
// tryConstInt against int32 arithmetic done independently with BigInt (C division truncates, floor
// division floors, both wrap to 32 bits), unrollableLoop's bounds, what an outlined parallel body
// captures, and which scratch buffers are promoted to wasm locals (promotionKind, promotedStride).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parallelCaptures, promotedStride, promotionKind, tryConstInt, unrollableLoop } from '../../../codegen/wasm/analysis.js';
import type { Binding, CodegenOptions } from '../../../codegen/wasm/func_context.js';
import * as T from '../../../tir/nodes.js';
import { runWasm } from './wasm_harness.js';

const OPS = ['add', 'sub', 'mul', 'div', 'mod', 'floordiv', 'floormod', 'min', 'max'] as const;
const i32 = (x: bigint): bigint => BigInt.asIntN(32, x);

/** int32 semantics of TIR's binary ops, computed with BigInt (not the code under test's formulas). */
function refBinary(op: (typeof OPS)[number], a: bigint, b: bigint): bigint | undefined {
  switch (op) {
    case 'add': return i32(a + b);
    case 'sub': return i32(a - b);
    case 'mul': return i32(a * b);
    case 'div': return b === 0n ? undefined : i32(a / b); // BigInt division truncates toward zero
    case 'mod': return b === 0n ? undefined : i32(a % b); // sign of the dividend
    case 'floordiv': {
      if (b === 0n) return undefined;
      const q = a / b;
      return i32(q * b !== a && (a < 0n) !== (b < 0n) ? q - 1n : q);
    }
    case 'floormod': {
      if (b === 0n) return undefined;
      const r = a % b;
      return i32(r !== 0n && (r < 0n) !== (b < 0n) ? r + b : r);
    }
    case 'min': return a < b ? a : b;
    case 'max': return a > b ? a : b;
  }
}

type Tree = { leaf: number; v?: number } | { op: (typeof OPS)[number]; a: Tree; b: Tree };

const VARS = [T.variable('p'), T.variable('q'), T.variable('r')];
const VALUES = [-7, 13, 2147483647];
const BINDINGS: ReadonlyMap<T.Var, Binding> = new Map(VARS.map((v, i) => [v, { kind: 'const', value: VALUES[i]! }]));

const treeArb: fc.Arbitrary<Tree> = fc.letrec<{ t: Tree }>((tie) => ({
  t: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.oneof(fc.integer({ min: -20, max: 20 }), fc.constantFrom(-2147483648, 2147483647, 65536)).map((leaf) => ({ leaf })),
    fc.integer({ min: 0, max: 2 }).map((v) => ({ leaf: 0, v })),
    fc.record({ op: fc.constantFrom(...OPS), a: tie('t'), b: tie('t') }),
  ),
})).t;

function toExpr(t: Tree): T.PrimExpr {
  if ('leaf' in t) return t.v !== undefined ? VARS[t.v]! : T.intImm(t.leaf);
  return T.binary(t.op, toExpr(t.a), toExpr(t.b));
}

function refEval(t: Tree): bigint | undefined {
  if ('leaf' in t) return BigInt(t.v !== undefined ? VALUES[t.v]! : t.leaf);
  const a = refEval(t.a);
  if (a === undefined) return undefined;
  const b = refEval(t.b);
  return b === undefined ? undefined : refBinary(t.op, a, b);
}

const opts = (o: Partial<CodegenOptions> = {}): CodegenOptions => ({ simd: true, relaxedSimd: false, threads: 1, optLevel: 2, maxUnroll: 16, ...o });

describe('tryConstInt', () => {
  it('folds int32 expressions of constants and const-bound variables as int32 arithmetic does (property, BigInt reference)', () => {
    fc.assert(fc.property(treeArb, (t) => {
      const want = refEval(t);
      const got = tryConstInt(toExpr(t), BINDINGS);
      expect(got === undefined ? undefined : BigInt(got)).toBe(want);
    }), { numRuns: 400, seed: 77 });
  });

  it('each op on signed operands, the corners included', () => {
    const vals = [-2147483648, -9, -8, -1, 0, 1, 3, 8, 9, 2147483647];
    for (const op of OPS) for (const a of vals) for (const b of vals) {
      const got = tryConstInt(T.binary(op, T.intImm(a), T.intImm(b)), new Map());
      const want = refBinary(op, BigInt(a), BigInt(b));
      expect(got === undefined ? undefined : BigInt(got), `${op}(${a}, ${b})`).toBe(want);
    }
  });

  it('gives up on what is not a known int32 constant: unbound or local-bound variables, float and vector arithmetic', () => {
    const x = T.variable('x');
    const local: ReadonlyMap<T.Var, Binding> = new Map([[x, { kind: 'local', local: 3 }]]);
    expect(tryConstInt(T.binary('add', x, T.intImm(1)), new Map())).toBeUndefined();
    expect(tryConstInt(T.binary('add', x, T.intImm(1)), local)).toBeUndefined();
    expect(tryConstInt(T.binary('add', T.floatImm(1), T.floatImm(2)), new Map())).toBeUndefined();
    expect(tryConstInt(T.ramp(T.intImm(0), T.intImm(1), 4), new Map())).toBeUndefined();
    expect(tryConstInt(T.binary('add', T.broadcast(T.intImm(1), 4), T.broadcast(T.intImm(2), 4)), new Map())).toBeUndefined();
    expect(tryConstInt(T.binary('mul', VARS[1]!, T.intImm(3)), BINDINGS)).toBe(39);
  });
});

describe('unrollableLoop', () => {
  const i = T.variable('i');
  const body = T.evaluate(T.intImm(0));
  it('only unrolled loops with constant bounds and an extent up to maxUnroll', () => {
    expect(unrollableLoop(T.forLoop(i, 0, 16, 'unrolled', body), opts())).toBe(true);
    expect(unrollableLoop(T.forLoop(i, 5, 1, 'unrolled', body), opts())).toBe(true);
    expect(unrollableLoop(T.forLoop(i, 0, 17, 'unrolled', body), opts())).toBe(false);
    expect(unrollableLoop(T.forLoop(i, 0, 17, 'unrolled', body), opts({ maxUnroll: 17 }))).toBe(true);
    expect(unrollableLoop(T.forLoop(i, 0, 4, 'serial', body), opts())).toBe(false);
    expect(unrollableLoop(T.forLoop(i, 0, 4, 'parallel', body), opts())).toBe(false);
    expect(unrollableLoop(T.forLoop(i, 0, T.variable('n'), 'unrolled', body), opts())).toBe(false);
    expect(unrollableLoop(T.forLoop(i, T.variable('m'), 4, 'unrolled', body), opts())).toBe(false);
  });
});

describe('parallelCaptures', () => {
  it('captures the free variables of the body and bounds, and the buffers it does not allocate', () => {
    const [i, j, n, m, t, u] = ['i', 'j', 'n', 'm', 't', 'u'].map((s) => T.variable(s)) as [T.Var, T.Var, T.Var, T.Var, T.Var, T.Var];
    const A = T.buffer('A', [64], 'float32');
    const B = T.buffer('B', [64], 'float32');
    const S = T.buffer('S', [4], 'float32', 'local');
    const idx = T.binary('add', T.binary('mul', i, n), j);
    const inner = T.forLoop(j, 0, 4, 'serial', T.letStmt(t, T.binary('add', idx, T.letExpr(u, T.intImm(1), u)),
      T.seq([T.bufferStore(S, T.bufferLoad(A, [t]), [j]), T.bufferStore(B, T.bufferLoad(S, [j]), [t])])));
    const loop = T.forLoop(i, m, n, 'parallel', T.allocate(S, inner));
    const c = parallelCaptures(loop);
    expect(new Set(c.vars)).toEqual(new Set([n, m]));
    expect(c.vars.length).toBe(2); // each once
    expect(new Set(c.buffers)).toEqual(new Set([A, B]));
  });
});

describe('register promotion', () => {
  const k = T.variable('k');
  const f = T.variable('f');
  /** An allocation of `buf` whose body writes it under a loop of `kind` (vector stores of `lanes` at `stride`) and copies it out. */
  function alloc(buf: T.Buffer, kind: T.ForKind, extent: number, lanes = 1, stride = 1): T.Allocate {
    const e = elem(buf);
    const out = T.buffer('out', [1024], e);
    const idx = (): T.PrimExpr => (lanes > 1 ? T.ramp(k, T.intImm(stride), lanes) : k);
    const one = T.constant(1, e);
    const value = lanes > 1 ? T.broadcast(one, lanes) : one;
    const body = T.forLoop(k, 0, extent, kind, T.seq([T.bufferStore(buf, value, [idx()]), T.bufferStore(out, T.bufferLoad(buf, [idx()]), [idx()])]));
    return T.allocate(buf, body);
  }
  const elem = (b: T.Buffer): T.DataType => T.elementType(b.dtype) as T.DataType;

  it('promotionKind: local f32/i32 buffers of constant size ≤ 256 indexed only by unrolled (or outer constant) loops', () => {
    const S = T.buffer('S', [8], 'float32', 'local');
    expect(promotionKind(alloc(S, 'unrolled', 8), opts(), new Map(), true)).toBe('scalar');
    expect(promotionKind(alloc(T.buffer('I', [8], 'int32', 'local'), 'unrolled', 8), opts(), new Map(), true)).toBe('scalar');
    expect(promotionKind(alloc(S, 'serial', 8), opts(), new Map(), true)).toBeUndefined();
    // an index that is an outer variable: promoted only when the caller has bound it to a constant
    const byOuter = T.allocate(S, T.forLoop(k, 0, 8, 'serial', T.bufferStore(S, T.floatImm(1), [f])));
    expect(promotionKind(byOuter, opts(), new Map([[f, { kind: 'const', value: 2 }]]), true)).toBe('scalar');
    expect(promotionKind(byOuter, opts(), new Map([[f, { kind: 'local', local: 0 }]]), true)).toBeUndefined();
    expect(promotionKind(byOuter, opts(), new Map(), true)).toBeUndefined();
    expect(promotionKind(alloc(S, 'unrolled', 8), opts({ maxUnroll: 4 }), new Map(), true)).toBeUndefined();
    expect(promotionKind(alloc(T.buffer('G', [8], 'float32', 'global'), 'unrolled', 8), opts(), new Map(), true)).toBeUndefined();
    expect(promotionKind(alloc(T.buffer('W', [8], 'float32', 'shared'), 'unrolled', 8), opts(), new Map(), true)).toBeUndefined();
    expect(promotionKind(alloc(T.buffer('D', [8], 'float16', 'local'), 'unrolled', 8), opts(), new Map(), true)).toBeUndefined();
    expect(promotionKind(alloc(T.buffer('B', [256], 'float32', 'local'), 'unrolled', 8), opts({ maxUnroll: 256 }), new Map(), true)).toBe('scalar');
    expect(promotionKind(alloc(T.buffer('B', [257], 'float32', 'local'), 'unrolled', 8), opts({ maxUnroll: 256 }), new Map(), true)).toBeUndefined();
    expect(promotionKind(T.allocate(S, T.evaluate(T.intImm(0))), opts(), new Map(), true)).toBeUndefined();
  });

  it('promotionKind: v128 locals for vector accesses with SIMD on and a size that is a multiple of 4; scalar otherwise', () => {
    expect(promotionKind(alloc(T.buffer('V', [16], 'float32', 'local'), 'unrolled', 4, 4, 1), opts(), new Map(), true)).toBe('v128');
    expect(promotionKind(alloc(T.buffer('V', [16], 'float32', 'local'), 'unrolled', 4, 4, 1), opts({ simd: false }), new Map(), true)).toBe('scalar');
    expect(promotionKind(alloc(T.buffer('V', [18], 'float32', 'local'), 'unrolled', 4, 4, 1), opts(), new Map(), true)).toBe('scalar');
  });

  it('promotionKind: a buffer a parallel loop uses stays in memory when parallel loops are outlined', () => {
    const S = T.buffer('S', [4], 'float32', 'local');
    const body = T.forLoop(f, 0, 2, 'parallel', T.forLoop(k, 0, 4, 'unrolled', T.bufferStore(S, T.floatImm(0), [k])));
    expect(promotionKind(T.allocate(S, body), opts(), new Map(), true)).toBeUndefined();
    expect(promotionKind(T.allocate(S, body), opts(), new Map(), false)).toBe('scalar');
  });

  it('promotedStride: the common stride of every vector access when the buffer is stride rows of a multiple of 4', () => {
    expect(promotedStride(alloc(T.buffer('V', [16], 'float32', 'local'), 'unrolled', 4, 4, 4))).toBe(4);
    expect(promotedStride(alloc(T.buffer('V', [32], 'float32', 'local'), 'unrolled', 2, 4, 2))).toBe(2);
    expect(promotedStride(alloc(T.buffer('V', [16], 'float32', 'local'), 'unrolled', 4, 4, 1))).toBe(1);
    expect(promotedStride(alloc(T.buffer('V', [24], 'float32', 'local'), 'unrolled', 2, 4, 3))).toBe(3); // 3 rows of 8
    expect(promotedStride(alloc(T.buffer('V', [12], 'float32', 'local'), 'unrolled', 2, 4, 3))).toBe(3); // 3 rows of 4
    expect(promotedStride(alloc(T.buffer('V', [20], 'float32', 'local'), 'unrolled', 2, 4, 2))).toBe(1); // 2 rows of 10: rows not a multiple of 4
    expect(promotedStride(alloc(T.buffer('V', [8], 'float32', 'local'), 'unrolled', 2, 4, 4))).toBe(1); // 2 rows of 4: not a multiple of 4 rows
    expect(promotedStride(alloc(T.buffer('V', [18], 'float32', 'local'), 'unrolled', 2, 4, 4))).toBe(1); // 18 not a multiple of 4
    expect(promotedStride(alloc(T.buffer('S', [16], 'float32', 'local'), 'unrolled', 4))).toBe(1); // no vector access
    // two vector strides (4 and 2) over one buffer: no single transposed layout keeps both whole
    const M = T.buffer('M', [32], 'float32', 'local');
    const mixed = T.forLoop(k, 0, 2, 'unrolled', T.seq([
      T.bufferStore(M, T.broadcast(T.floatImm(1), 4), [T.ramp(k, T.intImm(4), 4)]),
      T.bufferStore(M, T.broadcast(T.floatImm(2), 4), [T.ramp(k, T.intImm(2), 4)]),
    ]));
    expect(promotedStride(T.allocate(M, mixed))).toBe(1);
    const only4 = T.forLoop(k, 0, 2, 'unrolled', T.bufferStore(M, T.broadcast(T.floatImm(1), 4), [T.ramp(k, T.intImm(4), 4)]));
    expect(promotedStride(T.allocate(M, only4))).toBe(4);
  });
});

describe('promotion decided over every access (wasm runs checked against plain JS)', () => {
  const k = T.variable('k');
  const j = T.variable('j');
  const X = T.buffer('X', [8], 'float32');
  const Y = T.buffer('Y', [8], 'float32');
  const S = T.buffer('S', [8], 'float32', 'local');
  const x = Float32Array.from({ length: 8 }, (_, i) => 1.5 * i - 4);

  /** alloc S { for k (unrolled 8): S[k] = X[k]·2;  for j (serial 8): Y[j] = S[7 − j] + 1 } */
  const mixedFolding = T.allocate(S, T.seq([
    T.forLoop(k, 0, 8, 'unrolled', T.bufferStore(S, T.binary('mul', T.bufferLoad(X, [k]), T.floatImm(2)), [k])),
    T.forLoop(j, 0, 8, 'serial', T.bufferStore(Y, T.binary('add', T.bufferLoad(S, [T.binary('sub', T.intImm(7), j)]), T.floatImm(1)), [j])),
  ]));

  it('a buffer with one index that does not fold (a serial loop variable) stays in memory, and the kernel computes Y[j] = 2·X[7 − j] + 1', async () => {
    expect(promotionKind(mixedFolding, opts(), new Map(), true)).toBeUndefined();
    const want = Array.from({ length: 8 }, (_, i) => 2 * x[7 - i]! + 1);
    for (const target of ['wasm -simd=0 -threads=1', 'wasm -simd=1 -threads=1']) {
      const got = (await runWasm(T.primFunc('mixed_fold', [X, Y], mixedFolding), [Float32Array.from(x), new Float32Array(8)], target))[1]!;
      expect([...got], target).toEqual(want);
    }
  });

  it('v128 locals when some access is a vector, even if others are scalar (SIMD on, size a multiple of 4)', async () => {
    // alloc V { for k (unrolled 2): V[ramp(4k, 1, 4)] = X[ramp(4k, 1, 4)];  for k (unrolled 8): Y[k] = V[k]·3 }
    const V = T.buffer('V', [8], 'float32', 'local');
    const r = (): T.PrimExpr => T.ramp(T.binary('mul', k, T.intImm(4)), T.intImm(1), 4);
    const body = T.allocate(V, T.seq([
      T.forLoop(k, 0, 2, 'unrolled', T.bufferStore(V, T.bufferLoad(X, [r()]), [r()])),
      T.forLoop(k, 0, 8, 'unrolled', T.bufferStore(Y, T.binary('mul', T.bufferLoad(V, [k]), T.floatImm(3)), [k])),
    ]));
    expect(promotionKind(body, opts(), new Map(), true)).toBe('v128');
    expect(promotionKind(body, opts({ simd: false }), new Map(), true)).toBe('scalar');
    const want = [...x].map((v) => 3 * v);
    for (const target of ['wasm -simd=0 -threads=1', 'wasm -simd=1 -threads=1']) {
      const got = (await runWasm(T.primFunc('mixed_lanes', [X, Y], body), [Float32Array.from(x), new Float32Array(8)], target))[1]!;
      expect([...got], target).toEqual(want);
    }
  });
});

describe('tryConstInt with a constant first operand', () => {
  it('gives up when only the second operand is unknown (3 + x, min(3, x), x unbound or local)', () => {
    const x = T.variable('x');
    const local: ReadonlyMap<T.Var, Binding> = new Map([[x, { kind: 'local', local: 3 }]]);
    for (const op of OPS) {
      expect(tryConstInt(T.binary(op, T.intImm(3), x), new Map()), `${op}(3, x)`).toBeUndefined();
      expect(tryConstInt(T.binary(op, T.intImm(3), x), local), `${op}(3, x local)`).toBeUndefined();
    }
  });
});
