// tests/relay/conv_transpose_onnx.test.ts — ONNX ConvTranspose on a graph input (so the kernel runs, not the
// constant folder), built for wasm with the default schedules and matched against onnxruntime-node: det's
// 2×2 stride 2 with bias + BN-like epilogue + Relu and its 24→1 + Sigmoid head, 3×3 stride 2 with pads and
// output_padding, 4×4 stride 2 asymmetric pads, 5×5 stride 3, kernel < stride, stride [1,2], groups 2,
// depthwise, dilation 2, batch 2, a 1-pixel input; on 1 and 2 threads.

import { describe, expect, it } from 'vitest';
import { buildModel, rng, weights, type AttrValue, type NodeSpec } from './models/onnx_builder.js';
import { compareWithOrt } from './models/run_model.js';

interface Case {
  readonly name: string;
  /** Data [N, C, H, W]. */
  readonly x: readonly [number, number, number, number];
  /** Weight [C, O/group, KH, KW]. */
  readonly w: readonly [number, number, number, number];
  readonly attrs: Readonly<Record<string, AttrValue>>;
  readonly bias?: boolean;
  /** Ops after it, each on the previous output ('Relu', 'Sigmoid', or 'Affine': × and + per channel). */
  readonly after?: readonly ('Relu' | 'Sigmoid' | 'Affine')[];
}

const CASES: readonly Case[] = [
  { name: "det's 24→24 2×2 stride 2, bias, per-channel affine, Relu", x: [1, 24, 10, 12], w: [24, 24, 2, 2], attrs: { strides: [2, 2] }, bias: true, after: ['Affine', 'Relu'] },
  { name: "det's 24→1 2×2 stride 2, bias, Sigmoid", x: [1, 24, 20, 16], w: [24, 1, 2, 2], attrs: { strides: [2, 2] }, bias: true, after: ['Sigmoid'] },
  { name: '3×3 stride 2, pads 1, output_padding [1,0]', x: [1, 5, 6, 7], w: [5, 3, 3, 3], attrs: { strides: [2, 2], pads: [1, 1, 1, 1], output_padding: [1, 0] } },
  { name: '4×4 stride 2, asymmetric pads', x: [1, 3, 5, 6], w: [3, 6, 4, 4], attrs: { strides: [2, 2], pads: [1, 2, 2, 1] }, bias: true },
  { name: '5×5 stride 3, pads [2,0,1,3]', x: [1, 4, 4, 5], w: [4, 3, 5, 5], attrs: { strides: [3, 3], pads: [2, 0, 1, 3] } },
  { name: '2×2 stride 3 (kernel < stride)', x: [1, 3, 4, 5], w: [3, 2, 2, 2], attrs: { strides: [3, 3] } },
  { name: '3×3 stride [1,2], pad 1', x: [1, 6, 5, 6], w: [6, 5, 3, 3], attrs: { strides: [1, 2], pads: [1, 1, 1, 1] } },
  { name: 'groups 2, batch 2, 2×2 stride 2', x: [2, 6, 4, 5], w: [6, 2, 2, 2], attrs: { strides: [2, 2], group: 2 }, bias: true },
  { name: 'depthwise 3×3 stride 2, pad 1, output_padding 1', x: [1, 8, 5, 5], w: [8, 1, 3, 3], attrs: { strides: [2, 2], pads: [1, 1, 1, 1], output_padding: [1, 1], group: 8 } },
  { name: 'dilation 2, 3×3 stride 2', x: [1, 4, 4, 5], w: [4, 4, 3, 3], attrs: { strides: [2, 2], dilations: [2, 2], pads: [1, 1, 1, 1] } },
  { name: '1-pixel input, 3×3 stride 2', x: [1, 3, 1, 1], w: [3, 5, 3, 3], attrs: { strides: [2, 2] } },
];

function model(c: Case, seed: number): Uint8Array {
  const r = rng(seed);
  const O = c.w[1] * (typeof c.attrs['group'] === 'number' ? c.attrs['group'] : 1);
  const inits = { w: weights(r, c.w, 0.5), b: weights(r, [O], 0.2), s: weights(r, [O, 1, 1], 1), t: weights(r, [O, 1, 1], 0.3) };
  const nodes: NodeSpec[] = [{ op: 'ConvTranspose', inputs: c.bias ? ['x', 'w', 'b'] : ['x', 'w'], outputs: ['y0'], attrs: { kernel_shape: [c.w[2], c.w[3]], ...c.attrs } }];
  (c.after ?? []).forEach((op, i) => {
    const [a, b] = [`y${i}`, `y${i + 1}`];
    if (op === 'Affine') {
      nodes.push({ op: 'Mul', inputs: [a, 's'], outputs: [`m${i}`] }, { op: 'Add', inputs: [`m${i}`, 't'], outputs: [b] });
    } else {
      nodes.push({ op, inputs: [a], outputs: [b] });
    }
  });
  return buildModel({ opset: 13, inputs: [{ name: 'x', shape: [...c.x] }], outputs: [nodes[nodes.length - 1]!.outputs[0]!], nodes, inits });
}

describe('ONNX ConvTranspose on wasm matches onnxruntime-node', () => {
  CASES.forEach((c, i) => {
    it(c.name, async () => {
      const bytes = model(c, 40 + i);
      for (const target of ['wasm -threads=1', 'wasm -threads=2']) {
        const { errors } = await compareWithOrt(bytes, { x: [...c.x] }, target);
        expect(errors[0], target).toBeLessThan(1e-4);
      }
    }, 120_000);
  });
});
