// tests/ops/anchor.test.ts — ops/anchor.ts: taskOf names each anchor's template and workload; scheduleAnchor
// fuses a bias → relu → residual epilogue into a convolution / batch_matmul (checked numerically on wasm and
// WebGPU against plain JS), uses the dispatch context's record when there is one and the fallback otherwise;
// and anchors (conv2d, Winograd) inside ops.defaultSchedule with ops-basic's add/relu as the epilogue.

import { beforeAll, describe, expect, it } from 'vitest';
import { setTemplateWarningSink } from '../../autotune/apply_template.js';
import { createTask } from '../../autotune/task.js';
import { scheduleAnchor, taskOf } from '../../ops/anchor.js';
import { batchMatmul, dense, matmul } from '../../ops/matmul.js';
import { conv2d } from '../../ops/nn/conv2d.js';
import { conv2dTranspose } from '../../ops/nn/conv2d_transpose.js';
import { conv2dWinograd } from '../../ops/nn/conv2d_winograd.js';
import { defaultSchedule } from '../../ops/default_schedule.js';
import { add, relu } from '../../ops/elementwise.js';
import { registerAll } from '../../ops/register.js';
import { build } from '../../runtime/build.js';
import { array } from '../../runtime/ndarray.js';
import { constValue } from '../../schedule/expr.js';
import { lower } from '../../schedule/lower.js';
import { createSchedule } from '../../schedule/schedule.js';
import { compute, placeholder, type Tensor } from '../../schedule/tensor.js';
import { print } from '../../tir/printer.js';
import { applyHistoryBest } from '../../tuning-logs/apply_history_best.js';
import { withDispatchContext } from '../../tuning-logs/dispatch_context.js';
import { makeRecord } from '../../tuning-logs/record.js';
import { jsBatchMatMul, jsConv2d, mismatch, seeded, type ConvCase } from './reference.js';
import { loadScaledTimeout } from '../load_timeout.js';

/** Hang guard of the compiling tests here: at most 1 s of CPU each (process.cpuUsage, 2026-12-01, load 20), scaled by load and nice. */
const GUARD = loadScaledTimeout(1_500);

/** The epilogue as a graph would have it: separate broadcast and elementwise stages after the anchor. */
function epilogue(Y: Tensor, bias: Tensor, res: Tensor, axis: number): Tensor {
  const b = compute(Y.dims, (...i) => Y.at(...i).add(bias.at(i[axis]!)), 'bias_add', { tag: 'broadcast' });
  const r = compute(Y.dims, (...i) => b.at(...i).max(constValue(0)), 'relu', { tag: 'elemwise' });
  return compute(Y.dims, (...i) => r.at(...i).add(res.at(...i)), 'residual_add', { tag: 'elemwise' });
}

async function runFunc(outs: readonly Tensor[], args: readonly Tensor[], target: string, data: readonly Float32Array[], schedule: (s: ReturnType<typeof createSchedule>) => void): Promise<Float32Array> {
  const s = createSchedule(outs);
  schedule(s);
  const f = lower(s, args, { name: 'fused' });
  const mod = await build(f, target);
  const arrays = args.map((t, i) => array(data[i] ?? new Float32Array(t.dims.reduce((a, b) => a * b, 1)).fill(Number.NaN), [...t.dims]));
  try {
    await mod.run(...arrays);
    return arrays[arrays.length - 1]!.toArray() as Float32Array;
  } finally {
    arrays.forEach((a) => a.free());
    mod.dispose();
  }
}

