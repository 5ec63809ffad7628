// tests/cli/workloads.test.ts — what --op/--shape mean: template, args, FLOPs; errors name the option.

import { beforeAll, describe, expect, it } from 'vitest';
import { createTask } from '../../autotune/task.js';
import { UsageError } from '../../cli/errors.js';
import { registerTemplates, resolveWorkload, workloadFlop } from '../../cli/workloads.js';

beforeAll(async () => {
  await registerTemplates();
});

describe('resolveWorkload', () => {
  it('maps dense M,K,N to X[M,K] and W[N,K], and matmul M,K,N to A[M,K] and B[K,N]', () => {
    const d = resolveWorkload('dense', '1,1024,1000', 'wasm -threads=2');
    expect(d.taskName).toBe('dense.wasm');
    expect(d.args).toEqual([['TENSOR', [1, 1024], 'float32'], ['TENSOR', [1000, 1024], 'float32']]);
    const m = resolveWorkload('matmul', '32,16,8', 'wasm');
    expect(m.taskName).toBe('matmul.wasm');
    expect(m.args).toEqual([['TENSOR', [32, 16], 'float32'], ['TENSOR', [16, 8], 'float32']]);
    expect(resolveWorkload('matmul', '32,16,8', 'webgpu').taskName).toBe('matmul.webgpu');
  });

  it('gives FLOPs from the template (2·M·K·N) and nothing for unknown templates', () => {
    const m = resolveWorkload('matmul', '32,16,8', 'wasm');
    expect(workloadFlop(m.taskName, m.args, 'wasm')).toBe(2 * 32 * 16 * 8);
    expect(createTask(m.taskName, m.args, 'wasm').flop).toBe(2 * 32 * 16 * 8);
    expect(workloadFlop('dense_nopack.x86', m.args, 'llvm -keys=cpu')).toBeUndefined();
  });

  it('names the problem in bad input', () => {
    expect(() => resolveWorkload('conv9d', '1,2,3', 'wasm')).toThrow("--op 'conv9d': unknown operator (known: dense, matmul)");
    expect(() => resolveWorkload('dense', '1,2', 'wasm')).toThrow("--shape '1,2': dense takes M,K,N (3 numbers), e.g. --shape 1,1024,1000");
    expect(() => resolveWorkload('dense', '1,2', 'webgpu')).toThrow(UsageError);
  });
});
