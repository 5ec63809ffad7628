// tests/ops/gemm_wasm_structure.test.ts — what the wasm gemm template does that values cannot show (the value tests,
// gemm_gemv.test.ts and gemm_const_b.test.ts, pass either way): a config with vec_k on (dense with few rows, a GEMV)
// accumulates tile_k lanes per output in an rfactor buffer (Y_local_rf) and one with vec_k off does not; and the
// prepacked tasks fuse their epilogue (bias → relu) into the product's tile — every buffer the kernel allocates is
// local, no intermediate product in memory.

import { beforeAll, describe, expect, it } from 'vitest';
import { setTemplateWarningSink } from '../../autotune/apply_template.js';
import { createTask, tensorArg, type Task } from '../../autotune/task.js';
import { registerAll } from '../../ops/register.js';
import { lower } from '../../schedule/lower.js';
import { print } from '../../tir/printer.js';

/** The allocate lines of config i's kernel. */
function allocs(task: Task, i: number): string[] {
  const { schedule, tensors } = task.instantiate(task.space.entityAt(i));
  return print(lower(schedule, tensors, { name: 'k' })).split('\n').filter((l) => l.includes('allocate ')).map((l) => l.trim());
}

/** Up to n valid configs of task that `want` accepts, spread over the space by a prime step. */
function spread(task: Task, n: number, want: (i: number) => boolean): number[] {
  const out: number[] = [];
  for (let i = 0, k = 0; k < task.space.length && out.length < n; k++, i = (i + 7919) % task.space.length) if (task.space.isIndexValid(i) && want(i)) out.push(i);
  return out;
}

describe('wasm gemm template structure', () => {
  beforeAll(() => {
    registerAll();
    setTemplateWarningSink(() => undefined);
  });

  it('dense with one row: vec_k on accumulates in an rfactor buffer, vec_k off does not', () => {
    const task = createTask('dense.wasm', [tensorArg([1, 64]), tensorArg([24, 64])], 'wasm');
    for (const vk of [true, false]) {
      const configs = spread(task, 4, (i) => task.space.entityAt(i).getKnob('vec_k').val === vk);
      expect(configs).toHaveLength(4);
      for (const i of configs) expect(allocs(task, i).some((a) => a.startsWith('allocate Y_local_rf:')), `vec_k ${vk} config ${i}`).toBe(vk);
    }
  });

  it('the prepacked tasks fuse bias → relu into the product\'s tile: every buffer local', () => {
    for (const [name, args] of [
      ['dense_prepacked.wasm', [tensorArg([5, 7]), tensorArg([10, 7])]],
      ['matmul_prepacked.wasm', [tensorArg([6, 9]), tensorArg([9, 11])]],
      ['batch_matmul_prepacked.wasm', [tensorArg([2, 5, 7]), tensorArg([2, 7, 10])]],
    ] as const) {
      const task = createTask(name, [...args, ['bias', 'relu']] as never, 'wasm');
      for (const i of [...spread(task, 3, (j) => task.space.entityAt(j).getKnob('pack_b').val === true), ...spread(task, 2, (j) => task.space.entityAt(j).getKnob('pack_b').val !== true)]) {
        const a = allocs(task, i);
        expect(a.length, `${name} config ${i}`).toBeGreaterThan(0);
        for (const line of a) expect(line, `${name} config ${i}`).toContain('scope="local"');
      }
    }
  });
});
