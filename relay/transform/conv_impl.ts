// relay/transform/conv_impl.ts — which implementation a 3×3 stride-1 conv gets on wasm: Winograd F(2×2, 3×3) or
// F(4×4, 3×3) with host-transformed weights, or the direct kernel (conv2d_NCHWc / conv2d_nchw). As TVM's
// relay.backend.te_compiler.select_implementation, the tuning log's records of the candidates' workloads
// decide — here when it holds both; otherwise a measured default rule (bench/winograd_rule.ts). The
// candidates' tasks are rebuilt here exactly as the build will meet them (ops.taskOf on the same te ops).

import * as ops from '../../ops/index.js';
import { placeholder } from '../../schedule/tensor.js';
import type { Target } from '../../target/index.js';
import type { ApplyHistoryBest } from '../../tuning-logs/apply_history_best.js';
import { meanCost } from '../../tuning-logs/record.js';
import { workloadKey, type WorkloadArg } from '../../tuning-logs/workload_key.js';
import { typeOf, type Call } from '../nodes.js';
import { convAttrs } from '../op/nn.js';
import { asTensor } from '../ty.js';
import type { WinogradTileSize } from '../../ops/nn/winograd_matrices.js';

/** relay.build's `winograd` option: 'auto' (default: the log, else the rule), true (every eligible conv), false (none). */
export type WinogradOption = boolean | 'auto';

/** The option checked: undefined → 'auto'; anything but true, false, 'auto' is a TypeError naming the option. */
export function winogradOption(opt: unknown): WinogradOption {
  if (opt === undefined) return 'auto';
  if (opt === true || opt === false || opt === 'auto') return opt;
  throw new TypeError(`winograd must be true, false or 'auto', got ${JSON.stringify(opt)}`);
}

/**
 * The default rule, part 1: Winograd when the harmonic mean of the input and output channel counts,
 * 2·C·O / (C + O), is at least this against the packed direct kernel (conv2d_NCHWc), and at least
 * WINOGRAD_MIN_CHANNELS_NCHW against conv2d_nchw (the layout rule leaves convs with outputs ≥ 32 wide in NCHW).
 * Its transforms cost ∝ (C + O) per tile and it saves 20 of 36 multiplies per tile and channel pair (∝ C·O),
 * so the channel counts decide. Measured (bench/winograd_rule.ts, untuned defaults, 1 thread, CPU time;
 * Winograd ÷ NCHWc with data packed in and out): C = O = 8, 16, 32: 0.46–0.70×, 0.65–0.70×, 0.86–0.87× on
 * 10²–56² images; 48: 1.01–1.08×; C 32 → O 128 1.07×, 128 → 32 0.94×; C = O = 64: 1.13–1.26× on 7²–56²; 96:
 * 1.23×; 128: 1.31–1.55×; 256: 1.32–1.66×. 64 keeps only the clear wins.
 */
export const WINOGRAD_MIN_CHANNELS = 64;

/**
 * The same threshold against conv2d_nchw. Measured as above, Winograd ÷ conv2d_nchw: C = O = 8: 0.62–0.71×;
 * 16: 0.79× (56²), 0.85× (20²), 1.04× (10²); 32: 1.20× (28²), 1.39× (14²); 48: 1.46–1.66×; 128 → 32: 1.55×.
 */
export const WINOGRAD_MIN_CHANNELS_NCHW = 32;

/**
 * The channel thresholds when the tile rule picks F(4×4, 3×3) (winogradTileByRule), against conv2d_NCHWc and
 * conv2d_nchw: its vectorized transforms and 36 products for 144 pay off at fewer channels. Measured as above
 * (F(4×4) ÷ the direct kernel): C = O = 16: NCHWc 0.97× (20²), 1.14× (56²), NCHW 1.17–1.80×; 32: NCHWc 1.32× (14²),
 * 1.58× (28²), 1.67× (56²); C 32 → O 128 1.62×, 128 → 32 1.63×; 48: 1.92× (28²); 8 on 20²: NCHW 1.17×.
 */
export const WINOGRAD_M4_MIN_CHANNELS = 32;
export const WINOGRAD_M4_MIN_CHANNELS_NCHW = 16;

/**
 * The default rule, part 2: the share of the computed 2×2 output tiles that is real output, N·OH·OW / (4·P)
 * with P the tile count rounded up to a multiple of 8 (ops/nn/conv2d_winograd.ts), must be at least this.
 * Measured: 64 channels on a 3×3 output (share 0.28) 0.54×, 128 on 4×4 (0.5) 1.00×, 64 on 7×7 (0.77) 1.26×.
 */
