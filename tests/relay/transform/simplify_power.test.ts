// tests/relay/transform/simplify_power.test.ts — ONNX Pow with a constant exponent (ops/pow_scalar.ts,
// relay/transform/simplify_power.ts): one-node models Pow(x, c) for c = 0, ±1, 2, 3, ±0.5 (rewritten), 2.5 (the
// general pow) and an exponent that is a graph input, built for wasm and webgpu and matched element by element with
// onnxruntime-node on negative, zero, −0, ±∞, NaN, subnormal and large inputs (bit equal where the rewrite is exact);
// the kernels of c = 2 and 3 hold no pow call; an all-equal [1] exponent becomes a scalar, others stay; a decomposed
// LayerNorm (Sub, Pow 2, ReduceMean, Add, Sqrt, Div, Mul, Add) matches onnxruntime-node.

import { afterAll, describe, expect, it } from 'vitest';
import * as ops from '../../../ops/index.js';
import { build, buildPasses } from '../../../relay/backend/build.js';
import { teOf } from '../../../relay/backend/lower_function.js';
import { postOrder } from '../../../relay/functor.js';
import { fromOnnx } from '../../../relay/frontend/onnx.js';
import { call, constant, func, irModule, variable, type Expr } from '../../../relay/nodes.js';
import { printExpr } from '../../../relay/printer.js';
import { InferType } from '../../../relay/transform/infer_type.js';
import { sequential } from '../../../relay/transform/pass.js';
import { SimplifyPower } from '../../../relay/transform/simplify_power.js';
import { tensorType } from '../../../relay/ty.js';
import { releaseWebGPU } from '../../../runtime/webgpu/device.js';
import { lower } from '../../../schedule/lower.js';
import { parseTarget } from '../../../target/index.js';
import { print } from '../../../tir/printer.js';
import { buildModel, floats, type Init } from '../models/onnx_builder.js';
import { decomposedLayerNorm } from '../models/layernorm_pow.js';
import { inputData, ortRun } from '../models/reference.js';

afterAll(releaseWebGPU);

// 41 values (no vector width divides it): specials first, then ordinary ones of both signs.
const SPECIAL = [0, -0, Infinity, -Infinity, NaN, 1, -1, 2, -2, 0.5, -0.5, 1e-40, -1e-40, 3e38, -3e38, 1e-20, 1e20, -1e13];
const X = Float32Array.from([...SPECIAL, ...Array.from(inputData([23], 5), (v) => v * 7)]);

/** Pow(x, c) with c an initializer of `shape` (every element c), or Pow(x, y) with y a graph input when c is undefined. */
function powModel(c: number | undefined, shape: readonly number[] = []): Uint8Array {
  const n = X.length;
  const inits: Record<string, Init> = c === undefined ? {} : { c: floats(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => c), shape) };
  const inputs = [{ name: 'x', shape: [n] }, ...(c === undefined ? [{ name: 'c', shape: [n] }] : [])];
  return buildModel({ opset: 15, inputs, outputs: ['y'], nodes: [{ op: 'Pow', inputs: ['x', 'c'], outputs: ['y'] }], inits });
}

const str = (v: number): string => (Object.is(v, -0) ? '-0' : String(v));

/** Where got and want differ beyond `ulps` (0: bit equal, −0 ≠ +0; NaN matches NaN only). */
function mismatches(got: Float32Array, want: Float32Array, ulps: number, x: Float32Array = X): string[] {
  const bad: string[] = [];
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    const ok = Number.isNaN(w) ? Number.isNaN(g)
      : !Number.isFinite(w) || w === 0 || ulps === 0 ? Object.is(g, w)
        : Math.abs(g - w) <= ulps * 2 ** (Math.floor(Math.log2(Math.abs(w))) - 23);
    if (!ok) bad.push(`x=${str(x[i]!)}: got ${str(g)}, onnxruntime ${str(w)}`);
  }
  return bad;
}

/** The TIR of every kernel relay.build makes for `bytes` on `target`, lowered as lowerFunction lowers it. */
function kernelTirs(bytes: Uint8Array, target: string): string[] {
  const t = parseTarget(target);
  const fused = sequential(buildPasses(t), fromOnnx(bytes));
  const out: string[] = [];
  for (const e of postOrder(fused.main.body, false)) {
    if (e.kind !== 'Call' || typeof e.op === 'string') continue;
    const { params, out: y } = teOf(e.op);
    out.push(print(lower(ops.defaultSchedule([y], t), [...params, y], { name: 'k' })));
  }
  return out;
}

// Exponent → ulps allowed against onnxruntime: 0 where the rewrite is the same arithmetic (x*x, x*x*x) or exact
// (1, x, 1/x: onnxruntime's powf is correctly rounded there); 1-2 for √ forms; the general pow keeps its own bound.
const CASES: readonly (readonly [number | undefined, number])[] = [[0, 0], [1, 0], [2, 0], [3, 0], [-1, 0], [0.5, 1], [-0.5, 2], [2.5, 4], [undefined, 4]];

