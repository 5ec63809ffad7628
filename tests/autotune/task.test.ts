// tests/autotune/task.test.ts — tasks from templates: keys, FLOPs, spaces, instantiation, applyTemplate dispatch.

import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { applyTemplate, resetTemplateWarnings, setTemplateWarningSink, tuneCommand } from '../../autotune/apply_template.js';
import { FallbackConfigEntity } from '../../autotune/fallback_config.js';
import { createTask, InstantiationError, tensorArg } from '../../autotune/task.js';
import { getTemplate, template } from '../../autotune/template.js';
import { createSchedule } from '../../schedule/schedule.js';
import { compute, placeholder, type Tensor } from '../../schedule/tensor.js';
import { withDispatchContext, type DispatchContext } from '../../tuning-logs/dispatch_context.js';
import { workloadKey } from '../../tuning-logs/workload_key.js';
import { registerAll } from '../../ops/register.js';
import type { ConfigSpace } from '../../autotune/space.js';

const mm = (M: number, K: number, N: number) => [tensorArg([M, K]), tensorArg([K, N])];

describe('createTask', () => {
  beforeAll(() => registerAll());
  afterEach(() => setTemplateWarningSink(undefined));

  it('gives the AutoTVM workload key, canonical target and FLOP count', () => {
    const t = createTask('matmul.wasm', mm(37, 53, 29), 'wasm  -threads=2');
    expect(t.target).toBe('wasm -threads=2');
    expect(t.args).toEqual([['TENSOR', [37, 53], 'float32'], ['TENSOR', [53, 29], 'float32']]);
    expect(t.workloadKey).toBe(workloadKey('matmul.wasm', t.args));
    expect(t.flop).toBe(2 * 37 * 53 * 29);
    expect(t.outputIndices).toEqual([2]);
    expect(t.space.knobNames).toEqual(['tile_y', 'tile_x', 'tile_k', 'reorder', 'vectorize', 'auto_unroll_max_step', 'unroll_y', 'parallel', 'pack_b', 'tile_order', 'pack_at']);
    expect(t.space.length).toBeGreaterThan(100);
  });

  it('accepts te tensors as arguments and caches tasks', () => {
    const a = createTask('dense.wasm', [placeholder([4, 8]), placeholder([6, 8])], 'wasm');
    const b = createTask('dense.wasm', [tensorArg([4, 8]), tensorArg([6, 8])], 'wasm');
    expect(a).toBe(b);
    expect(b.flop).toBe(2 * 4 * 6 * 8);
  });

  it('instantiates configs of the space and returns inputs then outputs', () => {
    const t = createTask('matmul.wasm', mm(16, 8, 12), 'wasm');
    // The nearest valid config at or below each index (the space refuses some knob combinations: multiFilter).
    const valid = (i: number): number => {
      while (!t.space.isIndexValid(i)) i--;
      return i;
    };
    for (const i of [0, 1, t.space.length - 1, Math.floor(t.space.length / 2)].map(valid)) {
      const { tensors } = t.instantiate(t.space.entityAt(i));
      expect(tensors.map((x) => x.dims)).toEqual([[16, 8], [8, 12], [16, 12]]);
    }
  });

  it('rejects unknown templates, bad args and bad targets with clear errors', () => {
    expect(() => createTask('nope.wasm', [], 'wasm')).toThrow(/no template named 'nope.wasm' \(registered: .*matmul.wasm/);
    expect(() => createTask('matmul.wasm', [tensorArg([4, 0]), tensorArg([4, 4])], 'wasm')).toThrow(/positive integers/);
    expect(() => createTask('matmul.wasm', mm(4, 4, 4), 'cuda')).toThrow(/unknown kind 'cuda'/);
    expect(() => createTask('matmul.wasm', [tensorArg([4, 5]), tensorArg([4, 4])], 'wasm')).toThrow(/inner dimensions differ/);
  });

  it('reports configs a template rejects as InstantiationError', () => {
    const t = createTask('matmul.webgpu', mm(128, 64, 128), 'webgpu');
    const entity = (ty: number, yi: number, tk: number, vec: number) =>
      [['tile_y', 'sp', [-1, ty, yi]], ['tile_x', 'sp', [-1, ty, yi]], ['tile_k', 'sp', [-1, tk]], ['auto_unroll_max_step', 'ot', 0], ['vec', 'ot', vec]] as const;
    const data = (ty: number, yi: number, tk: number, vec = 1) => ({ index: -1, code_hash: null, entity: entity(ty, yi, tk, vec) });
    expect(() => t.instantiate(t.space.entityFromData(data(16, 8, 32)))).toThrow(InstantiationError);
    expect(() => t.instantiate(t.space.entityFromData(data(16, 8, 32)))).toThrow(/32768 bytes of workgroup memory exceed 16384/);
    expect(() => t.instantiate(t.space.entityFromData(data(8, 2, 8, 4)))).toThrow(/vec 4 needs tile_k 8 and the thread's x tile 2 to be multiples of 4/);
    expect(t.instantiate(t.space.entityFromData(data(8, 4, 8))).tensors).toHaveLength(3);
    expect(t.instantiate(t.space.entityFromData(data(8, 4, 8, 4))).tensors).toHaveLength(3);
    // Plain webgpu's space has no stage_shared knob: a record naming it does not fit.
    expect(() => t.space.entityFromData({ ...data(8, 4, 8), entity: [...entity(8, 4, 8, 1), ['stage_shared', 'ot', false] as const] })).toThrow(/stage_shared/);
    // Lavapipe's space (-device=llvmpipe) has it; read in place (false): no workgroup memory to exceed, and vec 4
    // asks only the x tile.
    const l = createTask('matmul.webgpu', mm(128, 64, 128), 'webgpu -device=llvmpipe');
    const ldata = (ty: number, yi: number, tk: number, vec: number, stage: boolean) => ({ index: -1, code_hash: null, entity: [...entity(ty, yi, tk, vec), ['stage_shared', 'ot', stage] as const] });
    expect(() => l.instantiate(l.space.entityFromData(ldata(16, 8, 32, 1, true)))).toThrow(/32768 bytes of workgroup memory exceed 16384/);
    expect(l.instantiate(l.space.entityFromData(ldata(16, 8, 32, 1, false))).tensors).toHaveLength(3);
    expect(() => l.instantiate(l.space.entityFromData(ldata(8, 2, 8, 4, true)))).toThrow(/vec 4 needs tile_k 8 and the thread's x tile 2 to be multiples of 4/);
    expect(() => l.instantiate(l.space.entityFromData(ldata(8, 2, 8, 4, false)))).toThrow(/vec 4 needs the thread's x tile 2 to be a multiple of 4/);
  });

  it('builds a naive schedule of the same computation', () => {
    const t = createTask('matmul.wasm', mm(5, 3, 4), 'wasm');
    const { schedule, tensors } = t.naive();
    expect(schedule.outputs.map((o) => o.dims)).toEqual([[5, 4]]);
    expect(tensors).toHaveLength(3);
  });
});

describe('applyTemplate', () => {
  beforeAll(() => registerAll());

  it('falls back with one warning per task naming op, shape and the tune command', () => {
    resetTemplateWarnings();
    const msgs: string[] = [];
    setTemplateWarningSink((m) => msgs.push(m));
    const a = applyTemplate('dense.wasm', [tensorArg([1, 64]), tensorArg([10, 64])], 'wasm');
    applyTemplate('dense.wasm', [tensorArg([1, 64]), tensorArg([10, 64])], 'wasm');
    expect(a.source).toBe('fallback');
    expect(a.config).toBeInstanceOf(FallbackConfigEntity);
    expect(msgs).toHaveLength(1);
    expect(msgs[0]).toMatch(/no tuning record for dense\.wasm \(1x64 float32, 10x64 float32\) on 'wasm'/);
    expect(msgs[0]).toContain("tensortune tune --op dense --shape 1,64,10 --target 'wasm'");
    // The default x tile is the largest of 8, 4, 2 dividing N (whole vectors): 2 for N = 10.
    expect(a.config.getSplit('tile_x').size).toEqual([5, 2]);
  });

  it('uses the dispatch context record, and reports a note from another target of the family', async () => {
    resetTemplateWarnings();
    const msgs: string[] = [];
    setTemplateWarningSink((m) => msgs.push(m));
    const task = createTask('matmul.wasm', mm(8, 8, 8), 'wasm -threads=2');
    const want = task.space.entityAt(7);
    const queries: string[] = [];
    const ctx: DispatchContext = {
      query(target, key) {
        queries.push(target);
        return key === task.workloadKey ? { config: want.toData(), note: "record of 'wasm -threads=4'" } : undefined;
      },
    };
    const got = await withDispatchContext(ctx, () => applyTemplate('matmul.wasm', mm(8, 8, 8), 'wasm -threads=2'));
    expect(queries).toEqual(['wasm -threads=2']);
    expect(got.source).toBe('log');
    expect(got.config.toData().index).toBe(7);
    expect(got.note).toMatch(/threads=4/);
    expect(msgs.join('\n')).toMatch(/record of 'wasm -threads=4'/);
  });

  it('falls back with a warning when the record no longer fits the space', async () => {
    resetTemplateWarnings();
    const msgs: string[] = [];
    setTemplateWarningSink((m) => msgs.push(m));
    const ctx: DispatchContext = { query: () => ({ config: { index: 0, code_hash: null, entity: [['tile_y', 'sp', [-1, 3]]] } }) };
    const got = await withDispatchContext(ctx, () => applyTemplate('matmul.wasm', mm(8, 8, 8), 'wasm'));
    expect(got.source).toBe('fallback');
    expect(msgs[0]).toMatch(/no usable tuning record for matmul\.wasm .*1 record\(s\) do not fit the template's current space \(config 0 from target 'wasm': its entity does not fit/);
    expect(msgs[0]).not.toMatch(/no tuning record for/);
    expect(got.skipped.map((s) => s.config.index)).toEqual([0]);
  });

  it('names the tune command from the template options', () => {
    const t = createTask('matmul.webgpu', mm(32, 16, 8), 'webgpu');
    expect(tuneCommand(t)).toBe("tensortune tune --op matmul --shape 32,16,8 --target 'webgpu'");
  });

  it('names a conv by its --op and named --shape (the command parses it back to the same task)', () => {
    const conv = createTask('conv2d_nchw.wasm', [tensorArg([1, 3, 8, 8]), tensorArg([4, 3, 3, 3]), [1, 1], [1, 1, 1, 1], [1, 1], 1], 'wasm');
    expect(tuneCommand(conv)).toBe("tensortune tune --op conv2d --shape N=1,C=3,H=8,W=8,O=4,kernel=3,pad=1 --target 'wasm'");
  });
});

describe('template', () => {
  it('registers a user template and rejects bad names', () => {
    const fn = (cfg: ConfigSpace, A: Tensor): readonly [ReturnType<typeof createSchedule>, Tensor[]] => {
      cfg.defineKnob('k', [1, 2]);
      const B = compute(A.dims, (i) => A.at(i).mul(2), 'B');
      return [createSchedule(B), [A, B]];
    };
    template('double.test', fn);
    expect(getTemplate('double.test').fn).toBe(fn);
    expect(createTask('double.test', [tensorArg([3])], 'wasm').flop).toBe(3);
    expect(() => template('bad name', fn)).toThrow(/must be an identifier/);
  });
});
