// tests/codegen/wasm/outline_pass.test.ts — wasm.outlineParallel (codegen/wasm/outline_pass.ts):
// every outermost parallel loop gets its outline index in order of appearance and a captures note,
// loops nested in one are left alone, one thread leaves the function as it is, and a function with
// nothing to outline comes back as the same object; the outlined build still computes what plain
// JS computes on 2 threads.

import { describe, expect, it } from 'vitest';
import { outlineParallelPass, PARALLEL_CAPTURES, PARALLEL_OUTLINE } from '../../../codegen/wasm/outline_pass.js';
import * as T from '../../../tir/nodes.js';
import { runWasm } from './wasm_harness.js';

const A = T.buffer('A', [12], 'float32');
const B = T.buffer('B', [12], 'float32');
const [i, j, k] = ['i', 'j', 'k'].map((n) => T.variable(n)) as [T.Var, T.Var, T.Var];
const st = (ix: T.PrimExpr, v: T.PrimExpr): T.Stmt => T.bufferStore(B, v, [ix]);

/** for i (parallel, 3): for j (parallel, 4): B[4i + j] = A[4i + j]·2;  for k (parallel, 12): B[k] += n */
function fn(): T.PrimFunc {
  const ix = T.add(T.mul(i, T.intImm(4)), j);
  const n = T.variable('n');
  const first = T.forLoop(i, 0, 3, 'parallel', T.forLoop(j, 0, 4, 'parallel', st(ix, T.mul(T.bufferLoad(A, [ix]), T.floatImm(2)))));
  const second = T.letStmt(n, T.intImm(3), T.forLoop(k, 0, 12, 'parallel', st(k, T.add(T.bufferLoad(B, [k]), T.cast('float32', n)))));
  return T.primFunc('outl', [A, B], T.seq([first, T.forLoop(T.variable('s'), 0, 1, 'serial', second)]));
}

const loops = (s: T.Stmt): T.For[] => {
  const out: T.For[] = [];
  const walk = (x: T.Stmt): void => {
    if (x.kind === 'For') { out.push(x); walk(x.body); } else if (x.kind === 'SeqStmt') x.seq.forEach(walk);
    else if (x.kind === 'LetStmt' || x.kind === 'Allocate') walk(x.body);
  };
  walk(s);
  return out;
};

describe('wasm.outlineParallel', () => {
  it('numbers the outermost parallel loops in order and notes their captures; nested ones stay as they are', () => {
    const g = outlineParallelPass(2).run(fn(), undefined as never);
    const ls = loops(g.body);
    const ann = ls.map((l) => [l.loopVar.name, l.annotations[PARALLEL_OUTLINE], l.annotations[PARALLEL_CAPTURES]]);
    expect(ann).toEqual([
      ['i', 0, 'vars= buffers=B,A'], // in order of first use
      ['j', undefined, undefined],
      ['s', undefined, undefined],
      ['k', 1, 'vars=n buffers=B'],
    ]);
  });

  it('keeps an index already given and counts it', () => {
    const once = outlineParallelPass(2).run(fn(), undefined as never);
    const twice = outlineParallelPass(2).run(once, undefined as never);
    expect(twice).toBe(once);
  });

  it('leaves everything serial on one thread, and a function without parallel loops as the same object', () => {
    const f = fn();
    expect(outlineParallelPass(1).run(f, undefined as never)).toBe(f);
    expect(outlineParallelPass(0).run(f, undefined as never)).toBe(f);
    const serial = T.primFunc('ser', [A, B], T.forLoop(i, 0, 12, 'serial', st(i, T.bufferLoad(A, [i]))));
    expect(outlineParallelPass(4).run(serial, undefined as never)).toBe(serial);
    expect(outlineParallelPass(2).name).toBe('wasm.outlineParallel');
  });

  it('the outlined function computes what plain JS computes, on 1 and 2 threads', async () => {
    const a = Float32Array.from({ length: 12 }, (_, q) => q * 0.5 - 2);
    const want = Float32Array.from(a, (v) => Math.fround(v * 2) + 3);
    for (const target of ['wasm -threads=2 -simd=0', 'wasm -threads=1 -simd=0', 'wasm -threads=2 -simd=1']) {
      const out = await runWasm(fn(), [a, new Float32Array(12)], target);
      expect(Array.from(out[1]!), target).toEqual(Array.from(want));
    }
  });
});
