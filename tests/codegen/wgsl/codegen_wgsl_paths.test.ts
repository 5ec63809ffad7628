// tests/codegen/wgsl/codegen_wgsl_paths.test.ts — kernel shapes of codegen/wgsl/codegen_wgsl.ts and
// wgsl_expr.ts that the schedule-built tests rarely make: a Let *expression* (WGSL has none: it must
// become a `let` statement first), a serial loop whose start depends on the thread (counted from 0 so
// its condition stays uniform), two threadIdx.x loops of different extents in one kernel (the shorter
// one guarded), an Evaluate of a value; each run on WebGPU (lavapipe) against plain JS. And the
// refusals, each naming what is wrong and what to do: a barrier inside a shorter thread loop, a bool
// parameter, float16, a float-only intrinsic on
// int32 (pow).

import { afterAll, describe, expect, it } from 'vitest';
import { compileWGSL } from '../../../codegen/wgsl/compile_wgsl.js';
import { buildWebGPU } from '../../../runtime/webgpu/build_webgpu.js';
import { releaseWebGPU } from '../../../runtime/webgpu/device.js';
import * as T from '../../../tir/nodes.js';
import { hostArray } from '../../runtime/webgpu/helpers.js';

afterAll(releaseWebGPU);

const f32 = Math.fround;
const tx = T.variable('tx');
const threads = (n: number, body: T.Stmt, v: T.Var = tx): T.Stmt => T.forLoop(v, 0, n, 'threadBinding', body, { threadTag: 'threadIdx.x' });
const bx = T.variable('bx');
/** One kernel around `body` (a blockIdx.x loop of 1), so two thread loops share one workgroup. */
const kernel = (body: T.Stmt): T.Stmt => T.forLoop(bx, 0, 1, 'threadBinding', body, { threadTag: 'blockIdx.x' });
const wgsl = (f: T.PrimFunc): string => new TextDecoder().decode(compileWGSL(f, 'webgpu').bytes);
const A = T.buffer('A', [32], 'float32');
const O = T.buffer('O', [16], 'float32');
const a = Float32Array.from({ length: 32 }, (_, i) => ((i * 7) % 11) / 4 - 1.25);

/** Runs `f` on WebGPU with A = a and the other float32 params filled with NaN; returns their contents. */
async function run(f: T.PrimFunc): Promise<Float32Array[]> {
  const arrays = f.params.map((p, i) => {
    const h = hostArray(p.shape.map((d) => (d as T.IntImm).value), 'float32');
    (h.data as Float32Array).set(i === 0 ? a.subarray(0, h.size) : new Float32Array(h.size).fill(Number.NaN));
    return h;
  });
  const mod = await buildWebGPU(f, 'webgpu');
  try {
    await mod.run(...arrays);
  } finally {
    mod.dispose();
  }
  return arrays.map((h) => h.data as Float32Array);
}

