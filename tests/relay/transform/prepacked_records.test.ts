// tests/relay/transform/prepacked_records.test.ts — products on constant weights are the prepacked tasks
// ('dense_prepacked.wasm', timed without the per-call pack): extractTasks names them, and a model build schedules each
// by the prepacked task's record before the plain task's (packed or not), else by the plain one's; every build matches
// onnxruntime-node. The model: x [M, 37] → Gemm(W1 [29, 37], transB) → Relu → MatMul(B2 [29, 45]) + b2.

import { beforeAll, describe, expect, it } from 'vitest';
import { applyTemplate, setTemplateWarningSink } from '../../../autotune/apply_template.js';
import { createTask, tensorArg } from '../../../autotune/task.js';
import * as ops from '../../../ops/index.js';
import type { BuildReport } from '../../../relay/backend/build.js';
import { extractTasks } from '../../../relay/backend/extract_tasks.js';
import { fromOnnx } from '../../../relay/frontend/onnx.js';
import { applyHistoryBest } from '../../../tuning-logs/apply_history_best.js';
import { withDispatchContext } from '../../../tuning-logs/dispatch_context.js';
import type { LogRecord } from '../../../tuning-logs/record.js';
import { rng, weights } from '../models/onnx_builder.js';
import { finish, Graph } from '../models/zoo.js';
import { anchorsOf, configWhere, noPack, packsWith, record, runBoth } from './prepack_harness.js';

const K = 37;

function model(M: number): Uint8Array {
  const g = new Graph(rng(1414));
  const h1 = g.one('Relu', [g.one('Gemm', ['x', g.init(weights(g.r, [29, K], 1 / Math.sqrt(K))), g.init(weights(g.r, [29], 0.1))], { transB: 1 })]);
  const y = g.one('Add', [g.one('MatMul', [h1, g.init(weights(g.r, [29, 45], 1 / Math.sqrt(29)))]), g.init(weights(g.r, [45], 0.1))]);
  return finish('prepacked_records', 13, g, { x: [M, K] }, [y]).bytes;
}


/** Builds the model with `records`; the error against onnxruntime-node, the packed widths (panel sizes) of the params, and the report. */
async function buildWith(M: number, records: readonly LogRecord[]): Promise<{ err: number; widths: number[]; report: BuildReport }> {
  const r = await runBoth(model(M), [M, K], 3, { target: 'wasm', tuningLogs: records });
  return { err: r.err, widths: r.constants.filter((c) => c.shape.length === 3).map((c) => c.shape[2]!), report: r.buildReport };
}

describe('products on constant weights tuned as prepacked tasks', () => {
  beforeAll(() => {
    ops.registerAll();
    setTemplateWarningSink(() => {});
  });

  it('extractTasks names them by their prepacked tasks, on the original shapes', () => {
    const tasks = extractTasks(fromOnnx(model(17), { shapes: { x: [17, K] } }), 'wasm');
    expect(tasks.map((t) => [t.name, t.args])).toEqual([
      ['dense_prepacked.wasm', [['TENSOR', [17, K], 'float32'], ['TENSOR', [29, K], 'float32']]],
      ['dense_prepacked.wasm', [['TENSOR', [17, 29], 'float32'], ['TENSOR', [45, 29], 'float32']]],
    ]);
    // WebGPU keeps B as it is: the plain tasks.
    expect(extractTasks(fromOnnx(model(17), { shapes: { x: [17, K] } }), 'webgpu').map((t) => t.name)).toEqual(['dense.webgpu', 'dense.webgpu']);
  });

  it('a build takes the prepacked record over a faster plain one: panels of its width, matching onnxruntime', async () => {
    const tasks = extractTasks(fromOnnx(model(17), { shapes: { x: [17, K] } }), 'wasm');
    const records = tasks.flatMap((t) => [
      record(t, 'dense.wasm', configWhere(t, packsWith(8)), 1e-5),
      record(t, 'dense_prepacked.wasm', configWhere(t, packsWith(4)), 1e-3),
    ]);
    const { err, widths, report } = await buildWith(17, records);
    expect(err).toBeLessThan(1e-5);
    expect(widths).toEqual([4, 4]);
    expect(anchorsOf(report)).toEqual(tasks.map((t) => ({ template: 'dense_prepacked.wasm', index: configWhere(t, packsWith(4)).index })));
  }, 120_000);

  it('a prepacked record without pack_b keeps the weight as it is, though the plain record packs', async () => {
    const tasks = extractTasks(fromOnnx(model(17), { shapes: { x: [17, K] } }), 'wasm');
    const records = tasks.flatMap((t) => [
      record(t, 'dense.wasm', configWhere(t, packsWith(8)), 1e-5),
      record(t, 'dense_prepacked.wasm', configWhere(t, noPack), 1e-3),
    ]);
    const { err, widths, report } = await buildWith(17, records);
    expect(err).toBeLessThan(1e-5);
    expect(widths).toEqual([]);
    expect(report.prepackedProducts).toBe(0);
    expect(anchorsOf(report).map((a) => a.index)).toEqual(tasks.map((t) => configWhere(t, noPack).index));
  }, 120_000);

  it("a target's own plain record beats a prepacked record of another thread count; the prepacked one beats a plain one of another", async () => {
    const task = createTask('dense_prepacked.wasm', [tensorArg([17, K]), tensorArg([29, K])], 'wasm');
    const [a, b] = [configWhere(task, packsWith(4)), configWhere(task, packsWith(2))];
    const pre1 = record({ ...task, target: 'wasm -threads=1' }, 'dense_prepacked.wasm', a, 1e-5);
    const plain2 = record(task, 'dense.wasm', b, 1e-3);
    const pick = (records: LogRecord[], target: string): Promise<number> =>
      withDispatchContext(applyHistoryBest(records), () => applyTemplate('dense_prepacked.wasm', task.args, target).config.toData().index);
    expect(await pick([pre1, plain2], 'wasm')).toBe(b.index);
    expect(await pick([pre1, plain2], 'wasm -threads=1')).toBe(a.index);
    expect(await pick([pre1], 'wasm')).toBe(a.index);
    expect(await pick([record({ ...task, target: 'wasm -threads=1' }, 'dense.wasm', b, 1e-5), record(task, 'dense_prepacked.wasm', a, 1e-3)], 'wasm')).toBe(a.index);
  });

  it('without a prepacked record the plain record schedules it (packed at build time by its width)', async () => {
    const tasks = extractTasks(fromOnnx(model(17), { shapes: { x: [17, K] } }), 'wasm');
    const plain = tasks.map((t) => createTask('dense.wasm', t.args, t.target));
    const records = plain.map((t) => record(t, 'dense.wasm', configWhere(t, packsWith(2)), 1e-4));
    const { err, widths, report } = await buildWith(17, records);
    expect(err).toBeLessThan(1e-5);
    expect(widths).toEqual([2, 2]);
    expect(anchorsOf(report).map((a) => a.index)).toEqual(plain.map((t) => configWhere(t, packsWith(2)).index));
  }, 120_000);
});
