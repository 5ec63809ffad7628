// relay/frontend/onnx_model.ts — reading an ONNX file with onnx-proto (protobufjs): decoding with a
// clear "truncated / not ONNX" error, initializer tensors to relay constant data, node attributes to plain values.

import onnxProto from 'onnx-proto';
import type { TensorData } from '../nodes.js';
import type { RelayDType } from '../ty.js';

const { onnx } = onnxProto;
export type ModelProto = onnxProto.onnx.ModelProto;
export type NodeProto = onnxProto.onnx.INodeProto;
export type TensorProto = onnxProto.onnx.ITensorProto;
export type ValueInfoProto = onnxProto.onnx.IValueInfoProto;
export const OnnxDataType = onnx.TensorProto.DataType;
const AttrType = onnx.AttributeProto.AttributeType;

/** An attribute's value as plain data: number, string, number[], string[] or tensor data. */
export type OnnxAttr = number | string | number[] | string[] | TensorData;

/** An int64 from protobufjs (number or Long) as a JS number, clamped to int32 (INT64_MAX slice ends and such). */
export function toInt(v: number | { toString(): string } | null | undefined): number {
  const n = typeof v === 'number' ? v : Number(v?.toString() ?? 0);
  return Math.max(-2147483648, Math.min(2147483647, n));
}

/** First bytes a ModelProto can start with: fields 1-8, 10, 14, 20 with their wire types. */
const MODEL_FIELD_TAGS = new Set([0x08, 0x12, 0x1a, 0x22, 0x28, 0x32, 0x3a, 0x42, 0x52, 0x72, 0xa2]);

/** Decodes ONNX bytes; truncated or foreign files get an error that says so. */
export function decodeModel(bytes: Uint8Array): ModelProto {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('relay.frontend.fromOnnx: bytes must be a Uint8Array (the .onnx file contents)');
  if (bytes.length === 0) throw new Error('relay.frontend.fromOnnx: the file is empty, not an ONNX model');
  let m: ModelProto;
  try {
    m = onnx.ModelProto.decode(bytes);
  } catch (e) {
    const msg = (e as Error).message;
    // A cut-off ONNX file still starts like one: a ModelProto field tag (ir_version, producer_name, graph, opset_import…).
    const truncated = /index out of range|premature|end of/i.test(msg) && MODEL_FIELD_TAGS.has(bytes[0]!);
    throw new Error(truncated
      ? `relay.frontend.fromOnnx: the ONNX file is truncated (${bytes.length} bytes; protobuf: ${msg}); download or export it again`
      : `relay.frontend.fromOnnx: not an ONNX model (protobuf decoding failed: ${msg})`);
  }
  const g = m.graph;
  if (!g || (g.node?.length ?? 0) === 0 || (g.output?.length ?? 0) === 0 || m.opsetImport.length === 0) {
    throw new Error(`relay.frontend.fromOnnx: not an ONNX model (no graph with nodes, outputs and an opset import in ${bytes.length} bytes)`);
  }
  return m;
}

