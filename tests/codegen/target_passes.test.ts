// tests/codegen/target_passes.test.ts — the target's passes as pipeline entries: a WebGPU matmul's
// trace shows kernel splitting, scope inference, lane legalization and barrier insertion (and
// TENSORTUNE_DEBUG=lower prints them); wasm's parallel-loop outlining is a pass the emitter obeys;
// the pass context's maxUnroll reaches the emitters; user passes run at their phase.

import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTask, tensorArg } from '../../autotune/task.js';
import { compile } from '../../codegen/compile.js';
import { lowerForTarget, targetPasses } from '../../codegen/target_passes.js';
import { parseTarget } from '../../target/index.js';
import { runPasses } from '../../tir/pipeline.js';
import { PARALLEL_OUTLINE } from '../../codegen/wasm/outline_pass.js';
import { codegenWGSL } from '../../codegen/wgsl/codegen_wgsl.js';
import { compileWGSL } from '../../codegen/wgsl/compile_wgsl.js';
import { registerAll } from '../../ops/register.js';
import { build } from '../../runtime/build.js';
import { array, empty } from '../../runtime/ndarray.js';
import { lower } from '../../schedule/lower.js';
import { compute, placeholder, reduceAxis, sum } from '../../schedule/index.js';
import { createSchedule } from '../../schedule/schedule.js';
import * as T from '../../tir/nodes.js';
import { PassContext, withPassContext } from '../../tir/pass_context.js';
import { print } from '../../tir/printer.js';
import { collectLoops } from '../../tir/functor.js';

const BARRIER = /tir\.storage_sync\(\)/;

function webgpuMatmul(M: number, K: number, N: number): T.PrimFunc {
  const task = createTask('matmul.webgpu', [tensorArg([M, K]), tensorArg([K, N])], 'webgpu');
  const inst = task.instantiate(task.defaultConfig!()!);
  return lower(inst.schedule, inst.tensors, { name: 'mm' });
}

/** A parallel, row-split matmul on wasm; M not divisible by the split. */
function wasmMatmul(M: number, K: number, N: number): { f: T.PrimFunc; A: Float32Array; B: Float32Array; want: Float32Array } {
  const A = placeholder([M, K], 'float32', 'A');
  const B = placeholder([K, N], 'float32', 'B');
  const k = reduceAxis(K, 'k');
  const C = compute([M, N], (i, j) => sum(A.at(i, k).mul(B.at(k, j)), [k]), 'C');
  const s = createSchedule([C]);
  const c = s.stage(C);
  const [yo] = c.split(c.axis[0]!, { factor: 3 });
  c.parallel(yo!);
  const a = Float32Array.from({ length: M * K }, (_, i) => ((i * 7) % 11) / 5 - 1);
  const b = Float32Array.from({ length: K * N }, (_, i) => ((i * 5) % 13) / 6 - 1);
  const want = new Float32Array(M * N);
  for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
    let acc = 0;
    for (let q = 0; q < K; q++) acc += a[i * K + q]! * b[q * N + j]!;
    want[i * N + j] = acc;
  }
  return { f: lower(s, [A, B, C], { name: 'pmm' }), A: a, B: b, want };
}

