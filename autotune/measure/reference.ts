// autotune/measure/reference.ts — the expected result of a task, computed once per task from its naive
// schedule on seeded random inputs: by the TIR interpreter when small, by a plain wasm build when large.

import { build } from '../../runtime/build.js';
import { array } from '../../runtime/ndarray.js';
import { lower } from '../../schedule/lower.js';
import { interpret } from '../../tir/interpreter.js';
import type { DataType } from '../../tir/nodes.js';
import { Rng } from '../rng.js';
import type { Task } from '../task.js';

export interface ArgSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: DataType;
}

export interface TaskReference {
  /** Shapes and dtypes of the kernel arguments, in order. */
  readonly specs: readonly ArgSpec[];
  /** The contents every argument starts with (outputs too: random, so a kernel that skips an element is caught). */
  readonly initial: readonly (Float32Array | Int32Array)[];
  /** Expected contents of each output argument after one run, keyed by argument position. */
  readonly expected: ReadonlyMap<number, Float32Array | Int32Array>;
  readonly method: 'interpret' | 'build';
}

export interface ReferenceOptions {
  readonly seed?: number;
  /** Tasks up to this many FLOPs are checked with the interpreter (exact, ~10⁷ ops/s); larger ones with a naive wasm build. */
  readonly interpretFlopLimit?: number;
}

function randomData(spec: ArgSpec, rng: Rng): Float32Array | Int32Array {
  const n = spec.shape.reduce((a, b) => a * b, 1);
  if (spec.dtype === 'int32') return Int32Array.from({ length: n }, () => rng.int(17) - 8);
  if (spec.dtype !== 'float32') throw new TypeError(`reference: ${spec.dtype} arguments are not supported (float32, int32)`);
  return Float32Array.from({ length: n }, () => rng.next() * 2 - 1);
}

/** Runs the task's naive schedule on seeded random inputs and records the outputs. */
export async function computeReference(task: Task, opts: ReferenceOptions = {}): Promise<TaskReference> {
  const { schedule, tensors } = task.naive();
  const specs: ArgSpec[] = tensors.map((t) => ({ name: t.name, shape: [...t.dims], dtype: t.dtype }));
  const rng = new Rng(opts.seed ?? 0);
  const initial = specs.map((s) => randomData(s, rng));
  const func = lower(schedule, tensors, { name: `${task.name.replace(/\W/g, '_')}_reference` });
  const work = initial.map((a) => a.slice());
  const limit = opts.interpretFlopLimit ?? 2e7;
  let method: TaskReference['method'];
  if (task.flop <= limit) {
    interpret(func, work);
    method = 'interpret';
  } else {
    // The naive loop nest on one wasm thread: no tiling, vectors or threads that a candidate could get wrong.
    const mod = await build(func, 'wasm -threads=1 -simd=0');
    const arrays = work.map((a, i) => array(a, specs[i]!.shape, specs[i]!.dtype));
    try {
      await mod.run(...arrays);
      arrays.forEach((a, i) => work[i]!.set(a.data));
    } finally {
      arrays.forEach((a) => a.free());
      mod.dispose();
    }
    method = 'build';
  }
  const expected = new Map(task.outputIndices.map((i) => [i, work[i]!] as const));
  return { specs, initial, expected, method };
}
