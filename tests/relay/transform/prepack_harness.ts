// tests/relay/transform/prepack_harness.ts — what the prepacking tests (AlterDenseLayout on dense, matmul and
// batch_matmul) share: a one-input ONNX model built and run against onnxruntime-node, with the constants the build
// made; and the TIR of every kernel a wasm build makes (whether a kernel still packs its weight, a '_packed' stage,
// shows in the printed TIR).

import type { ConfigEntity } from '../../../autotune/space.js';
import type { Task } from '../../../autotune/task.js';
import { build, buildPasses, formatReport, type BuildOptions, type BuildReport } from '../../../relay/backend/build.js';
import { teOf } from '../../../relay/backend/lower_function.js';
import { postOrder } from '../../../relay/functor.js';
import { fromOnnx } from '../../../relay/frontend/onnx.js';
import type { IRModule } from '../../../relay/nodes.js';
import { sequential } from '../../../relay/transform/pass.js';
import * as ops from '../../../ops/index.js';
import { lower } from '../../../schedule/lower.js';
import { parseTarget } from '../../../target/index.js';
import { print } from '../../../tir/printer.js';
import { applyHistoryBest } from '../../../tuning-logs/apply_history_best.js';
import { withDispatchContext } from '../../../tuning-logs/dispatch_context.js';
import { makeRecord, type LogRecord } from '../../../tuning-logs/record.js';
import { inputData, ortRun, relError } from '../models/reference.js';

/** The TIR of every kernel of `mod` on 'wasm', lowered the way lowerFunction lowers it (same passes, same records). */
export async function kernelTirs(mod: IRModule, records: readonly LogRecord[], prepackDense: boolean): Promise<string[]> {
  const ctx = applyHistoryBest(records);
  const t = parseTarget('wasm');
  const fused = sequential(buildPasses(t, 'auto', { records: ctx }, prepackDense), mod);
  const out: string[] = [];
  for (const e of postOrder(fused.main.body, false)) {
    if (e.kind !== 'Call' || typeof e.op === 'string') continue;
    const fn = e.op;
    out.push(await withDispatchContext(ctx, () => {
      const { params, out: y } = teOf(fn);
      return print(lower(ops.defaultSchedule([y], t), [...params, y], { name: fn.attrs.name ?? 'fused' }));
    }));
  }
  return out;
}

export interface BuildRun {
  /** Largest relative error of the output against onnxruntime-node's. */
  readonly err: number;
  /** relay.build's report, formatted. */
  readonly report: string;
  /** relay.build's report as it came. */
  readonly buildReport: BuildReport;
  /** The plan's constants (a weight packed at build time is among them). */
  readonly constants: { shape: readonly number[]; data: Float32Array | Int32Array }[];
}

/** The template and config index of each kernel's anchor in a build report (kernels without an anchor left out). */
export const anchorsOf = (r: BuildReport): { template: string; index: number | undefined }[] =>
  r.kernels.flatMap((k) => (k.anchor ? [{ template: k.anchor.template, index: k.anchor.configIndex }] : []));

/** Builds the model (one input 'x' of `shape`, data seeded by `seed`) with `opts` and runs it beside onnxruntime-node. */
export async function runBoth(bytes: Uint8Array, shape: readonly number[], seed: number, opts: BuildOptions): Promise<BuildRun> {
  const x = inputData([...shape], seed);
  const [want] = await ortRun(bytes, { x: { data: x, shape: [...shape] } });
  const lib = await build(fromOnnx(bytes, { shapes: { x: [...shape] } }), opts);
  try {
    const [y] = await lib.run({ x });
    const err = relError(y!.toArray(), want!);
    y!.free();
    return { err, report: formatReport(lib.report), buildReport: lib.report, constants: lib.plan.constants.map((c) => ({ shape: c.shape, data: c.data })) };
  } finally {
    lib.dispose();
  }
}

export /** For each task, a record of a config with pack_b on, tile_order 'xy', pack_at `at` and tile_x's inner size `bn` (or the largest below it). */
function packRecords(tasks: readonly Task[], bn: number, at: 'root' | 'panel'): { records: LogRecord[]; widths: number[] } {
  const records: LogRecord[] = [];
  const widths: number[] = [];
  for (const task of tasks) {
    let best: { i: number; tx: number } | undefined;
    for (let i = 0; i < task.space.length; i++) {
      if (!task.space.isIndexValid(i)) continue;
      const e = task.space.entityAt(i);
      const tx = e.getSplit('tile_x').size[1]!;
      if (e.getKnob('pack_b').val !== true || e.getKnob('pack_at').val !== at || e.getKnob('tile_order').val !== 'xy' || tx > bn) continue;
      if (e.getKnob('vectorize').val !== true || e.getKnob('reorder').val !== 0) continue;
      if (best === undefined || tx > best.tx) best = { i, tx };
    }
    if (best === undefined) throw new Error(`no packed config for ${task.name}`);
    widths.push(best.tx);
    records.push(makeRecord({ target: task.target, taskName: task.name, args: task.args, config: task.space.entityAt(best.i).toData(), costs: [1e-3], errorNo: 0, allCost: 1, timestamp: 1.8e9 }));
  }
  return { records, widths };
}

/** Whether two arrays hold the same values in the same order. */
export const sameValues = (a: ArrayLike<number>, b: ArrayLike<number>): boolean => a.length === b.length && Array.prototype.every.call(a, (v: number, i: number) => v === b[i]);

/** The first valid config of `task` that `want` accepts (vectorized, reorder 0, so it builds quickly). */
export function configWhere(task: Task, want: (e: ConfigEntity) => boolean): ConfigEntity {
  for (let i = 0; i < task.space.length; i++) {
    if (!task.space.isIndexValid(i)) continue;
    const e = task.space.entityAt(i);
    if (e.getKnob('vectorize').val === true && e.getKnob('reorder').val === 0 && want(e)) return e;
  }
  throw new Error(`no such config of ${task.name}`);
}

export const packsWith = (bn: number) => (e: ConfigEntity): boolean => e.getKnob('pack_b').val === true && e.getSplit('tile_x').size[1] === bn && e.getKnob('tile_order').val === 'xy';
export const noPack = (e: ConfigEntity): boolean => e.getKnob('pack_b').val !== true;

/** A log record of `config` for `task` under `taskName` (the prepacked or the plain task), costing `seconds`. */
export function record(task: Task, taskName: string, config: ConfigEntity, seconds: number): LogRecord {
  return makeRecord({ target: task.target, taskName, args: task.args, config: config.toData(), costs: [seconds], errorNo: 0, allCost: 1, timestamp: 1.8e9 });
}
