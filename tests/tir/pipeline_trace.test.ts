// tests/tir/pipeline_trace.test.ts — runPasses with `trace`: one step per pass run, `changed` true
// only when the pass's result differs structurally (a pass returning the same object, or a
// structurally equal copy, did not change anything), each step's time a duration within the
// whole call (not a clock reading), and no steps without `trace`.

import { describe, expect, it } from 'vitest';
import * as t from '../../tir/nodes.js';
import { runPasses } from '../../tir/pipeline.js';
import type { Pass } from '../../tir/pass_context.js';

const B = t.buffer('B', [4], 'int32');
const i = t.variable('i');
const f = t.primFunc('f', [B], t.forLoop(i, 0, 4, 'serial', t.bufferStore(B, i, [i])));

const same: Pass = { name: 'test.same', run: (g) => g };
const copy: Pass = { name: 'test.copy', run: (g) => ({ ...g, body: { ...g.body } }) };
const change: Pass = { name: 'test.change', run: (g) => ({ ...g, body: t.forLoop(i, 0, 4, 'serial', t.bufferStore(B, t.add(i, t.intImm(1)), [i])) }) };

describe('runPasses: trace', () => {
  it('records each pass, changed only on a structural change', () => {
    const t0 = performance.now();
    const { func, steps } = runPasses(f, [same, copy, change, same], { trace: true, verify: false });
    const total = performance.now() - t0;
    expect(steps.map((s) => s.name)).toEqual(['test.same', 'test.copy', 'test.change', 'test.same']);
    expect(steps.map((s) => s.changed)).toEqual([false, false, true, false]);
    expect(steps[2]!.func).toBe(func);
    for (const s of steps) {
      expect(s.ms).toBeGreaterThanOrEqual(0);
      expect(s.ms).toBeLessThanOrEqual(total + 1);
    }
  });

  it('without trace: no steps, the same result', () => {
    const { func, steps } = runPasses(f, [same, copy, change], { verify: false });
    expect(steps).toEqual([]);
    expect(func.body.kind).toBe('For');
    expect(((func.body as t.For).body as t.BufferStore).value.kind).toBe('BinaryOp');
  });
});
