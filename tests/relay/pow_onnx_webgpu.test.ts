// tests/relay/pow_onnx_webgpu.test.ts — ONNX Pow with both operands tensors (graph inputs), built by relay for
// webgpu and matched with onnxruntime-node (CPU, std::pow): every special base × special exponent of pow_check.ts
// (±0, ±inf, NaN, ±1, subnormals, negative bases with odd, even and non-integer exponents) plus random negative
// bases with integer exponents, flat; and Pow(x − 1, y) with y broadcast along rows (the pow fused after a Sub).
// Special values bit for bit, the rest within WGSL's bound for pow. onnxruntime itself is checked against C99
// powf (powfRef), so the two references agree.

import { afterAll, describe, expect, it } from 'vitest';
import { build } from '../../relay/backend/build.js';
import { fromOnnx } from '../../relay/frontend/onnx.js';
import { releaseWebGPU } from '../../runtime/webgpu/device.js';
import { POW_X, POW_Y, powMismatches } from '../runtime/webgpu/pow_check.js';
import { buildModel, rng } from './models/onnx_builder.js';
import { ortRun } from './models/reference.js';

afterAll(releaseWebGPU);

/** The webgpu build's output and onnxruntime's for `bytes` on `feeds`. */
async function both(bytes: Uint8Array, feeds: Record<string, { data: Float32Array; shape: number[] }>): Promise<{ got: Float32Array; want: Float32Array }> {
  const [want] = await ortRun(bytes, feeds);
  const lib = await build(fromOnnx(bytes), { target: 'webgpu', tuningLogs: [] });
  try {
    const [z] = await lib.run(Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, v.data])));
    const got = Float32Array.from(z!.toArray() as Float32Array);
    z!.free();
    return { got, want: want! };
  } finally {
    lib.dispose();
  }
}

describe('ONNX Pow(x, y) of two tensors on webgpu matches onnxruntime-node', () => {
  it('special bases × special exponents, and negative bases with integer exponents', async () => {
    const r = rng(16);
    const xs: number[] = [], ys: number[] = [];
    for (const a of POW_X) for (const b of POW_Y) xs.push(a), ys.push(b);
    for (let k = 0; k < 400; k++) xs.push(-(2 ** (-6 + 12 * r()))), ys.push(Math.round(-20 + 40 * r()));
    const x = Float32Array.from(xs), y = Float32Array.from(ys);
    const n = x.length;
    const bytes = buildModel({ opset: 15, inputs: [{ name: 'x', shape: [n] }, { name: 'y', shape: [n] }], outputs: ['z'],
      nodes: [{ op: 'Pow', inputs: ['x', 'y'], outputs: ['z'] }] });
    const { got, want } = await both(bytes, { x: { data: x, shape: [n] }, y: { data: y, shape: [n] } });
    // onnxruntime is C99 powf: here bit equal to Math.pow rounded to float32 with C99's special cases.
    const ort = powMismatches(x, y, want);
    expect([ort.bad.slice(0, 10), ort.worst]).toEqual([[], 0]);
    const { bad } = powMismatches(x, y, got, want);
    expect(bad.slice(0, 20), `${bad.length} mismatches`).toEqual([]);
  }, 120_000);

  it('Pow(x − 1, y), y [cols] broadcast over rows, the pow fused after the Sub', async () => {
    const r = rng(17);
    const [rows, cols] = [13, 27];
    const x = Float32Array.from({ length: rows * cols }, () => -3 + 5 * r());
    const y = Float32Array.from(POW_Y);
    const bytes = buildModel({ opset: 15, inputs: [{ name: 'x', shape: [rows, cols] }, { name: 'y', shape: [cols] }], outputs: ['z'],
      inits: { one: { shape: [], data: [1] } },
      nodes: [{ op: 'Sub', inputs: ['x', 'one'], outputs: ['d'] }, { op: 'Pow', inputs: ['d', 'y'], outputs: ['z'] }] });
    const { got, want } = await both(bytes, { x: { data: x, shape: [rows, cols] }, y: { data: y, shape: [cols] } });
    const d = x.map((v) => v - 1);
    const yFull = Float32Array.from(d, (_, i) => y[i % cols]!);
    const { bad } = powMismatches(d, yFull, got, want);
    expect(bad.slice(0, 20), `${bad.length} mismatches`).toEqual([]);
    // Negative bases reached every kind of exponent.
    expect(d.filter((v, i) => v < 0 && !Number.isInteger(yFull[i]!) && Number.isFinite(yFull[i]!)).length).toBeGreaterThan(20);
  }, 120_000);
});
