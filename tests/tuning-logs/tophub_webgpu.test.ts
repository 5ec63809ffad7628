// tests/tuning-logs/tophub_webgpu.test.ts — the shipped WebGPU log (tuning-logs/tophub/webgpu.jsonl): loadTophub
// gives its records to webgpu builds and not to wasm ones. (That every record is of its target and fits its
// template's current space: tophub_records.test.ts, for every shipped file.)

import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { setTemplateWarningSink } from '../../autotune/apply_template.js';
import { registerAll } from '../../ops/register.js';
import { loadTophub, tophubDir } from '../../tuning-logs/apply_history_best.js';
import { loadRecordsSync } from '../../tuning-logs/reader.js';
import { recordWorkloadKey } from '../../tuning-logs/record.js';

const file = join(tophubDir() ?? 'tuning-logs/tophub/', 'webgpu.jsonl');

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
});
