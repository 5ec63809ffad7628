// tests/tuning-logs/tophub_records.test.ts — every shipped tuning log (tuning-logs/tophub/wasm.jsonl,
// wasm_threads1.jsonl, webgpu.jsonl, webgpu_devicellvmpipe.jsonl, webgpu_devicellvmpipe_subgroupsize8.jsonl): each holds successful records of its own target, one per workload, and
// every record still fits its template's current config space and instantiates (a knob added or changed since
// the tuning makes a build refuse or misread the record, as happened to a depthwise record once). Which builds
// get which file's records: apply_history_best.test.ts and tophub_webgpu.test.ts.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { setTemplateWarningSink } from '../../autotune/apply_template.js';
import { createTask } from '../../autotune/task.js';
import { registerAll } from '../../ops/register.js';
import { tophubDir } from '../../tuning-logs/apply_history_best.js';
import { loadRecordsSync } from '../../tuning-logs/reader.js';
import { recordWorkloadKey } from '../../tuning-logs/record.js';
import type { WorkloadArg } from '../../tuning-logs/workload_key.js';

const files: Array<[string, string]> = [
  ['wasm.jsonl', 'wasm'],
  ['wasm_threads1.jsonl', 'wasm -threads=1'],
  ['webgpu.jsonl', 'webgpu'],
  ['webgpu_devicellvmpipe.jsonl', 'webgpu -device=llvmpipe'],
  ['webgpu_devicellvmpipe_subgroupsize8.jsonl', 'webgpu -device=llvmpipe -subgroup-size=8'],
];

describe('shipped tuning logs', () => {
  beforeAll(() => {
    registerAll();
    setTemplateWarningSink(() => undefined);
  });

  for (const [name, target] of files) {
    const file = join(tophubDir() ?? 'tuning-logs/tophub/', name);

    it(`${name}: successful records of target '${target}', one per workload`, () => {
      expect(existsSync(file), file).toBe(true);
      const recs = loadRecordsSync(file);
      expect(recs.length).toBeGreaterThan(0);
      for (const r of recs) {
        expect(r.input[0]).toBe(target);
        expect(r.result[1]).toBe(0);
        expect(r.input[1].endsWith(`.${target.split(' ')[0]}`), r.input[1]).toBe(true);
      }
      expect(new Set(recs.map(recordWorkloadKey)).size).toBe(recs.length);
    });

    it(`${name}: every record fits its template's current space and instantiates`, () => {
      for (const r of loadRecordsSync(file)) {
        const task = createTask(r.input[1], r.input[2] as readonly WorkloadArg[], target);
        const e = task.space.entityFromData(r.config);
        expect(e.index, `${r.input[1]} ${JSON.stringify(r.input[2])}`).toBe(r.config.index);
        expect(task.space.isIndexValid(e.index), `${r.input[1]} config ${e}`).toBe(true);
        expect(() => task.instantiate(e)).not.toThrow();
      }
    });
  }
});