beforeAll(() => registerAll());
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('webgpu target passes', () => {
  it('trace from lowering to the emitter: barriers appear at webgpu.insertBarriers, and the emitter reads the last step', () => {
    const f = webgpuMatmul(19, 13, 22);
    expect(print(f)).not.toMatch(BARRIER);
    const { func, steps } = lowerForTarget(f, 'webgpu', { trace: true });
    expect(steps.map((s) => s.name)).toEqual([
      'target.bind', 'webgpu.splitKernels', 'webgpu.inferStorageScope', 'webgpu.lowerWarpMemory', 'webgpu.legalizeLanes', 'webgpu.insertBarriers', 'tir.lowerFloorDiv',
    ]);
    for (const s of steps) expect(s.ms).toBeGreaterThanOrEqual(0);
    const before = steps.find((s) => s.name === 'webgpu.legalizeLanes')!.func;
    expect(print(before)).not.toMatch(BARRIER);
    expect(steps.find((s) => s.name === 'webgpu.insertBarriers')!.changed).toBe(true);
    expect(print(func).match(/tir\.storage_sync\(\)/g)!.length).toBeGreaterThanOrEqual(2);
    expect(func.attrs['target']).toBe('webgpu');
    // compileWGSL = these passes + the emitter; the emitter does not run them twice.
    const art = compileWGSL(f, 'webgpu');
    expect(new TextDecoder().decode(art.bytes)).toBe(codegenWGSL(func).code);
    expect(codegenWGSL(func).code.match(/workgroupBarrier\(\);/g)!.length).toBe(print(func).match(/tir\.storage_sync\(\)/g)!.length);
  });

  it('TENSORTUNE_DEBUG=lower prints every step from the schedule to the IR the emitter reads, with times', async () => {
    vi.stubEnv('TENSORTUNE_DEBUG', 'lower');
    const out: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    await compile(webgpuMatmul(16, 16, 16), 'webgpu');
    const text = out.join('');
    const order = ['tir.storageFlatten', 'tir.vectorizeLoop', 'tir.removeNoOp', 'target.bind', 'webgpu.splitKernels', 'webgpu.insertBarriers'];
    const at = order.map((n) => text.indexOf(`// mm: after ${n} [`));
    for (const i of at) expect(i).toBeGreaterThanOrEqual(0);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    const afterBarriers = text.slice(at.at(-1)!);
    expect(afterBarriers).toMatch(/after webgpu\.insertBarriers \[\d+\.\d\d ms\]\ndef mm\(/);
    expect(afterBarriers).toMatch(BARRIER);
  });

  it('skipBarriers leaves the pass out; a function binding no thread fails in webgpu.splitKernels', () => {
    const f = webgpuMatmul(8, 8, 8);
    const { steps } = lowerForTarget(f, 'webgpu', { trace: true, webgpu: { skipBarriers: true } });
    expect(steps.map((s) => s.name)).not.toContain('webgpu.insertBarriers');
    const X = T.buffer('X', [4], 'float32');
    const i = T.variable('i');
    const flat = T.primFunc('flat', [X], T.forLoop(i, 0, 4, 'serial', T.bufferStore(X, T.floatImm(1), [i])));
    expect(() => lowerForTarget(flat, 'webgpu')).toThrow(/bind at least one axis to blockIdx\/threadIdx/);
    expect(() => lowerForTarget(lowerForTarget(f, 'webgpu').func, 'wasm')).toThrow(/lowered for target 'webgpu', cannot compile it for 'wasm/);
  });

  it('returns a function already lowered for the target kind as is, with no steps', () => {
    const lowered = lowerForTarget(webgpuMatmul(8, 8, 8), 'webgpu').func;
    const again = lowerForTarget(lowered, 'webgpu', { trace: true });
    expect(again.func).toBe(lowered);
    expect(again.steps).toEqual([]);
  });

  it("the pass context's maxUnroll decides which `unrolled` loops the WGSL emitter unrolls", () => {
    const X = T.buffer('X', [8], 'float32');
    const tx = T.variable('tx');
    const u = T.variable('u');
    const body = T.forLoop(tx, 0, 1, 'threadBinding', T.forLoop(u, 0, 8, 'unrolled', T.bufferStore(X, T.floatImm(2), [u])), { threadTag: 'threadIdx.x' });
    const f = T.primFunc('unr', [X], body);
    expect(codegenWGSL(f).code).not.toMatch(/for \(/);
    const small = withPassContext({ config: { maxUnroll: 4 } }, () => codegenWGSL(f).code);
    expect(small).toMatch(/for \(var u/);
    expect(() => new PassContext({ config: { maxUnrol: 4 } as never })).toThrow(/unknown config option 'maxUnrol'/);
    expect(() => new PassContext({ config: { maxUnroll: -1 } })).toThrow(/maxUnroll=-1/);
  });
});

describe('wasm target passes', () => {
  it('wasm.outlineParallel marks the outermost parallel loop; the emitter outlines exactly what it marks', async () => {
    const { f, A, B, want } = wasmMatmul(10, 7, 9);
    const two = lowerForTarget(f, 'wasm -threads=2', { trace: true });
    expect(two.steps.map((s) => s.name)).toEqual(['target.bind', 'wasm.hoistInvariants', 'wasm.outlineParallel']);
    const marked = collectLoops(two.func.body).filter((l) => l.annotations[PARALLEL_OUTLINE] !== undefined);
    expect(marked).toHaveLength(1);
    expect(print(two.func)).toMatch(/wasm\.parallel_captures="vars= buffers=C,A,B"/);
    const one = lowerForTarget(f, 'wasm -threads=1');
    expect(collectLoops(one.func.body).some((l) => l.annotations[PARALLEL_OUTLINE] !== undefined)).toBe(false);

    const outlinedOf = async (g: T.PrimFunc, target: string): Promise<number> =>
      ((await compile(g, target)).meta['outlined'] as unknown[]).length;
    expect(await outlinedOf(f, 'wasm -threads=2')).toBe(1);
    expect(await outlinedOf(f, 'wasm -threads=1')).toBe(0);
    const serial = await withPassContext({ disabledPasses: ['wasm.outlineParallel'] }, () => outlinedOf(f, 'wasm -threads=2'));
    expect(serial).toBe(0);

    for (const target of ['wasm -threads=2', 'wasm -threads=1']) {
      const mod = await build(f, target);
      const a = array(A, [10, 7]);
      const b = array(B, [7, 9]);
      const c = empty([10, 9]);
      await mod.run(a, b, c);
      const got = c.data;
      for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThan(1e-4);
      mod.dispose();
    }
  });
});

describe('lowerForTarget options and target.bind', () => {
  it('keeps steps only when asked, names the target in the debug trace, and binds a function once', () => {
    const { f } = wasmMatmul(5, 3, 4);
    // No trace asked: no steps kept (and no structural comparison per pass).
    expect(lowerForTarget(f, 'wasm -threads=1').steps).toEqual([]);
    expect(lowerForTarget(f, 'wasm -threads=1', { trace: false }).steps).toEqual([]);
    expect(lowerForTarget(f, 'wasm -threads=1', { trace: true }).steps.map((s) => s.name))
      .toEqual(['target.bind', 'wasm.hoistInvariants', 'wasm.outlineParallel']);
    // TENSORTUNE_DEBUG=lower: the input is labelled with the target kind's passes.
    vi.stubEnv('TENSORTUNE_DEBUG', 'lower');
    const out: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    lowerForTarget(f, 'wasm -threads=1');
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    expect(out.join('')).toMatch(/\/\/ pmm: input of the wasm target passes\ndef pmm\(/);
    // target.bind: records the canonical target; a function already bound to it is returned as is.
    const [bind] = targetPasses('wasm -threads=1');
    const ctx = new PassContext();
    const bound = bind!.run(f, ctx);
    expect(bound).not.toBe(f);
    expect(f.attrs['target']).toBeUndefined();
    expect(bound.attrs['target']).toBe(parseTarget('wasm -threads=1').str);
    expect(bind!.run(bound, ctx)).toBe(bound);
    const { steps } = runPasses(bound, [bind!], { ctx, trace: true });
    expect(steps[0]!.changed).toBe(false);
  });
});

describe('user passes by phase', () => {
  it('run at their phase: phase 0 sees multi-dimensional buffers, phase 1 flattened ones, phase 3 the end', () => {
    const seen: { phase: number; dims: number }[] = [];
    const probe = (phase: 0 | 1 | 2 | 3) => ({
      phase,
      pass: { name: `user.probe${phase}`, run: (g: T.PrimFunc) => { seen.push({ phase, dims: g.params[0]!.shape.length }); return g; } },
    });
    const ctx = new PassContext({ passes: [probe(3), probe(0), probe(1), probe(2)] });
    const A = placeholder([4, 6], 'float32', 'A');
    const C = compute([4, 6], (i, j) => A.at(i, j).mul(2), 'C');
    const s = createSchedule([C]);
    const { steps } = lower(s, [A, C], { name: 'scale', trace: true, passContext: ctx });
    expect(seen).toEqual([{ phase: 0, dims: 2 }, { phase: 1, dims: 1 }, { phase: 2, dims: 1 }, { phase: 3, dims: 1 }]);
    const names = steps.map((x) => x.name);
    expect(names.indexOf('user.probe0')).toBeLessThan(names.indexOf('tir.storageFlatten'));
    expect(names.indexOf('user.probe1')).toBe(names.indexOf('tir.storageFlatten') + 1);
    expect(names.at(-1)).toBe('user.probe3');
    // A user pass that breaks the IR is named by the verifier.
    const bad = new PassContext({ passes: [{ phase: 1, pass: { name: 'user.break', run: (g: T.PrimFunc) => ({ ...g, body: T.bufferStore(g.params[1]!, T.floatImm(0), [T.variable('zz')]) }) } }] });
    expect(() => lower(s, [A, C], { passContext: bad })).toThrow(/after user\.break/);
  });
});
