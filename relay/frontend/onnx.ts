// relay/frontend/onnx.ts — relay.frontend.fromOnnx: an ONNX model (opsets 9-18) becomes a typed
// relay module. Unsupported operators are all listed at once; input shapes are checked and fixed
// with { shapes }; initializers become constants; shape subgraphs fold to constants as they are read.

import { constant, func, irModule, tuple, variable, type Expr, type IRModule, type Var } from '../nodes.js';
import { InferType } from '../transform/infer_type.js';
import { tensorType } from '../ty.js';
import { ConvertContext } from './onnx_context.js';
import { NN_CONVERTERS, type Converter } from './onnx_convert_nn.js';
import { TENSOR_CONVERTERS } from './onnx_convert_tensor.js';
import { decodeModel, defaultOpset, nodeAttrs, relayDType, tensorData, toInt, type NodeProto, type ValueInfoProto } from './onnx_model.js';

export interface FromOnnxOptions {
  /** Input shapes by input name: fixes symbolic (dim_param) or missing dimensions, e.g. { x: [1, 3, 48, 192] }. */
  readonly shapes?: Readonly<Record<string, readonly number[]>>;
}

const CONVERTERS: Readonly<Record<string, Converter>> = { ...NN_CONVERTERS, ...TENSOR_CONVERTERS };
/** Operators of other domains we read (ONNX Runtime's contrib ops). */
const CONTRIB: Readonly<Record<string, readonly string[]>> = { 'com.microsoft': ['Gelu'] };
const MIN_OPSET = 9;
const MAX_OPSET = 18;

/** The ONNX operator types relay.frontend.fromOnnx converts. */
export function supportedOnnxOps(): string[] {
  return Object.keys(CONVERTERS).sort();
}

function isSupported(n: NodeProto): boolean {
  const domain = n.domain ?? '';
  if (domain === '' || domain === 'ai.onnx') return Object.hasOwn(CONVERTERS, n.opType ?? '');
  return CONTRIB[domain]?.includes(n.opType ?? '') ?? false;
}

function nodeLabel(n: NodeProto, opset: number): string {
  const domain = n.domain && n.domain !== 'ai.onnx' ? `${n.domain}.` : '';
  return `node '${n.name || n.output?.[0] || '?'}' (${domain}${n.opType}, opset ${opset})`;
}

function inputType(vi: ValueInfoProto, given: readonly number[] | undefined): Var {
  const name = vi.name ?? '';
  const tt = vi.type?.tensorType;
  if (!tt) throw new Error(`relay.frontend.fromOnnx: input '${name}' is not a tensor (sequences and maps are not supported)`);
  const dtype = relayDType(tt.elemType ?? 0, `input '${name}'`);
  const dims = tt.shape?.dim ?? undefined;
  const declared = dims?.map((d) => (d.dimValue !== undefined && d.dimValue !== null && toInt(d.dimValue) > 0 ? toInt(d.dimValue) : (d.dimParam || '?')));
  const show = declared ? `[${declared.join(', ')}]` : 'unknown rank';
  if (given !== undefined) {
    if (!Array.isArray(given) || given.some((d) => !Number.isInteger(d) || d <= 0)) {
      throw new Error(`relay.frontend.fromOnnx: shapes.${name} = ${JSON.stringify(given)} must be a list of positive integers (the model declares ${show})`);
    }
    if (declared && declared.length !== given.length) {
      throw new Error(`relay.frontend.fromOnnx: shapes.${name} = [${given.join(', ')}] has rank ${given.length}, but the model declares ${show} (rank ${declared.length})`);
    }
    declared?.forEach((d, i) => {
      if (typeof d === 'number' && d !== given[i]) {
        throw new Error(`relay.frontend.fromOnnx: shapes.${name} = [${given.join(', ')}] conflicts with the model's static dimension ${i} = ${d} (declared ${show})`);
      }
    });
    return variable(name, tensorType(given, dtype));
  }
  if (!declared || declared.some((d) => typeof d !== 'number')) {
    throw new Error(`relay.frontend.fromOnnx: input '${name}' has ${declared ? `dynamic dimensions ${show}` : 'no declared shape'}; ` +
      `pass its shape: fromOnnx(bytes, { shapes: { '${name}': [${(declared ?? ['…']).map((d) => (typeof d === 'number' ? d : '…')).join(', ')}] } }) (on the command line: --input-shapes "${name}:[${(declared ?? ['…']).map((d) => (typeof d === 'number' ? d : '…')).join(',')}]")`);
  }
  return variable(name, tensorType(declared as number[], dtype));
}