async function runPow(c: number | undefined, target: string, shape: readonly number[] = []): Promise<{ got: Float32Array; want: Float32Array }> {
  const bytes = powModel(c, shape);
  const cData = Float32Array.from(X, (_, i) => [2, 3, 0.5, -1, 2.5, 0, -2][i % 7]!);
  const feeds = { x: { data: X, shape: [X.length] }, ...(c === undefined ? { c: { data: cData, shape: [X.length] } } : {}) };
  const [want] = await ortRun(bytes, feeds);
  const lib = await build(fromOnnx(bytes), { target, tuningLogs: [] });
  try {
    const [y] = await lib.run(c === undefined ? { x: X, c: cData } : { x: X });
    const got = Float32Array.from(y!.toArray() as Float32Array);
    y!.free();
    return { got, want: want! };
  } finally {
    lib.dispose();
  }
}

describe('Pow with a constant exponent matches onnxruntime-node', () => {
  for (const target of ['wasm -threads=1', 'webgpu']) {
    for (const [c, ulps] of CASES) {
      it(`${target}: Pow(x, ${c ?? 'a graph input'})${ulps === 0 ? ', bit equal' : ''}`, async () => {
        const { got, want } = await runPow(c, target);
        // WGSL's pow is exp2(y·log2(x)) (about 2^-11 relative); the general pow on webgpu keeps C99's special values
        // and negative bases (codegen/wgsl/wgsl_pow.ts), so every x is compared, ordinary ones within 2^13 ulps.
        const general = target === 'webgpu' && (c === undefined || c === 2.5);
        expect(mismatches(got, want, general ? 1 << 13 : ulps)).toEqual([]);
      }, 120_000);
    }
  }

  it('wasm: an exponent of shape [1] (all elements equal) gives the same bits as a scalar one', async () => {
    const { got, want } = await runPow(3, 'wasm -threads=1', [1]);
    expect(mismatches(got, want, 0)).toEqual([]);
  }, 120_000);
});

describe('the rewrite happens', () => {
  it('the kernels of Pow(x, 2), Pow(x, 3), Pow(x, [2]) hold no pow call; Pow(x, 2.5) and Pow(x, y) keep it', () => {
    for (const target of ['wasm', 'webgpu']) {
      for (const [c, shape] of [[2, []], [3, []], [2, [1]], [0.5, []], [-1, [1]]] as const) {
        const tir = kernelTirs(powModel(c, shape), target).join('\n');
        expect(tir, `${target} c=${c} [${shape.join(',')}]`).not.toMatch(/\bpow\(/);
      }
      expect(kernelTirs(powModel(2.5), target).join('\n')).toMatch(/\bpow\(/);
      expect(kernelTirs(powModel(undefined), target).join('\n')).toMatch(/\bpow\(/);
    }
  });

  it('SimplifyPower: an all-equal exponent that broadcasts to x becomes a scalar; one that widens the output or differs stays', () => {
    const x = variable('x', tensorType([2, 3]));
    const mod = (body: Expr) => InferType.run(irModule(func([x], body)));
    const pow = (v: number[], shape: number[]) => call('power', [x, constant(Float32Array.from(v), shape)]);
    expect(printExpr(SimplifyPower.run(mod(pow([2, 2, 2], [1, 3]))).main)).toBe(printExpr(mod(pow([2], [])).main));
    expect(printExpr(SimplifyPower.run(mod(pow([NaN, NaN], [2, 1]))).main)).toBe(printExpr(mod(pow([NaN], [])).main));
    for (const [v, shape] of [[[2, 3, 2], [3]], [[2], [1, 1, 1]], [[2], []]] as const) {
      const m = mod(pow([...v], [...shape]));
      expect(SimplifyPower.run(m), `${v} [${shape}]`).toBe(m);
    }
  });
});

describe('a decomposed LayerNorm (Pow 2) matches onnxruntime-node', () => {
  it('Sub, Pow 2, ReduceMean, Add eps, Sqrt, Div, Mul, Add on [3, 50]', async () => {
    const [R, C] = [3, 50];
    const gamma = floats(Array.from(inputData([C], 11)), [C]);
    const beta = floats(Array.from(inputData([C], 12)), [C]);
    const bytes = decomposedLayerNorm(R, C, gamma, beta);
    const x = Float32Array.from(inputData([R, C], 13), (v) => v * 3 + 1);
    const [want] = await ortRun(bytes, { x: { data: x, shape: [R, C] } });
    expect(kernelTirs(bytes, 'wasm').join('\n')).not.toMatch(/\bpow\(/);
    const lib = await build(fromOnnx(bytes), { target: 'wasm -threads=1', tuningLogs: [] });
    try {
      const [y] = await lib.run({ x });
      const got = y!.toArray();
      let err = 0;
      for (let i = 0; i < want!.length; i++) err = Math.max(err, Math.abs(got[i]! - want![i]!));
      expect(err).toBeLessThan(1e-5);
      y!.free();
    } finally {
      lib.dispose();
    }
  }, 120_000);
});
