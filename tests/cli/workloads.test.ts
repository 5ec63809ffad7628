// tests/cli/workloads.test.ts — what --op/--shape/--workload mean: template, args, FLOPs; every bad
// parameter is a usage error that names it.

import { existsSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTask } from '../../autotune/task.js';
import { tuneCommand } from '../../autotune/apply_template.js';
import { UsageError } from '../../cli/errors.js';
import { defaultWorkloadsFile, registerTemplates, resolveWorkload, workloadFlop } from '../../cli/workloads.js';
import { tempDir } from '../tuning-logs/helpers.js';

const T = (s: number[]): unknown => ['TENSOR', s, 'float32'];
const dir = tempDir('cli-workloads');
const file = join(dir, 'workloads.json');

beforeAll(async () => {
  await registerTemplates();
  writeFileSync(file, JSON.stringify({ workloads: [
    { id: 'C6', op: 'conv2d', C: 128, H: 28, W: 28, O: 128, R: 3, stride: 1, pad: 1 },
    { id: 'C7', op: 'conv2d', C: 128, H: 28, W: 28, O: 256, R: 3, stride: 2, pad: 1 },
    { id: 'D2', op: 'depthwise_conv2d', C: 64, H: 112, W: 112, R: 3, stride: 2, pad: 1 },
    { id: 'BMM', op: 'batch_matmul', B: 12, M: 128, K: 64, N: 128 },
    { id: 'MM-512', op: 'matmul', M: 512, K: 512, N: 512 },
  ] }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('resolveWorkload', () => {
  it('maps dense M,K,N to X[M,K] and W[N,K], and matmul M,K,N to A[M,K] and B[K,N]', () => {
    const d = resolveWorkload({ op: 'dense', shape: '1,1024,1000' }, 'wasm -threads=2');
    expect(d.taskName).toBe('dense.wasm');
    expect(d.args).toEqual([T([1, 1024]), T([1000, 1024])]);
    const m = resolveWorkload({ op: 'matmul', shape: '32,16,8' }, 'wasm');
    expect(m.taskName).toBe('matmul.wasm');
    expect(m.args).toEqual([T([32, 16]), T([16, 8])]);
    expect(resolveWorkload({ op: 'matmul', shape: 'M=32,K=16,N=8' }, 'wasm').args).toEqual(m.args);
    expect(resolveWorkload({ op: 'matmul', shape: '32,16,8' }, 'webgpu').taskName).toBe('matmul.webgpu');
    expect(resolveWorkload({ op: 'batch_matmul', shape: '2,3,4,5' }, 'wasm').args).toEqual([T([2, 3, 4]), T([2, 4, 5])]);
  });

  it('maps named conv parameters to each conv template\'s args (TOPI order)', () => {
    const c = resolveWorkload({ op: 'conv2d', shape: 'N=2,C=6,H=9,W=7,O=4,kernel=3x1,stride=2,pad=0,1,1,2,dilation=1x2,groups=2' }, 'wasm');
    expect(c.taskName).toBe('conv2d_nchw.wasm');
    expect(c.args).toEqual([T([2, 6, 9, 7]), T([4, 3, 3, 1]), [2, 2], [0, 1, 1, 2], [1, 2], 2]);
    // Defaults: N=1, stride 1, pad 0, dilation 1, groups 1; names are case-insensitive, common aliases work.
    expect(resolveWorkload({ op: 'conv2d', shape: 'c=3,h=5,w=5,o=8,kernel_size=3,padding=1' }, 'webgpu').args)
      .toEqual([T([1, 3, 5, 5]), T([8, 3, 3, 3]), [1, 1], [1, 1, 1, 1], [1, 1], 1]);
    expect(resolveWorkload({ op: 'depthwise_conv2d', shape: 'C=5,H=8,W=8,kernel=3,stride=2,pad=1x2,multiplier=2' }, 'wasm').args)
      .toEqual([T([1, 5, 8, 8]), T([10, 1, 3, 3]), [2, 2], [1, 2, 1, 2], [1, 1]]);
    expect(resolveWorkload({ op: 'conv2d_winograd', shape: 'C=3,H=6,W=5,O=4,pad=1' }, 'wasm').args)
      .toEqual([T([1, 3, 6, 5]), T([4, 3, 3, 3]), [1, 1, 1, 1]]);
    expect(resolveWorkload({ op: 'conv2d_NCHWc', shape: 'C=12,H=6,W=6,O=6,kernel=3' }, 'wasm').args)
      .toEqual([T([1, 3, 6, 6, 4]), T([3, 3, 3, 3, 4, 2]), [1, 1], [0, 0, 0, 0], [1, 1]]);
    expect(resolveWorkload({ op: 'conv2d_NCHWc', shape: 'C=12,H=6,W=6,O=6,kernel=3,ic_block=3,oc_block=1' }, 'wasm').args[0]).toEqual(T([1, 4, 6, 6, 3]));
    expect(resolveWorkload({ op: 'depthwise_conv2d_NCHWc', shape: 'C=12,H=7,W=9,kernel=3,stride=2,pad=1' }, 'wasm').args)
      .toEqual([T([1, 3, 7, 9, 4]), T([3, 1, 3, 3, 1, 4]), [2, 2], [1, 1, 1, 1], [1, 1]]);
    expect(resolveWorkload({ op: 'depthwise_conv2d_NCHWc', shape: 'C=6,H=7,W=9,kernel=3' }, 'wasm').args[0]).toEqual(T([1, 3, 7, 9, 2]));
    expect(resolveWorkload({ op: 'conv2d_transpose', shape: 'C=4,H=5,W=5,O=6,kernel=4,stride=2,pad=1,output_padding=1,groups=2' }, 'wasm').args)
      .toEqual([T([1, 4, 5, 5]), T([4, 3, 4, 4]), [2, 2], [1, 1, 1, 1], [1, 1], [1, 1], 2]);
    const e = resolveWorkload({ op: 'conv2d', shape: 'C=3,H=5,W=5,O=8,kernel=3', epilogue: 'bias,relu' }, 'wasm');
    expect(e.args[6]).toEqual(['bias', 'relu']);
  });

  it('takes --workload ids from the workloads file; --op picks a conv2d entry\'s layout', () => {
    const w = resolveWorkload({ workload: 'C6', workloadsFile: file }, 'wasm -threads=1');
    expect(w.taskName).toBe('conv2d_nchw.wasm');
    expect(w.args).toEqual([T([1, 128, 28, 28]), T([128, 128, 3, 3]), [1, 1], [1, 1, 1, 1], [1, 1], 1]);
    expect(resolveWorkload({ workload: 'C6', op: 'conv2d_winograd', workloadsFile: file }, 'wasm').taskName).toBe('conv2d_winograd.wasm');
    expect(resolveWorkload({ workload: 'C6', op: 'conv2d_NCHWc', workloadsFile: file }, 'wasm').args[1]).toEqual(T([16, 16, 3, 3, 8, 8]));
    expect(resolveWorkload({ workload: 'D2', workloadsFile: file }, 'wasm').args).toEqual([T([1, 64, 112, 112]), T([64, 1, 3, 3]), [2, 2], [1, 1, 1, 1], [1, 1]]);
    expect(resolveWorkload({ workload: 'BMM', workloadsFile: file }, 'wasm').args).toEqual([T([12, 128, 64]), T([12, 64, 128])]);
    expect(() => resolveWorkload({ workload: 'C7', op: 'conv2d_winograd', workloadsFile: file }, 'wasm')).toThrow('--workload C7: conv2d_winograd is F(2×2, 3×3): stride must be 1, got 2x2 (use --op conv2d)');
    expect(() => resolveWorkload({ workload: 'D2', op: 'conv2d', workloadsFile: file }, 'wasm')).toThrow('workload D2 is a depthwise_conv2d; --op conv2d cannot take it (ops that can: depthwise_conv2d, depthwise_conv2d_NCHWc)');
    expect(resolveWorkload({ workload: 'D2', op: 'depthwise_conv2d_NCHWc', workloadsFile: file }, 'wasm').args).toEqual([T([1, 16, 112, 112, 4]), T([16, 1, 3, 3, 1, 4]), [2, 2], [1, 1, 1, 1], [1, 1]]);
    expect(() => resolveWorkload({ workload: 'C99', workloadsFile: file }, 'wasm')).toThrow("--workload 'C99': no such id in");
    expect(() => resolveWorkload({ workload: 'C6', workloadsFile: join(dir, 'none.json') }, 'wasm')).toThrow('does not exist; give one with --workloads-file');
    expect(() => resolveWorkload({ workload: 'C6', shape: '1,2,3', workloadsFile: file }, 'wasm')).toThrow("with --workload, --shape takes name=value parameters that replace or add to the entry's (e.g. transformed=1), not a whole shape '1,2,3'");
  });

  it('takes --shape name=value beside --workload: parameters the entry lacks, or replacements', () => {
    const plain = resolveWorkload({ workload: 'C6', op: 'conv2d_winograd', workloadsFile: file }, 'wasm');
    expect(plain.args[1]).toEqual(T([128, 128, 3, 3]));
    const host = resolveWorkload({ workload: 'C6', op: 'conv2d_winograd', shape: 'transformed=1', workloadsFile: file }, 'wasm');
    expect(host.taskName).toBe('conv2d_winograd.wasm');
    // The same args as the whole shape written out: one workload key, one TopHub record.
    expect(host.args).toEqual(resolveWorkload({ op: 'conv2d_winograd', shape: 'C=128,H=28,W=28,O=128,pad=1,transformed=1' }, 'wasm').args);
    expect(host.args[1]).toEqual(T([16, 128, 128]));
    const n2 = resolveWorkload({ workload: 'C6', shape: 'N=2,pad=0', workloadsFile: file }, 'wasm');
    expect(n2.args.slice(0, 4)).toEqual([T([2, 128, 28, 28]), T([128, 128, 3, 3]), [1, 1], [0, 0, 0, 0]]);
    expect(resolveWorkload({ workload: 'MM-512', shape: 'N=64', workloadsFile: file }, 'wasm').args).toEqual([T([512, 512]), T([512, 64])]);
    expect(() => resolveWorkload({ workload: 'C6', op: 'conv2d_winograd', shape: 'transformed=2', workloadsFile: file }, 'wasm')).toThrow("--workload C6 --shape 'transformed=2': conv2d_winograd: transformed must be 0");
    expect(() => resolveWorkload({ workload: 'C6', shape: 'bogus=1', workloadsFile: file }, 'wasm')).toThrow("--workload C6 --shape 'bogus=1'");
    // F(4×4): its own task, weights [36, O, C] on the host; wasm only; the same restrictions, named by its op.
    const m4 = resolveWorkload({ workload: 'C6', op: 'conv2d_winograd_m4', shape: 'transformed=1', workloadsFile: file }, 'wasm');
    expect([m4.taskName, m4.args[1]]).toEqual(['conv2d_winograd_m4.wasm', T([36, 128, 128])]);
    expect(() => resolveWorkload({ workload: 'C6', op: 'conv2d_winograd_m4', workloadsFile: file }, 'webgpu')).toThrow("--op conv2d_winograd_m4 has no tunable template on target 'webgpu' (it has one on: wasm)");
    expect(() => resolveWorkload({ workload: 'C7', op: 'conv2d_winograd_m4', workloadsFile: file }, 'wasm')).toThrow('--workload C7: conv2d_winograd_m4 is F(4×4, 3×3): stride must be 1, got 2x2 (use --op conv2d)');
    expect(() => resolveWorkload({ workload: 'C6', op: 'conv2d_winograd_m4', shape: 'transformed=2', workloadsFile: file }, 'wasm')).toThrow('weights [36, O, C] transformed on the host');
  });

  it('prints a shape that reads back to the same args (the tune hint of a build without a record)', () => {
    const shapes: [string, string][] = [
      ['conv2d', 'N=2,C=6,H=9,W=7,O=4,kernel=3x1,stride=2,pad=0x1x1x2,dilation=1x2,groups=2'],
      ['conv2d', 'N=1,C=3,H=5,W=5,O=8,kernel=3,pad=1x2'],
      ['depthwise_conv2d', 'N=1,C=5,H=8,W=8,kernel=3,stride=2,pad=1,multiplier=2'],
      ['conv2d_winograd', 'N=1,C=3,H=6,W=5,O=4,pad=1'],
      ['conv2d_winograd_m4', 'N=2,C=3,H=6,W=5,O=4,pad=1,transformed=1'],
      ['conv2d_NCHWc', 'N=1,C=12,H=6,W=6,O=6,kernel=3,ic_block=4,oc_block=2'],
      ['depthwise_conv2d_NCHWc', 'N=1,C=12,H=7,W=9,kernel=3,stride=2,pad=1,block=2'],
      ['conv2d_transpose', 'N=1,C=4,H=5,W=5,O=6,kernel=4,stride=2,pad=1,output_padding=1,groups=2'],
      ['dense', '1,1024,1000'],
    ];
    for (const [op, shape] of shapes) {
      const w = resolveWorkload({ op, shape }, 'wasm');
      expect(tuneCommand(createTask(w.taskName, w.args, 'wasm'))).toBe(`tensortune tune --op ${op} --shape ${shape} --target 'wasm'`);
    }
    const e = resolveWorkload({ op: 'conv2d', shape: 'C=3,H=5,W=5,O=8,kernel=3', epilogue: 'bias,relu' }, 'wasm');
    expect(tuneCommand(createTask(e.taskName, e.args, 'wasm'))).toBe("tensortune tune --op conv2d --shape N=1,C=3,H=5,W=5,O=8,kernel=3 --epilogue bias,relu --target 'wasm'");
  });

  it('gives FLOPs from the template (2·M·K·N; 2·N·O·OH·OW·C/g·KH·KW) and nothing for unknown templates', () => {
    const m = resolveWorkload({ op: 'matmul', shape: '32,16,8' }, 'wasm');
    expect(workloadFlop(m.taskName, m.args, 'wasm')).toBe(2 * 32 * 16 * 8);
    const c = resolveWorkload({ op: 'conv2d', shape: 'C=4,H=6,W=6,O=8,kernel=3,groups=2' }, 'wasm');
    expect(createTask(c.taskName, c.args, 'wasm').flop).toBe(2 * 8 * 4 * 4 * 2 * 9);
    expect(workloadFlop('dense_nopack.x86', m.args, 'llvm -keys=cpu')).toBeUndefined();
  });

  it('names the option and the parameter in bad input', () => {
    const bad = (op: string, shape: string, target = 'wasm'): (() => unknown) => () => resolveWorkload({ op, shape }, target);
    expect(() => resolveWorkload({ op: 'conv9d', shape: '1,2,3' }, 'wasm')).toThrow("--op 'conv9d': unknown operator (known: dense, matmul, batch_matmul, conv2d, conv2d_NCHWc, conv2d_winograd, conv2d_winograd_m4, conv2d_gemm, conv2d_gemm_NCHWc, conv2d_nchw_packed, depthwise_conv2d, depthwise_conv2d_NCHWc, conv2d_transpose)");
    expect(bad('dense', '1,2')).toThrow("--shape '1,2': dense takes M,K,N (3 numbers), e.g. 1,1024,1000");
    expect(bad('dense', '1,2', 'webgpu')).toThrow(UsageError);
    expect(bad('conv2d', '1,3,5,5')).toThrow('conv2d takes named parameters (N, C, H, W, O, kernel, stride, pad, dilation, groups)');
    expect(bad('conv2d', 'C=3,H=5,W=5,O=8')).toThrow('conv2d needs kernel (kernel size, KH or KHxKW)');
    expect(bad('conv2d', 'C=3,H=5,W=5,O=8,kernel=3,K=2')).toThrow("conv2d has no parameter 'K' (parameters: N, C, H, W, O, kernel, stride, pad, dilation, groups)");
    expect(bad('conv2d', 'C=3,H=5,W=5,O=8,kernel=3,pad=1,1,1')).toThrow('pad takes 1 number or 2 numbers or 4 numbers');
    expect(bad('conv2d', 'C=3,H=5,W=5,O=8,kernel=3,stride=0')).toThrow('stride must be ≥ 1, got 0');
    expect(bad('conv2d', 'C=3,H=5,W=5,O=8,kernel=3,pad=-1')).toThrow('pad must be non-negative, got -1');
    expect(bad('conv2d', 'C=3,H=5,W=5,O=8,kernel=2.5')).toThrow("kernel '2.5': expected integers");
    expect(bad('conv2d', 'C=3,H=5,W=5,O=8,kernel=3,C=4')).toThrow('C given twice');
    expect(bad('conv2d', 'C=6,H=5,W=5,O=8,kernel=3,groups=4')).toThrow('conv2d: C 6 is not divisible by groups 4');
    expect(bad('conv2d', 'C=6,H=5,W=5,O=9,kernel=3,groups=2')).toThrow('conv2d: O 9 is not divisible by groups 2');
    expect(bad('conv2d', 'C=6,H=5,W=5,O=12,kernel=3,groups=6')).toThrow('use --op depthwise_conv2d (multiplier=2)');
    expect(bad('conv2d', 'C=3,H=2,W=5,O=8,kernel=3')).toThrow('conv2d: output height would be 0 (H 2 + pad 0+0, dilated kernel 3, stride 1); change H, kernel, stride, dilation or pad');
    expect(bad('conv2d', 'C=3,H=5,W=5,O=8,kernel=3,dilation=3')).toThrow('output height would be -1');
    expect(bad('conv2d_winograd', 'C=3,H=5,W=5,O=8,kernel=5')).toThrow('conv2d_winograd is F(2×2, 3×3): kernel must be 3, got 5x5 (use --op conv2d)');
    expect(bad('conv2d_winograd', 'C=3,H=5,W=5,O=8,dilation=2')).toThrow("conv2d_winograd has no parameter 'dilation'");
    expect(bad('conv2d_NCHWc', 'C=12,H=6,W=6,O=6,kernel=3,ic_block=5')).toThrow('conv2d_NCHWc: C 12 is not divisible by ic_block 5');
    expect(bad('depthwise_conv2d', 'C=1,H=6,W=6,kernel=3')).toThrow('depthwise_conv2d: C must be > 1');
    expect(bad('depthwise_conv2d_NCHWc', 'C=12,H=6,W=6,kernel=3,block=8')).toThrow('depthwise_conv2d_NCHWc: C 12 is not divisible by block 8');
    expect(bad('depthwise_conv2d_NCHWc', 'C=12,H=6,W=6,kernel=3,multiplier=2')).toThrow("depthwise_conv2d_NCHWc has no parameter 'multiplier'");
    expect(bad('depthwise_conv2d_NCHWc', 'C=12,H=6,W=6,kernel=3', 'webgpu')).toThrow("--op depthwise_conv2d_NCHWc has no tunable template on target 'webgpu' (it has one on: wasm)");
    expect(bad('conv2d_transpose', 'C=4,H=5,W=5,O=6,kernel=3,stride=2,output_padding=2')).toThrow('conv2d_transpose: output_padding 2 must be smaller than the stride 2 or the dilation 1');
    expect(bad('conv2d_transpose', 'C=4,H=1,W=5,O=6,kernel=1,pad=1')).toThrow('conv2d_transpose: output height would be -1');
    expect(bad('conv2d', '=3')).toThrow("conv2d has no parameter ''");
    expect(bad('conv2d', '3,C=3')).toThrow("'3' before any name=value");
    expect(() => resolveWorkload({ op: 'conv2d', shape: 'C=3,H=5,W=5,O=8,kernel=3', epilogue: 'bias,gelu' }, 'wasm')).toThrow("--epilogue 'bias,gelu': unknown step 'gelu' (steps: bias, relu, relu6, sigmoid, residual)");
    for (const f of [bad('conv2d', 'C=3,H=5,W=5,O=8'), bad('conv2d_winograd', 'C=3,H=5,W=5,O=8,kernel=5')]) expect(f).toThrow(UsageError);
  });
});

describe('the default workloads file', () => {
  it('is shipped in the package (data/workloads.json) with the shared ids, identical to ../shared/workloads.json where that exists', () => {
    const root = new URL('../../', import.meta.url);
    const shipped = JSON.parse(readFileSync(new URL('data/workloads.json', root), 'utf8')) as { workloads: { id: string }[] };
    const ids = shipped.workloads.map((w) => w.id);
    for (const id of ['C1', 'C6', 'C12', 'D1', 'D9', 'MM-512', 'DENSE-fc', 'BMM-attn']) expect(ids).toContain(id);
    const shared = new URL('../shared/workloads.json', root);
    if (existsSync(shared)) {
      // The shared file is the source of truth while developing; the shipped copy must not drift from it.
      expect(readFileSync(new URL('data/workloads.json', root), 'utf8')).toBe(readFileSync(shared, 'utf8'));
      expect(defaultWorkloadsFile()).toBe(fileURLToPath(shared));
    }
    expect(existsSync(defaultWorkloadsFile())).toBe(true);
  });
});
