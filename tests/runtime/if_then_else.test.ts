// tests/runtime/if_then_else.test.ts — te.ifThenElse (TVM's lazy tir.if_then_else): padding whose
// untaken arm indexes out of bounds runs in the interpreter, on wasm with the input at the very
// start and at the very end of wasm memory (where a stray read traps), and on WebGPU, scalar and
// vectorized, against a plain-JS convolution; te.select stays eager.

import { afterAll, describe, expect, it } from 'vitest';
import { build, nd } from '../../runtime/index.js';
import { memoryPool } from '../../runtime/memory_pool.js';
import type { NDArray } from '../../runtime/ndarray.js';
import { releaseWebGPU } from '../../runtime/webgpu/device.js';
import * as te from '../../schedule/index.js';
import { interpret } from '../../tir/interpreter.js';
import { parse } from '../../tir/parser.js';
import { print } from '../../tir/printer.js';
import type { PrimFunc } from '../../tir/nodes.js';
import { seededFloats } from '../codegen/wasm/wasm_harness.js';
import { firstMismatch, runOn } from './targets_harness.js';

afterAll(releaseWebGPU);

interface Shape { readonly N: number; readonly C: number; readonly H: number; readonly W: number; readonly K: number }

/** Plain-JS 3×3 convolution, stride 1, zero padding 1, NCHW/OIHW. */
function convRef({ N, C, H, W, K }: Shape, x: Float32Array, w: Float32Array): Float32Array {
  const out = new Float32Array(N * K * H * W);
  for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) for (let y = 0; y < H; y++) for (let xx = 0; xx < W; xx++) {
    let acc = 0;
    for (let c = 0; c < C; c++) for (let ry = 0; ry < 3; ry++) for (let rx = 0; rx < 3; rx++) {
      const iy = y + ry - 1, ix = xx + rx - 1;
      if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
      acc += x[((n * C + c) * H + iy) * W + ix]! * w[((k * C + c) * 3 + ry) * 3 + rx]!;
    }
    out[((n * K + k) * H + y) * W + xx] = acc;
  }
  return out;
}

type Sched = 'cpu' | 'cpuVector' | 'gpu' | 'gpuVector';

/** The padded conv: pad written with te.ifThenElse (no clamped indices), inlined into the conv. */
function paddedConv(sh: Shape, kind: Sched, lazy = true): PrimFunc {
  const { N, C, H, W, K } = sh;
  const X = te.placeholder([N, C, H, W], 'float32', 'X');
  const Wt = te.placeholder([K, C, 3, 3], 'float32', 'W');
  const pick = lazy ? te.ifThenElse : te.select;
  const P = te.compute([N, C, H + 2, W + 2], (n, c, y, x) =>
    pick(te.all(y.ge(1), y.lt(H + 1), x.ge(1), x.lt(W + 1)), X.at(n, c, y.sub(1), x.sub(1)), 0), 'P');
  const rc = te.reduceAxis(C, 'rc'), ry = te.reduceAxis(3, 'ry'), rx = te.reduceAxis(3, 'rx');
  const O = te.compute([N, K, H, W], (n, k, y, x) =>
    te.sum(P.at(n, rc, y.add(ry), x.add(rx)).mul(Wt.at(k, rc, ry, rx)), [rc, ry, rx]), 'O');
  const s = te.createSchedule([O]);
  s.stage(P).computeInline();
  const o = s.stage(O);
  const [n, k, y, x] = o.axis as [te.Stage['axis'][0], te.Stage['axis'][0], te.Stage['axis'][0], te.Stage['axis'][0]];
  const [xo, xi] = o.split(x, { factor: 4 });
  o.reorder(n, k, y, xo, rc, ry, rx, xi);
  if (kind === 'cpuVector' || kind === 'gpuVector') o.vectorize(xi);
  if (kind === 'gpu' || kind === 'gpuVector') {
    o.bind(k, 'blockIdx.x');
    o.bind(y, 'threadIdx.x');
  }
  return te.lower(s, [X, Wt, O], { name: 'padded_conv' });
}

const SHAPES: readonly Shape[] = [
  { N: 1, C: 2, H: 5, W: 11, K: 3 },
  { N: 2, C: 3, H: 4, W: 8, K: 2 },
  { N: 1, C: 1, H: 3, W: 3, K: 1 },
];

function inputs(sh: Shape): [Float32Array, Float32Array] {
  return [seededFloats(sh.N * sh.C * sh.H * sh.W, 7), seededFloats(sh.K * sh.C * 9, 11)];
}

/**
 * Moves `a` to byte `offset` of wasm memory (test only: the pool never hands out the first 64 KiB,
 * and the last page here is grown past the pool's top), so a read before or after it traps.
 */
function placeAt(a: NDArray, offset: number): () => void {
  const values = a.toArray();
  const box = a as unknown as { off: number };
  const home = box.off;
  box.off = offset;
  a.data.set(values);
  return () => { box.off = home; };
}