describe('ops/anchor', () => {
  const warnings: string[] = [];
  beforeAll(() => {
    registerAll();
    setTemplateWarningSink((m) => warnings.push(m));
  });

  it('taskOf names the template <tag>.<target kind> and the workload rebuilt from the op attrs', () => {
    const X = placeholder([1, 6, 9, 9], 'float32', 'X');
    const c = conv2d(X, placeholder([4, 3, 3, 3], 'float32', 'W'), { strides: 2, padding: [1, 0, 1, 2], groups: 2 });
    expect(taskOf(c, 'wasm -threads=2')).toEqual({ template: 'conv2d_nchw.wasm', args: [['TENSOR', [1, 6, 9, 9], 'float32'], ['TENSOR', [4, 3, 3, 3], 'float32'], [2, 2], [1, 0, 1, 2], [1, 1], 2] });
    const d = conv2d(X, placeholder([6, 1, 3, 3], 'float32', 'Wd'), { groups: 6, dilation: 2 });
    expect(taskOf(d, 'webgpu')?.template).toBe('depthwise_conv2d_nchw.webgpu');
    const t = conv2dTranspose(X, placeholder([6, 2, 3, 3], 'float32', 'Wt'), { strides: 2, outputPadding: 1 });
    expect(taskOf(t, 'wasm')?.args.slice(2)).toEqual([[2, 2], [0, 0, 0, 0], [1, 1], [1, 1], 1]);
    const A = placeholder([8, 5], 'float32', 'A');
    expect(taskOf(dense(A, placeholder([3, 5], 'float32', 'B'), placeholder([3], 'float32', 'b')), 'wasm')).toBeUndefined(); // the bias add is not an anchor
    expect(taskOf(matmul(A, placeholder([5, 2], 'float32', 'B2')), 'wasm')?.template).toBe('matmul.wasm');
    expect(taskOf(batchMatmul(placeholder([2, 8, 5], 'float32', 'A3'), placeholder([5, 2], 'float32', 'B3')), 'webgpu')?.args).toEqual([['TENSOR', [2, 8, 5], 'float32'], ['TENSOR', [5, 2], 'float32']]);
    // Every task taskOf names can be created: the template rebuilds the same op from the args.
    for (const a of [c, d, t]) {
      const task = taskOf(a, 'wasm')!;
      expect(createTask(task.template, task.args, 'wasm').space.length).toBeGreaterThan(1);
    }
  });

  const cc: ConvCase = { N: 2, C: 5, H: 6, W: 7, O: 6, KH: 3, KW: 3, strides: [1, 1], padding: [1, 1, 0, 1], dilation: [1, 1], groups: 1 };
  for (const target of ['wasm', 'webgpu']) {
    it(`scheduleAnchor fuses bias → relu → residual into conv2d on ${target} (fallback config) and warns once with the tune command`, async () => {
      const X = placeholder([cc.N, cc.C, cc.H, cc.W], 'float32', 'X');
      const W = placeholder([cc.O, cc.C, cc.KH, cc.KW], 'float32', 'W');
      const bias = placeholder([cc.O], 'float32', 'bias');
      const Y = conv2d(X, W, { padding: cc.padding });
      const res = placeholder(Y.dims, 'float32', 'res');
      const out = epilogue(Y, bias, res, 1);
      const x = seeded(cc.N * cc.C * cc.H * cc.W, 1);
      const w = seeded(cc.O * cc.C * 9, 2);
      const bv = seeded(cc.O, 3);
      const rv = seeded(Y.dims.reduce((a, b) => a * b, 1), 4);
      const conv = jsConv2d(x, w, cc);
      const plane = Y.dims[2]! * Y.dims[3]!;
      const want = conv.map((v, i) => Math.max(v + bv[Math.floor(i / plane) % cc.O]!, 0) + rv[i]!);
      let inlined: string[] = [];
      const got = await runFunc([out], [X, W, bias, res, out], target, [x, w, bv, rv], (s) => {
        scheduleAnchor(s, Y, [out], target);
        inlined = s.stages.filter((st) => st.attach.type === 'inline').map((st) => st.name);
      });
      expect(inlined).toEqual(expect.arrayContaining(['bias_add', 'relu', 'conv2d_nchw']));
      const i = mismatch(got, want);
      expect(i, `y[${i}] = ${got[i]}, expected ${want[i]}`).toBe(-1);
      expect(warnings.some((m) => m.includes(`conv2d_nchw.${target}`) && m.includes('tensortune tune --op conv2d --shape N=') && !m.includes('--op conv2d_nchw'))).toBe(true);
    }, GUARD);
  }

  it('scheduleAnchor fuses an epilogue into a broadcast batch_matmul on wasm', async () => {
    const A = placeholder([2, 1, 5, 6], 'float32', 'A');
    const B = placeholder([3, 6, 7], 'float32', 'B');
    const C = batchMatmul(A, B);
    const bias = placeholder([7], 'float32', 'bias');
    const res = placeholder(C.dims, 'float32', 'res');
    const out = epilogue(C, bias, res, 3);
    const [a, b, bv, rv] = [seeded(60, 1), seeded(126, 2), seeded(7, 3), seeded(2 * 3 * 5 * 7, 4)];
    const want = jsBatchMatMul(a, [2, 1, 5, 6], b, [3, 6, 7]).map((v, i) => Math.max(v + bv[i % 7]!, 0) + rv[i]!);
    const got = await runFunc([out], [A, B, bias, res, out], 'wasm', [a, b, bv, rv], (s) => scheduleAnchor(s, C, [out], 'wasm'));
    expect(mismatch(got, want)).toBe(-1);
  });

  it('on webgpu the default vec 4 config (rows that are multiples of 4) fuses bias → relu → residual into a broadcast batch_matmul', async () => {
    const A = placeholder([2, 1, 5, 8], 'float32', 'A');
    const B = placeholder([3, 8, 12], 'float32', 'B');
    const C = batchMatmul(A, B);
    const bias = placeholder([12], 'float32', 'bias');
    const res = placeholder(C.dims, 'float32', 'res');
    const out = epilogue(C, bias, res, 3);
    const t = createTask(taskOf(C, 'webgpu')!.template, taskOf(C, 'webgpu')!.args, 'webgpu');
    expect(t.defaultConfig!()!.getKnob('vec').val).toBe(4);
    const [a, b, bv, rv] = [seeded(80, 1), seeded(288, 2), seeded(12, 3), seeded(2 * 3 * 5 * 12, 4)];
    const want = jsBatchMatMul(a, [2, 1, 5, 8], b, [3, 8, 12]).map((v, i) => Math.max(v + bv[i % 12]!, 0) + rv[i]!);
    const got = await runFunc([out], [A, B, bias, res, out], 'webgpu', [a, b, bv, rv], (s) => scheduleAnchor(s, C, [out], 'webgpu'));
    expect(mismatch(got, want)).toBe(-1);
  }, GUARD);

  it('scheduleAnchor takes the config of the dispatch context record for the anchor workload', async () => {
    // Placeholders named as the template names them, so both lowerings print alike.
    const X = placeholder([1, 8, 10, 12], 'float32', 'p0');
    const W = placeholder([8, 8, 3, 3], 'float32', 'p1');
    const Y = conv2d(X, W, { padding: 1 });
    const task = taskOf(Y, 'wasm')!;
    const t = createTask(task.template, task.args, 'wasm');
    const config = t.space.entityAt(Math.floor(t.space.length / 3));
    const record = makeRecord({ target: 'wasm', taskName: task.template, args: task.args, config: config.toData(), costs: [1e-3], errorNo: 0, allCost: 1, timestamp: 1 });
    const s = createSchedule([Y]);
    await withDispatchContext(applyHistoryBest([record]), () => scheduleAnchor(s, Y, [Y], 'wasm'));
    const viaRecord = print(lower(s, [X, W, Y], { name: 'f' }));
    const inst = t.instantiate(config);
    expect(viaRecord).toBe(print(lower(inst.schedule, inst.tensors, { name: 'f' })));
    const fallback = createSchedule([Y]);
    scheduleAnchor(fallback, Y, [Y], 'wasm');
    expect(print(lower(fallback, [X, W, Y], { name: 'f' }))).not.toBe(viaRecord);
  });

  it('scheduleAnchor refuses a tensor that is not an anchor op', () => {
    const X = placeholder([4, 4], 'float32', 'X');
    const r = compute([4, 4], (i, j) => X.at(i, j).max(constValue(0)), 'relu');
    expect(() => scheduleAnchor(createSchedule([r]), r, [r], 'wasm')).toThrow(/^scheduleAnchor: relu is not an anchor op/);
  });
});