/**
 * Imports an ONNX model. Throws before building anything when the file is not ONNX or truncated,
 * when an opset or operator is unsupported (all such nodes listed, with node name and opset), or
 * when an input shape is missing, dynamic without `shapes`, or contradicts the model.
 */
export function fromOnnx(bytes: Uint8Array, opts: FromOnnxOptions = {}): IRModule {
  const model = decodeModel(bytes);
  const graph = model.graph!;
  const opset = defaultOpset(model);
  if (opset < MIN_OPSET || opset > MAX_OPSET) {
    throw new Error(`relay.frontend.fromOnnx: the model imports opset ${opset}; supported opsets are ${MIN_OPSET} to ${MAX_OPSET} (convert it with onnx.version_converter)`);
  }
  const nodes = graph.node ?? [];
  const unsupported = nodes.filter((n) => !isSupported(n));
  if (unsupported.length > 0) {
    const types = [...new Set(unsupported.map((n) => n.opType))].sort();
    throw new Error(`relay.frontend.fromOnnx: ${unsupported.length} node(s) use unsupported operators (${types.join(', ')}):\n` +
      unsupported.map((n) => `  ${nodeLabel(n, opset)}`).join('\n'));
  }
  const env = new Map<string, Expr>();
  for (const init of graph.initializer ?? []) {
    const d = tensorData(init, `initializer '${init.name}'`);
    env.set(init.name ?? '', constant(d.values, d.shape));
  }
  const shapes = opts.shapes ?? {};
  const realInputs = (graph.input ?? []).filter((vi) => !env.has(vi.name ?? ''));
  for (const name of Object.keys(shapes)) {
    if (!realInputs.some((vi) => vi.name === name)) {
      throw new Error(`relay.frontend.fromOnnx: shapes names '${name}', which is not an input of the model (inputs: ${realInputs.map((v) => v.name).join(', ')})`);
    }
  }
  const params = realInputs.map((vi) => inputType(vi, shapes[vi.name ?? '']));
  for (const p of params) env.set(p.name, p);
  for (const node of nodes) {
    const where = nodeLabel(node, opset);
    const inputs = (node.input ?? []).map((name) => {
      if (name === '') return undefined;
      const e = env.get(name);
      if (e === undefined) throw new Error(`relay.frontend.fromOnnx: ${where}: input '${name}' is not produced by any earlier node, initializer or graph input`);
      return e;
    });
    const ctx = new ConvertContext(node, opset, inputs, nodeAttrs(node, where));
    const out = CONVERTERS[node.opType!]!(ctx);
    const outs = Array.isArray(out) ? out : [out as Expr];
    (node.output ?? []).forEach((name, i) => {
      const e = outs[i];
      if (name !== '' && e !== undefined) env.set(name, e);
    });
  }
  const outputNames = (graph.output ?? []).map((o) => o.name ?? '');
  const outs = outputNames.map((n) => {
    const e = env.get(n);
    if (e === undefined) throw new Error(`relay.frontend.fromOnnx: graph output '${n}' is not produced by any node`);
    return e;
  });
  const body = outs.length === 1 ? outs[0]! : tuple(outs);
  return InferType.run(irModule(func(params, body, { outputNames })));
}
