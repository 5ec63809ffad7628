// relay/op/reduce.ts — reductions (sum, mean, max, min) over listed axes, with keepdims.

import type { Attrs } from '../nodes.js';
import { tensorType } from '../ty.js';
import { boolAttr, intsAttr, normAxis, OpPattern, type OpDef } from './op_def.js';
import { makeData, numel, stridesOf } from './tensor_eval.js';

/** The reduced axes, sorted and non-negative; an empty or absent list means every axis. */
export function reduceAxes(attrs: Attrs, ndim: number, op: string): number[] {
  const given = attrs['axis'] === undefined ? [] : intsAttr(attrs, op, 'axis');
  const axes = given.length === 0 ? [...Array(ndim).keys()] : given.map((a) => normAxis(a, ndim, op));
  return [...new Set(axes)].sort((a, b) => a - b);
}

function reduceOp(name: string, init: number, step: (acc: number, v: number) => number, finish: (acc: number, n: number) => number = (x) => x): OpDef {
  return {
    name, pattern: OpPattern.COMM_REDUCE, arity: 1,
    inferType([x], a) {
      const axes = reduceAxes(a, x!.shape.length, name);
      const keep = boolAttr(a, 'keepdims', false);
      return tensorType(keep ? x!.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x!.shape.filter((_, i) => !axes.includes(i)), x!.dtype);
    },
    evaluate([x], a) {
      const axes = reduceAxes(a, x!.shape.length, name);
      const keep = boolAttr(a, 'keepdims', false);
      const keptShape = x!.shape.map((d, i) => (axes.includes(i) ? 1 : d));
      const out = makeData(keep ? keptShape : x!.shape.filter((_, i) => !axes.includes(i)), x!.dtype);
      const acc = new Float64Array(out.values.length).fill(init);
      const ost = stridesOf(keptShape);
      const coord = new Array<number>(x!.shape.length).fill(0);
      for (let i = 0; i < x!.values.length; i++) {
        let o = 0;
        for (let d = 0; d < coord.length; d++) if (!axes.includes(d)) o += coord[d]! * ost[d]!;
        acc[o] = step(acc[o]!, x!.values[i]!);
        for (let d = coord.length - 1; d >= 0; d--) {
          if (++coord[d]! < x!.shape[d]!) break;
          coord[d] = 0;
        }
      }
      const n = numel(axes.map((ax) => x!.shape[ax]!));
      for (let i = 0; i < acc.length; i++) out.values[i] = finish(acc[i]!, n);
      return out;
    },
  };
}

export const REDUCE_OPS: readonly OpDef[] = [
  reduceOp('sum', 0, (a, v) => a + v),
  reduceOp('mean', 0, (a, v) => a + v, (a, n) => a / n),
  reduceOp('max', -Infinity, Math.max),
  reduceOp('min', Infinity, Math.min),
];
