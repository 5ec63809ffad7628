// tir/param_shapes.ts — the logical shape of each parameter of a PrimFunc, for code generators
// and runtimes: `attrs.argShapes` when lowering set it (params are flattened to 1-D then), else
// the parameters' own constant shapes. One helper for wasm and WGSL.

import type { Buffer, PrimFunc } from './nodes.js';

/** The constant dimensions of a buffer; throws naming the buffer and dimension when one is not constant. */
export function constShape(b: Buffer, who: string): number[] {
  return b.shape.map((d, i) => {
    if (d.kind !== 'IntImm') throw new Error(`${who}: buffer ${b.name} dimension ${i} is not a constant`);
    return d.value;
  });
}

/**
 * One shape per parameter (number[][]). Throws, prefixed with `who` (e.g. 'wasm codegen'), when
 * attrs.argShapes is not one list of non-negative integers per parameter, when a shape's element
 * count differs from its parameter's, or when a parameter has a non-constant dimension.
 */
export function paramShapes(f: PrimFunc, who: string): number[][] {
  const given = f.attrs['argShapes'];
  const own = (p: Buffer, i: number): number[] => constShape(p, `${who}: ${f.name}: parameter ${i}`);
  if (given === undefined) return f.params.map(own);
  if (!Array.isArray(given) || given.length !== f.params.length) {
    throw new Error(`${who}: ${f.name}: attrs.argShapes must list one shape per parameter (${f.params.length})`);
  }
  return given.map((s, i) => {
    if (!Array.isArray(s) || !s.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new Error(`${who}: ${f.name}: attrs.argShapes[${i}] is not a list of non-negative integers`);
    }
    const shape = s as number[];
    const p = f.params[i]!;
    if (p.shape.every((d) => d.kind === 'IntImm')) {
      const n = shape.reduce((x, y) => x * y, 1);
      const m = own(p, i).reduce((x, y) => x * y, 1);
      if (n !== m) throw new Error(`${who}: ${f.name}: argShapes[${i}] (${shape.join('x')}) has ${n} elements but buffer ${p.name} has ${m}`);
    }
    return shape;
  });
}
