// tests/relay/frontend/onnx_ops.test.ts — every ONNX operator of the importer, one-node models across
// opsets 9-18, in both the attribute form and the input form where ONNX moved an attribute to an
// input (Clip, Slice, Squeeze/Unsqueeze, Reduce*, Pad, Split, Resize): each result must match
// onnxruntime-node on the same file. Inputs are initializers, so shape-only graphs fold on import
// (checked as constants) and the rest is built for wasm and run.

import { describe, expect, it } from 'vitest';
import { build } from '../../../relay/backend/build.js';
import { fromOnnx } from '../../../relay/frontend/onnx.js';
import { buildModel, floats, ints, rng, weights, type AttrValue, type Init } from '../models/onnx_builder.js';
import { ortRun, relError } from '../models/reference.js';

interface Case {
  readonly name: string;
  readonly opset: number;
  readonly op: string;
  /** Inputs in order; '' = an absent optional input. */
  readonly inputs: readonly (Init | '')[];
  readonly attrs?: Record<string, AttrValue>;
  readonly outputs?: number;
  readonly domain?: string;
  /** The op's output is integer: cast it to float for the comparison model. */
  readonly intOut?: boolean;
}

const r = rng(9);
const X = weights(r, [2, 3, 4, 5], 2);
const X2 = weights(r, [3, 4], 2);
const IMG = weights(r, [1, 4, 6, 7], 1);
const POS = { shape: [2, 3], data: [0.5, 1, 2, 3, 4, 9] };
const scalarF = (v: number): Init => floats([v], []);

