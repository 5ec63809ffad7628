// tests/runtime/webgpu/docs_pow_example.test.ts — docs/webgpu.md's elementwise example (ops.pow built for the adapter at
// hand, through the public exports) run as written, so the doc and the package's exports stay true.

import { describe, expect, it } from 'vitest';
import { build, nd, ops, runtime, te } from '../../../index.js';

describe("docs/webgpu.md's elementwise example", () => {
  it('builds ops.pow for runtime.webgpuTargetString() and gives C99 results for negative bases', async () => {
    const target = await runtime.webgpuTargetString();
    expect(target.startsWith('webgpu')).toBe(true);
    const A = te.placeholder([4], 'float32', 'A');
    const B = te.placeholder([4], 'float32', 'B');
    const C = ops.pow(A, B);
    const s = ops.defaultSchedule([C], target);
    const mod = await build(te.lower(s, [A, B, C], { name: 'pow' }), target);
    const c = nd.empty([4], 'float32');
    await mod.run(nd.array(new Float32Array([-2, 3, -2, 0])), nd.array(new Float32Array([3, 2, 0.5, -1])), c);
    // Math.pow is C99's pow here: −8, 9, NaN (negative base, non-integer exponent), +∞ (pow(+0, −1)).
    expect(Array.from(await c.toArray())).toEqual([-8, 9, Number.NaN, Number.POSITIVE_INFINITY]);
    mod.dispose?.();
    await runtime.releaseWebGPU();
  }, 120_000);
});
