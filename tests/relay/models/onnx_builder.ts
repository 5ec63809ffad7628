// tests/relay/models/onnx_builder.ts — writes ONNX models with onnx-proto for the relay tests:
// nodes, float/int initializers, inputs/outputs with (possibly symbolic) shapes, an opset, seeded weights.

import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

export type AttrValue = number | string | number[] | { floats: number[] } | { float: number } | { tensor: Init };

export interface Init {
  readonly name?: string;
  readonly shape: readonly number[];
  readonly data: readonly number[] | Float32Array;
  readonly dtype?: 'float32' | 'int64' | 'bool';
}

export interface NodeSpec {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attrs?: Readonly<Record<string, AttrValue>>;
  readonly name?: string;
  readonly domain?: string;
}

export interface ModelSpec {
  readonly opset: number;
  readonly inputs: readonly { name: string; shape: readonly (number | string)[] }[];
  readonly outputs: readonly string[];
  readonly nodes: readonly NodeSpec[];
  readonly inits?: Readonly<Record<string, Init>>;
}

/** mulberry32: a seeded generator of floats in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform weights in [-scale, scale). */
export function weights(r: () => number, shape: readonly number[], scale = 0.5): Init {
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape, data: Float32Array.from({ length: n }, () => (r() * 2 - 1) * scale) };
}

/** Positive values (batch-norm variances). */
export function positive(r: () => number, shape: readonly number[], lo = 0.5, hi = 1.5): Init {
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape, data: Float32Array.from({ length: n }, () => lo + r() * (hi - lo)) };
}

export const ints = (data: readonly number[], shape: readonly number[] = [data.length]): Init => ({ shape, data, dtype: 'int64' });
export const floats = (data: readonly number[], shape: readonly number[] = [data.length]): Init => ({ shape, data });

function tensorProto(name: string, t: Init): onnxProto.onnx.ITensorProto {
  if (t.dtype === 'bool') {
    return { name, dims: [...t.shape], dataType: onnx.TensorProto.DataType.BOOL, int32Data: [...t.data] };
  }
  if (t.dtype === 'int64') {
    return { name, dims: [...t.shape], dataType: onnx.TensorProto.DataType.INT64, int64Data: [...t.data] };
  }
  const f = Float32Array.from(t.data);
  return { name, dims: [...t.shape], dataType: onnx.TensorProto.DataType.FLOAT, rawData: new Uint8Array(f.buffer) };
}

function attribute(name: string, v: AttrValue): onnxProto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof v === 'number') return Number.isInteger(v) ? { name, type: T.INT, i: v } : { name, type: T.FLOAT, f: v };
  if (typeof v === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) return { name, type: T.INTS, ints: v };
  if ('floats' in v) return { name, type: T.FLOATS, floats: v.floats };
  if ('float' in v) return { name, type: T.FLOAT, f: v.float };
  return { name, type: T.TENSOR, t: tensorProto(name, v.tensor) };
}

function valueInfo(name: string, shape?: readonly (number | string)[]): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: shape ? { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } : null } },
  };
}

/** The model as .onnx bytes. */
export function buildModel(spec: ModelSpec): Uint8Array {
  const inits = Object.entries(spec.inits ?? {});
  const usesMs = spec.nodes.some((n) => n.domain === 'com.microsoft');
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'tensortune-tests',
    opsetImport: [{ domain: '', version: spec.opset }, ...(usesMs ? [{ domain: 'com.microsoft', version: 1 }] : [])],
    graph: {
      name: 'g',
      node: spec.nodes.map((n, i) => ({
        opType: n.op, input: [...n.inputs], output: [...n.outputs], name: n.name ?? `${n.op}_${i}`,
        domain: n.domain ?? '', attribute: Object.entries(n.attrs ?? {}).map(([k, v]) => attribute(k, v)),
      })),
      initializer: inits.map(([name, t]) => tensorProto(name, t)),
      input: spec.inputs.map((i) => valueInfo(i.name, i.shape)),
      output: spec.outputs.map((o) => valueInfo(o)),
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