const CASES: readonly Case[] = [
  ...['Sqrt', 'Exp', 'Log'].map((op) => ({ name: op, opset: 13, op, inputs: [POS] })),
  ...['Abs', 'Neg', 'Erf', 'Relu', 'Sigmoid', 'Tanh', 'HardSwish', 'Identity'].map((op) => ({ name: op, opset: 14, op, inputs: [X2] })),
  ...['Add', 'Sub', 'Mul', 'Div'].map((op) => ({ name: `${op} broadcast`, opset: 9, op, inputs: [X, weights(r, [4, 1], 1)] })),
  { name: 'Pow', opset: 12, op: 'Pow', inputs: [POS, floats([2, 0.5, 3], [3])] },
  { name: 'Max variadic', opset: 12, op: 'Max', inputs: [X2, weights(r, [4], 1), weights(r, [3, 1], 1)] },
  { name: 'Min', opset: 12, op: 'Min', inputs: [X2, weights(r, [4], 1)] },
  { name: 'LeakyRelu', opset: 9, op: 'LeakyRelu', inputs: [X2], attrs: { alpha: 0.3 } },
  { name: 'HardSigmoid', opset: 9, op: 'HardSigmoid', inputs: [X2], attrs: { alpha: 0.25, beta: 0.4 } },
  { name: 'Gelu (com.microsoft)', opset: 17, op: 'Gelu', inputs: [X2], domain: 'com.microsoft' },
  { name: 'Clip attributes (opset 9)', opset: 9, op: 'Clip', inputs: [X2], attrs: { min: -0.5, max: 0.75 } },
  { name: 'Clip inputs (opset 11)', opset: 11, op: 'Clip', inputs: [X2, scalarF(-0.5), scalarF(0.75)] },
  { name: 'Clip max only (opset 13)', opset: 13, op: 'Clip', inputs: [X2, '', scalarF(0.25)] },
  { name: 'Softmax 3-D axis 1 (opset 11 flattens)', opset: 11, op: 'Softmax', inputs: [weights(r, [2, 3, 4], 2)], attrs: { axis: 1 } },
  { name: 'Softmax axis 1 (opset 13)', opset: 13, op: 'Softmax', inputs: [weights(r, [2, 3, 4], 2)], attrs: { axis: 1 } },
  { name: 'LogSoftmax', opset: 13, op: 'LogSoftmax', inputs: [X2] },
  { name: 'Slice attributes (opset 9)', opset: 9, op: 'Slice', inputs: [X], attrs: { starts: [1, -4], ends: [3, 100], axes: [1, 3] } },
  { name: 'Slice inputs with negative step (opset 13)', opset: 13, op: 'Slice', inputs: [X, ints([-1, 0]), ints([-100, 4]), ints([3, 2]), ints([-2, 1])] },
  { name: 'Squeeze attribute (opset 11)', opset: 11, op: 'Squeeze', inputs: [weights(r, [1, 3, 1, 2], 1)], attrs: { axes: [0, 2] } },
  { name: 'Squeeze input (opset 13)', opset: 13, op: 'Squeeze', inputs: [weights(r, [1, 3, 1, 2], 1), ints([-2])] },
  { name: 'Unsqueeze attribute (opset 11)', opset: 11, op: 'Unsqueeze', inputs: [X2], attrs: { axes: [0, 3] } },
  { name: 'Unsqueeze input (opset 13)', opset: 13, op: 'Unsqueeze', inputs: [X2, ints([-1, 0])] },
  { name: 'ReduceMean attribute (opset 13)', opset: 13, op: 'ReduceMean', inputs: [X], attrs: { axes: [1, -1], keepdims: 1 } },
  { name: 'ReduceMean input (opset 18)', opset: 18, op: 'ReduceMean', inputs: [X, ints([1, -1])], attrs: { keepdims: 0 } },
  { name: 'ReduceSum attribute (opset 11)', opset: 11, op: 'ReduceSum', inputs: [X], attrs: { axes: [2] } },
  { name: 'ReduceSum input (opset 13)', opset: 13, op: 'ReduceSum', inputs: [X, ints([0, 2])], attrs: { keepdims: 0 } },
  { name: 'ReduceMax all axes', opset: 13, op: 'ReduceMax', inputs: [X] },
  { name: 'ReduceMin input (opset 18)', opset: 18, op: 'ReduceMin', inputs: [X, ints([3])] },
  { name: 'Split attribute (opset 11)', opset: 11, op: 'Split', inputs: [X], attrs: { axis: 3, split: [2, 3] }, outputs: 2 },
  { name: 'Split input (opset 13)', opset: 13, op: 'Split', inputs: [X, ints([1, 2])], attrs: { axis: 1 }, outputs: 2 },
  { name: 'Split num_outputs (opset 18)', opset: 18, op: 'Split', inputs: [X], attrs: { axis: 2, num_outputs: 2 }, outputs: 2 },
  { name: 'Flatten', opset: 13, op: 'Flatten', inputs: [X], attrs: { axis: 2 } },
  { name: 'Reshape 0 and -1', opset: 13, op: 'Reshape', inputs: [X, ints([0, -1, 5])] },
  { name: 'Transpose', opset: 13, op: 'Transpose', inputs: [X], attrs: { perm: [2, 0, 3, 1] } },
  { name: 'Concat', opset: 13, op: 'Concat', inputs: [X2, weights(r, [3, 2], 1)], attrs: { axis: -1 } },
  { name: 'Gather', opset: 13, op: 'Gather', inputs: [X, ints([2, -1, 0], [3, 1])], attrs: { axis: 2 } },
  { name: 'Expand', opset: 13, op: 'Expand', inputs: [weights(r, [3, 1], 1), ints([2, 1, 4])] },
  { name: 'Tile', opset: 13, op: 'Tile', inputs: [X2, ints([2, 1])] },
  { name: 'Where', opset: 16, op: 'Where', inputs: [{ shape: [4], data: [1, 0, 0, 1], dtype: 'bool' }, X2, scalarF(-7)] },
  { name: 'Cast to int and back', opset: 13, op: 'Cast', inputs: [X2], attrs: { to: 6 }, intOut: true },
  { name: 'ConstantOfShape', opset: 9, op: 'ConstantOfShape', inputs: [ints([2, 3])], attrs: { value: { tensor: floats([1.5], [1]) } } },
  { name: 'Range', opset: 11, op: 'Range', inputs: [scalarF(1), scalarF(4), scalarF(0.5)] },
  { name: 'Shape with start (opset 15)', opset: 15, op: 'Shape', inputs: [X], attrs: { start: 1, end: -1 }, intOut: true },
  { name: 'Dropout (inference)', opset: 13, op: 'Dropout', inputs: [X2] },
  { name: 'Pad attributes (opset 9)', opset: 9, op: 'Pad', inputs: [X2], attrs: { pads: [1, 0, 0, 2], value: 0.5 } },
  { name: 'Pad inputs, edge (opset 11)', opset: 11, op: 'Pad', inputs: [X2, ints([0, 2, 1, 1])], attrs: { mode: 'edge' } },
  { name: 'Pad axes input (opset 18)', opset: 18, op: 'Pad', inputs: [X, ints([1, 2]), scalarF(-1), ints([3])] },
  { name: 'Upsample (opset 9)', opset: 9, op: 'Upsample', inputs: [IMG, floats([1, 1, 2, 1.5])] },
  { name: 'Resize scales (opset 10)', opset: 10, op: 'Resize', inputs: [IMG, floats([1, 1, 2, 2])] },
  { name: 'Resize linear sizes (opset 13)', opset: 13, op: 'Resize', inputs: [IMG, '', '', ints([1, 4, 9, 5])], attrs: { mode: 'linear' } },
  { name: 'Conv SAME_UPPER, strided, groups', opset: 11, op: 'Conv', inputs: [IMG, weights(r, [6, 2, 3, 3], 0.5), weights(r, [6], 0.1)], attrs: { auto_pad: 'SAME_UPPER', group: 2, strides: [2, 1] } },
  { name: 'Conv SAME_LOWER depthwise', opset: 11, op: 'Conv', inputs: [IMG, weights(r, [4, 1, 2, 2], 0.5)], attrs: { auto_pad: 'SAME_LOWER', group: 4 } },
  { name: 'ConvTranspose output_padding', opset: 11, op: 'ConvTranspose', inputs: [IMG, weights(r, [4, 3, 3, 3], 0.5)], attrs: { strides: [2, 2], pads: [1, 1, 1, 1], output_padding: [1, 0] } },
  { name: 'ConvTranspose output_shape', opset: 11, op: 'ConvTranspose', inputs: [IMG, weights(r, [4, 2, 3, 3], 0.5)], attrs: { strides: [2, 2], output_shape: [12, 14] } },
  { name: 'Conv dilated, asymmetric pads', opset: 11, op: 'Conv', inputs: [IMG, weights(r, [3, 4, 3, 2], 0.5)], attrs: { dilations: [2, 3], pads: [2, 0, 1, 3] } },
  { name: 'ConvTranspose output_shape, SAME_UPPER', opset: 11, op: 'ConvTranspose', inputs: [IMG, weights(r, [4, 2, 3, 3], 0.5)], attrs: { strides: [2, 2], auto_pad: 'SAME_UPPER' } },
  { name: 'Gemm transA, alpha, beta', opset: 11, op: 'Gemm', inputs: [weights(r, [4, 3], 1), weights(r, [4, 5], 1), weights(r, [5], 1)], attrs: { transA: 1, alpha: 0.5, beta: { float: 2 } } },
  { name: 'MatMul batched with broadcast', opset: 13, op: 'MatMul', inputs: [weights(r, [2, 3, 4], 1), weights(r, [1, 4, 5], 1)] },
  { name: 'MatMul 3-D × 2-D', opset: 13, op: 'MatMul', inputs: [weights(r, [2, 3, 4], 1), weights(r, [4, 5], 1)] },
  { name: 'MaxPool ceil mode, dilation', opset: 12, op: 'MaxPool', inputs: [IMG], attrs: { kernel_shape: [2, 3], strides: [2, 2], dilations: [1, 2], ceil_mode: 1 } },
  { name: 'AveragePool count_include_pad', opset: 11, op: 'AveragePool', inputs: [IMG], attrs: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], count_include_pad: 1 } },
  { name: 'AveragePool excluding pad', opset: 11, op: 'AveragePool', inputs: [IMG], attrs: { kernel_shape: [3, 3], pads: [1, 0, 1, 1] } },
  { name: 'GlobalMaxPool', opset: 11, op: 'GlobalMaxPool', inputs: [IMG] },
  { name: 'GlobalAveragePool', opset: 11, op: 'GlobalAveragePool', inputs: [IMG] },
  { name: 'BatchNormalization', opset: 9, op: 'BatchNormalization', inputs: [IMG, weights(r, [4], 1), weights(r, [4], 1), weights(r, [4], 1), { shape: [4], data: [0.5, 1, 2, 3] }] },
  { name: 'InstanceNormalization', opset: 11, op: 'InstanceNormalization', inputs: [IMG, weights(r, [4], 1), weights(r, [4], 1)], attrs: { epsilon: 1e-3 } },
  { name: 'LayerNormalization (opset 17)', opset: 17, op: 'LayerNormalization', inputs: [X, weights(r, [5], 1), weights(r, [5], 1)] },
];

