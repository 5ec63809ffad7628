// tests/relay/transform/alter_dense_layout.test.ts — AlterDenseLayout (products on constant weights packed once at
// build time): an ONNX model of Gemm (transB 1 and 0, alpha) and MatMul on initializers, against onnxruntime-node,
// with records whose panels do not divide N, the default configs, and M = 1; the built plan's params hold the
// packed weights (not the original ones) and no kernel has a packing stage; prepackDense false keeps the old path.

import { beforeAll, describe, expect, it } from 'vitest';
import { setTemplateWarningSink } from '../../../autotune/apply_template.js';
import { createTask } from '../../../autotune/task.js';
import * as ops from '../../../ops/index.js';
import { buildPasses } from '../../../relay/backend/build.js';
import { extractTasks } from '../../../relay/backend/extract_tasks.js';
import { fromOnnx } from '../../../relay/frontend/onnx.js';
import { sequential } from '../../../relay/transform/pass.js';
import { parseTarget } from '../../../target/index.js';
import { rng, weights, type Init } from '../models/onnx_builder.js';
import { finish, Graph } from '../models/zoo.js';
import { kernelTirs, packRecords, runBoth, sameValues } from './prepack_harness.js';

const K = 37;

/** x [M, 37] → Gemm(W1 [29, 37], transB) → Relu → MatMul(B2 [29, 45]) + b2 → Gemm(W3 [45, 10], alpha 0.5, bias). */
function model(M: number): { bytes: Uint8Array; W1: Init; B2: Init; W3: Init } {
  const g = new Graph(rng(1313));
  const W1 = weights(g.r, [29, K], 1 / Math.sqrt(K));
  const B2 = weights(g.r, [29, 45], 1 / Math.sqrt(29));
  const W3 = weights(g.r, [45, 10], 1 / Math.sqrt(45));
  const h1 = g.one('Relu', [g.one('Gemm', ['x', g.init(W1), g.init(weights(g.r, [29], 0.1))], { transB: 1 })]);
  const h2 = g.one('Add', [g.one('MatMul', [h1, g.init(B2)]), g.init(weights(g.r, [45], 0.1))]);
  const y = g.one('Gemm', [h2, g.init(W3), g.init(weights(g.r, [10], 0.1))], { alpha: 0.5 });
  return { bytes: finish('dense_chain', 13, g, { x: [M, K] }, [y]).bytes, W1, B2, W3 };
}

