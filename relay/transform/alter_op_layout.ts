// relay/transform/alter_op_layout.ts — AlterOpLayout for wasm: groups-1 nn.conv2d calls with a constant
// weight become nn.contrib_conv2d_NCHWc on packed NCHW{b}c data, weights packed once here, at build time,
// into [O/ob, C/ib, KH, KW, ib, ob] (TVM's x86 _alter_conv2d_layout), and the packed layout flows on
// between them (relay/transform/layout_propagation.ts). Which convs are packed: every one ('nchwc'), none
// ('nchw'), or per conv by the rule of relay/transform/layout_rule.ts ('auto', the build's default). Before
// packing, 3×3 stride-1 convs may become Winograd F(2×2, 3×3) with weights transformed at build time (TVM's
// arm_cpu/x86 _alter_conv2d_layout → conv2d_winograd_without_weight_transform), chosen by the tuning log's
// best record, else by the default rule of relay/transform/conv_impl.ts. In 'auto', strided convs left in NCHW run
// as im2col + gemm, and strided packed ones as its NCHWc form (layout_rule.ts gemmConvAuto; TVM arm_cpu's conv2d_gemm).

import { parseTarget, type Target } from '../../target/index.js';
import type { ApplyHistoryBest } from '../../tuning-logs/apply_history_best.js';
import { irModule, type Call, type IRModule } from '../nodes.js';
import { chooseWinograd, convCandidates, winogradOption, type ImplSource, type TaskRef, type WinogradConv, type WinogradOption } from './conv_impl.js';
import { InferType } from './infer_type.js';
import { gemmConvAuto, packConvAuto } from './layout_rule.js';
import { propagateLayouts } from './layout_propagation.js';
import type { Pass } from './pass.js';
import type { WinogradTileSize } from '../../ops/nn/winograd_matrices.js';

/** What AlterOpLayout decided for one Winograd-eligible conv: the task it gets and the one it does not. */
export interface ConvChoice {
  readonly call: Call;
  readonly winograd: boolean;
  /** m of the Winograd candidate, F(m×m, 3×3) (the chosen task when `winograd`, else `other`). */
  readonly tileSize: WinogradTileSize;
  readonly source: ImplSource;
  readonly chosen: TaskRef;
  readonly other: TaskRef;
}

export interface AlterOpLayoutOptions {
  /**
   * Winograd F(2×2, 3×3) or F(4×4, 3×3) (conv_impl.ts chooses m) for 3×3, stride-1, dilation-1, groups-1 convs with a constant weight: 'auto' (default)
   * takes the faster candidate by `records`, else the default rule (conv_impl.ts); true every such conv; false none.
   */
  readonly winograd?: WinogradOption;
  /** The build's tuning records (its dispatch context): they decide between Winograd and the direct kernel. */
  readonly records?: ApplyHistoryBest;
  /** Called once per eligible conv with its choice and both candidate tasks (extractTasks lists both). */
  readonly onChoice?: (choice: ConvChoice) => void;
  /**
   * im2col + gemm for the groups-1 convs with a constant weight that layout_rule.ts `gemmConvAuto` picks in mode 'auto':
   * conv2d_gemm for strided ones left in NCHW, conv2d_gemm_NCHWc for strided packed ones with input blocks of ≥ 4
   * channels. true (default) or false (conv2d_nchw and conv2d_NCHWc for all of them).
   */
  readonly gemm?: boolean;
}

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
 * relay.transform.AlterOpLayout(target, mode = 'nchwc', opts): on wasm, Winograd convolutions where
 * `opts.winograd` picks them (default 'auto'; in mode 'nchw' only when it is true), then packed NCHW[x]c
 * convolutions per `mode` with the layout kept between them; other targets (WebGPU) leave the module
 * unchanged. Throws a TypeError naming the option for a bad `opts.winograd`.
 */
export function AlterOpLayout(target: string | Target, mode: LayoutMode = 'nchwc', opts: AlterOpLayoutOptions = {}): Pass {
  const t = parseTarget(target);
  const win = winogradOption(opts.winograd);
  const pack = mode === 'nchwc' ? () => true : mode === 'auto' ? packConvAuto : () => false;
  const useWinograd = (c: Call, w: WinogradConv, packed: boolean): WinogradTileSize | undefined => {
    const { winograd, source, tileSize } = chooseWinograd(w, packed, t, win, opts.records);
    if (opts.onChoice !== undefined) {
      const cand = convCandidates(w, packed, t, tileSize);
      opts.onChoice({ call: c, winograd, tileSize, source, chosen: winograd ? cand.winograd : cand.direct, other: winograd ? cand.direct : cand.winograd });
    }
    return winograd ? tileSize : undefined;
  };
  return {
    name: 'AlterOpLayout',
    run(mod: IRModule): IRModule {
      if (t.kind !== 'wasm' || (mode === 'nchw' && win !== true)) return mod;
      const main = propagateLayouts(mod.main, pack, win === false ? undefined : useWinograd, mode === 'auto' && opts.gemm !== false ? gemmConvAuto : undefined);
      return main === mod.main ? mod : InferType.run(irModule(main));
    },
  };
}
