// relay/transform/alter_conv_webgpu.ts — AlterOpLayout for lavapipe's plain WebGPU target (`webgpu -device=llvmpipe`
// without subgroups; TVM picks layouts per target in _alter_conv2d_layout the same way): a groups-1 nn.conv2d whose
// weight is a float32 constant becomes nn.contrib_conv2d_nchw_packed on that weight packed here, once, at build time,
// in blocks of CONV_PACKED_BLOCK output channels ([⌈O/8⌉, C, KH, KW, 8], ops.packConvWeightOC; a constant of the
// module, so the kernel never packs). Data and output stay NCHW. Why: on lavapipe every storage load whose address
// is not built from constants is a per-lane gather, and the packed weight lets a lane read its 8 channels of a tap as
// two vec4 loads instead of 8 scalar ones (docs/webgpu.md "Session 16", "Session 17"). Every other target (plain
// `webgpu`, which also serves SwiftShader and GPUs; another `-device`; the subgroup target; wasm) is left unchanged,
// so their kernels are the same as before.

import * as ops from '../../ops/index.js';
import { wholeImageTile } from '../../ops/templates/conv2d_webgpu.js';
import { inPlaceDevice } from '../../ops/templates/webgpu_target.js';
import { parseTarget, webgpuOptions, type Target } from '../../target/index.js';
import { ExprMutator } from '../functor.js';
import { call, constant, irModule, typeOf, type Call, type Constant, type Expr, type IRModule, type RelayFunction } from '../nodes.js';
import { convAttrs } from '../op/nn.js';
import { CONV_PACKED } from '../op/conv2d_packed.js';
import { asTensor } from '../ty.js';
import { InferType } from './infer_type.js';
import type { Pass } from './pass.js';

/** Output channels a weight block: a lane's 8 channels (the in-place default's), two vec4 loads a tap. */
export const CONV_PACKED_BLOCK = 8;

/** Whether `target` packs conv weights in output-channel blocks: webgpu on an in-place device (lavapipe) without subgroups. */
export function packsConvWeights(target: Target): boolean {
  return target.kind === 'webgpu' && inPlaceDevice(target) && webgpuOptions(target).subgroupSize === undefined;
}

/**
 * Whether conv `c` (typed) runs on a packed weight: nn.conv2d, groups 1, a float32 constant OIHW weight, float32 NCHW
 * data — except where conv2d_nchw.webgpu's default on this target is the whole-image tile (stride 1, dilation 1, an
 * output of at most 49 pixels: ops/templates/conv2d_webgpu.ts wholeImageTile; C12), which the packed template does not
 * have: lanes on output channels, each its own channels' weights, read the OIHW weight as well.
 */
export function convPackedCandidate(c: Call): boolean {
  const w = c.args[1];
  if (c.op !== 'nn.conv2d' || w?.kind !== 'Constant' || w.data.dtype !== 'float32' || w.data.shape.length !== 4) return false;
  const { strides, dilation, groups } = convAttrs(c.attrs, 'nn.conv2d');
  const x = asTensor(typeOf(c.args[0]!), 'AlterConvWeightWebGPU');
  if (groups !== 1 || x.dtype !== 'float32' || x.shape.length !== 4) return false;
  const [, , OH, OW] = asTensor(typeOf(c), 'AlterConvWeightWebGPU').shape as [number, number, number, number];
  const [, , KH, KW] = w.data.shape as [number, number, number, number];
  const unit = [...strides, ...dilation].every((v) => v === 1);
  return !(unit && wholeImageTile(OH, OW, KH, KW) !== undefined);
}

class ConvWeightPacker extends ExprMutator {
  protected override visitCall(c0: Call): Expr {
    const c = super.visitCall(c0) as Call;
    if (!convPackedCandidate(c0)) return c;
    const w = c0.args[1] as Constant;
    const p = ops.packConvWeightOC(w.data.values as Float32Array, w.data.shape, CONV_PACKED_BLOCK);
    const { groups: _g, ...attrs } = c.attrs;
    return call(CONV_PACKED, [c.args[0]!, constant(p.values, p.shape)], {
      ...attrs, channels: w.data.shape[0]!, weight_layout: `OIHW${CONV_PACKED_BLOCK}o`,
    }, c.span);
  }

  /** Fused (primitive) functions are kernels: their bodies are left alone. */
  protected override visitFunction(f: RelayFunction): Expr {
    return f.attrs.primitive ? f : super.visitFunction(f);
  }
}

/**
 * relay.transform.AlterConvWeightWebGPU(target): on `webgpu -device=llvmpipe` without subgroups (packsConvWeights),
 * every conv convPackedCandidate takes becomes nn.contrib_conv2d_nchw_packed on its weight packed at build time;
 * every other target, and every other call, is left unchanged (the same module object when nothing changed).
 */
export function AlterConvWeightWebGPU(target: string | Target): Pass {
  const t = parseTarget(target);
  return {
    name: 'AlterConvWeightWebGPU',
    run(mod: IRModule): IRModule {
      if (!packsConvWeights(t)) return mod;
      const main = new ConvWeightPacker().mutate(mod.main) as RelayFunction;
      return main === mod.main ? mod : InferType.run(irModule(main));
    },
  };
}
