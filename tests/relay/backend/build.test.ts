// tests/relay/backend/build.test.ts — relay.build with tuning logs: extractTasks gives one task per
// distinct anchor workload; a logged config schedules its anchor (reported with file:line) and the
// model still matches onnxruntime-node; the plan is plain data the executor reloads.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build, formatReport } from '../../../relay/backend/build.js';
import { extractTasks } from '../../../relay/backend/extract_tasks.js';
import { fromOnnx } from '../../../relay/frontend/onnx.js';
import { GraphExecutor } from '../../../runtime/graph_executor.js';
import { encodeRecord, makeRecord } from '../../../tuning-logs/record.js';
import { inputData, ortRun, relError } from '../models/reference.js';
import { mlp, resnet } from '../models/zoo.js';

describe('relay.build', () => {
  it('extracts one task per distinct anchor workload, in model order', () => {
    const m = resnet();
    const mod = fromOnnx(m.bytes, { shapes: m.inputs });
    const tasks = extractTasks(mod, 'wasm', { alterOpLayout: 'nchw' });
    expect(tasks.map((t) => t.name)).toEqual(['conv2d_nchw.wasm', 'conv2d_nchw.wasm', 'conv2d_nchw.wasm', 'conv2d_nchw.wasm', 'conv2d_nchw.wasm', 'dense_prepacked.wasm']);
    expect(new Set(tasks.map((t) => t.workloadKey)).size).toBe(tasks.length);
    // By default (layout 'auto', as relay.build) this model's narrow convs are the packed template's tasks, its two
    // strided ones (the 3×3 and the 1×1 downsample) the packed im2col + gemm's; the dense on a constant weight is its
    // prepacked task (timed on panels packed on the host, as the build packs them once).
    const nchwc = 'conv2d_NCHWc.wasm';
    const gemm = 'conv2d_gemm_NCHWc.wasm';
    expect(extractTasks(mod, 'wasm').map((t) => t.name)).toEqual([nchwc, nchwc, gemm, gemm, nchwc, 'dense_prepacked.wasm']);
    expect(extractTasks(mod, 'wasm', { convGemm: false }).map((t) => t.name)).toEqual([...new Array<string>(5).fill(nchwc), 'dense_prepacked.wasm']);
  });

  it('schedules an anchor with its logged config, reports the record, and still matches onnxruntime-node', async () => {
    const m = mlp();
    const mod = fromOnnx(m.bytes, { shapes: m.inputs });
    const [task] = extractTasks(mod, 'wasm -threads=1');
    const cfg = task!.space.get(Math.min(5, task!.space.length - 1)).toData();
    const rec = makeRecord({ target: 'wasm -threads=1', taskName: task!.name, args: task!.args, config: cfg, costs: [1e-5], errorNo: 0, allCost: 1, timestamp: 1 });
    const dir = mkdtempSync(join(tmpdir(), 'relay-build-'));
    const log = join(dir, 'mlp.jsonl');
    writeFileSync(log, `${encodeRecord(rec)}\n`);
    const lib = await build(mod, { target: 'wasm -threads=1', tuningLogs: [log] });
    const used = lib.report.kernels.find((k) => k.anchor?.source === 'log');
    expect(used?.anchor?.record).toBe(`${log}:1`);
    expect(used?.anchor?.configIndex).toBe(cfg.index);
    expect(task!.name).toBe('dense_prepacked.wasm');
    expect(formatReport(lib.report)).toContain(`dense_prepacked.wasm config ${cfg.index} from ${log}:1`);
    const x = inputData(m.inputs['x']!, 5);
    const [ref] = await ortRun(m.bytes, { x: { data: x, shape: m.inputs['x']! } });
    // The plan is data: a second executor loaded from it gives the same answer.
    const again = await GraphExecutor.load(lib.plan);
    for (const runner of [lib, again]) {
      const outs = await runner.run({ x });
      expect(outs.byName[lib.plan.outputs[0]!.name]).toBe(outs[0]);
      expect(relError(outs[0]!.toArray(), ref!)).toBeLessThan(1e-4);
    }
    again.dispose();
    lib.dispose();
  }, 120_000);

  it('refuses inputs of the wrong shape or name', async () => {
    const m = mlp();
    const lib = await build(fromOnnx(m.bytes, { shapes: m.inputs }), { target: 'wasm -threads=1', tuningLogs: [] });
    await expect(lib.run({ x: new Float32Array(5) })).rejects.toThrow(/input 'x' has 5 values, expected 72/);
    await expect(lib.run({ x: new Float32Array(72), y: new Float32Array(1) })).rejects.toThrow(/'y' is not an input of the model \(inputs: x\)/);
    lib.dispose();
  }, 120_000);
});
