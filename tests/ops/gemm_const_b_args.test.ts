// tests/ops/gemm_const_b_args.test.ts — the prepacked tasks' template (ops/templates/gemm_const_b.ts) on its
// arguments, where the value tests (gemm_const_b.test.ts: no epilogue, every sampled config) do not look: the tensors
// it returns — A, then B's panels [⌈N/bn⌉, K, bn] (batched [b, ⌈N/bn⌉, K, bn]) where the config packs and B as it is
// where it does not, then the epilogue's inputs (a bias along the output's last axis, N), then the output; and the
// argument errors: more than one argument after the workload, an epilogue that is not a list.

import { beforeAll, describe, expect, it } from 'vitest';
import { setTemplateWarningSink } from '../../autotune/apply_template.js';
import { createTask, tensorArg } from '../../autotune/task.js';
import { registerAll } from '../../ops/register.js';

/** dense [M, K] × W [N, K], matmul [M, K] × B [K, N], batch_matmul [b, M, K] × B [b, K, N], with M, K, N = 5, 7, 10: [tag, A, B, out]. */
const CASES = [
  ['dense', [5, 7], [10, 7], [5, 10]],
  ['matmul', [5, 7], [7, 10], [5, 10]],
  ['batch_matmul', [3, 5, 7], [3, 7, 10], [3, 5, 10]],
] as const;

/** The error a template threw, which createTask wraps (as `cause`) in one naming the template and its args. */
function causeOf(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return (e as Error).cause;
  }
  throw new Error('did not throw');
}

describe('the prepacked tasks\' template', () => {
  beforeAll(() => {
    registerAll();
    setTemplateWarningSink(() => undefined);
  });

  for (const [tag, aShape, bShape, outShape] of CASES) {
    const args = [tensorArg([...aShape]), tensorArg([...bShape])];
    it(`${tag}: [A, B's panels or B, …the epilogue's inputs, out], with pack_b on and off`, () => {
      for (const epilogue of [undefined, ['bias', 'relu'], ['bias']]) {
        const task = createTask(`${tag}_prepacked.wasm`, [...args, ...(epilogue ? [epilogue] : [])] as never, 'wasm');
        for (const pack of [true, false]) {
          let i = 0;
          while (!(task.space.isIndexValid(i) && task.space.entityAt(i).getKnob('pack_b').val === pack)) i++;
          const e = task.space.entityAt(i);
          const bn = e.getSplit('tile_x').size[1]!;
          const shapes = task.instantiate(e).tensors.map((t) => [...t.dims]);
          const b = pack ? [...bShape.slice(0, -2), Math.ceil(10 / bn), 7, bn] : [...bShape];
          const where = `${tag} ${JSON.stringify(epilogue)} pack_b ${pack} (bn ${bn})`;
          expect(shapes, where).toEqual([[...aShape], b, ...(epilogue ? [[10]] : []), [...outShape]]);
        }
      }
    });
  }

  it('refuses more than an epilogue list after the workload, and an epilogue that is not a list, naming the task', () => {
    const [A, B] = [tensorArg([5, 7]), tensorArg([10, 7])];
    expect(causeOf(() => createTask('dense_prepacked.wasm', [A, B, ['relu'], ['relu']] as never, 'wasm'))).toBeInstanceOf(RangeError);
    expect(() => createTask('dense_prepacked.wasm', [A, B, ['relu'], ['relu']] as never, 'wasm')).toThrow('template dense_prepacked.wasm: 2 extra args; only an epilogue list may follow the workload');
    expect(() => createTask('matmul_prepacked.wasm', [tensorArg([5, 7]), tensorArg([7, 10]), [], 7] as never, 'wasm')).toThrow('template matmul_prepacked.wasm: 2 extra args');
    expect(causeOf(() => createTask('dense_prepacked.wasm', [A, B, 'relu'] as never, 'wasm'))).toBeInstanceOf(TypeError);
    expect(() => createTask('dense_prepacked.wasm', [A, B, 'relu'] as never, 'wasm')).toThrow('template dense_prepacked.wasm: the epilogue must be a list of steps, got "relu"');
    expect(() => createTask('batch_matmul_prepacked.wasm', [tensorArg([3, 5, 7]), tensorArg([3, 7, 10]), 0] as never, 'wasm')).toThrow('template batch_matmul_prepacked.wasm: the epilogue must be a list of steps, got 0');
    // One list, even empty, is an epilogue.
    expect(createTask('dense_prepacked.wasm', [A, B, []] as never, 'wasm').name).toBe('dense_prepacked.wasm');
  });
});