export const WINOGRAD_MIN_TILE_USE = 0.6;

/** The shapes of a conv that F(m×m, 3×3) can run: data [N, C, H, W], weight [O, C, 3, 3], its padding. */
export interface WinogradConv {
  readonly data: readonly number[];
  readonly O: number;
  readonly C: number;
  readonly padding: readonly number[];
}

/**
 * `c` as a Winograd candidate, or undefined: a typed nn.conv2d with a constant float32 [O, C, 3, 3] weight,
 * strides 1, dilation 1, groups 1 (TVM arm_cpu/x86 _alter_conv2d_layout's condition for
 * conv2d_winograd_without_weight_transform).
 */
export function winogradConv(c: Call): WinogradConv | undefined {
  const w = c.args[1];
  if (c.op !== 'nn.conv2d' || w?.kind !== 'Constant' || w.data.dtype !== 'float32') return undefined;
  const { strides, padding, dilation, groups } = convAttrs(c.attrs, 'nn.conv2d');
  const [O, C, KH, KW] = w.data.shape as [number, number, number, number];
  if (groups !== 1 || KH !== 3 || KW !== 3 || strides.some((s) => s !== 1) || dilation.some((d) => d !== 1)) return undefined;
  return { data: asTensor(typeOf(c.args[0]!), 'AlterOpLayout').shape, O, C, padding };
}

/**
 * The default rule (no record for either candidate): the channels' harmonic mean against WINOGRAD_MIN_CHANNELS
 * when the direct alternative is conv2d_NCHWc (`packed`), else WINOGRAD_MIN_CHANNELS_NCHW (with `tileSize` 4:
 * WINOGRAD_M4_MIN_CHANNELS and WINOGRAD_M4_MIN_CHANNELS_NCHW), and WINOGRAD_MIN_TILE_USE of the 2×2 tiles.
 */
export function winogradByRule(w: WinogradConv, packed: boolean, tileSize: WinogradTileSize = 2): boolean {
  const [N, , H, W] = w.data as [number, number, number, number];
  const [top, left, bottom, right] = w.padding as [number, number, number, number];
  const OH = H + top + bottom - 2;
  const OW = W + left + right - 2;
  const P = Math.ceil((N * Math.ceil(OH / 2) * Math.ceil(OW / 2)) / 8) * 8;
  const min = tileSize === 4 ? (packed ? WINOGRAD_M4_MIN_CHANNELS : WINOGRAD_M4_MIN_CHANNELS_NCHW) : packed ? WINOGRAD_MIN_CHANNELS : WINOGRAD_MIN_CHANNELS_NCHW;
  return (2 * w.C * w.O) / (w.C + w.O) >= min && (N * OH * OW) / (4 * P) >= WINOGRAD_MIN_TILE_USE;
}

/**
 * The tile rule: F(4×4, 3×3) when its products take fewer multiplies than F(2×2, 3×3)'s, 36·P₄ < 16·P₂ (P_m the
 * tile count of m×m tiles rounded up to a multiple of 8, ops/nn/conv2d_winograd.ts), else F(2×2). With both
 * transforms vectorized the products decide. Measured (bench/winograd_rule.ts, untuned defaults, 1 thread, CPU
 * time; F(4×4) ÷ F(2×2) speed-up): C = O = 64 on 56²: 2.01× (7200 vs 12544 multiplies per channel pair), 128 on 28²:
 * 1.79× (2016 vs 3200), 256 on 14²: 1.61× (576 vs 896), 64 on 14²: 1.49×; on 7² (288 vs 256) 0.72× for 512
 * channels and 0.93× for 64: F(2×2) there. bench/results/wino17-s17.md has the runs.
 */
export function winogradTileByRule(w: WinogradConv): WinogradTileSize {
  const [N, , H, W] = w.data as [number, number, number, number];
  const [top, left, bottom, right] = w.padding as [number, number, number, number];
  const tiles = (m: number): number => Math.ceil((N * Math.ceil((H + top + bottom - 2) / m) * Math.ceil((W + left + right - 2) / m)) / 8) * 8;
  return 36 * tiles(4) < 16 * tiles(2) ? 4 : 2;
}

/** A tuning task as the build meets it: template name and workload args. */
export interface TaskRef {
  readonly template: string;
  readonly args: WorkloadArg[];
}

/**
 * The two candidate tasks of conv `w` on `target`: Winograd F(m×m, 3×3) — `conv2d_winograd.wasm` on [X, U [16, O, C],
 * padding] for m = 2, `conv2d_winograd_m4.wasm` on [X, U [36, O, C], padding] for m = 4 — and the direct kernel
 * AlterOpLayout would otherwise make: conv2d_NCHWc on packed data and weights when `packed` (blocks of
 * ops.nchwcBlocks), else conv2d_nchw.
 */