function model(c: Case): Uint8Array {
  const inits: Record<string, Init> = {};
  const names = c.inputs.map((t, i) => {
    if (t === '') return '';
    inits[`i${i}`] = t;
    return `i${i}`;
  });
  const outs = Array.from({ length: c.outputs ?? 1 }, (_, i) => `y${i}`);
  const body = [{ op: c.op, inputs: names, outputs: outs, attrs: c.attrs ?? {}, name: 'n', ...(c.domain ? { domain: c.domain } : {}) }];
  // Integer outputs go back to float so every model has float outputs.
  const nodes = c.intOut ? [...body, { op: 'Cast', inputs: ['y0'], outputs: ['y1'], attrs: { to: 1 } }] : body;
  return buildModel({ opset: c.opset, inputs: [], outputs: c.intOut ? ['y1'] : outs, nodes, inits });
}

describe('ONNX operators match onnxruntime-node', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const bytes = model(c);
      const ref = await ortRun(bytes, {});
      const mod = fromOnnx(bytes);
      const body = mod.main.body;
      const leaves = body.kind === 'Tuple' ? body.fields : [body];
      let got: ArrayLike<number>[];
      if (leaves.every((e) => e.kind === 'Constant')) {
        got = leaves.map((e) => (e.kind === 'Constant' ? e.data.values : []));
      } else {
        const lib = await build(mod, { target: 'wasm -threads=1', tuningLogs: [] });
        const outs = await lib.run({});
        got = outs.map((o) => o.toArray());
        lib.dispose();
      }
      expect(got.length).toBe(ref.length);
      got.forEach((g, i) => expect(relError(g, Float32Array.from(ref[i]!, Number))).toBeLessThan(1e-4));
    }, 180_000);
  }
});
