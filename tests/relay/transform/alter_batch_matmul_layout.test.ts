// tests/relay/transform/alter_batch_matmul_layout.test.ts — AlterDenseLayout on batched products (session 15): an ONNX
// MatMul on a rank-3 initializer (nn.batch_matmul with a constant B [b, K, N]) gets its weight packed once at build
// time into panels [b, ⌈N/bn⌉, K, bn] and no packing stage in its kernel, against onnxruntime-node, with the default
// configs and with records of panels that do not divide N (pack_at 'root' and 'panel'), on 1, 2 and 3 threads (every loop sent to the workers);
// prepackDense false keeps B as it is; a broadcast batch is left alone; the host layout against JS.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTemplateWarningSink } from '../../../autotune/apply_template.js';
import * as ops from '../../../ops/index.js';
import { build, formatReport } from '../../../relay/backend/build.js';
import { extractTasks } from '../../../relay/backend/extract_tasks.js';
import { fromOnnx } from '../../../relay/frontend/onnx.js';
import { ALWAYS_PARALLEL, setParallelCostModel } from '../../../runtime/parallel_cost.js';
import { rng, weights, type Init } from '../models/onnx_builder.js';
import { inputData, ortRun, relError } from '../models/reference.js';
import { finish, Graph } from '../models/zoo.js';
import { kernelTirs, packRecords, runBoth, sameValues } from './prepack_harness.js';

const [BATCH, M, K] = [3, 17, 37];

/** x [3, 17, 37] → MatMul(W1 [3, 37, 29]) → Relu → MatMul(W2 [3, 29, 24]) → y [3, 17, 24]. */
function model(): { bytes: Uint8Array; W1: Init; W2: Init } {
  const g = new Graph(rng(1515));
  const W1 = weights(g.r, [BATCH, K, 29], 1 / Math.sqrt(K));
  const W2 = weights(g.r, [BATCH, 29, 24], 1 / Math.sqrt(29));
  const y = g.one('MatMul', [g.one('Relu', [g.one('MatMul', ['x', g.init(W1)])]), g.init(W2)]);
  return { bytes: finish('batch_chain', 13, g, { x: [BATCH, M, K] }, [y]).bytes, W1, W2 };
}

describe('AlterDenseLayout on nn.batch_matmul with a constant 3-D weight', () => {
  let saved: ReturnType<typeof setParallelCostModel>;
  beforeAll(() => {
    ops.registerAll();
    setTemplateWarningSink(() => {});
    saved = setParallelCostModel(ALWAYS_PARALLEL); // every parallel loop on every thread: the threads really split it
  });
  afterAll(() => { setParallelCostModel(saved); });

  it('packBatchedWeight lays out each batch as panels [⌈N/bn⌉, K, bn], zero past N (plain JS), and refuses a 2-D weight', () => {
    const [b, k, n, bn] = [2, 3, 5, 4];
    const w = Float32Array.from({ length: b * k * n }, (_, i) => i + 1);
    const p = ops.packBatchedWeight(w, [b, k, n], bn);
    expect(p.shape).toEqual([2, 2, 3, 4]);
    for (let t = 0; t < b; t++) {
      for (let xo = 0; xo < 2; xo++) {
        for (let kk = 0; kk < k; kk++) {
          for (let xi = 0; xi < bn; xi++) {
            const col = xo * bn + xi;
            expect(p.values[((t * 2 + xo) * k + kk) * bn + xi]).toBe(col < n ? w[(t * k + kk) * n + col]! : 0);
          }
        }
      }
    }
    expect(() => ops.packBatchedWeight(new Float32Array(6), [2, 3], 4)).toThrow(/must be 3-D/);
  });

  for (const [label, at, target] of [['default configs', undefined, 'wasm -threads=1'], ["records pack_at 'root'", 'root', 'wasm -threads=2'], ["records pack_at 'panel'", 'panel', 'wasm -threads=3']] as const) {
    it(`${label} on ${target}: matches onnxruntime, the params hold the packed weights, no kernel packs`, async () => {
      const { bytes, W1, W2 } = model();
      const tasks = extractTasks(fromOnnx(bytes, { shapes: { x: [BATCH, M, K] } }), target);
      expect(tasks.map((t) => t.name)).toEqual(['batch_matmul_prepacked.wasm', 'batch_matmul_prepacked.wasm']);
      const { records, widths } = at === undefined
        ? { records: [], widths: tasks.map((t) => ops.batchPrepackWidth((t.args[0] as readonly unknown[])[1] as number[], (t.args[1] as readonly unknown[])[1] as number[], target)!) }
        : packRecords(tasks, 8, at);
      expect(widths.every((w) => w >= 1)).toBe(true); // both configs pack (M = 17 ≥ 16)
      if (at !== undefined) expect(widths.some((w, i) => [29, 24][i]! % w !== 0)).toBe(true);
      const { err, constants, report } = await runBoth(model().bytes, [BATCH, M, K], 9, { target, tuningLogs: records });
      expect(err).toBeLessThan(1e-5);
      expect(report).toContain('products on constant weights: 2 with the weight packed at build time');
      const want = [ops.packBatchedWeight(Float32Array.from(W1.data), [BATCH, K, 29], widths[0]!), ops.packBatchedWeight(Float32Array.from(W2.data), [BATCH, 29, 24], widths[1]!)];
      for (const p of want) expect(constants.some((c) => sameValues(c.shape, p.shape) && sameValues(c.data, p.values)), `packed [${p.shape.join(', ')}]`).toBe(true);
      expect(constants.some((c) => c.shape.length === 3)).toBe(false);
      if (at !== undefined) for (const tir of await kernelTirs(fromOnnx(model().bytes, { shapes: { x: [BATCH, M, K] } }), records, true)) expect(tir).not.toContain('_packed');
    }, 120_000);
  }

  it('prepackDense false keeps B as it is (a packing stage per kernel); a broadcast batch is left alone', async () => {
    const { err, constants, report } = await runBoth(model().bytes, [BATCH, M, K], 9, { target: 'wasm', prepackDense: false });
    expect(err).toBeLessThan(1e-5);
    expect(report).not.toContain('products on constant weights');
    expect(constants.filter((c) => c.shape.length === 3).map((c) => [...c.shape])).toEqual([[BATCH, K, 29], [BATCH, 29, 24]]);
    for (const tir of await kernelTirs(fromOnnx(model().bytes, { shapes: { x: [BATCH, M, K] } }), [], false)) expect(tir).toContain('_packed');
    // x [1, 17, 37] against B [3, 37, 29] broadcasts the batch: not a candidate.
    const g = new Graph(rng(7));
    const y = g.one('MatMul', ['x', g.init(weights(g.r, [BATCH, K, 29], 0.2))]);
    const bytes = finish('bcast', 13, g, { x: [1, M, K] }, [y]).bytes;
    const x = inputData([1, M, K], 3);
    const [want] = await ortRun(bytes, { x: { data: x, shape: [1, M, K] } });
    const lib = await build(fromOnnx(bytes, { shapes: { x: [1, M, K] } }), { target: 'wasm' });
    try {
      const [out] = await lib.run({ x });
      expect(relError(out!.toArray(), want!)).toBeLessThan(1e-5);
      expect(formatReport(lib.report)).not.toContain('products on constant weights');
      out!.free();
    } finally {
      lib.dispose();
    }
  }, 120_000);
});