export function convCandidates(w: WinogradConv, packed: boolean, target: Target, tileSize: WinogradTileSize = 2): { winograd: TaskRef; direct: TaskRef } {
  const [N, C, H, W] = w.data as [number, number, number, number];
  const conv = { strides: [1, 1], padding: w.padding, dilation: [1, 1] };
  const task = (t: ReturnType<typeof ops.taskOf>, what: string): TaskRef => {
    if (t === undefined) throw new Error(`AlterOpLayout: ${what} has no ${target.kind} template`);
    return t;
  };
  const X = placeholder([N, C, H, W], 'float32', 'data');
  const alpha = tileSize + 2;
  const U = placeholder([alpha * alpha, w.O, C], 'float32', 'weight');
  const winograd = task(ops.taskOf(ops.conv2dWinograd(X, U, { padding: w.padding, tileSize }), target), ops.winogradTag(tileSize));
  let direct: TaskRef;
  if (packed) {
    const { icBlock: ib, ocBlock: ob } = ops.nchwcBlocks(C, w.O);
    const Xp = placeholder([N, C / ib, H, W, ib], 'float32', 'data');
    direct = task(ops.taskOf(ops.conv2dNCHWc(Xp, placeholder([w.O / ob, C / ib, 3, 3, ib, ob], 'float32', 'weight'), conv), target), 'conv2d_NCHWc');
  } else {
    direct = task(ops.taskOf(ops.conv2d(X, placeholder([w.O, C, 3, 3], 'float32', 'weight'), { ...conv, groups: 1 }), target), 'conv2d_nchw');
  }
  return { winograd, direct };
}

/** Why a conv got the implementation it got. */
export type ImplSource = 'option' | 'log' | 'rule';

/**
 * Whether conv `w` runs as Winograd, and with which tile size m. The tile size: the faster of the F(2×2) and
 * F(4×4) tasks when `records` hold both, measured on the same target (the lookup's family fallback can pair a
 * 2-thread record with a 1-thread one: F(4×4)'s 1-thread record, slower than F(2×2)'s 2-thread record, would then
 * pick the slower F(2×2) on C2 and C6 — session 18), else `winogradTileByRule`. Then `option` true/false decides alone; 'auto'
 * takes the Winograd task of that tile size or the direct one, whichever best record in `records` is faster when
 * both have one of the same target, else the default rule. (TVM's
 * select_implementation also lets a lone record win; here the shipped TopHub logs hold direct conv2d_NCHWc
 * records of ResNet's standard 3×3 shapes and no Winograd one, and the untuned Winograd kernel beats them —
 * C6 1.45–1.58× the untuned NCHWc kernel, while tuning gained NCHWc ≤ 1.15× — so a lone record would pick the
 * slower kernel. `extractTasks` lists the rule's pick, so a tuned log agrees with the rule unless both were tuned.)
 */
export function chooseWinograd(w: WinogradConv, packed: boolean, target: Target, option: WinogradOption, records?: ApplyHistoryBest): { winograd: boolean; source: ImplSource; tileSize: WinogradTileSize } {
  // A record's mean cost and the target it was measured on: a lookup falls back to another target of the family
  // (a 2-thread build finds `wasm -threads=1` records), and costs of different targets are not comparable.
  const cost = (t: TaskRef): { s: number; on: string } | undefined => {
    const hit = records?.lookup(target.str, workloadKey(t.template, t.args));
    return hit === undefined ? undefined : { s: meanCost(hit.record), on: hit.record.input[0] };
  };
  const same = (a: { on: string } | undefined, b: { on: string } | undefined): boolean => a !== undefined && b !== undefined && a.on === b.on;
  const c2 = records !== undefined ? cost(convCandidates(w, packed, target, 2).winograd) : undefined;
  const c4 = records !== undefined ? cost(convCandidates(w, packed, target, 4).winograd) : undefined;
  const tileSize: WinogradTileSize = same(c2, c4) ? (c4!.s < c2!.s ? 4 : 2) : winogradTileByRule(w);
  if (option !== 'auto') return { winograd: option, source: 'option', tileSize };
  if (records !== undefined) {
    const cw = tileSize === 4 ? c4 : c2;
    const cd = cost(convCandidates(w, packed, target, tileSize).direct);
    if (same(cw, cd)) return { winograd: cw!.s < cd!.s, source: 'log', tileSize };
  }
  return { winograd: winogradByRule(w, packed, tileSize), source: 'rule', tileSize };
}
