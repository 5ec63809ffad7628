// tests/ops/winograd_wasm_knobs.test.ts — what the Winograd wasm schedule's own knobs do to the loops (ops/templates/
// conv2d_winograd_wasm.ts), which no value test sees (every config computes the same): `parallel` makes the kernel
// transform's outer loop (per output channel) and F(4×4)'s output-transform stage parallel, and `unroll_transform`
// unrolls their α×α / m×m (and the 3×3 taps') loops, for both tile sizes; F(4×4)'s gathered input tiles are computed
// per input channel, inside the row pass's loop (a buffer of one channel's tiles), not at root.

import { beforeAll, describe, expect, it } from 'vitest';
import { setTemplateWarningSink } from '../../autotune/apply_template.js';
import { createTask, tensorArg, type Task } from '../../autotune/task.js';
import { registerAll } from '../../ops/register.js';
import { lower } from '../../schedule/lower.js';
import { print } from '../../tir/printer.js';

/** A top-level loop nest of the lowered kernel: its header, whether it is parallel, the loop variables inside it. */
interface Nest { readonly header: string; readonly parallel: boolean; readonly loops: string[]; readonly lines: string[] }

/** The top-level loop nests of the lowered TIR of `task`'s default with `parallel` and `unroll_transform` set. */
function nests(task: Task, parallel: boolean, unroll: boolean): Nest[] {
  const point = task.space.pointToKnobs(task.defaultConfig!()!.index);
  // Both knobs are [true, false].
  point[task.space.knobNames.indexOf('parallel')] = parallel ? 0 : 1;
  point[task.space.knobNames.indexOf('unroll_transform')] = unroll ? 0 : 1;
  const e = task.space.entityAt(task.space.knobsToPoint(point));
  expect(e.getKnob('parallel').val).toBe(parallel);
  expect(e.getKnob('unroll_transform').val).toBe(unroll);
  const { schedule, tensors } = task.instantiate(e);
  const out: { header: string; parallel: boolean; loops: string[]; lines: string[] }[] = [];
  for (const line of print(lower(schedule, tensors, { name: 'k' })).split('\n')) {
    const m = /^( *)for (\w+) in range/.exec(line);
    if (m !== null && m[1]!.length === 2) out.push({ header: m[2]!, parallel: line.endsWith('# parallel'), loops: [], lines: [] });
    else if (m !== null) out.at(-1)?.loops.push(m[2]!);
    if (out.length > 0 && /^ {3}/.test(line)) out.at(-1)!.lines.push(line.trim());
  }
  return out;
}

const task = (m: 2 | 4): Task => createTask(m === 4 ? 'conv2d_winograd_m4.wasm' : 'conv2d_winograd.wasm', [tensorArg([1, 4, 8, 8]), tensorArg([4, 4, 3, 3]), [1, 1, 1, 1]] as never, 'wasm');

describe('Winograd wasm: parallel and unroll_transform', () => {
  beforeAll(() => {
    registerAll();
    setTemplateWarningSink(() => undefined);
  });

  it('the kernel transform: parallel over output channels iff parallel; its α×α and 3×3 loops unrolled iff unroll_transform', () => {
    for (const m of [2, 4] as const) {
      for (const parallel of [true, false]) {
        for (const unroll of [true, false]) {
          const what = `F(${m}×${m}) parallel ${parallel} unroll ${unroll}`;
          // The first nest is the kernel transform, over (o, c) then (ε, ν) and the taps.
          const kernel = nests(task(m), parallel, unroll)[0]!;
          expect(kernel.header, what).toBe('o');
          expect(kernel.parallel, what).toBe(parallel);
          expect(kernel.loops, what).toEqual(unroll ? ['c'] : ['c', 'eps', 'nu', 'r_kh', 'r_kw']);
        }
      }
    }
  });

  it("F(4×4)'s output transform stage: parallel over output channels iff parallel; its 4×4 loops unrolled iff unroll_transform", () => {
    for (const parallel of [true, false]) {
      for (const unroll of [true, false]) {
        const what = `parallel ${parallel} unroll ${unroll}`;
        // The stage over (o, tiles / 4, i, j), the tiles as f32x4: the nest before the output's.
        const all = nests(task(4), parallel, unroll);
        const inverse = all.at(-2)!;
        expect(inverse.header, what).toBe('o_1');
        expect(inverse.parallel, what).toBe(parallel);
        expect(inverse.loops, what).toEqual(unroll ? ['p_outer_2'] : ['p_outer_2', 'i', 'j']);
        // And the output's own nest (the epilogue, per m×m block) follows the same knob.
        expect(all.at(-1)!.parallel, what).toBe(parallel);
      }
    }
  });

  it("F(4×4)'s gathered tiles: one input channel's (8 tiles × 36 values) inside the row pass's per-channel loop", () => {
    for (const parallel of [true, false]) {
      const rows = nests(task(4), parallel, true).find((n) => n.header === 'cc')!;
      expect(rows.parallel).toBe(parallel);
      expect(rows.lines).toContain('with allocate winograd_input_tile: float32[288]:');
      expect(rows.lines).toContain('allocate winograd_data_rows: float32[288]');
    }
  });

  it('weights transformed on the host ([α², O, C]): no kernel transform stage, their view inlined into the products, the input transform a stage of its own', () => {
    for (const [m, a2] of [[2, 16], [4, 36]] as const) {
      const t = createTask(m === 4 ? 'conv2d_winograd_m4.wasm' : 'conv2d_winograd.wasm', [tensorArg([1, 4, 8, 8]), tensorArg([a2, 4, 4]), [1, 1, 1, 1]] as never, 'wasm');
      const { schedule, tensors } = t.instantiate(t.defaultConfig!()!);
      const allocs = print(lower(schedule, tensors, { name: 'k' })).split('\n').filter((l) => /allocate winograd_(kernel|kernel_view|data):/.test(l)).map((l) => l.trim().replace(/:.*$/, ''));
      expect(allocs, `F(${m}×${m})`).toEqual(['allocate winograd_data']);
    }
  });
});
