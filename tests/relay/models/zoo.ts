// tests/relay/models/zoo.ts — the test models, generated with seeded weights: an MLP (opset 9), a
// ResNet-style CNN (opset 11), a MobileNet-style CNN (opset 14), a small U-Net (opset 13) and a
// transformer encoder block (opset 17). Each returns its bytes and input shapes.

import { buildModel, floats, ints, positive, rng, weights, type AttrValue, type Init, type NodeSpec } from './onnx_builder.js';

export interface TestModel {
  readonly name: string;
  readonly opset: number;
  readonly bytes: Uint8Array;
  readonly inputs: Readonly<Record<string, readonly number[]>>;
}

/** Accumulates nodes and initializers with generated names (also used by layout_zoo.ts). */
export class Graph {
  readonly nodes: NodeSpec[] = [];
  readonly inits: Record<string, Init> = {};
  private n = 0;
  constructor(readonly r: () => number) {}

  init(t: Init, hint = 'w'): string {
    const name = `${hint}${this.n++}`;
    this.inits[name] = t;
    return name;
  }

  op(op: string, inputs: readonly string[], attrs: Record<string, AttrValue> = {}, nOut = 1, domain?: string): string[] {
    const outs = Array.from({ length: nOut }, () => `t${this.n++}`);
    this.nodes.push({ op, inputs, outputs: outs, attrs, ...(domain ? { domain } : {}) });
    return outs;
  }

  one(op: string, inputs: readonly string[], attrs: Record<string, AttrValue> = {}, domain?: string): string {
    return this.op(op, inputs, attrs, 1, domain)[0]!;
  }

  conv(x: string, cin: number, cout: number, k: number, opts: { stride?: number; group?: number; bias?: boolean; pad?: number } = {}): string {
    const g = opts.group ?? 1;
    const w = this.init(weights(this.r, [cout, cin / g, k, k], 1 / Math.sqrt((cin / g) * k * k)));
    const ins = [x, w];
    if (opts.bias ?? true) ins.push(this.init(weights(this.r, [cout], 0.1), 'b'));
    const p = opts.pad ?? Math.floor(k / 2);
    return this.one('Conv', ins, { kernel_shape: [k, k], strides: [opts.stride ?? 1, opts.stride ?? 1], pads: [p, p, p, p], group: g });
  }

  bn(x: string, c: number): string {
    return this.one('BatchNormalization', [x, this.init(positive(this.r, [c])), this.init(weights(this.r, [c], 0.2)),
      this.init(weights(this.r, [c], 0.2)), this.init(positive(this.r, [c]))], { epsilon: 1e-5 });
  }

  dense(x: string, k: number, n: number): string {
    return this.one('Gemm', [x, this.init(weights(this.r, [n, k], 1 / Math.sqrt(k))), this.init(weights(this.r, [n], 0.1))], { transB: 1 });
  }
}

export function finish(name: string, opset: number, g: Graph, inputs: Record<string, readonly number[]>, outputs: readonly string[], symbolic = false): TestModel {
  const bytes = buildModel({
    opset, nodes: g.nodes, inits: g.inits, outputs,
    inputs: Object.entries(inputs).map(([n, s]) => ({ name: n, shape: symbolic ? ['N', ...s.slice(1)] : s })),
  });
  return { name, opset, bytes, inputs };
}

/** Gemm (both transB forms, alpha/beta) → Relu → Gemm → Softmax (opset-9 2-D semantics), Flatten on the way in. */
export function mlp(): TestModel {
  const g = new Graph(rng(1));
  const x = g.one('Flatten', ['x'], { axis: 1 });
  const h = g.one('Relu', [g.dense(x, 24, 32)]);
  const w2 = g.init(weights(g.r, [32, 10], 0.3));
  const y = g.one('Gemm', [h, w2, g.init(weights(g.r, [10], 0.1))], { alpha: 0.75, beta: 0.5 });
  return finish('mlp', 9, g, { x: [3, 2, 3, 4] }, [g.one('Softmax', [y], { axis: 1 })], true);
}

/** conv-bn-relu stem, max pool, two residual blocks (one strided with a 1x1 projection), ReLU6 (Clip inputs), GAP, Gemm. */
export function resnet(): TestModel {
  const g = new Graph(rng(2));
  const stem = g.one('Relu', [g.bn(g.conv('x', 3, 8, 3), 8)]);
  const pooled = g.one('MaxPool', [stem], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] });
  const block = (x: string, cin: number, cout: number, stride: number): string => {
    const a = g.one('Relu', [g.bn(g.conv(x, cin, cout, 3, { stride, bias: false }), cout)]);
    const b = g.bn(g.conv(a, cout, cout, 3, { bias: false }), cout);
    const skip = stride === 1 && cin === cout ? x : g.bn(g.conv(x, cin, cout, 1, { stride, bias: false, pad: 0 }), cout);
    return g.one('Relu', [g.one('Add', [b, skip])]);
  };
  const b1 = block(pooled, 8, 8, 1);
  const b2 = block(b1, 8, 16, 2);
  const r6 = g.one('Clip', [b2, g.init(floats([0], []), 'lo'), g.init(floats([6], []), 'hi')]);
  const gap = g.one('GlobalAveragePool', [r6]);
  const flat = g.one('Flatten', [gap]);
  return finish('resnet', 11, g, { x: [1, 3, 20, 20] }, [g.dense(flat, 16, 5)]);
}

