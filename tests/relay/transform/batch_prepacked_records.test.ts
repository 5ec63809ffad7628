// tests/relay/transform/batch_prepacked_records.test.ts — a MatMul on a rank-3 initializer (nn.batch_matmul with a
// constant B [b, K, N]) is the prepacked task 'batch_matmul_prepacked.wasm' (session 16; timed without the per-call
// pack): extractTasks names it on the original shapes (the plain task on webgpu and for a runtime B); a model build
// schedules it by the prepacked task's record before a faster plain one — panels of the prepacked record's width, and
// the build report names that template and config — keeps B as it is when the prepacked record does not pack (though
// the plain one does), and falls back to the plain record; every build matches onnxruntime-node.
// The model: x [3, 17, 37] → MatMul(W1 [3, 37, 29]) → Relu → MatMul(W2 [3, 29, 24]).

import { beforeAll, describe, expect, it } from 'vitest';
import { setTemplateWarningSink } from '../../../autotune/apply_template.js';
import { createTask } from '../../../autotune/task.js';
import * as ops from '../../../ops/index.js';
import { formatReport, type BuildReport } from '../../../relay/backend/build.js';
import { extractTasks } from '../../../relay/backend/extract_tasks.js';
import { fromOnnx } from '../../../relay/frontend/onnx.js';
import type { LogRecord } from '../../../tuning-logs/record.js';
import { rng, weights } from '../models/onnx_builder.js';
import { finish, Graph } from '../models/zoo.js';
import { anchorsOf, configWhere, noPack, packsWith, record, runBoth } from './prepack_harness.js';

const [BATCH, M, K] = [3, 17, 37];
const PRE = 'batch_matmul_prepacked.wasm';

function model(): Uint8Array {
  const g = new Graph(rng(1616));
  const h = g.one('Relu', [g.one('MatMul', ['x', g.init(weights(g.r, [BATCH, K, 29], 1 / Math.sqrt(K)))])]);
  const y = g.one('MatMul', [h, g.init(weights(g.r, [BATCH, 29, 24], 1 / Math.sqrt(29)))]);
  return finish('batch_prepacked_records', 13, g, { x: [BATCH, M, K] }, [y]).bytes;
}

const mod = () => fromOnnx(model(), { shapes: { x: [BATCH, M, K] } });


/** Builds the model with `records`: the error against onnxruntime-node, the panel widths of the packed params, the report. */
async function buildWith(records: readonly LogRecord[]): Promise<{ err: number; widths: number[]; unpacked: number; report: BuildReport }> {
  const r = await runBoth(model(), [BATCH, M, K], 3, { target: 'wasm', tuningLogs: records });
  const widths = r.constants.filter((c) => c.shape.length === 4).map((c) => c.shape[3]!);
  return { err: r.err, widths, unpacked: r.constants.filter((c) => c.shape.length === 3).length, report: r.buildReport };
}

describe('batched products on constant weights tuned as the prepacked task', () => {
  beforeAll(() => {
    ops.registerAll();
    setTemplateWarningSink(() => {});
  });

  it('extractTasks names batch_matmul_prepacked.wasm on the original shapes; webgpu and a runtime B keep the plain task', () => {
    expect(extractTasks(mod(), 'wasm').map((t) => [t.name, t.args])).toEqual([
      [PRE, [['TENSOR', [BATCH, M, K], 'float32'], ['TENSOR', [BATCH, K, 29], 'float32']]],
      [PRE, [['TENSOR', [BATCH, M, 29], 'float32'], ['TENSOR', [BATCH, 29, 24], 'float32']]],
    ]);
    expect(extractTasks(mod(), 'webgpu').map((t) => t.name)).toEqual(['batch_matmul.webgpu', 'batch_matmul.webgpu']);
    // x · y with both graph inputs: no constant B, the plain task.
    const g = new Graph(rng(3));
    const z = g.one('MatMul', ['x', 'y']);
    const both = fromOnnx(finish('bmm_runtime', 13, g, { x: [BATCH, M, K], y: [BATCH, K, 29] }, [z]).bytes);
    expect(extractTasks(both, 'wasm').map((t) => t.name)).toEqual(['batch_matmul.wasm']);
  });

  it('a build takes the prepacked record over a faster plain one: panels of its width, its template and config in the report', async () => {
    const tasks = extractTasks(mod(), 'wasm');
    const records = tasks.flatMap((t) => [
      record(t, 'batch_matmul.wasm', configWhere(t, packsWith(8)), 1e-5),
      record(t, PRE, configWhere(t, packsWith(4)), 1e-3),
    ]);
    const { err, widths, unpacked, report } = await buildWith(records);
    expect(err).toBeLessThan(1e-5);
    expect([widths, unpacked]).toEqual([[4, 4], 0]);
    expect(anchorsOf(report)).toEqual(tasks.map((t) => ({ template: PRE, index: configWhere(t, packsWith(4)).index })));
    // The printed report names the template and the config of each kernel.
    const text = formatReport(report);
    for (const t of tasks) expect(text).toContain(`${PRE} config ${configWhere(t, packsWith(4)).index} from records`);
  }, 120_000);

  it('a prepacked record without pack_b keeps B as it is, though the plain record packs', async () => {
    const tasks = extractTasks(mod(), 'wasm');
    const records = tasks.flatMap((t) => [
      record(t, 'batch_matmul.wasm', configWhere(t, packsWith(8)), 1e-5),
      record(t, PRE, configWhere(t, noPack), 1e-3),
    ]);
    const { err, widths, unpacked, report } = await buildWith(records);
    expect(err).toBeLessThan(1e-5);
    expect([widths, unpacked]).toEqual([[], 2]);
    expect(report.prepackedProducts).toBe(0);
    expect(anchorsOf(report)).toEqual(tasks.map((t) => ({ template: PRE, index: configWhere(t, noPack).index })));
  }, 120_000);

  it('without a prepacked record the plain record schedules it (packed at build time by its width)', async () => {
    const plain = extractTasks(mod(), 'wasm').map((t) => createTask('batch_matmul.wasm', t.args, t.target));
    const records = plain.map((t) => record(t, 'batch_matmul.wasm', configWhere(t, packsWith(2)), 1e-4));
    const { err, widths, report } = await buildWith(records);
    expect(err).toBeLessThan(1e-5);
    expect(widths).toEqual([2, 2]);
    expect(anchorsOf(report).map((a) => a.index)).toEqual(plain.map((t) => configWhere(t, packsWith(2)).index));
  }, 120_000);
});