describe('anchors under ops.defaultSchedule', () => {
  beforeAll(() => {
    registerAll();
    setTemplateWarningSink(() => undefined);
  });
  const c: ConvCase = { N: 1, C: 6, H: 9, W: 7, O: 5, KH: 3, KW: 3, strides: [1, 1], padding: [1, 1, 1, 0], dilation: [1, 1], groups: 1 };
  const cases = [
    ['conv2d', 'wasm'], ['conv2d', 'webgpu'], ['conv2dWinograd', 'wasm'],
  ] as const;
  for (const [op, target] of cases) {
    it(`relu(add(${op}(x, w), bias)) through defaultSchedule on ${target} equals the JS reference`, async () => {
      const X = placeholder([c.N, c.C, c.H, c.W], 'float32', 'X');
      const W = placeholder([c.O, c.C, 3, 3], 'float32', 'W');
      const B = placeholder([1, c.O, 1, 1], 'float32', 'B');
      const Y = op === 'conv2d' ? conv2d(X, W, { padding: c.padding }) : conv2dWinograd(X, W, { padding: c.padding });
      const out = relu(add(Y, B));
      const x = seeded(c.C * c.H * c.W, 1);
      const w = seeded(c.O * c.C * 9, 2);
      const b = seeded(c.O, 3);
      const conv = jsConv2d(x, w, c);
      const plane = Y.dims[2]! * Y.dims[3]!;
      const want = conv.map((v, i) => Math.max(v + b[Math.floor(i / plane)]!, 0));
      const s = defaultSchedule([out], target);
      const mod = await build(lower(s, [X, W, B, out], { name: 'fused' }), target);
      const arrays = [array(x, [...X.dims]), array(w, [...W.dims]), array(b, [...B.dims]), array(new Float32Array(want.length).fill(Number.NaN), [...out.dims])];
      try {
        await mod.run(...arrays);
        const got = arrays[3]!.toArray() as Float32Array;
        const i = mismatch(got, want, 1e-3);
        expect(i, `y[${i}] = ${got[i]}, expected ${want[i]}`).toBe(-1);
      } finally {
        arrays.forEach((a) => a.free());
        mod.dispose();
      }
    }, GUARD);
  }
});
