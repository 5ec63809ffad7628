// relay/transform/alter_op_layout.ts — AlterOpLayout for wasm: groups-1 nn.conv2d calls with a constant
// weight become nn.contrib_conv2d_NCHWc on packed NCHW{b}c data, weights packed once here, at build time,
// into [O/ob, C/ib, KH, KW, ib, ob] (TVM's x86 _alter_conv2d_layout), and the packed layout flows on
// between them (relay/transform/layout_propagation.ts). Which convs are packed: every one ('nchwc'), none
// ('nchw'), or per conv by the rule of relay/transform/layout_rule.ts ('auto', the build's default).

import { parseTarget, type Target } from '../../target/index.js';
import { irModule, type IRModule } from '../nodes.js';
import { InferType } from './infer_type.js';
import { packConvAuto } from './layout_rule.js';
import { propagateLayouts } from './layout_propagation.js';
import type { Pass } from './pass.js';

/** Which convolutions AlterOpLayout packs: per its rule ('auto'), every one ('nchwc'), none ('nchw'). */
export type LayoutMode = 'auto' | 'nchwc' | 'nchw';

export const LAYOUT_MODES: readonly LayoutMode[] = ['auto', 'nchwc', 'nchw'];

/**
 * relay.build's `alterOpLayout` option as a mode: true → 'nchwc', false → 'nchw', undefined or 'auto'
 * → 'auto', a mode name as itself. Throws a TypeError naming the option for anything else.
 */
export function layoutMode(opt: boolean | LayoutMode | undefined): LayoutMode {
  if (opt === undefined) return 'auto';
  if (opt === true) return 'nchwc';
  if (opt === false) return 'nchw';
  if (LAYOUT_MODES.includes(opt)) return opt;
  throw new TypeError(`alterOpLayout must be true, false, 'auto', 'nchwc' or 'nchw', got ${JSON.stringify(opt)}`);
}

/**
 * relay.transform.AlterOpLayout(target, mode = 'nchwc'): packed NCHW[x]c convolutions on wasm with the
 * layout kept between them; other targets (WebGPU) and mode 'nchw' leave the module unchanged.
 */
export function AlterOpLayout(target: string | Target, mode: LayoutMode = 'nchwc'): Pass {
  const t = parseTarget(target);
  return {
    name: 'AlterOpLayout',
    run(mod: IRModule): IRModule {
      if (t.kind !== 'wasm' || mode === 'nchw') return mod;
      const main = propagateLayouts(mod.main, mode === 'nchwc' ? () => true : packConvAuto);
      return main === mod.main ? mod : InferType.run(irModule(main));
    },
  };
}
