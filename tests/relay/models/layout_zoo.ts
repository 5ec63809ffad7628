// tests/relay/models/layout_zoo.ts — generated models (seeded weights) for AlterOpLayout's layout
// propagation: a conv chain with relu, max/avg pools and a residual add between packed convs, and a
// block with a channel concat of 4-channel branches (block 4) feeding 8-block convs and a residual add
// of the two blocks, squeeze-excite, per-channel and scalar broadcasts, a ceil-mode pool and two outputs.

import { floats, positive, rng, weights } from './onnx_builder.js';
import { finish, Graph, type TestModel } from './zoo.js';

/** conv-relu, max pool, conv-bn-relu, conv + residual add, relu, avg pool, 1×1 conv, relu6, GAP, Gemm (16×16 input). */
export function convChain(): TestModel {
  const g = new Graph(rng(21));
  const a = g.one('Relu', [g.conv('x', 3, 8, 3)]);
  const p = g.one('MaxPool', [a], { kernel_shape: [2, 2], strides: [2, 2] });
  const b = g.one('Relu', [g.bn(g.conv(p, 8, 8, 3, { bias: false }), 8)]);
  const r = g.one('Relu', [g.one('Add', [g.conv(b, 8, 8, 3), p])]);
  const q = g.one('AveragePool', [r], { kernel_shape: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1], count_include_pad: 0 });
  const c = g.one('Clip', [g.conv(q, 8, 16, 1, { pad: 0 }), g.init(floats([0], []), 'lo'), g.init(floats([6], []), 'hi')]);
  const flat = g.one('Flatten', [g.one('GlobalAveragePool', [c])]);
  return finish('conv_chain', 13, g, { x: [1, 3, 16, 16] }, [g.dense(flat, 16, 5)]);
}

/**
 * Two 4-channel branches concatenated (NCHW4c), added to an 8-channel conv (NCHW8c), a 3×3 conv,
 * hard-swish, squeeze-excite (GAP, 1×1 convs, HardSigmoid, Mul), a 1×1 conv with per-channel [16,1,1]
 * and [1,16,1,1] and scalar broadcasts, relu, a ceil-mode max pool; outputs the pool and branch a.
 */
export function seConcat(): TestModel {
  const g = new Graph(rng(22));
  const a = g.one('Relu', [g.conv('x', 8, 4, 3)]);
  const b = g.one('Sigmoid', [g.conv('x', 8, 4, 1, { pad: 0 })]);
  const cat = g.one('Concat', [a, b], { axis: 1 });
  const res = g.one('Add', [cat, g.conv('x', 8, 8, 3)]);
  const h = g.one('HardSwish', [g.bn(g.conv(res, 8, 16, 3, { bias: false }), 16)]);
  const s1 = g.one('Relu', [g.conv(g.one('GlobalAveragePool', [h]), 16, 4, 1, { pad: 0 })]);
  const gate = g.one('HardSigmoid', [g.conv(s1, 4, 16, 1, { pad: 0 })], { alpha: 0.2, beta: 0.5 });
  const se = g.one('Mul', [h, gate]);
  const pw = g.one('Add', [g.conv(se, 16, 16, 1, { pad: 0, bias: false }), g.init(weights(g.r, [16, 1, 1], 0.3), 'b')]);
  const scaled = g.one('Sub', [g.one('Mul', [pw, g.init(floats([1.5], []), 's')]), g.init(positive(g.r, [1, 16, 1, 1]), 'm')]);
  const out = g.one('MaxPool', [g.one('Relu', [scaled])], { kernel_shape: [3, 3], strides: [2, 2], ceil_mode: 1 });
  return finish('se_concat', 14, g, { x: [1, 8, 10, 10] }, [out, a]);
}
