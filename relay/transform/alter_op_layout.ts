// relay/transform/alter_op_layout.ts — AlterOpLayout for wasm: each nn.conv2d (groups 1) with a
// constant weight becomes layout_transform → nn.contrib_conv2d_NCHWc → layout_transform, its weight
// packed once here, at build time, into [O/ob, C/ib, KH, KW, ib, ob] (TVM's x86 _alter_conv2d_layout).

import * as ops from '../../ops/index.js';
import { parseTarget, type Target } from '../../target/index.js';
import { ExprMutator } from '../functor.js';
import { call, constant, irModule, type Call, type Expr, type IRModule, type RelayFunction } from '../nodes.js';
import { numAttr } from '../op/op_def.js';
import { InferType } from './infer_type.js';
import type { Pass } from './pass.js';

class Alter extends ExprMutator {
  protected override visitCall(c0: Call): Expr {
    const c = super.visitCall(c0) as Call;
    if (c.op !== 'nn.conv2d' || numAttr(c.attrs, 'nn.conv2d', 'groups', 1) !== 1) return c;
    const w = c.args[1]!;
    if (w.kind !== 'Constant' || w.data.dtype !== 'float32') return c;
    const [O, C] = w.data.shape as [number, number];
    const { icBlock, ocBlock } = ops.nchwcBlocks(C, O);
    const packed = ops.packWeights(w.data.values as Float32Array, w.data.shape, icBlock, ocBlock);
    const [, , KH, KW] = w.data.shape as [number, number, number, number];
    const wp = constant(packed, [O / ocBlock, C / icBlock, KH, KW, icBlock, ocBlock]);
    const x = call('layout_transform', [c.args[0]!], { src_layout: 'NCHW', dst_layout: `NCHW${icBlock}c` }, c.span);
    const { groups: _g, ...attrs } = c.attrs;
    const y = call('nn.contrib_conv2d_NCHWc', [x, wp], attrs, c.span);
    return call('layout_transform', [y], { src_layout: `NCHW${ocBlock}c`, dst_layout: 'NCHW' }, c.span);
  }
}

/** relay.transform.AlterOpLayout(target): packed NCHW[x]c convolutions on wasm; other targets unchanged. */
export function AlterOpLayout(target: string | Target): Pass {
  const t = parseTarget(target);
  return {
    name: 'AlterOpLayout',
    run(mod: IRModule): IRModule {
      if (t.kind !== 'wasm') return mod;
      const main = new Alter().mutate(mod.main) as RelayFunction;
      return main === mod.main ? mod : InferType.run(irModule(main));
    },
  };
}