/** relay dtype of an ONNX element type: floats → float32, integers and bool → int32. */
export function relayDType(t: number, where: string): RelayDType {
  switch (t) {
    case OnnxDataType.FLOAT: case OnnxDataType.DOUBLE: case OnnxDataType.FLOAT16: return 'float32';
    case OnnxDataType.INT32: case OnnxDataType.INT64: case OnnxDataType.BOOL: case OnnxDataType.INT8: case OnnxDataType.UINT8:
    case OnnxDataType.INT16: case OnnxDataType.UINT16: case OnnxDataType.UINT32: case OnnxDataType.UINT64: return 'int32';
    default: throw new TypeError(`${where}: ONNX element type ${OnnxDataType[t] ?? t} is not supported (float, double, integers, bool)`);
  }
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

/** The values of a TensorProto (raw_data or typed fields) as relay constant data. */
export function tensorData(t: TensorProto, where: string): TensorData {
  const dt = t.dataType ?? 0;
  const dtype = relayDType(dt, where);
  const shape = (t.dims ?? []).map((d) => toInt(d));
  const n = shape.reduce((a, b) => a * b, 1);
  if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) throw new Error(`${where}: tensor '${t.name}' uses external data, which is not supported; save the model with its weights inside`);
  const out = dtype === 'int32' ? new Int32Array(n) : new Float32Array(n);
  const raw = t.rawData;
  if (raw && raw.length > 0) {
    const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const size = { [OnnxDataType.FLOAT]: 4, [OnnxDataType.DOUBLE]: 8, [OnnxDataType.FLOAT16]: 2, [OnnxDataType.INT32]: 4, [OnnxDataType.INT64]: 8,
      [OnnxDataType.BOOL]: 1, [OnnxDataType.INT8]: 1, [OnnxDataType.UINT8]: 1, [OnnxDataType.INT16]: 2, [OnnxDataType.UINT16]: 2,
      [OnnxDataType.UINT32]: 4, [OnnxDataType.UINT64]: 8 }[dt]!;
    if (raw.byteLength < n * size) throw new Error(`${where}: tensor '${t.name}' holds ${raw.byteLength} bytes, ${n * size} expected for shape [${shape.join(', ')}] (truncated file?)`);
    for (let i = 0; i < n; i++) {
      const o = i * size;
      switch (dt) {
        case OnnxDataType.FLOAT: out[i] = dv.getFloat32(o, true); break;
        case OnnxDataType.DOUBLE: out[i] = dv.getFloat64(o, true); break;
        case OnnxDataType.FLOAT16: out[i] = halfToFloat(dv.getUint16(o, true)); break;
        case OnnxDataType.INT32: out[i] = dv.getInt32(o, true); break;
        case OnnxDataType.INT64: case OnnxDataType.UINT64: out[i] = toInt(Number(dv.getBigInt64(o, true))); break;
        case OnnxDataType.INT16: out[i] = dv.getInt16(o, true); break;
        case OnnxDataType.UINT16: out[i] = dv.getUint16(o, true); break;
        case OnnxDataType.UINT32: out[i] = toInt(dv.getUint32(o, true)); break;
        case OnnxDataType.INT8: out[i] = dv.getInt8(o); break;
        default: out[i] = dv.getUint8(o);
      }
    }
  } else {
    const src: readonly (number | { toString(): string })[] =
      dt === OnnxDataType.FLOAT ? t.floatData ?? [] : dt === OnnxDataType.DOUBLE ? t.doubleData ?? []
        : dt === OnnxDataType.INT64 ? t.int64Data ?? [] : dt === OnnxDataType.UINT64 || dt === OnnxDataType.UINT32 ? t.uint64Data ?? [] : t.int32Data ?? [];
    if (src.length !== n) throw new Error(`${where}: tensor '${t.name}' has ${src.length} values for shape [${shape.join(', ')}] (${n} elements)`);
    for (let i = 0; i < n; i++) {
      const v = src[i]!;
      out[i] = dt === OnnxDataType.FLOAT16 ? halfToFloat(v as number) : typeof v === 'number' ? v : toInt(v);
    }
  }
  return { shape, dtype, values: out };
}

/** A node's attributes as plain values by name. */
export function nodeAttrs(node: NodeProto, where: string): Map<string, OnnxAttr> {
  const m = new Map<string, OnnxAttr>();
  const dec = new TextDecoder();
  for (const a of node.attribute ?? []) {
    const name = a.name ?? '';
    switch (a.type) {
      case AttrType.FLOAT: m.set(name, a.f ?? 0); break;
      case AttrType.INT: m.set(name, toInt(a.i)); break;
      case AttrType.STRING: m.set(name, dec.decode(a.s ?? new Uint8Array())); break;
      case AttrType.FLOATS: m.set(name, [...(a.floats ?? [])]); break;
      case AttrType.INTS: m.set(name, (a.ints ?? []).map((v) => toInt(v))); break;
      case AttrType.STRINGS: m.set(name, (a.strings ?? []).map((s) => dec.decode(s))); break;
      case AttrType.TENSOR: m.set(name, tensorData(a.t!, `${where} attribute ${name}`)); break;
      default: throw new Error(`${where}: attribute '${name}' has type ${AttrType[a.type ?? 0] ?? a.type}, which is not supported`);
    }
  }
  return m;
}

/** The default-domain opset a model imports (ai.onnx, '' or 'ai.onnx'). */
export function defaultOpset(m: ModelProto): number {
  const o = m.opsetImport.find((x) => !x.domain || x.domain === 'ai.onnx');
  return o ? toInt(o.version) : 1;
}