describe('WGSL kernel paths against plain JS (lavapipe)', () => {
  it('a Let expression becomes a let statement before its use: O[t] = let u = 2·A[t] in u + u·A[t]', async () => {
    const u = T.variable('u', 'float32');
    const e = T.letExpr(u, T.mul(T.bufferLoad(A, [tx]), T.floatImm(2)), T.add(u, T.mul(u, T.bufferLoad(A, [tx]))));
    const f = T.primFunc('letexpr', [A, O], threads(16, T.bufferStore(O, e, [tx])));
    expect(wgsl(f)).toMatch(/let u\w* = /);
    const [, o] = await run(f);
    // A GPU may fuse u + u·A into one fma: 1e-6 of relative slack.
    const want = Array.from({ length: 16 }, (_, t) => { const uu = f32(a[t]! * 2); return f32(uu + f32(uu * a[t]!)); });
    o!.forEach((g, t) => expect(Math.abs(g - want[t]!), `O[${t}] = ${g}, want ${want[t]}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(want[t]!))));
  }, 120_000);

  it('a serial loop starting at the thread index: O[t] = Σ_{j=t}^{t+2} A[j], counted from 0', async () => {
    const j = T.variable('j');
    const f = T.primFunc('window', [A, O], threads(16, T.seq([
      T.bufferStore(O, T.floatImm(0), [tx]),
      T.forLoop(j, tx, 3, 'serial', T.bufferStore(O, T.add(T.bufferLoad(O, [tx]), T.bufferLoad(A, [j])), [tx])),
    ])));
    expect(wgsl(f)).toMatch(/for \(var j_k\w*: i32 = 0i; j_k\w* < 3i;/);
    const [, o] = await run(f);
    expect(Array.from(o!)).toEqual(Array.from({ length: 16 }, (_, t) => f32(f32(f32(0 + a[t]!) + a[t + 1]!) + a[t + 2]!)));
  }, 120_000);

  it('two threadIdx.x loops, 16 and 10 wide: the second is guarded, O[10..16) keeps its NaN', async () => {
    const P = T.buffer('P', [16], 'float32');
    const t2 = T.variable('t2');
    const f = T.primFunc('twoext', [A, O, P], kernel(T.seq([
      threads(16, T.bufferStore(O, T.add(T.bufferLoad(A, [tx]), T.floatImm(1)), [tx])),
      threads(10, T.bufferStore(P, T.mul(T.bufferLoad(A, [t2]), T.floatImm(3)), [t2]), t2),
    ])));
    expect(wgsl(f)).toMatch(/if \(tt_tx < 10i\)/);
    const [, o, p] = await run(f);
    expect(Array.from(o!)).toEqual(Array.from({ length: 16 }, (_, t) => f32(a[t]! + 1)));
    expect(Array.from(p!)).toEqual(Array.from({ length: 16 }, (_, t) => (t < 10 ? f32(a[t]! * 3) : Number.NaN)));
  }, 120_000);

  it('an Evaluate of a value is kept as `_ = …` (a constant one is dropped)', () => {
    const f = T.primFunc('evals', [A, O], threads(16, T.seq([
      T.evaluate(T.bufferLoad(A, [tx])), T.evaluate(T.intImm(3)), T.bufferStore(O, T.bufferLoad(A, [tx]), [tx]),
    ])));
    const code = wgsl(f);
    expect(code.match(/_ = /g)?.length, code).toBe(1);
    expect(code).toMatch(/_ = A\[/);
  });
});

describe('WGSL refusals name the problem', () => {
  const S = T.buffer('S', [16], 'float32', 'shared');
  it('a barrier inside a thread loop narrower than the workgroup', () => {
    const t2 = T.variable('t2');
    const f = T.primFunc('narrowbar', [A, O], kernel(T.seq([
      threads(16, T.bufferStore(O, T.bufferLoad(A, [tx]), [tx])),
      T.allocate(S, threads(8, T.seq([
        T.bufferStore(S, T.bufferLoad(A, [t2]), [t2]),
        T.evaluate(T.call('tir.storage_sync', [])),
        T.bufferStore(O, T.bufferLoad(S, [T.sub(T.intImm(7), t2)]), [t2]),
      ]), t2)),
    ])));
    expect(() => wgsl(f)).toThrow(/webgpu: loop t2 bound to threadIdx.x has extent 8 < 16 and contains a barrier; give every threadIdx.x loop the same extent/);
  });

  it('a bool storage buffer, float16, pow of int32', () => {
    const Bb = T.buffer('Bb', [16], 'bool');
    expect(() => wgsl(T.primFunc('bparam', [A, Bb], threads(16, T.bufferStore(Bb, T.compare('gt', T.bufferLoad(A, [tx]), T.floatImm(0)), [tx])))))
      .toThrow(/webgpu: buffer Bb has dtype bool; storage buffers support float32 and int32/);
    expect(() => wgsl(T.primFunc('half', [A, O], threads(16, T.bufferStore(O, T.cast('float32', T.cast('float16', T.bufferLoad(A, [tx]))), [tx])))))
      .toThrow(/float16 is not supported by the WGSL backend yet \(use float32\)/);
    const I = T.buffer('I', [16], 'int32');
    const J = T.buffer('J', [16], 'int32');
    expect(() => wgsl(T.primFunc('ipow', [I, J], threads(16, T.bufferStore(J, T.call('pow', [T.bufferLoad(I, [tx]), T.intImm(2)], 'int32'), [tx])))))
      .toThrow(/webgpu: pow on int32: WGSL has it for floats only \(cast to float32\)/);
  });
});
