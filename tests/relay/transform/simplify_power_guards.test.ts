// tests/relay/transform/simplify_power_guards.test.ts — what relay/transform/simplify_power.ts must leave alone:
// an int32 power(x, C) with an all-equal int32 constant C of shape [1] types (InferType accepts int32 power) and
// stays exactly as it is — rewriting its exponent to the float32 scalar the pass makes for float32 exponents would
// leave power(int32, float32), which InferType refuses ("dtypes differ"). And the pass's name, which relay's pass
// trace and RELAY debug output print; a power whose exponent is not a constant is left as it is without reading
// constant data it does not have. (Mutation sample, session 16.)

import { describe, expect, it } from 'vitest';
import { call, constant, func, irModule, variable } from '../../../relay/nodes.js';
import { InferType } from '../../../relay/transform/infer_type.js';
import { SimplifyPower } from '../../../relay/transform/simplify_power.js';
import { tensorType } from '../../../relay/ty.js';

describe('SimplifyPower leaves alone', () => {
  it('an int32 power with an all-equal int32 exponent of shape [1] (the module returned as it is, still typed)', () => {
    const x = variable('x', tensorType([2, 3], 'int32'));
    for (const shape of [[1], [1, 1], [3]]) {
      const n = shape.reduce((a, b) => a * b, 1);
      const m = InferType.run(irModule(func([x], call('power', [x, constant(new Int32Array(n).fill(2), shape)]))));
      expect(SimplifyPower.run(m), `[${shape}]`).toBe(m);
    }
  });

  it('a power whose exponent is not a constant (a parameter, a call)', () => {
    const x = variable('x', tensorType([2, 3]));
    const y = variable('y', tensorType([1]));
    for (const e of [y, call('abs', [y])]) {
      const m = InferType.run(irModule(func([x, y], call('power', [x, e]))));
      expect(SimplifyPower.run(m)).toBe(m);
    }
  });

  it('is named SimplifyPower (the name the pass trace prints)', () => {
    expect(SimplifyPower.name).toBe('SimplifyPower');
  });
});
