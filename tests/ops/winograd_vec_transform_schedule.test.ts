// tests/ops/winograd_vec_transform_schedule.test.ts — what F(2×2)'s knob `vec_transform` (ops/templates/
// conv2d_winograd_wasm.ts, session 18) does to the loops, which no value test sees (every mode computes the same;
// conv2d_winograd_vec.test.ts checks the values): 'input' and 'both' gather each input channel's tiles into a buffer
// (winograd_input_tile) inside the input transform's per-channel loop and store the transform four tiles at a time
// (f32x4, a ramp); 'none' and 'output' inline the gather and store one tile at a time. 'output' and 'both' give the
// output transform a stage of its own (winograd_inverse, four tiles at a time, parallel over output channels iff
// `parallel`, its 2×2 loops unrolled iff `unroll_transform`) that the output reads; 'none' and 'input' inline it,
// the output picking its sum from the products. In every mode the padded input is a root stage of its own, its
// loops as before the knob.

import { beforeAll, describe, expect, it } from 'vitest';
import { setTemplateWarningSink } from '../../autotune/apply_template.js';
import { createTask, tensorArg, type Task } from '../../autotune/task.js';
import { registerAll } from '../../ops/register.js';
import { VEC_TRANSFORM } from '../../ops/templates/conv2d_winograd_wasm.js';
import { lower } from '../../schedule/lower.js';
import { print } from '../../tir/printer.js';

type Mode = (typeof VEC_TRANSFORM)[number];

/** A top-level loop nest of the lowered kernel: its loop variable (without a numeric suffix), whether it is parallel, the loops and lines inside it. */
interface Nest { readonly header: string; readonly parallel: boolean; readonly loops: string[]; readonly lines: string[] }

/** The lowered TIR of `task`'s default with vec_transform, parallel and unroll_transform set: its top-level allocations and nests. */
function lowered(task: Task, mode: Mode, parallel: boolean, unroll: boolean): { allocs: string[]; nests: Nest[] } {
  const point = task.space.pointToKnobs(task.defaultConfig!()!.index);
  point[task.space.knobNames.indexOf('vec_transform')] = VEC_TRANSFORM.indexOf(mode);
  // Both are [true, false].
  point[task.space.knobNames.indexOf('parallel')] = parallel ? 0 : 1;
  point[task.space.knobNames.indexOf('unroll_transform')] = unroll ? 0 : 1;
  const e = task.space.entityAt(task.space.knobsToPoint(point));
  expect([e.getKnob('vec_transform').val, e.getKnob('parallel').val, e.getKnob('unroll_transform').val]).toEqual([mode, parallel, unroll]);
  const { schedule, tensors } = task.instantiate(e);
  const allocs: string[] = [];
  const nests: Nest[] = [];
  for (const line of print(lower(schedule, tensors, { name: 'k' })).split('\n')) {
    const a = /^ {2}allocate (\w+):/.exec(line);
    if (a !== null) allocs.push(a[1]!);
    const m = /^( *)for (\w+) in range/.exec(line);
    // Loop names without the printer's _1, _2 suffixes (which depend on the names printed before).
    const name = m?.[2]!.replace(/_\d+$/, '');
    if (m !== null && m[1]!.length === 2) nests.push({ header: name!, parallel: line.endsWith('# parallel'), loops: [], lines: [] });
    else if (m !== null) nests.at(-1)?.loops.push(name!);
    if (nests.length > 0 && /^ {3}/.test(line)) nests.at(-1)!.lines.push(line.trim());
  }
  return { allocs, nests };
}

// 9 × 7 (no 2×2 tile divides it: 5 × 4 tiles, the op rounds 20 up to 24), 5 input and 6 output channels.
const task = (): Task => createTask('conv2d_winograd.wasm', [tensorArg([1, 5, 9, 7]), tensorArg([6, 5, 3, 3]), [1, 1, 1, 1]] as never, 'wasm');

