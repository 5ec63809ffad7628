// tests/readme_example.test.ts — the README's library examples, run as written, so the front door stays true.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { autotune, build, logs, nd, ops, te, tir } from '../index.js';

describe('README examples', () => {
  it('defines, schedules, lowers, prints, builds and runs a matmul on wasm with 2 threads', async () => {
    const [M, K, N] = [40, 24, 36]; // none divides the 8/16/4 splits
    const A = te.placeholder([M, K], 'float32', 'A');
    const B = te.placeholder([K, N], 'float32', 'B');
    const k = te.reduceAxis(K, 'k');
    const C = te.compute([M, N], (i, j) => te.sum(A.at(i, k).mul(B.at(k, j)), [k]), 'C');
    const s = te.createSchedule([C]);
    const c = s.stage(C);
    const [yo, yi] = c.split(c.axis[0]!, { factor: 8 });
    const [xo, xi] = c.split(c.axis[1]!, { factor: 16 });
    const [ko, ki] = c.split(c.reduceAxis[0]!, { factor: 4 });
    c.reorder(yo!, xo!, ko!, yi!, ki!, xi!);
    c.vectorize(xi!); c.unroll(ki!); c.parallel(yo!);
    const f = te.lower(s, [A, B, C], { name: 'matmul' });
    expect(tir.print(f)).toContain('def matmul(');
    const mod = await build(f, 'wasm -threads=2');
    const av = Float32Array.from({ length: M * K }, (_, i) => ((i * 7) % 11) - 5);
    const bv = Float32Array.from({ length: K * N }, (_, i) => ((i * 5) % 13) - 6);
    const a = nd.array(av, [M, K]);
    const b = nd.array(bv, [K, N]);
    const out = nd.empty([M, N]);
    await mod.run(a, b, out);
    const got = out.toArray();
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let acc = 0;
        for (let q = 0; q < K; q++) acc += av[i * K + q]! * bv[q * N + j]!;
        expect(got[i * N + j]).toBeCloseTo(acc, 3);
      }
    }
    const t = await mod.timeEvaluator({ number: 2, repeat: 2, minRepeatMs: 1 }).run(a, b, out);
    expect(t.median).toBeGreaterThan(0);
    expect(mod.info.threads).toBe(2);
    mod.dispose();
  });

  it('tunes from code, logs, and builds from the log with applyHistoryBest', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'tt-readme-')), 'mm.jsonl');
    ops.registerAll();
    const task = autotune.createTask('matmul.wasm', [autotune.tensorArg([32, 32]), autotune.tensorArg([32, 32])], 'wasm -threads=1');
    const tuner = new autotune.XGBTuner(task, { featureType: 'knob', seed: 1 });
    const measure = autotune.measureOption({
      builder: autotune.localBuilder({ timeout: 30 }),
      runner: autotune.localRunner({ number: 2, repeat: 2, minRepeatMs: 1, timeout: 30 }),
    });
    try {
      await tuner.tune({ nTrial: 4, earlyStopping: 100, measureOption: measure, callbacks: [autotune.logToFile(log)] });
    } finally {
      measure.close();
    }
    const ctx = logs.applyHistoryBest([log]);
    const applied = await logs.withDispatchContext(ctx, () => autotune.applyTemplate('matmul.wasm', task.args, 'wasm -threads=1'));
    expect(applied.source).toBe('log');
    expect(applied.config.toData().index).toBe(tuner.bestConfig?.toData().index);
  }, 180_000);
});
