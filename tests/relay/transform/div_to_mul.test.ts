// tests/relay/transform/div_to_mul.test.ts — DivToMul (TVM's relay.transform.DivToMul): a float32 division by a
// constant becomes a multiplication by its reciprocal (before / expected pairs); divisions it must keep (by a
// variable, int32, divisors whose reciprocal is not a finite normal float); the module returned unchanged when
// nothing applies; and hard-swish built with relay.build against plain JS (the product is the quotient to ~1 ulp).

import { describe, expect, it } from 'vitest';
import { build } from '../../../relay/backend/build.js';
import { call, constant, func, irModule, variable, type Expr } from '../../../relay/nodes.js';
import { printExpr } from '../../../relay/printer.js';
import { DivToMul } from '../../../relay/transform/div_to_mul.js';
import { InferType } from '../../../relay/transform/infer_type.js';
import { tensorType } from '../../../relay/ty.js';

const x = variable('x', tensorType([1, 2, 3, 4]));
const mod = (body: Expr) => InferType.run(irModule(func([x], body)));
const run = (body: Expr): string => printExpr(DivToMul.run(mod(body)).main);
const text = (body: Expr): string => printExpr(mod(body).main);

describe('DivToMul', () => {
  it('divide(x, 6) becomes multiply(x, 1/6) rounded to float32', () => {
    const out = DivToMul.run(mod(call('divide', [x, constant(Float32Array.of(6), [])])));
    const body = out.main.body as Extract<Expr, { kind: 'Call' }>;
    expect(body.op).toBe('multiply');
    expect(body.args[0]).toBe(x);
    const c = body.args[1] as Extract<Expr, { kind: 'Constant' }>;
    expect(c.data.shape).toEqual([]);
    expect(Array.from(c.data.values)).toEqual([Math.fround(1 / 6)]);
    expect(run(call('divide', [x, constant(Float32Array.of(6), [])]))).toBe(text(call('multiply', [x, constant(Float32Array.of(Math.fround(1 / 6)), [])])));
  });

  it('a per-channel divisor becomes per-channel reciprocals of the same shape, inside a larger expression', () => {
    const before = call('nn.relu', [call('divide', [call('add', [x, x]), constant(Float32Array.of(2, -0.25), [2, 1, 1])])]);
    const expected = call('nn.relu', [call('multiply', [call('add', [x, x]), constant(Float32Array.of(0.5, -4), [2, 1, 1])])]);
    expect(run(before)).toBe(text(expected));
  });

  it('keeps divisions by a variable, by int32 constants and by divisors without a finite normal reciprocal', () => {
    const y = variable('y', tensorType([1, 2, 3, 4]));
    const byVar = InferType.run(irModule(func([x, y], call('divide', [x, y]))));
    expect(DivToMul.run(byVar)).toBe(byVar);
    const i = variable('i', tensorType([4], 'int32'));
    const intDiv = InferType.run(irModule(func([i], call('divide', [i, constant(Int32Array.of(3), [])]))));
    expect(DivToMul.run(intDiv)).toBe(intDiv);
    for (const d of [0, -0, Infinity, NaN, 1e-40, 3e38]) {
      const m = mod(call('divide', [x, constant(Float32Array.of(2, d), [2, 1, 1])]));
      expect(DivToMul.run(m), String(d)).toBe(m);
    }
  });

  it('hard-swish x·clip(x + 3, 0, 6) / 6 built with relay.build matches plain JS, with no division left', async () => {
    const hs = call('divide', [call('multiply', [x, call('clip', [call('add', [x, constant(Float32Array.of(3), [])])], { a_min: 0, a_max: 6 })]), constant(Float32Array.of(6), [])]);
    const lib = await build(irModule(func([x], hs)), { target: 'wasm -threads=1', tuningLogs: [] });
    try {
      expect(lib.plan.kernels.flatMap((k) => k.ops ?? [])).not.toContain('divide');
      expect(lib.report.passes.find((p) => p.name === 'DivToMul')?.changed).toBe(true);
      const data = Float32Array.from({ length: 24 }, (_, k) => (k - 12) * 0.7);
      const [y] = await lib.run({ x: data });
      const want = Array.from(data, (v) => (v * Math.min(Math.max(Math.fround(v + 3), 0), 6)) / 6);
      Array.from(y!.data).forEach((v, k) => expect(Math.abs(v - want[k]!)).toBeLessThanOrEqual(2 * 2 ** -23 * Math.max(1, Math.abs(want[k]!))));
      y!.free();
    } finally {
      lib.dispose();
    }
  }, 60_000);
});