describe('conv2d_winograd.wasm vec_transform: the loops of each mode', () => {
  beforeAll(() => {
    registerAll();
    setTemplateWarningSink(() => undefined);
  });

  it('the input transform: a per-channel tile buffer and f32x4 stores iff input or both; else one tile at a time, the gather inlined', () => {
    for (const mode of VEC_TRANSFORM) {
      for (const unroll of [true, false]) {
        for (const parallel of [true, false]) {
          const what = `${mode} unroll ${unroll} parallel ${parallel}`;
          const vec = mode === 'input' || mode === 'both';
          const { allocs, nests } = lowered(task(), mode, parallel, unroll);
          // The padded input: a root stage in every mode, per channel, row and column, as before the knob (the code of
          // earlier records; the injective default would fuse and parallelize its loops).
          expect(allocs, what).toContain('data_pad');
          const pad = nests.filter((n) => n.lines.some((l) => l.startsWith('data_pad[')));
          expect(pad.map((n) => [n.header, n.parallel, n.loops]), what).toEqual([['c', false, ['y', 'x']]]);
          // The input transform's nest: per input channel (cc), parallel iff parallel.
          const input = nests.filter((n) => n.lines.some((l) => l.startsWith('winograd_data[')));
          expect(input.length, what).toBe(1);
          expect(input[0]!.header, what).toBe('cc');
          expect(input[0]!.parallel, what).toBe(parallel);
          expect(allocs, what).not.toContain('winograd_input_tile');
          expect(input[0]!.lines.includes('allocate winograd_input_tile: float32[384]'), what).toBe(vec); // 4·4 values × 24 tiles (20, rounded up to 8s)
          const store = input[0]!.lines.find((l) => l.startsWith('winograd_data['))!;
          expect(store.startsWith('winograd_data[ramp('), what).toBe(vec);
          expect(store.includes('winograd_input_tile['), what).toBe(vec);
          expect(store.includes('data_pad['), what).toBe(!vec);
          // Loops: the gather's (tile, then its 4×4 values unless unrolled) and the transform's (4 tiles at a time, or
          // one), the transform's ε, ν unless unrolled.
          const loops = vec ? ['p', ...(unroll ? [] : ['a', 'b']), 'p_outer', ...(unroll ? [] : ['eps', 'nu'])] : ['p', ...(unroll ? [] : ['eps', 'nu'])];
          expect(input[0]!.loops, what).toEqual(loops);
        }
      }
    }
  });

  it('the output transform: a stage of its own (f32x4, parallel iff parallel, 2×2 loops unrolled iff unroll_transform) iff output or both', () => {
    for (const mode of VEC_TRANSFORM) {
      for (const unroll of [true, false]) {
        for (const parallel of [true, false]) {
          const what = `${mode} unroll ${unroll} parallel ${parallel}`;
          const vec = mode === 'output' || mode === 'both';
          const { allocs, nests } = lowered(task(), mode, parallel, unroll);
          expect(allocs.includes('winograd_inverse'), what).toBe(vec);
          const inverse = nests.filter((n) => n.lines.some((l) => l.startsWith('winograd_inverse[')));
          expect(inverse.length, what).toBe(vec ? 1 : 0);
          if (vec) {
            expect(inverse[0]!.header, what).toBe('o');
            expect(inverse[0]!.parallel, what).toBe(parallel);
            expect(inverse[0]!.loops, what).toEqual(unroll ? ['p_outer'] : ['p_outer', 'i', 'j']);
            expect(inverse[0]!.lines.find((l) => l.startsWith('winograd_inverse['))!.startsWith('winograd_inverse[ramp('), what).toBe(true);
          }
          // The output's nest reads the inverse stage, or picks its sum from the products.
          const out = nests.at(-1)!.lines.find((l) => l.startsWith('conv2d_winograd['))!;
          expect(out.includes('winograd_inverse['), what).toBe(vec);
          expect(out.includes('winograd_gemm['), what).toBe(!vec);
          expect(nests.at(-1)!.parallel, what).toBe(parallel);
        }
      }
    }
  });
});