async function runWasmPlaced(f: PrimFunc, sh: Shape, target: string, where: 'start' | 'end'): Promise<Float32Array> {
  const [x, w] = inputs(sh);
  const mod = await build(f, target);
  const X = nd.array(x, [sh.N, sh.C, sh.H, sh.W]);
  const Wt = nd.array(w, [sh.K, sh.C, 3, 3]);
  const O = nd.empty([sh.N, sh.K, sh.H, sh.W]);
  const memory = memoryPool().memory;
  if (where === 'end') memory.grow(1);
  const restore = placeAt(X, where === 'start' ? 0 : memory.buffer.byteLength - x.length * 4);
  try {
    await mod.run(X, Wt, O);
    return O.toArray() as Float32Array;
  } finally {
    restore();
    mod.dispose();
    for (const a of [X, Wt, O]) a.free();
  }
}

describe('te.ifThenElse: lazy padding on every target', () => {
  for (const kind of ['cpu', 'cpuVector'] as const) {
    it(`pads a 3x3 conv (width split by 4${kind === 'cpuVector' ? ', vectorized' : ''}) in the interpreter and on wasm with the input at the start and at the end of memory`, async () => {
      for (const sh of SHAPES) {
        const f = paddedConv(sh, kind);
        const want = convRef(sh, ...inputs(sh));
        const got = (await runOn(f, [...inputs(sh), new Float32Array(want.length)], 'interpret'))[2]!;
        expect(firstMismatch(got, want, 1e-5), `interpreter ${JSON.stringify(sh)}`).toBe(-1);
        for (const target of ['wasm -simd=1', 'wasm -simd=0', 'wasm -simd=1 -threads=2']) {
          for (const where of ['start', 'end'] as const) {
            const out = await runWasmPlaced(f, sh, target, where);
            expect(firstMismatch(out, want, 1e-5), `${target}, X at the ${where} of memory, ${JSON.stringify(sh)}`).toBe(-1);
          }
        }
      }
    });
  }

  for (const kind of ['gpu', 'gpuVector'] as const) {
    it(`pads a 3x3 conv (width split by 4${kind === 'gpuVector' ? ', vectorized' : ''}) on WebGPU`, async () => {
      // Two shapes: lavapipe takes minutes to run some of these loop nests on a loaded machine.
      for (const sh of [SHAPES[0]!, SHAPES[2]!]) {
        const f = paddedConv(sh, kind);
        const want = convRef(sh, ...inputs(sh));
        const got = (await runOn(f, [...inputs(sh), new Float32Array(want.length)], 'webgpu'))[2]!;
        expect(firstMismatch(got, want, 1e-5), `webgpu ${JSON.stringify(sh)}`).toBe(-1);
      }
    });
  }

  it('keeps te.select eager: the same padding with select reads out of bounds in the interpreter', () => {
    const sh = SHAPES[0]!;
    const f = paddedConv(sh, 'cpuVector', false);
    const bufs = [...inputs(sh), new Float32Array(sh.N * sh.K * sh.H * sh.W)];
    expect(() => interpret(f, bufs)).toThrow(/out of range/);
  });

  it('evaluates only the taken arm of a scalar if_then_else (an out-of-bounds gather index in the other)', async () => {
    // Y[i] = idx[i] >= 0 ? X[idx[i]] : -1, with idx holding -5 and 1e6: a gather with a sentinel.
    const n = 9;
    const X = te.placeholder([n], 'float32', 'X');
    const I = te.placeholder([n], 'int32', 'I');
    const Y = te.compute([n], (i) => te.ifThenElse(I.at(i).ge(0).and(I.at(i).lt(n)), X.at(I.at(i)), -1), 'Y');
    for (const vector of [false, true]) {
      const s = te.createSchedule([Y]);
      if (vector) {
        const st = s.stage(Y);
        const [, inner] = st.split(st.axis[0]!, { factor: 4 });
        st.vectorize(inner);
      }
      const f = te.lower(s, [X, I, Y], { name: 'gather' });
      const x = seededFloats(n, 3);
      const idx = Int32Array.from({ length: n }, (_, i) => (i % 3 === 0 ? -5 : i % 3 === 1 ? 1_000_000 : n - i));
      const want = Float32Array.from(idx, (j) => (j >= 0 && j < n ? x[j]! : -1));
      for (const target of ['interpret', 'wasm -simd=1', 'wasm -simd=0']) {
        const got = (await runOn(f, [x, idx, new Float32Array(n)], target))[2]!;
        expect(firstMismatch(got, want), `${target}, vectorized: ${vector}`).toBe(-1);
      }
    }
  });

  it('prints tir.if_then_else and parses it back', () => {
    const f = paddedConv(SHAPES[0]!, 'cpu');
    const text = print(f);
    expect(text).toContain('tir.if_then_else(');
    expect(print(parse(text))).toBe(text);
  });
});
