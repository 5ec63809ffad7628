// tests/tuning-logs/tophub_webgpu.test.ts — the shipped WebGPU log (tuning-logs/tophub/webgpu.jsonl): loadTophub
// gives its records to webgpu builds (and not to wasm ones), and every record still fits its template's
// current config space (a knob added or changed since the tuning would make a build refuse the record).

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { setTemplateWarningSink } from '../../autotune/apply_template.js';
import { createTask } from '../../autotune/task.js';
import { registerAll } from '../../ops/register.js';
import { loadTophub, tophubDir } from '../../tuning-logs/apply_history_best.js';
import { loadRecordsSync } from '../../tuning-logs/reader.js';
import { recordWorkloadKey } from '../../tuning-logs/record.js';
import type { WorkloadArg } from '../../tuning-logs/workload_key.js';

const file = join(tophubDir() ?? 'tuning-logs/tophub/', 'webgpu.jsonl');

describe('shipped webgpu tuning log', () => {
  beforeAll(() => {
    registerAll();
    setTemplateWarningSink(() => undefined);
  });

  it('exists and holds successful records of target webgpu, one per workload', () => {
    expect(existsSync(file), file).toBe(true);
    const recs = loadRecordsSync(file);
    expect(recs.length).toBeGreaterThan(0);
    for (const r of recs) {
      expect(r.input[0]).toBe('webgpu');
      expect(r.result[1]).toBe(0);
      expect(r.input[1]).toMatch(/\.webgpu$/);
    }
    expect(new Set(recs.map(recordWorkloadKey)).size).toBe(recs.length);
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

  it("every record fits its template's current space and instantiates", () => {
    for (const r of loadRecordsSync(file)) {
      const task = createTask(r.input[1], r.input[2] as readonly WorkloadArg[], 'webgpu');
      const e = task.space.entityFromData(r.config);
      expect(e.index).toBe(r.config.index);
      expect(task.space.isIndexValid(e.index), `${r.input[1]} config ${e}`).toBe(true);
      expect(() => task.instantiate(e)).not.toThrow();
    }
  });
});
