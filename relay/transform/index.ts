// relay/transform/index.ts — the graph passes (relay.transform): each a named IRModule → IRModule function.

export { InferType, inferExpr } from './infer_type.js';
export { FoldConstant } from './fold_constant.js';
export { DeadCodeElimination } from './dead_code.js';
export { SimplifyInference } from './simplify_inference.js';
export { SimplifyPower } from './simplify_power.js';
export { FuseOps, fusionGroups } from './fuse_ops.js';
export { AlterOpLayout, type AlterOpLayoutOptions, type ConvChoice, type LayoutMode } from './alter_op_layout.js';
export { AlterDenseLayout, type AlterDenseLayoutOptions } from './alter_dense_layout.js';
export { WINOGRAD_MIN_CHANNELS, WINOGRAD_MIN_CHANNELS_NCHW, WINOGRAD_M4_MIN_CHANNELS, WINOGRAD_M4_MIN_CHANNELS_NCHW, WINOGRAD_MIN_TILE_USE, winogradTileByRule, type WinogradOption } from './conv_impl.js';
export { sequential, type Pass, type PassTrace } from './pass.js';
