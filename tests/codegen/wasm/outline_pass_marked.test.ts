// tests/codegen/wasm/outline_pass_marked.test.ts — wasm.outlineParallel on a function one of whose
// parallel loops is already marked (a pass run twice, or a hand-annotated loop): the marked loop keeps
// its index and counts, so a new loop after it gets the next index, never a duplicate; and the
// entry's scratch frame holds one argument block at a time, so two outlined calls in sequence need
// 16 bytes, not 32 (meta.frameBytes), and still compute what plain JS computes on 2 threads.

import { describe, expect, it } from 'vitest';
import { compileWasm, type WasmMeta } from '../../../codegen/wasm/compile_wasm.js';
import { outlineParallelPass, PARALLEL_OUTLINE } from '../../../codegen/wasm/outline_pass.js';
import * as T from '../../../tir/nodes.js';
import { runWasm } from './wasm_harness.js';

const A = T.buffer('A', [12], 'float32');
const B = T.buffer('B', [12], 'float32');
const [i, k] = [T.variable('i'), T.variable('k')];

/** for i (parallel): B[i] = A[i]·2;  for k (parallel): B[k] = B[k] + 3 */
function fn(firstMarked: boolean): T.PrimFunc {
  const first = T.forLoop(i, 0, 12, 'parallel', T.bufferStore(B, T.mul(T.bufferLoad(A, [i]), T.floatImm(2)), [i]),
    firstMarked ? { annotations: { [PARALLEL_OUTLINE]: 0 } } : {});
  const second = T.forLoop(k, 0, 12, 'parallel', T.bufferStore(B, T.add(T.bufferLoad(B, [k]), T.floatImm(3)), [k]));
  return T.primFunc('marked', [A, B], T.seq([first, second]));
}

describe('wasm.outlineParallel with a loop already marked', () => {
  it('gives the new loop the next index and leaves the marked one as it was', () => {
    const f = fn(true);
    const g = outlineParallelPass(2).run(f, undefined as never);
    const [l1, l2] = (g.body as T.SeqStmt).seq as [T.For, T.For];
    expect(l1).toBe((f.body as T.SeqStmt).seq[0]);
    expect(l1.annotations[PARALLEL_OUTLINE]).toBe(0);
    expect(l2.annotations[PARALLEL_OUTLINE]).toBe(1);
  });

  it('two outlined calls share one argument block in the frame, and compute plain JS results', async () => {
    const f = fn(false);
    const meta = compileWasm(f, 'wasm -threads=2').meta as unknown as WasmMeta;
    expect(meta.outlined.map((o) => o.exportName)).toEqual(['par_0', 'par_1']);
    expect(meta.frameBytes).toBe(16);
    const a = Float32Array.from({ length: 12 }, (_, x) => x * 0.5 - 2);
    const out = (await runWasm(f, [a, new Float32Array(12)], 'wasm -threads=2'))[1]!;
    expect(Array.from(out)).toEqual(Array.from(a, (x) => Math.fround(x * 2 + 3)));
  });
});
