// tests/relay/transform/conv_impl.test.ts — which implementation a 3×3 stride-1 conv gets on wasm: the tile size
// (F(4×4) where its products take fewer multiplies, or the faster record of the two tile sizes), then the tuning
// log's faster record between that Winograd task and the direct task decides (also in a real build, reported per
// kernel), else the default rule on channels and tile use; extractTasks lists the chosen tasks, or both candidates'.

import { describe, expect, it } from 'vitest';
import { createTask } from '../../../autotune/task.js';
import { checkOpParams, opArgs, opSpecOfTag, paramsOfArgs, parseOpParams } from '../../../ops/op_params.js';
import { registerAll } from '../../../ops/register.js';
import { build } from '../../../relay/backend/build.js';
import { extractWeightedTasks } from '../../../relay/backend/extract_tasks.js';
import { fromOnnx } from '../../../relay/frontend/onnx.js';
import { postOrder } from '../../../relay/functor.js';
import { call, constant, func, irModule, opName, variable, type Call } from '../../../relay/nodes.js';
import { WINOGRAD_CONV } from '../../../relay/op/winograd.js';
import { AlterOpLayout, type ConvChoice } from '../../../relay/transform/alter_op_layout.js';
import { chooseWinograd, convCandidates, winogradByRule, winogradConv, winogradTileByRule, type TaskRef } from '../../../relay/transform/conv_impl.js';
import { InferType } from '../../../relay/transform/infer_type.js';
import { tensorType } from '../../../relay/ty.js';
import { parseTarget } from '../../../target/index.js';
import { applyHistoryBest, loadTophub } from '../../../tuning-logs/apply_history_best.js';
import { workloadKey } from '../../../tuning-logs/workload_key.js';
import { makeRecord, meanCost, type LogRecord } from '../../../tuning-logs/record.js';
import { inputData, ortRun, relError } from '../models/reference.js';
import { wideConvs } from '../models/winograd_zoo.js';

const TARGET = 'wasm -threads=1';

/** One conv2d [n, c, h, w] → o with a 3×3 kernel, typed. */
function conv(n: number, c: number, h: number, w: number, o: number, pad = 1, strides = [1, 1]): Call {
  const x = variable('x', tensorType([n, c, h, w]));
  const mod = InferType.run(irModule(func([x], call('nn.conv2d', [x, constant(new Float32Array(o * c * 9), [o, c, 3, 3])], { strides, padding: [pad, pad, pad, pad], dilation: [1, 1], groups: 1 }))));
  return mod.main.body as Call;
}

/** A record of `t`'s default config with mean cost `cost` seconds, measured on `target`. */
function record(t: TaskRef, cost: number, target = TARGET): LogRecord {
  registerAll();
  const task = createTask(t.template, t.args, target);
  return makeRecord({ target, taskName: t.template, args: t.args, config: task.defaultConfig!()!.toData(), costs: [cost], errorNo: 0, allCost: 1, timestamp: 1 });
}

