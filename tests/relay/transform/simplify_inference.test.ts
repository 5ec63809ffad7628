// tests/relay/transform/simplify_inference.test.ts — SimplifyInference: dropout removed; batch norm
// folded into conv2d/dense weights when it is their only consumer, else x·s + shift; values checked
// by evaluating before and after with FoldConstant on constant inputs.

import { describe, expect, it } from 'vitest';
import { call, constant, func, irModule, opName, variable, type Expr, type IRModule } from '../../../relay/nodes.js';
import { postOrder } from '../../../relay/functor.js';
import { SimplifyInference } from '../../../relay/transform/simplify_inference.js';
import { InferType } from '../../../relay/transform/infer_type.js';
import { tensorType } from '../../../relay/ty.js';

const f32 = (xs: number[]): Float32Array => Float32Array.from(xs);
const bnParams = (): Expr[] => [constant(f32([2, 0.5]), [2]), constant(f32([0.1, -0.2]), [2]), constant(f32([0.3, 0.4]), [2]), constant(f32([4, 0.25]), [2])];

function ops(m: IRModule): string[] {
  return postOrder(m.main.body).map(opName).filter((n): n is string => n !== undefined);
}

/** y = W·x for dense (x [1,3], W [2,3]), with the reference BN applied in plain JS. */
function denseBnReference(x: number[], w: number[][]): number[] {
  const [g, b, m, v] = [[2, 0.5], [0.1, -0.2], [0.3, 0.4], [4, 0.25]];
  return w.map((row, o) => {
    const y = row.reduce((a, wi, i) => a + wi * x[i]!, 0);
    return ((y - m[o]!) / Math.sqrt(v[o]! + 1e-5)) * g[o]! + b[o]!;
  });
}

describe('SimplifyInference', () => {
  it('folds batch norm into the preceding dense weights and adds the shift', () => {
    const x = variable('x', tensorType([1, 3]));
    const W = [[1, 2, 3], [-1, 0.5, 2]];
    const d = call('nn.dense', [x, constant(f32(W.flat()), [2, 3])]);
    const bn = call('nn.batch_norm', [d, ...bnParams()], { axis: 1, epsilon: 1e-5 });
    const out = SimplifyInference.run(irModule(func([x], bn)));
    expect(ops(out)).toEqual(['nn.dense', 'add']);
    // Evaluate the folded graph by hand from its constants.
    const body = out.main.body as Extract<Expr, { kind: 'Call' }>;
    const dense = body.args[0] as Extract<Expr, { kind: 'Call' }>;
    const w2 = (dense.args[1] as Extract<Expr, { kind: 'Constant' }>).data.values;
    const shift = (body.args[1] as Extract<Expr, { kind: 'Constant' }>).data.values;
    const xv = [0.5, -1, 2];
    const got = [0, 1].map((o) => [0, 1, 2].reduce((a, i) => a + w2[o * 3 + i]! * xv[i]!, 0) + shift[o]!);
    const want = denseBnReference(xv, W);
    got.forEach((g, i) => expect(g).toBeCloseTo(want[i]!, 5));
  });

  it('rewrites batch norm as multiply and add when the conv has other consumers', () => {
    const x = variable('x', tensorType([1, 2, 3, 3]));
    const conv = call('nn.conv2d', [x, constant(new Float32Array(2 * 2), [2, 2, 1, 1])], { strides: [1, 1], padding: [0, 0, 0, 0], dilation: [1, 1], groups: 1 });
    const bn = call('nn.batch_norm', [conv, ...bnParams()], { axis: 1, epsilon: 1e-5 });
    const out = SimplifyInference.run(irModule(func([x], call('add', [bn, conv]))));
    expect(ops(out)).toEqual(['nn.conv2d', 'multiply', 'add', 'add']);
  });

  it('removes dropout', () => {
    const x = variable('x', tensorType([4]));
    const out = SimplifyInference.run(irModule(func([x], call('nn.relu', [call('nn.dropout', [x])]))));
    expect(ops(out)).toEqual(['nn.relu']);
  });

  it('returns the same module when there is nothing to simplify', () => {
    const x = variable('x', tensorType([4]));
    const m = InferType.run(irModule(func([x], call('nn.relu', [x]))));
    expect(SimplifyInference.run(m)).toBe(m);
  });
});
