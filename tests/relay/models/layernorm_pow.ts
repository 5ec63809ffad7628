// tests/relay/models/layernorm_pow.ts — the decomposed LayerNorm that older PyTorch/TF exporters emit, as ONNX bytes:
// ReduceMean, Sub, Pow(·, 2), ReduceMean, Add eps, Sqrt, Div, Mul γ, Add β over the last axis of x [rows, cols]
// (opset 13). Used by SimplifyPower's test and bench/layernorm_pow_onnx.ts.

import { buildModel, floats, type Init } from './onnx_builder.js';

/**
 * x [rows, cols] → y [rows, cols]; gamma and beta are [cols] initializers; the exponent 2 a shape-[] initializer,
 * or shape [1] with `exponentShape: [1]` (as some exporters write it).
 */
export function decomposedLayerNorm(rows: number, cols: number, gamma: Init, beta: Init, exponentShape: readonly number[] = []): Uint8Array {
  return buildModel({
    opset: 13, inputs: [{ name: 'x', shape: [rows, cols] }], outputs: ['y'],
    inits: { two: floats([2], exponentShape), eps: floats([1e-5], []), gamma, beta },
    nodes: [
      { op: 'ReduceMean', inputs: ['x'], outputs: ['m'], attrs: { axes: [-1], keepdims: 1 } },
      { op: 'Sub', inputs: ['x', 'm'], outputs: ['d'] },
      { op: 'Pow', inputs: ['d', 'two'], outputs: ['d2'] },
      { op: 'ReduceMean', inputs: ['d2'], outputs: ['v'], attrs: { axes: [-1], keepdims: 1 } },
      { op: 'Add', inputs: ['v', 'eps'], outputs: ['ve'] },
      { op: 'Sqrt', inputs: ['ve'], outputs: ['s'] },
      { op: 'Div', inputs: ['d', 's'], outputs: ['n'] },
      { op: 'Mul', inputs: ['n', 'gamma'], outputs: ['g'] },
      { op: 'Add', inputs: ['g', 'beta'], outputs: ['y'] },
    ],
  });
}