describe('Winograd or direct', () => {
  it('the default rule: harmonic mean of C and O ≥ 64 (≥ 32 against conv2d_nchw) and ≥ 60 % of the 2×2 tiles real output', () => {
    const rule = (c: Call, packed = true): boolean => winogradByRule(winogradConv(c)!, packed);
    expect(rule(conv(1, 64, 28, 28, 64))).toBe(true);
    expect(rule(conv(1, 128, 7, 7, 128))).toBe(true);
    expect(rule(conv(2, 256, 14, 14, 256))).toBe(true);
    expect(rule(conv(1, 32, 28, 28, 32))).toBe(false); // channels
    expect(rule(conv(1, 32, 14, 14, 128))).toBe(false); // harmonic mean 51
    expect(rule(conv(1, 64, 3, 3, 64))).toBe(false); // 9 outputs of 32 computed
    expect(rule(conv(1, 128, 6, 6, 128, 0))).toBe(false); // 4×4 output, 0.5
    // Against conv2d_nchw (wide outputs the layout rule leaves unpacked) from 32 channels on.
    expect(rule(conv(1, 32, 56, 56, 32), false)).toBe(true);
    expect(rule(conv(1, 96, 80, 80, 24), false)).toBe(true); // harmonic mean 38.4
    expect(rule(conv(1, 96, 80, 80, 24), true)).toBe(false);
    expect(rule(conv(1, 16, 56, 56, 16), false)).toBe(false);
    expect(rule(conv(1, 64, 3, 3, 64), false)).toBe(false);
    // Not eligible at all: stride 2, a 1×1 kernel handled elsewhere.
    expect(winogradConv(conv(1, 64, 28, 28, 64, 1, [2, 2]))).toBeUndefined();
  });

  it('the tune command a build suggests for a Winograd task (transformed=1) rebuilds exactly that task', () => {
    const { winograd } = convCandidates(winogradConv(conv(2, 6, 9, 7, 5, 0))!, false, parseTarget(TARGET));
    const spec = opSpecOfTag('conv2d_winograd')!;
    const q = paramsOfArgs(spec, winograd.args);
    expect(q).toMatchObject({ N: [2], C: [6], O: [5], transformed: [1] });
    expect(opArgs(spec, checkOpParams(spec, q))).toEqual(winograd.args);
    expect(opArgs(spec, checkOpParams(spec, parseOpParams(spec, 'N=2,C=6,H=9,W=7,O=5,transformed=1')))).toEqual(winograd.args);
    expect(() => checkOpParams(spec, parseOpParams(spec, 'C=6,H=9,W=7,O=5,transformed=2'))).toThrow('conv2d_winograd: transformed must be 0');
  });

  it('the tile rule: F(4×4) where 36·P₄ < 16·P₂ (P the tile counts rounded up to 8), else F(2×2); with F(4×4) the channel thresholds are 32 and 16', () => {
    const tile = (c: Call): number => winogradTileByRule(winogradConv(c)!);
    expect(tile(conv(1, 64, 56, 56, 64))).toBe(4); // 36·200 < 16·784
    expect(tile(conv(1, 256, 14, 14, 256))).toBe(4); // 36·16 < 16·56
    expect(tile(conv(1, 512, 7, 7, 512))).toBe(2); // 36·8 > 16·16
    expect(tile(conv(1, 8, 10, 10, 8))).toBe(2); // 36·16 > 16·32
    expect(tile(conv(1, 8, 20, 20, 8))).toBe(4); // 36·32 < 16·104
    expect(tile(conv(2, 6, 9, 7, 5, 0))).toBe(4); // 2 images: 36·8 < 16·24
    expect(tile(conv(1, 64, 6, 6, 64, 0))).toBe(2); // 4×4 output: one 4×4 tile, but 8 computed
    const rule4 = (c: Call, packed = true): boolean => winogradByRule(winogradConv(c)!, packed, 4);
    expect(rule4(conv(1, 32, 28, 28, 32))).toBe(true);
    expect(rule4(conv(1, 24, 28, 28, 24))).toBe(false);
    expect(rule4(conv(1, 16, 56, 56, 16), false)).toBe(true);
    expect(rule4(conv(1, 8, 56, 56, 8), false)).toBe(false);
    const t = parseTarget(TARGET);
    const c2 = conv(1, 32, 28, 28, 32);
    expect(chooseWinograd(winogradConv(c2)!, true, t, 'auto')).toEqual({ winograd: true, source: 'rule', tileSize: 4 });
    const c12 = conv(1, 512, 7, 7, 512);
    expect(chooseWinograd(winogradConv(c12)!, true, t, 'auto')).toEqual({ winograd: true, source: 'rule', tileSize: 2 });
    expect(chooseWinograd(winogradConv(c12)!, true, t, false)).toEqual({ winograd: false, source: 'option', tileSize: 2 });
  });

  it('records of both tile sizes pick the tile size; records of it and the direct task then decide Winograd or direct', () => {
    const c = conv(1, 64, 14, 14, 64); // the tile rule says F(4×4), the channel rule Winograd
    const t = parseTarget(TARGET);
    const w = winogradConv(c)!;
    const m2 = convCandidates(w, true, t, 2);
    const m4 = convCandidates(w, true, t, 4);
    expect(m4.winograd.template).toBe('conv2d_winograd_m4.wasm');
    expect(m4.winograd.args[1]).toEqual(['TENSOR', [36, 64, 64], 'float32']);
    expect(m4.direct).toEqual(m2.direct);
    const pick = (recs: LogRecord[]) => chooseWinograd(w, true, t, 'auto', applyHistoryBest(recs));
    expect(pick([])).toEqual({ winograd: true, source: 'rule', tileSize: 4 });
    expect(pick([record(m2.winograd, 1e-4), record(m4.winograd, 2e-4)])).toEqual({ winograd: true, source: 'rule', tileSize: 2 });
    expect(pick([record(m2.winograd, 1e-4), record(m4.winograd, 2e-4), record(m2.direct, 5e-5)])).toEqual({ winograd: false, source: 'log', tileSize: 2 });
    expect(pick([record(m4.winograd, 2e-4), record(m2.direct, 5e-5)])).toEqual({ winograd: false, source: 'log', tileSize: 4 });
    expect(pick([record(m4.winograd, 2e-5), record(m2.direct, 5e-5)])).toEqual({ winograd: true, source: 'log', tileSize: 4 });
    // A record of the other tile size alone neither picks the tile size nor decides against the direct task.
    expect(pick([record(m2.winograd, 1e-6), record(m2.direct, 5e-5)])).toEqual({ winograd: true, source: 'rule', tileSize: 4 });
    // Records of another target (found by the family fallback) are compared only with records of that same target.
    const other = (r: TaskRef, cost: number) => record(r, cost, 'wasm -threads=2');
    expect(pick([record(m2.winograd, 1e-4), other(m4.winograd, 2e-4)])).toEqual({ winograd: true, source: 'rule', tileSize: 4 });
    expect(pick([other(m2.winograd, 1e-4), other(m4.winograd, 2e-4)])).toEqual({ winograd: true, source: 'rule', tileSize: 2 });
    expect(pick([other(m4.winograd, 2e-5), record(m2.direct, 5e-5)])).toEqual({ winograd: true, source: 'rule', tileSize: 4 });
    expect(pick([other(m4.winograd, 2e-4), other(m2.direct, 5e-5)])).toEqual({ winograd: false, source: 'log', tileSize: 4 });
  });

  it('the faster tile size wins against the rule either way; a tie keeps F(2×2), and a tie with the direct task keeps the direct one', () => {
    const t = parseTarget(TARGET);
    // 7×7: the tile rule says F(2×2); an F(4×4) record faster than F(2×2)'s picks F(4×4).
    const w7 = winogradConv(conv(1, 64, 7, 7, 64))!;
    expect(winogradTileByRule(w7)).toBe(2);
    const r7 = (m: 2 | 4) => convCandidates(w7, true, t, m);
    expect(chooseWinograd(w7, true, t, 'auto', applyHistoryBest([record(r7(2).winograd, 2e-4), record(r7(4).winograd, 1e-4)])).tileSize).toBe(4);
    expect(chooseWinograd(w7, true, t, true, applyHistoryBest([record(r7(2).winograd, 2e-4), record(r7(4).winograd, 1e-4)]))).toEqual({ winograd: true, source: 'option', tileSize: 4 });
    // 14×14: the tile rule says F(4×4); equal records keep F(2×2) (the strict 'faster').
    const w14 = winogradConv(conv(1, 64, 14, 14, 64))!;
    expect(winogradTileByRule(w14)).toBe(4);
    const r14 = (m: 2 | 4) => convCandidates(w14, true, t, m);
    expect(chooseWinograd(w14, true, t, 'auto', applyHistoryBest([record(r14(2).winograd, 1e-4), record(r14(4).winograd, 1e-4)])).tileSize).toBe(2);
    // Winograd and direct equally fast: the direct task.
    expect(chooseWinograd(w14, true, t, 'auto', applyHistoryBest([record(r14(4).winograd, 1e-4), record(r14(4).direct, 1e-4)]))).toEqual({ winograd: false, source: 'log', tileSize: 4 });
  });

  it('the tuning log decides when it has records of both candidates: the faster wins; a lone record leaves it to the rule', () => {
    const c = conv(1, 64, 7, 7, 64); // the rule says Winograd F(2×2)
    const t = parseTarget(TARGET);
    const { winograd, direct } = convCandidates(winogradConv(c)!, true, t);
    expect(winograd.template).toBe('conv2d_winograd.wasm');
    expect(winograd.args[1]).toEqual(['TENSOR', [16, 64, 64], 'float32']);
    expect(direct.template).toBe('conv2d_NCHWc.wasm');
    const choose = (records: LogRecord[]): { win: boolean; choice: ConvChoice } => {
      let choice: ConvChoice | undefined;
      const out = AlterOpLayout(t, 'nchwc', { records: applyHistoryBest(records), onChoice: (ch) => { choice = ch; } }).run(irModule(func([c.args[0] as never], c)));
      return { win: postOrder(out.main.body).map(opName).includes(WINOGRAD_CONV), choice: choice! };
    };
    expect(choose([])).toMatchObject({ win: true, choice: { source: 'rule', winograd: true } });
    expect(choose([record(direct, 1e-3), record(winograd, 2e-3)])).toMatchObject({ win: false, choice: { source: 'log', chosen: direct, other: winograd } });
    expect(choose([record(direct, 2e-3), record(winograd, 1e-3)])).toMatchObject({ win: true, choice: { source: 'log', chosen: winograd, other: direct } });
    expect(choose([record(direct, 1e-6)])).toMatchObject({ win: true, choice: { source: 'rule' } });
    expect(choose([record(winograd, 5e-3)])).toMatchObject({ win: true, choice: { source: 'rule' } });
    // The shipped TopHub logs hold C6's conv2d_NCHWc and F(2×2) [16, O, C] Winograd records (tuned in one session by
    // CPU time, tuning-logs/tophub/README.md) and no F(4×4) one: the tile rule picks F(4×4) (1.79× F(2×2)'s
    // untuned default, bench/results/wino17-s17.md), whose record is missing, so the channel rule decides: Winograd.
    const c6 = conv(1, 128, 28, 28, 128);
    let c6choice: ConvChoice | undefined;
    const tophub = loadTophub(TARGET);
    const c6out = AlterOpLayout(t, 'nchwc', { records: tophub, onChoice: (ch) => { c6choice = ch; } }).run(irModule(func([c6.args[0] as never], c6)));
    const c6hit = (ref: TaskRef) => tophub.lookup(TARGET, workloadKey(ref.template, ref.args));
    expect(c6choice).toMatchObject({ source: 'rule', winograd: true, tileSize: 4, chosen: { template: 'conv2d_winograd_m4.wasm' } });
    expect(c6hit(c6choice!.other)).toBeDefined();
    expect(c6hit(convCandidates(winogradConv(c6)!, true, t, 2).winograd)).toBeDefined();
    expect(meanCost(c6hit(c6choice!.other)!.record)).toBeGreaterThan(0);
    expect(postOrder(c6out.main.body).map(opName).includes(WINOGRAD_CONV)).toBe(true);
    // A small conv the rule leaves direct becomes Winograd when its Winograd record is the faster one.
    const small = conv(1, 8, 10, 10, 8);
    const s = convCandidates(winogradConv(small)!, true, t);
    const run = (recs: LogRecord[]) => postOrder(AlterOpLayout(t, 'nchwc', { records: applyHistoryBest(recs) }).run(irModule(func([small.args[0] as never], small))).main.body).map(opName);
    expect(run([])).not.toContain(WINOGRAD_CONV);
    expect(run([record(s.winograd, 1e-5), record(s.direct, 2e-5)])).toContain(WINOGRAD_CONV);
    // winograd: false / true override the log.
    const forced = (winograd: boolean) => postOrder(AlterOpLayout(t, 'nchwc', { winograd, records: applyHistoryBest([record(s.winograd, 1e-5)]) }).run(irModule(func([small.args[0] as never], small))).main.body).map(opName);
    expect(forced(false)).not.toContain(WINOGRAD_CONV);
    expect(forced(true)).toContain(WINOGRAD_CONV);
  });

  it('relay.build follows the log (direct for the 64-channel convs when their direct records are faster) and still matches onnxruntime-node', async () => {
    const m = wideConvs(7, 7); // F(2×2) by the tile rule
    const mod = fromOnnx(m.bytes, { shapes: m.inputs });
    expect(extractWeightedTasks(mod, TARGET).map((t) => [t.task.name, t.weight])).toEqual([['conv2d_winograd.wasm', 2], ['conv2d_NCHWc.wasm', 1]]);
    const tasks = extractWeightedTasks(mod, TARGET, { bothCandidates: true });
    // Model order, each chosen task followed by the other candidate: convs 1 and 2 share one workload (weight 2)
    // and their direct alternative (NCHWc: outputs 9 wide < 32); conv 3 (64 → 16) is direct, Winograd its alternative.
    expect(tasks.map((t) => [t.task.name, t.weight])).toEqual([
      ['conv2d_winograd.wasm', 2], ['conv2d_NCHWc.wasm', 2], ['conv2d_NCHWc.wasm', 1], ['conv2d_winograd.wasm', 1],
    ]);
    const byName = (n: string) => tasks.filter((t) => t.task.name === n).map((t) => ({ template: t.task.name, args: t.task.args as TaskRef['args'] }));
    const [wino] = byName('conv2d_winograd.wasm');
    const directs = [...byName('conv2d_nchw.wasm'), ...byName('conv2d_NCHWc.wasm')];
    const recs = [record(wino!, 1e-3), ...directs.map((d) => record(d, 1e-4))];
    const lib = await build(mod, { target: TARGET, tuningLogs: recs });
    try {
      expect(lib.report.kernels.map((k) => k.anchor?.template).filter(Boolean)).not.toContain('conv2d_winograd.wasm');
      expect(lib.report.convs.map((c) => [c.implementation, c.source])).toEqual([['direct', 'log'], ['direct', 'log'], ['direct', 'rule']]); // conv 3: its direct record alone
      expect(lib.report.kernels.filter((k) => k.anchor?.source === 'log').length).toBeGreaterThanOrEqual(2);
      const x = inputData(m.inputs['x']!, 3);
      const [ref] = await ortRun(m.bytes, { x: { data: x, shape: m.inputs['x']! } });
      const [out] = await lib.run({ x });
      expect(relError(out!.toArray(), ref!)).toBeLessThan(1e-4);
    } finally {
      lib.dispose();
    }
    // winograd: false lists no Winograd task; true no alternative.
    expect(extractWeightedTasks(mod, TARGET, { winograd: false, bothCandidates: true }).map((t) => t.task.name)).not.toContain('conv2d_winograd.wasm');
    expect(extractWeightedTasks(mod, TARGET, { winograd: true, bothCandidates: true }).map((t) => [t.task.name, t.weight])).toEqual([['conv2d_winograd.wasm', 2], ['conv2d_winograd.wasm', 1]]);
  }, 240_000);
});
