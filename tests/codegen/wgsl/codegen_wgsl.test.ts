// tests/codegen/wgsl/codegen_wgsl.test.ts — what the WGSL generator emits and refuses (no GPU
// needed; the WebGPU runtime tests run the generated code against plain JS and TensorFlow.js).

import { describe, expect, it } from 'vitest';
import { codegenWGSL } from '../../../codegen/wgsl/codegen_wgsl.js';
import { floatLiteral, intLiteral } from '../../../codegen/wgsl/wgsl_expr.js';
import * as T from '../../../tir/nodes.js';
import { tiledMatmul } from '../../runtime/webgpu/tir_kernels.js';

const i32 = (v: number): T.IntImm => T.intImm(v);

function oneThread(params: T.Buffer[], body: (tx: T.Var) => T.Stmt, name = 'k'): T.PrimFunc {
  const tx = T.variable('tx');
  return T.primFunc(name, params, T.forLoop(tx, 0, 4, 'threadBinding', body(tx), { threadTag: 'threadIdx.x' }));
}

describe('codegenWGSL', () => {
  it('declares read-only inputs, read_write outputs, workgroup size and shared/local arrays', () => {
    const { code, meta } = codegenWGSL(tiledMatmul(20, 24, 8, 8));
    expect(code).toMatch(/@binding\(0\) var<storage, read> A: array<f32>;/);
    expect(code).toMatch(/@binding\(2\) var<storage, read_write> C: array<f32>;/);
    expect(code).toMatch(/var<workgroup> A_shared: array<f32, 64>;/);
    expect(code).toMatch(/var C_local: array<vec4<f32>, 1>;/);
    expect(code).toMatch(/@workgroup_size\(2, 8, 1\)/);
    expect(code.match(/workgroupBarrier\(\);/g)).toHaveLength(2);
    expect(meta.kernels[0]!.dispatch).toEqual([3, 3, 1]);
    expect(meta.kernels[0]!.workgroupStorageBytes).toBe(2 * 64 * 4);
    expect(meta.bindings.map((b) => b.access)).toEqual(['read', 'read', 'read_write']);
    expect(meta.argShapes).toEqual([[20, 8], [8, 24], [20, 24]]);
  });

  it('unrolls unrolled loops and uses vec4 for 4-lane vectors', () => {
    const { code } = codegenWGSL(tiledMatmul(8, 8, 8, 8));
    expect(code).toMatch(/let ki_7 = 7i;/);
    expect(code).not.toMatch(/for \(var ki/);
    expect(code).toContain('B_shared[((ki * 8i) + (tx * 4i)) >> 2u]');
  });

  it('lays out shared/local arrays with aligned vec4 accesses as vec4 arrays (scalar accesses pick a component)', () => {
    const f = tiledMatmul(8, 8, 8, 8);
    const { code, meta } = codegenWGSL(f);
    expect(code).toMatch(/var<workgroup> B_shared: array<vec4<f32>, 16>;/);
    expect(code).toMatch(/var<workgroup> A_shared: array<f32, 64>;/);
    expect(code).toMatch(/B_shared\[\(.*\) >> 2u\]\[\(.*\) & 3i\] = /);
    expect(meta.kernels[0]!.workgroupStorageBytes).toBe(2 * 64 * 4);
    const scalar = codegenWGSL(f, { vec4Layout: false }).code;
    expect(scalar).toMatch(/var<workgroup> B_shared: array<f32, 64>;/);
    expect(scalar).toMatch(/vec4<f32>\(B_shared\[/);
  });

  it('maps math intrinsics to WGSL built-ins and erf to a formula', () => {
    const X = T.buffer('X', [4], 'float32');
    const f = oneThread([X], (tx) => {
      const x = T.bufferLoad(X, [tx]);
      const e = T.add(T.add(T.call('exp', [x]), T.call('rsqrt', [x])), T.add(T.call('erf', [x]), T.call('sigmoid', [x])));
      return T.bufferStore(X, e, [tx]);
    });
    const { code } = codegenWGSL(f);
    expect(code).toMatch(/exp\(X\[tx\]\)/);
    expect(code).toMatch(/inverseSqrt\(/);
    expect(code).toMatch(/fn tt_erf\(x: f32\) -> f32/);
  });

  it('lowers floordiv/floormod by powers of two to shifts and masks, others to exact helpers', () => {
    const Y = T.buffer('Y', [4], 'int32');
    // tx − 2 can be negative: floor division keeps its helper (tir.lowerFloorDiv leaves it).
    const f = oneThread([Y], (tx) => T.bufferStore(Y, T.add(T.floordiv(tx, i32(8)), T.floormod(T.sub(tx, i32(2)), i32(3))), [tx]));
    const { code } = codegenWGSL(f);
    expect(code).toMatch(/\(tx >> 3u\)/);
    expect(code).toMatch(/tt_floormod\(\(tx - 2i\), 3i\)/);
  });

  it('emits a floordiv/floormod of a dividend proven ≥ 0 as plain / and % (tir.lowerFloorDiv)', () => {
    const Y = T.buffer('Y', [4], 'int32');
    const f = oneThread([Y], (tx) => T.bufferStore(Y, T.add(T.floordiv(T.add(tx, i32(5)), i32(3)), T.floormod(tx, i32(3))), [tx]));
    const { code } = codegenWGSL(f);
    expect(code).toMatch(/\(\(tx \+ 5i\) \/ 3i\)/);
    expect(code).toMatch(/\(tx % 3i\)/);
    expect(code).not.toMatch(/tt_floor/);
  });

  it('keeps TIR names unique and legal in WGSL', () => {
    const X = T.buffer('X', [4], 'float32');
    const a = T.variable('i.outer'), b = T.variable('i.outer'), loop = T.variable('loop');
    const f = oneThread([X], (tx) => T.letStmt(a, tx, T.letStmt(b, T.add(a, i32(1)), T.letStmt(loop, b,
      T.bufferStore(X, T.floatImm(0), [T.floormod(loop, i32(4))])))));
    const { code } = codegenWGSL(f);
    expect(code).toMatch(/let i_outer = tx;/);
    expect(code).toMatch(/let i_outer_1 = \(i_outer \+ 1i\);/);
    expect(code).toMatch(/let loop_1 = i_outer_1;/);
  });

  it('refuses a function that binds nothing unless single invocation is opted into', () => {
    const X = T.buffer('X', [4], 'float32');
    const i = T.variable('i');
    const f = T.primFunc('serial', [X], T.forLoop(i, 0, 4, 'serial', T.bufferStore(X, T.floatImm(1), [i])));
    expect(() => codegenWGSL(f)).toThrow('bind at least one axis to blockIdx/threadIdx for webgpu');
    expect(codegenWGSL(f, { singleInvocation: true }).meta.kernels[0]!.workgroupSize).toEqual([1, 1, 1]);
    const opted = T.primFunc('serial', [X], f.body, { 'webgpu.singleInvocation': true });
    expect(codegenWGSL(opted).meta.singleInvocation).toBe(true);
  });

  it('splits vectors wider than 4 lanes into vec4 pieces', () => {
    const X = T.buffer('X', [64], 'float32');
    const f = oneThread([X], (tx) => {
      const idx = T.ramp(T.mul(tx, i32(8)), i32(1), 8);
      return T.bufferStore(X, T.mul(T.bufferLoad(X, [idx]), T.broadcast(T.floatImm(2), 8)), [idx]);
    });
    // With X laid out as array<f32> (vec4Layout off), each piece is stored lane by lane.
    const { code } = codegenWGSL(f, { vec4Layout: false });
    expect(code.match(/let tt_v = \(vec4<f32>/g)).toHaveLength(2);
    expect(code).toContain("X[((tx * 8i) + 4i)] = tt_v[0];");
    // With the vec4 layout, X is read and written only by aligned vec4s: bound as array<vec4<f32>>, one access per piece.
    const v = codegenWGSL(f).code;
    expect(v).toContain('var<storage, read_write> X: array<vec4<f32>>;');
    expect(v).toContain('X[((tx * 8i) + 4i) >> 2u] = (X[((tx * 8i) + 4i) >> 2u] * vec4<f32>(2.0f));');
  });

  it('binds a storage buffer as vec4s only when every access is an aligned vec4', () => {
    const X = T.buffer('X', [64], 'float32');
    const Y = T.buffer('Y', [64], 'float32');
    const f = oneThread([X, Y], (tx) => {
      const idx = T.ramp(T.mul(tx, i32(4)), i32(1), 4);
      // Y is also read by a scalar: it stays array<f32>, and its vector load is four scalar loads.
      return T.seq([T.bufferStore(X, T.bufferLoad(Y, [idx]), [idx]), T.bufferStore(X, T.broadcast(T.bufferLoad(Y, [tx]), 4), [T.ramp(i32(60), i32(1), 4)])]);
    });
    const { code } = codegenWGSL(f);
    expect(code).toContain('var<storage, read_write> X: array<vec4<f32>>;');
    expect(code).toContain('var<storage, read> Y: array<f32>;');
    // An unaligned base (tx + 1 is not provably a multiple of 4) keeps the scalar layout too.
    const g = oneThread([X], (tx) => T.bufferStore(X, T.broadcast(T.floatImm(1), 4), [T.ramp(T.add(T.mul(tx, i32(4)), i32(1)), i32(1), 4)]));
    expect(codegenWGSL(g).code).toContain('var<storage, read_write> X: array<f32>;');
  });

  it('refuses parallel loops, 8-lane lets and symbolic shapes with clear errors', () => {
    const X = T.buffer('X', [64], 'float32');
    const j = T.variable('j');
    const par = oneThread([X], (tx) => T.forLoop(j, 0, 4, 'parallel', T.bufferStore(X, T.floatImm(1), [T.add(tx, j)])));
    expect(() => codegenWGSL(par)).toThrow(/marked parallel/);
    const vec = T.variable('vec', 'float32x8');
    const wide = oneThread([X], () => T.letStmt(vec, T.broadcast(T.floatImm(1), 8), T.bufferStore(X, vec, [T.ramp(i32(0), i32(1), 8)])));
    expect(() => codegenWGSL(wide)).toThrow(/at most 4/);
    const n = T.variable('n');
    const free = oneThread([X], () => T.bufferStore(X, T.floatImm(1), [n]));
    // The verifier before the target passes names the unbound variable.
    expect(() => codegenWGSL(free)).toThrow(/invalid TIR in k after input:\n  variable n is used but not bound/);
  });

  it('writes f32 and i32 literals WGSL accepts, including infinities and INT_MIN', () => {
    expect(floatLiteral(1)).toBe('1.0f');
    expect(floatLiteral(-0.5)).toBe('(-0.5f)');
    // Not a const-expression: WGSL refuses -inf as the value of one (see wgsl_expr.ts).
    expect(floatLiteral(-Infinity)).toBe('tt_f32_bits(0xff800000u)');
    expect(floatLiteral(NaN)).toBe('tt_f32_bits(0x7fc00000u)');
    expect(floatLiteral(1e-40)).toMatch(/^bitcast<f32>\(0x/);
    expect(intLiteral(-2147483648)).toBe('(-2147483647i - 1i)');
  });

  it('splits top-level nests into one entry point each', () => {
    const X = T.buffer('X', [4], 'float32');
    const tx = T.variable('tx'), ty = T.variable('ty');
    const f = T.primFunc('two', [X], T.seq([
      T.forLoop(tx, 0, 4, 'threadBinding', T.bufferStore(X, T.floatImm(1), [tx]), { threadTag: 'threadIdx.x' }),
      T.forLoop(ty, 0, 4, 'threadBinding', T.bufferStore(X, T.add(T.bufferLoad(X, [T.sub(i32(3), ty)]), T.floatImm(1)), [ty]), { threadTag: 'threadIdx.x' }),
    ]));
    const { code, meta } = codegenWGSL(f);
    expect(meta.kernels.map((k) => k.entryPoint)).toEqual(['two_0', 'two_1']);
    expect(code).toMatch(/fn two_1\(/);
  });

  it('refuses a shader over MAX_WGSL_CHARS with an error naming the function and what to do', () => {
    const X = T.buffer('X', [70_000], 'float32');
    const tx = T.variable('tx');
    const stores = Array.from({ length: 70_000 }, (_, k) => T.bufferStore(X, T.add(T.bufferLoad(X, [T.intImm(k)]), T.floatImm(1)), [T.intImm(k)]));
    const f = T.primFunc('huge', [X], T.forLoop(tx, 0, 1, 'threadBinding', T.seq(stores), { threadTag: 'threadIdx.x' }), { argShapes: [[70_000]] });
    expect(() => codegenWGSL(f)).toThrow(/webgpu: huge: the shader is \d+ characters of WGSL, over the 2000000 .* unroll less/);
  });
});
