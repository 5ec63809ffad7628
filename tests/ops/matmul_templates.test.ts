// tests/ops/matmul_templates.test.ts — dense, matmul and batch_matmul: sampled configs of their wasm and
// WebGPU templates on shapes no tile divides (and broadcast batch dims) against tfjs-core's CPU matMul,
// the fused bias/activation/residual epilogue of the templates, and the named errors of bad arguments.

import { beforeAll, describe, expect, it } from 'vitest';
import { setTemplateWarningSink } from '../../autotune/apply_template.js';
import { Rng } from '../../autotune/rng.js';
import { tensorArg } from '../../autotune/task.js';
import { batchMatmul, dense, matmul } from '../../ops/matmul.js';
import { registerAll } from '../../ops/register.js';
import { placeholder } from '../../schedule/tensor.js';
import { gemmReference, jsBatchMatMul, mismatch, runConfig, seeded, tfMatMul } from './reference.js';

type Case = readonly [op: 'dense' | 'matmul' | 'batch_matmul', a: readonly number[], b: readonly number[]];
const CASES: readonly Case[] = [
  ['dense', [37, 29], [53, 29]], ['dense', [1, 64], [40, 64]], ['dense', [5, 7], [3, 7]],
  ['matmul', [19, 13], [13, 22]], ['matmul', [16, 32], [32, 24]], ['matmul', [1, 5], [5, 1]],
  ['batch_matmul', [3, 9, 7], [3, 7, 10]], ['batch_matmul', [2, 1, 5, 6], [3, 6, 4]], // broadcast [2,1] × [3]
  ['batch_matmul', [4, 8, 16], [1, 16, 12]],
];

describe('dense / matmul / batch_matmul templates', () => {
  const rng = new Rng(99);
  beforeAll(() => {
    registerAll();
    setTemplateWarningSink(() => undefined);
  });

  for (const target of ['wasm', 'webgpu']) {
    for (const op of ['dense', 'matmul', 'batch_matmul'] as const) {
      it(`${op}.${target}: sampled configs match tfjs matMul`, async () => {
        const cases = CASES.filter((c) => c[0] === op);
        let ran = 0;
        // 8 configs per template and target, spread over the op's shapes.
        for (let k = 0; k < 8; k++) {
          const [, aShape, bShape] = cases[k % cases.length]!;
          const index = rng.int(1 << 30);
          const a = seeded(aShape.reduce((x, y) => x * y, 1), index);
          const b = seeded(bShape.reduce((x, y) => x * y, 1), index + 1);
          const want = gemmReference(op, a, aShape, b, bShape);
          const r = await runConfig(`${op}.${target}`, [tensorArg(aShape), tensorArg(bShape)], target, index, [a, b]);
          if (!r.out) continue;
          ran++;
          const i = mismatch(r.out, want);
          expect(i, `${op} ${aShape}×${bShape} config ${r.config}: [${i}] = ${r.out[i]}, expected ${want[i]}`).toBe(-1);
        }
        expect(ran).toBeGreaterThanOrEqual(5);
      }, target === 'webgpu' ? 300_000 : 120_000);
    }
  }

  for (const target of ['wasm', 'webgpu']) {
    it(`dense.${target} with the fused epilogue bias → relu → residual add is right`, async () => {
      const [M, K, N] = [13, 11, 18];
      const x = seeded(M * K, 1);
      const w = seeded(N * K, 2);
      const bias = seeded(N, 3);
      const res = seeded(M * N, 4);
      const prod = tfMatMul(x, [M, K], w, [N, K], true);
      const want = prod.map((v, i) => Math.max(v + bias[i % N]!, 0) + res[i]!);
      for (const index of [5, 4321]) {
        const r = await runConfig(`dense.${target}`, [tensorArg([M, K]), tensorArg([N, K]), ['bias', 'relu', 'residual']], target, index, [x, w, bias, res]);
        if (!r.out) continue;
        const i = mismatch(r.out, want);
        expect(i, `config ${r.config}: [${i}] = ${r.out[i]}, expected ${want[i]}`).toBe(-1);
      }
    }, 300_000);
  }

  it('the JS batch reference agrees with tfjs where tfjs broadcasts (equal ranks)', () => {
    const a = seeded(4 * 8 * 16, 1);
    const b = seeded(16 * 12, 2);
    expect(mismatch(jsBatchMatMul(a, [4, 8, 16], b, [1, 16, 12]), tfMatMul(a, [4, 8, 16], b, [1, 16, 12]))).toBe(-1);
  });

  it('names the op and the problem for bad arguments', () => {
    const A = placeholder([4, 5], 'float32', 'A');
    expect(() => matmul(A, placeholder([4, 5], 'float32', 'B'))).toThrow(/^matmul: inner dimensions differ/);
    expect(() => dense(A, placeholder([3, 6], 'float32', 'W'))).toThrow(/^dense: reduction dimensions differ/);
    expect(() => dense(A, placeholder([3, 5], 'float32', 'W'), placeholder([4], 'float32', 'b'))).toThrow(/^dense: bias b must be \[3\]/);
    expect(() => batchMatmul(placeholder([2, 4, 5], 'float32', 'A3'), placeholder([3, 5, 2], 'float32', 'B3'))).toThrow(/^batchMatmul: batch dimensions do not broadcast/);
    expect(() => batchMatmul(placeholder([5], 'float32', 'A1'), placeholder([5, 2], 'float32', 'B2'))).toThrow(/^batchMatmul: A and B need rank ≥ 2/);
    expect(batchMatmul(placeholder([2, 1, 4, 5], 'float32', 'A4'), placeholder([3, 5, 2], 'float32', 'B4')).dims).toEqual([2, 3, 4, 2]);
  });
});
