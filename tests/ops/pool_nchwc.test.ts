// tests/ops/pool_nchwc.test.ts — max/avg pool 2d on the packed NCHW[x]c layout (layout 'NCHWc', the pools
// relay's AlterOpLayout keeps between packed convolutions), alone and with a relu epilogue, built with
// ops.defaultSchedule on wasm (1 and 2 threads) for blocks 8, 4, 2 and 1 (the f32x4 lanes path and the
// scalar one), against the ONNX pooling definition in plain JS on the unpacked data, then packed.

import { describe, expect, it } from 'vitest';
import * as ops from '../../ops/index.js';
import * as te from '../../schedule/index.js';
import { checkCases, input, WASM_TARGETS, type Case, type Input } from './ops_harness.js';
import { poolRef, type P } from './pool_reference.js';

/** NCHW data [N, C, H, W] → NCHW{b}c [N, C/b, H, W, b] in plain JS. */
function pack(data: ArrayLike<number>, [N, C, H, W]: readonly number[], b: number): Float32Array {
  const out = new Float32Array(N! * C! * H! * W!);
  let k = 0;
  for (let n = 0; n < N!; n++) for (let cb = 0; cb < C! / b; cb++) for (let y = 0; y < H!; y++) for (let x = 0; x < W!; x++) {
    for (let l = 0; l < b; l++) out[k++] = data[((n * C! + cb * b + l) * H! + y) * W! + x]!;
  }
  return out;
}

const CONFIGS: readonly P[] = [
  { k: [2, 2], s: [2, 2] },
  { k: [3, 3], s: [2, 2], p: [1, 1, 1, 1] },
  { k: [3, 2], s: [1, 2], p: [2, 0, 1, 1], ceil: true },
  { k: [3, 3], s: [2, 2], p: [1, 2, 2, 1], ceil: true, incl: true },
];

function opts(q: P): ops.Pool2dOptions {
  return { kernel: q.k, strides: q.s, padding: q.p, dilation: q.d, ceilMode: q.ceil, countIncludePad: q.incl, layout: 'NCHWc' };
}

describe('pooling on NCHW[x]c', () => {
  // C = 24 (blocks 8, 4, 2, 1 all divide it), H×W = 7×9 (no split factor divides the rows).
  const shape = [2, 24, 7, 9];
  const nchw = input(shape, 5, 'x');
  for (const b of [8, 4, 2, 1]) {
    const x: Input = { t: te.placeholder([2, 24 / b, 7, 9, b], 'float32', 'xp'), data: pack(nchw.data, shape, b) };
    it.each(WASM_TARGETS)(`max and avg pools, block ${b}, alone and with relu, on %s`, async (target) => {
      for (const q of CONFIGS) {
        for (const kind of ['max', 'avg'] as const) {
          const ref = poolRef(nchw, kind, q);
          const want = pack(ref.want, ref.shape, b);
          const outShape = [ref.shape[0]!, ref.shape[1]! / b, ref.shape[2]!, ref.shape[3]!, b];
          const y = kind === 'max' ? ops.maxPool2d(x.t, opts(q)) : ops.avgPool2d(x.t, opts(q));
          const cases: Case[] = [{ name: `${kind} ${JSON.stringify(q)} block ${b}`, out: y, want, shape: outShape, tol: 1e-5 }];
          await checkCases(target, [x], cases);
          await checkCases(target, [x], [{ name: `${kind} ${JSON.stringify(q)} block ${b} + relu`, out: ops.relu(y), want: want.map((v) => Math.max(v, 0)), shape: outShape, tol: 1e-5 }]);
        }
      }
    }, 120_000);
  }

  it('names the layout and the rank in its errors', () => {
    const x4 = te.placeholder([1, 8, 4, 4], 'float32', 'x4');
    expect(() => ops.maxPool2d(x4, { kernel: [2, 2], layout: 'NCHWc' })).toThrow(/maxPool2d: input must be 5-D NCHW\[x\]c \(layout NCHWc\), got shape \[1, 8, 4, 4\]/);
    expect(() => ops.avgPool2d(x4, { kernel: [2, 2], layout: 'NHWC' as 'NCHW' })).toThrow(/avgPool2d: layout must be 'NCHW' or 'NCHWc', got "NHWC"/);
  });
});
