// relay/op/elementwise.ts — elementwise and broadcasting operators (TVM's relay/op/tensor.cc names):
// binary arithmetic with numpy broadcasting, unary math, activations, cast and where.

import type { Attrs, TensorData } from '../nodes.js';
import { tensorType, type RelayDType, type TensorType } from '../ty.js';
import { numAttr, OpPattern, strAttr, type OpDef } from './op_def.js';
import { broadcastShapes, makeData, mapBroadcast } from './tensor_eval.js';

/** erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7), enough for folding constants. */
export function erf(x: number): number {
  const s = Math.sign(x);
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return s * y;
}

function binary(name: string, fn: (a: number, b: number, dt: RelayDType) => number): OpDef {
  return {
    name, pattern: OpPattern.BROADCAST, arity: 2,
    inferType([a, b]) {
      if (a!.dtype !== b!.dtype) throw new TypeError(`${name}: dtypes differ (${a!.dtype} and ${b!.dtype}); insert a cast`);
      return tensorType(broadcastShapes(a!.shape, b!.shape, name), a!.dtype);
    },
    evaluate(args) {
      const dt = args[0]!.dtype;
      return mapBroadcast(args, dt, name, (x, y) => fn(x!, y!, dt));
    },
  };
}

function unary(name: string, fn: (x: number, attrs: Attrs) => number, floatOnly = true): OpDef {
  return {
    name, pattern: OpPattern.ELEMWISE, arity: 1,
    inferType([x]) {
      if (floatOnly && x!.dtype !== 'float32') throw new TypeError(`${name}: needs a float32 input, got ${x!.dtype}`);
      return x!;
    },
    evaluate([x], attrs) {
      return mapBroadcast([x!], x!.dtype, name, (v) => fn(v!, attrs));
    },
  };
}

const idiv = (a: number, b: number): number => (b === 0 ? 0 : Math.trunc(a / b));

export const ELEMENTWISE_OPS: readonly OpDef[] = [
  binary('add', (a, b) => a + b),
  binary('subtract', (a, b) => a - b),
  binary('multiply', (a, b) => a * b),
  binary('divide', (a, b, dt) => (dt === 'int32' ? idiv(a, b) : a / b)),
  binary('power', (a, b) => Math.pow(a, b)),
  binary('maximum', (a, b) => Math.max(a, b)),
  binary('minimum', (a, b) => Math.min(a, b)),
  unary('sqrt', Math.sqrt),
  unary('exp', Math.exp),
  unary('log', Math.log),
  unary('abs', Math.abs, false),
  unary('negative', (x) => -x, false),
  unary('erf', erf),
  unary('tanh', Math.tanh),
  unary('sigmoid', (x) => 1 / (1 + Math.exp(-x))),
  unary('nn.relu', (x) => Math.max(x, 0)),
  unary('nn.leaky_relu', (x, a) => (x >= 0 ? x : x * numAttr(a, 'nn.leaky_relu', 'alpha', 0.01))),
  unary('clip', (x, a) => Math.min(Math.max(x, numAttr(a, 'clip', 'a_min', -Infinity)), numAttr(a, 'clip', 'a_max', Infinity)), false),
  unary('hard_sigmoid', (x, a) => Math.min(1, Math.max(0, numAttr(a, 'hard_sigmoid', 'alpha', 0.2) * x + numAttr(a, 'hard_sigmoid', 'beta', 0.5)))),
  unary('hard_swish', (x) => x * Math.min(1, Math.max(0, x / 6 + 0.5))),
  unary('gelu', (x, a) => (strAttr(a, 'gelu', 'approximate', 'none') === 'tanh'
    ? 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)))
    : 0.5 * x * (1 + erf(x / Math.SQRT2)))),
  {
    name: 'cast', pattern: OpPattern.ELEMWISE, arity: 1,
    inferType([x], attrs) {
      return tensorType(x!.shape, castTarget(attrs));
    },
    evaluate([x], attrs) {
      const dt = castTarget(attrs);
      const out = makeData(x!.shape, dt);
      for (let i = 0; i < out.values.length; i++) out.values[i] = dt === 'int32' ? Math.trunc(x!.values[i]!) : x!.values[i]!;
      return out;
    },
  },
  {
    name: 'where', pattern: OpPattern.BROADCAST, arity: 3,
    inferType([c, a, b]): TensorType {
      if (c!.dtype !== 'int32') throw new TypeError(`where: the condition must be int32 (bool), got ${c!.dtype}`);
      if (a!.dtype !== b!.dtype) throw new TypeError(`where: branch dtypes differ (${a!.dtype} and ${b!.dtype})`);
      return tensorType(broadcastShapes(broadcastShapes(c!.shape, a!.shape, 'where'), b!.shape, 'where'), a!.dtype);
    },
    evaluate(args: readonly TensorData[]) {
      return mapBroadcast(args, args[1]!.dtype, 'where', (c, a, b) => (c !== 0 ? a! : b!));
    },
  },
];

function castTarget(attrs: Attrs): RelayDType {
  const dt = strAttr(attrs, 'cast', 'dtype');
  if (dt !== 'float32' && dt !== 'int32') throw new TypeError(`cast: dtype '${dt}' is not float32 or int32`);
  return dt;
}