describe('AlterDenseLayout', () => {
  beforeAll(() => {
    ops.registerAll();
    setTemplateWarningSink(() => {});
  });

  for (const [M, at] of [[17, 'panel'], [17, 'root'], [1, 'panel']] as const) {
    it(`M = ${M}, records with pack_b (pack_at '${at}', panels of 8 over N = 29, 45, 10): matches onnxruntime, params hold the packed weights, no kernel packs`, async () => {
      const { bytes, W1, B2, W3 } = model(M);
      const tasks = extractTasks(fromOnnx(bytes, { shapes: { x: [M, K] } }), 'wasm');
      expect(tasks.map((t) => t.name)).toEqual(['dense_prepacked.wasm', 'dense_prepacked.wasm', 'dense_prepacked.wasm']);
      const { records, widths } = packRecords(tasks, 8, at);
      expect(widths.some((w, i) => [29, 45, 10][i]! % w !== 0)).toBe(true);
      const { err, constants, report } = await runBoth(model(M).bytes, [M, K], 7, { target: 'wasm', tuningLogs: records });
      expect(err).toBeLessThan(1e-5);
      expect(report).toContain('products on constant weights: 3 with the weight packed at build time');
      // Each weight is in the params once, packed into its config's panels [⌈N/bn⌉, K, bn]; the original layout is gone.
      const B2t = new Float32Array(45 * 29);
      for (let k = 0; k < 29; k++) for (let n = 0; n < 45; n++) B2t[n * 29 + k] = B2.data[k * 45 + n]!;
      const W3t = new Float32Array(10 * 45);
      for (let k = 0; k < 45; k++) for (let n = 0; n < 10; n++) W3t[n * 45 + k] = W3.data[k * 10 + n]!;
      const want = [
        ops.packProductWeight(Float32Array.from(W1.data), [29, K], widths[0]!, 'dense'),
        ops.packProductWeight(B2t, [45, 29], widths[1]!, 'dense'),
        ops.packProductWeight(W3t, [10, 45], widths[2]!, 'dense'),
      ];
      for (const p of want) expect(constants.some((c) => sameValues(c.shape, p.shape) && sameValues(c.data, p.values)), `packed [${p.shape.join(', ')}]`).toBe(true);
      expect(constants.some((c) => c.shape.length === 2 && c.shape[0]! > 1)).toBe(false);
      const tirs = await kernelTirs(fromOnnx(bytes, { shapes: { x: [M, K] } }), records, true);
      expect(tirs.length).toBe(3);
      for (const tir of tirs) expect(tir).not.toContain('_packed');
    }, 120_000);
  }

  it('prepackDense false keeps the per-call pack (the same records): original weights in the params, a packing stage in each kernel', async () => {
    const { bytes } = model(17);
    const tasks = extractTasks(fromOnnx(bytes, { shapes: { x: [17, K] } }), 'wasm');
    // Without AlterDenseLayout the products are the plain tasks (nothing marks their weights constant).
    const { records } = packRecords(tasks.map((t) => createTask('dense.wasm', t.args, t.target)), 8, 'panel');
    const { err, constants, report } = await runBoth(model(17).bytes, [17, K], 7, { target: 'wasm', tuningLogs: records, prepackDense: false });
    expect(err).toBeLessThan(1e-5);
    expect(report).not.toContain('products on constant weights');
    expect(constants.filter((c) => c.shape.length === 2).map((c) => c.shape)).toEqual([[29, K], [45, 29], [10, 45]]);
    const tirs = await kernelTirs(fromOnnx(bytes, { shapes: { x: [17, K] } }), records, false);
    for (const tir of tirs) expect(tir).toContain('_packed');
  }, 120_000);

  it('the default configs: M = 17 packs (pack_b by the fallback rule), M = 1 keeps W for vec_k; both match onnxruntime', async () => {
    const many = await runBoth(model(17).bytes, [17, K], 7, { target: 'wasm', tuningLogs: [] });
    expect(many.err).toBeLessThan(1e-5);
    expect(many.constants.filter((c) => c.shape.length === 3).length).toBe(3);
    const gemv = await runBoth(model(1).bytes, [1, K], 7, { target: 'wasm', tuningLogs: [] });
    expect(gemv.err).toBeLessThan(1e-5);
    expect(gemv.constants.filter((c) => c.shape.length === 3).length).toBe(0);
  }, 120_000);

  it('leaves products on runtime weights and WebGPU builds alone', () => {
    const g = new Graph(rng(5));
    const y = g.one('MatMul', ['a', 'b']);
    const bytes = finish('two_inputs', 13, g, { a: [17, 8], b: [8, 16] }, [y]).bytes;
    const mod = fromOnnx(bytes, { shapes: { a: [17, 8], b: [8, 16] } });
    const passes = buildPasses(parseTarget('wasm'), 'auto', {});
    const out = sequential(passes, mod);
    expect(JSON.stringify(out.main.body, (k, v) => (k === 'checkedType' ? undefined : v))).not.toContain('nn.contrib_dense_pack');
    const web = sequential(buildPasses(parseTarget('webgpu'), 'auto', {}), fromOnnx(model(17).bytes, { shapes: { x: [17, K] } }));
    expect(JSON.stringify(web.main.body, (k, v) => (k === 'checkedType' || k === 'data' ? undefined : v))).not.toContain('nn.contrib_dense_pack');
  });
});
