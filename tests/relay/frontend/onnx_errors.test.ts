// tests/relay/frontend/onnx_errors.test.ts — bad models are refused before anything is built, with
// errors that say what is wrong and where: unsupported operators all listed with node name and
// opset, missing/dynamic/wrong input shapes named, truncated and non-ONNX files said to be so.

import { describe, expect, it } from 'vitest';
import { fromOnnx } from '../../../relay/frontend/onnx.js';
import { astext } from '../../../relay/printer.js';
import { buildModel, ints, rng, weights } from '../models/onnx_builder.js';
import { mlp } from '../models/zoo.js';

const r = rng(3);

describe('fromOnnx errors', () => {
  it('lists every unsupported operator at once with node name and opset', () => {
    const bytes = buildModel({
      opset: 12, inputs: [{ name: 'x', shape: [2, 3] }], outputs: ['c'],
      nodes: [
        { op: 'Relu', inputs: ['x'], outputs: ['a'], name: 'ok' },
        { op: 'NonMaxSuppression', inputs: ['a'], outputs: ['b'], name: 'nms_1' },
        { op: 'TopK', inputs: ['b'], outputs: ['c'], name: 'topk_2' },
        { op: 'FancyOp', inputs: ['c'], outputs: ['d'], name: 'custom_3', domain: 'my.domain' },
      ],
    });
    const err = (() => { try { fromOnnx(bytes); } catch (e) { return (e as Error).message; } return ''; })();
    expect(err).toMatch(/3 node\(s\) use unsupported operators \(FancyOp, NonMaxSuppression, TopK\)/);
    expect(err).toContain("node 'nms_1' (NonMaxSuppression, opset 12)");
    expect(err).toContain("node 'topk_2' (TopK, opset 12)");
    expect(err).toContain("node 'custom_3' (my.domain.FancyOp, opset 12)");
  });

  it('names an input with dynamic dimensions and shows how to fix it', () => {
    const m = mlp();
    expect(() => fromOnnx(m.bytes)).toThrow(/input 'x' has dynamic dimensions \[N, 2, 3, 4\]; pass its shape: fromOnnx\(bytes, \{ shapes: \{ 'x': \[…, 2, 3, 4\] \} \}\)/);
  });

  it('names a given shape that contradicts the model or a name that is not an input', () => {
    const m = mlp();
    expect(() => fromOnnx(m.bytes, { shapes: { x: [3, 2, 3, 5] } })).toThrow(/shapes.x = \[3, 2, 3, 5\] conflicts with the model's static dimension 3 = 4/);
    expect(() => fromOnnx(m.bytes, { shapes: { x: [3, 24] } })).toThrow(/has rank 2, but the model declares \[N, 2, 3, 4\]/);
    expect(() => fromOnnx(m.bytes, { shapes: { x: [3, 2, 3, 4], y: [1] } })).toThrow(/shapes names 'y', which is not an input of the model \(inputs: x\)/);
  });

  it('says when a file is truncated or not ONNX at all', () => {
    const m = mlp();
    expect(() => fromOnnx(m.bytes.subarray(0, m.bytes.length - 40))).toThrow(/truncated/);
    expect(() => fromOnnx(new TextEncoder().encode('{"not": "an onnx model"}'))).toThrow(/not an ONNX model/);
    expect(() => fromOnnx(new Uint8Array())).toThrow(/empty, not an ONNX model/);
  });

  it('names the node whose shape input is computed at run time', () => {
    const bytes = buildModel({
      opset: 13, inputs: [{ name: 'x', shape: [2, 6] }, { name: 's', shape: [2] }], outputs: ['y'],
      nodes: [{ op: 'Reshape', inputs: ['x', 's'], outputs: ['y'], name: 'reshape_9' }],
    });
    expect(() => fromOnnx(bytes)).toThrow(/Reshape node 'reshape_9' \(opset 13\): input 1 \(shape\) must be known at import time/);
  });

  it('names the node when shapes do not fit', () => {
    const bytes = buildModel({
      opset: 13, inputs: [{ name: 'x', shape: [2, 6] }], outputs: ['y'], inits: { w: weights(r, [5, 3]), s: ints([2, 6]) },
      nodes: [{ op: 'MatMul', inputs: ['x', 'w'], outputs: ['y'], name: 'mm_4' }],
    });
    expect(() => fromOnnx(bytes)).toThrow(/MatMul node 'mm_4' \(opset 13\): nn.dense: data \[2, 6\] and weight \[3, 5\] differ/);
  });

  it('refuses opsets outside 9-18', () => {
    const bytes = buildModel({ opset: 7, inputs: [{ name: 'x', shape: [2] }], outputs: ['y'], nodes: [{ op: 'Relu', inputs: ['x'], outputs: ['y'] }] });
    expect(() => fromOnnx(bytes)).toThrow(/imports opset 7; supported opsets are 9 to 18/);
  });
});

describe('fromOnnx result', () => {
  it('prints as TVM text with folded shape subgraphs and input shapes fixed', () => {
    const m = mlp();
    const text = astext(fromOnnx(m.bytes, { shapes: { x: [3, 2, 3, 4] } }));
    expect(text).toContain('def @main(%x: Tensor[(3, 2, 3, 4), float32]) -> Tensor[(3, 10), float32] {');
    expect(text).toMatch(/reshape\(%x, newshape=\[3, 24\]\) \/\* ty=Tensor\[\(3, 24\), float32\] \*\//);
    expect(text).toMatch(/nn.dense\(%\d+, meta\[relay.Constant\]\[\d+\]\)/);
    expect(text).toMatch(/nn.softmax\(%\d+, axis=-1\)/);
  });
});
