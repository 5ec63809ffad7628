// ops/index.ts — the operator library's public face (the root barrel exports it as `ops`).

export { batchMatmul, dense, matmul } from './matmul.js';
export { densePack, packProductWeight, prepackWidth, type PackSource } from './dense_pack.js';
export { batchMatmulPack, batchPrepackWidth, packBatchedWeight } from './batch_matmul_pack.js';
export { conv2d, depthwiseConv2d, type Conv2dOptions, type Conv2dAttrs } from './nn/conv2d.js';
export { conv2dNCHWc, packData, packWeights, unpackOutput, nchwcBlocks, type Conv2dNCHWcAttrs } from './nn/conv2d_nchwc.js';
export { depthwiseConv2dNCHWc, packDepthwiseWeights, type DepthwiseConv2dNCHWcAttrs } from './nn/depthwise_conv2d_nchwc.js';
export { conv2dWinograd, winogradApplicable, winogradWeightTransform, winogradTag, winogradMatrices, WINOGRAD_F4_POINTS, WINOGRAD_G, WINOGRAD_BT, WINOGRAD_AT, type Conv2dWinogradOptions, type WinogradTileSize } from './nn/conv2d_winograd.js';
export { conv2dGemm, type Conv2dGemmOptions, type Conv2dGemmAttrs } from './nn/conv2d_gemm.js';
export { conv2dPackedWeight, type Conv2dPackedOptions, type Conv2dPackedAttrs } from './nn/conv2d_packed.js';
export { packConvWeightOC } from './pack_weight.js';
export { conv2dGemmNCHWc, type Conv2dGemmNCHWcOptions, type Conv2dGemmNCHWcAttrs } from './nn/conv2d_gemm_nchwc.js';
export { conv2dTranspose, type Conv2dTransposeOptions, type Conv2dTransposeAttrs } from './nn/conv2d_transpose.js';
export { registerAll, TEMPLATES } from './register.js';
export { isAnchor } from './anchor.js';
export { anchorTemplate, anchorSchedule, type AnchorScheduleFn } from './templates/anchor_templates.js';
export { EPILOGUE_STEPS, type EpilogueStep } from './templates/workloads.js';
export { fuseEpilogue } from './templates/epilogue.js';
export { scheduleGemmWasm } from './templates/gemm_wasm.js';
export { scheduleGemmWebGPU } from './templates/gemm_webgpu.js';
export { scheduleConvWasm } from './templates/conv2d_wasm.js';
export { scheduleConvWebGPU } from './templates/conv2d_webgpu.js';
export { scheduleConvPackedWebGPU } from './templates/conv2d_packed_webgpu.js';
export { scheduleConvNCHWcWasm } from './templates/conv2d_nchwc_wasm.js';
export { scheduleDepthwiseNCHWcWasm } from './templates/depthwise_nchwc_wasm.js';
export { scheduleWinogradWasm } from './templates/conv2d_winograd_wasm.js';
export { scheduleConv2dGemmWasm } from './templates/conv2d_gemm_wasm.js';
export { scheduleConv2dGemmNCHWcWasm } from './templates/conv2d_gemm_nchwc_wasm.js';
export { TAG, ANCHOR_TAGS, isAnchorTag } from './tags.js';
export { broadcastShapes, broadcastTo } from './broadcast.js';
export {
  type Operand, add, sub, mul, div, pow, maximum, minimum, sqrt, exp, log, abs, neg, erf, tanh, sigmoid, relu,
  leakyRelu, clip, hardSigmoid, hardSwish, gelu, type GeluOptions, where, cast, broadcastOp,
} from './elementwise.js';
export { sum, mean, max, min, prod } from './reduction.js';
export { transpose, reshape, flatten, squeeze, expandDims, concatenate, split } from './transform.js';
export { stridedSlice, take } from './slicing.js';
export { pad, type PadMode, type PadOptions } from './pad.js';
export { resize2d, type Resize2dOptions, type CoordinateTransformationMode, type NearestMode } from './resize.js';
export { softmax, logSoftmax } from './nn/softmax.js';
export { layerNorm, batchNorm, type LayerNormOptions, type BatchNormOptions } from './nn/norm.js';
export { maxPool2d, avgPool2d, globalAvgPool2d, globalMaxPool2d, type Pool2dOptions } from './nn/pool.js';
export { defaultSchedule } from './default_schedule.js';
export { scheduleAnchor, taskOf } from './anchor.js';
