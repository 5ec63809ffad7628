// tests/tuning-logs/tophub_webgpu.test.ts — the shipped WebGPU log (tuning-logs/tophub/webgpu.jsonl): loadTophub
// gives its records to webgpu builds and not to wasm ones; the subgroup target's file
// (webgpu_devicellvmpipe_subgroupsize8.jsonl) serves that target exactly and never a plain webgpu build; lavapipe's
// plain file (webgpu_devicellvmpipe.jsonl: in-place configs, a gemm space with stage_shared) serves
// `webgpu -device=llvmpipe` exactly and never plain `webgpu` (SwiftShader ran in-place configs 30× slower), and the
// plain file's records that lavapipe falls back to fit its spaces. (That every record is of its target and fits its
// template's current space: tophub_records.test.ts, for every shipped file.)

import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyTemplate, setTemplateWarningSink } from '../../autotune/apply_template.js';
import { registerAll } from '../../ops/register.js';
import { loadTophub, tophubDir } from '../../tuning-logs/apply_history_best.js';
import { loadRecordsSync } from '../../tuning-logs/reader.js';
import { withDispatchContext } from '../../tuning-logs/dispatch_context.js';
import { recordWorkloadKey } from '../../tuning-logs/record.js';
import type { WorkloadArg } from '../../tuning-logs/workload_key.js';

const file = join(tophubDir() ?? 'tuning-logs/tophub/', 'webgpu.jsonl');
/** The subgroup target on lavapipe (`await webgpuTargetString({ subgroups: true })`) and its shipped file. */
const SG = 'webgpu -device=llvmpipe -subgroup-size=8';
const sgFile = join(tophubDir() ?? 'tuning-logs/tophub/', 'webgpu_devicellvmpipe_subgroupsize8.jsonl');
/** Lavapipe without subgroups (`await webgpuTargetString()`) and its shipped file. */
const LAVA = 'webgpu -device=llvmpipe';
const lavaFile = join(tophubDir() ?? 'tuning-logs/tophub/', 'webgpu_devicellvmpipe.jsonl');

describe('shipped webgpu tuning log', () => {
  beforeAll(() => {
    registerAll();
    setTemplateWarningSink(() => undefined);
  });

  it("loadTophub('webgpu') dispatches each record's config; loadTophub('wasm') none of them", () => {
    const gpu = loadTophub('webgpu');
    const cpu = loadTophub('wasm');
    for (const r of loadRecordsSync(file)) {
      const key = recordWorkloadKey(r);
      expect(gpu.query('webgpu', key)?.config.index, `${r.input[1]} ${JSON.stringify(r.input[2])}`).toBe(r.config.index);
      expect(cpu.query('wasm', key)).toBeUndefined();
    }
  });

  it(`loadTophub('${SG}') dispatches the subgroup file's records, and its workloads' builds take them`, async () => {
    const ctx = loadTophub(SG);
    const recs = loadRecordsSync(sgFile);
    expect(recs.length).toBeGreaterThan(0);
    for (const r of recs) {
      const key = recordWorkloadKey(r);
      const hit = ctx.lookup(SG, key);
      expect(hit?.config.index, `${r.input[1]} ${JSON.stringify(r.input[2])}`).toBe(r.config.index);
      expect(hit?.exact).toBe(true);
      const applied = await withDispatchContext(ctx, () => applyTemplate(r.input[1], r.input[2] as readonly WorkloadArg[], SG));
      expect(applied.source).toBe('log');
      expect(applied.config.toData().index).toBe(r.config.index);
    }
  });

  it('a plain webgpu build never gets a subgroup record (another space: the warp knob)', () => {
    const ctx = loadTophub('webgpu');
    for (const r of loadRecordsSync(sgFile)) {
      const hit = ctx.query('webgpu', recordWorkloadKey(r));
      if (hit !== undefined) expect(hit.recordTarget).toBe('webgpu');
    }
  });

  it(`loadTophub('${LAVA}') dispatches lavapipe's file exactly, its builds take the records, and plain webgpu never gets them`, async () => {
    const ctx = loadTophub(LAVA);
    const plain = loadTophub('webgpu');
    const recs = loadRecordsSync(lavaFile);
    expect(recs.length).toBeGreaterThan(0);
    for (const r of recs) {
      expect(r.input[0]).toBe(LAVA);
      const key = recordWorkloadKey(r);
      const hit = ctx.lookup(LAVA, key);
      expect(hit?.config.index, `${r.input[1]} ${JSON.stringify(r.input[2])}`).toBe(r.config.index);
      expect(hit?.exact).toBe(true);
      const applied = await withDispatchContext(ctx, () => applyTemplate(r.input[1], r.input[2] as readonly WorkloadArg[], LAVA));
      expect(applied.source).toBe('log');
      expect(applied.config.toData().index).toBe(r.config.index);
      const p = plain.query('webgpu', key);
      if (p !== undefined) expect(p.recordTarget).toBe('webgpu');
    }
  });

  it(`a ${LAVA} build of each plain-file workload gets a record that fits (its own file's, or the plain one's): nothing skipped as stale`, async () => {
    const ctx = loadTophub(LAVA);
    const own = new Set(loadRecordsSync(lavaFile).map((r) => recordWorkloadKey(r)));
    for (const r of loadRecordsSync(file)) {
      const applied = await withDispatchContext(ctx, () => applyTemplate(r.input[1], r.input[2] as readonly WorkloadArg[], LAVA));
      expect(applied.source, `${r.input[1]} ${JSON.stringify(r.input[2])}`).toBe('log');
      expect(applied.skipped, `${r.input[1]} ${JSON.stringify(r.input[2])}`).toEqual([]);
      if (!own.has(recordWorkloadKey(r))) expect(applied.hit?.recordTarget).toBe('webgpu');
    }
  });
});