/** Conv-BN-HardSwish stem, depthwise + pointwise with squeeze-excite (HardSigmoid gate), ReduceMean head. */
export function mobilenet(): TestModel {
  const g = new Graph(rng(3));
  const stem = g.one('HardSwish', [g.bn(g.conv('x', 3, 8, 3, { stride: 2, bias: false }), 8)]);
  const dw = g.one('Relu', [g.bn(g.conv(stem, 8, 8, 3, { group: 8, bias: false }), 8)]);
  const se = g.one('GlobalAveragePool', [dw]);
  const s1 = g.one('Relu', [g.conv(se, 8, 4, 1, { pad: 0 })]);
  const gate = g.one('HardSigmoid', [g.conv(s1, 4, 8, 1, { pad: 0 })], { alpha: 0.2, beta: 0.5 });
  const scaled = g.one('Mul', [dw, gate]);
  const pw = g.one('HardSwish', [g.bn(g.conv(scaled, 8, 16, 1, { pad: 0, bias: false }), 16)]);
  const dw2 = g.bn(g.conv(pw, 16, 16, 5, { stride: 2, group: 16, bias: false }), 16);
  const pooled = g.one('ReduceMean', [dw2], { axes: [2, 3], keepdims: 0 });
  return finish('mobilenet', 14, g, { x: [1, 3, 24, 24] }, [g.dense(pooled, 16, 4)]);
}

/** Encoder conv, average pool, conv, ConvTranspose up, Concat skip, Pad (input form), Resize (sizes), Sigmoid. */
export function unet(): TestModel {
  const g = new Graph(rng(4));
  const e1 = g.one('Relu', [g.conv('x', 2, 8, 3)]);
  const down = g.one('AveragePool', [e1], { kernel_shape: [2, 2], strides: [2, 2] });
  const e2 = g.one('Relu', [g.conv(down, 8, 16, 3)]);
  const up = g.one('ConvTranspose', [e2, g.init(weights(g.r, [16, 8, 2, 2], 0.3)), g.init(weights(g.r, [8], 0.1))], { strides: [2, 2], kernel_shape: [2, 2] });
  const cat = g.one('Concat', [e1, up], { axis: 1 });
  const padded = g.one('Pad', [cat, g.init(ints([0, 0, 1, 1, 0, 0, 1, 1]))], { mode: 'reflect' });
  const head = g.conv(padded, 16, 4, 3, { pad: 0 });
  const half = g.one('Resize', [head, '', '', g.init(ints([1, 4, 8, 8]))], { mode: 'linear', coordinate_transformation_mode: 'half_pixel' });
  const big = g.one('Resize', [half, '', g.init(floats([1, 1, 2, 2]))], { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' });
  return finish('unet', 13, g, { x: [1, 2, 16, 16] }, [g.one('Sigmoid', [big])]);
}

/** Pre-norm encoder block: LayerNorm, Q/K/V MatMuls, heads by Reshape (shape subgraph)/Transpose, Softmax, Gelu (erf) MLP. */
export function transformer(): TestModel {
  const g = new Graph(rng(5));
  const [S, D, H] = [6, 16, 2];
  const ln = (x: string): string => g.one('LayerNormalization', [x, g.init(positive(g.r, [D])), g.init(weights(g.r, [D], 0.1))], { axis: -1, epsilon: 1e-5 });
  const lin = (x: string, k: number, n: number): string => g.one('Add', [g.one('MatMul', [x, g.init(weights(g.r, [k, n], 1 / Math.sqrt(k)))]), g.init(weights(g.r, [n], 0.1))]);
  // The head shape from a shape subgraph: Shape → Gather → Unsqueeze → Concat, folded on import.
  const shape = g.one('Shape', ['x']);
  const batch = g.one('Unsqueeze', [g.one('Gather', [shape, g.init(ints([0], []))], { axis: 0 }), g.init(ints([0]))]);
  const heads = g.one('Concat', [batch, g.init(ints([S, H, D / H]))], { axis: 0 });
  const split = (t: string, perm: number[]): string => g.one('Transpose', [g.one('Reshape', [t, heads])], { perm });
  const h = ln('x');
  const q = split(lin(h, D, D), [0, 2, 1, 3]);
  const k = split(lin(h, D, D), [0, 2, 3, 1]);
  const v = split(lin(h, D, D), [0, 2, 1, 3]);
  const scores = g.one('Div', [g.one('MatMul', [q, k]), g.init(floats([Math.sqrt(D / H)], []))]);
  const att = g.one('MatMul', [g.one('Softmax', [scores], { axis: -1 }), v]);
  const merged = g.one('Reshape', [g.one('Transpose', [att], { perm: [0, 2, 1, 3] }), g.init(ints([0, S, D]))]);
  const x1 = g.one('Add', ['x', lin(merged, D, D)]);
  const f = lin(ln(x1), D, 2 * D);
  const gelu = g.one('Mul', [g.one('Mul', [f, g.one('Add', [g.one('Erf', [g.one('Div', [f, g.init(floats([Math.SQRT2], []))])]), g.init(floats([1], []))])]), g.init(floats([0.5], []))]);
  return finish('transformer', 17, g, { x: [1, S, D] }, [g.one('Add', [x1, lin(gelu, 2 * D, D)])]);
}

export const ZOO = { mlp, resnet, mobilenet, unet, transformer } as const;
