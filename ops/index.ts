// ops/index.ts — the operator library's public face (the root barrel exports it as `ops`).

export { dense, matmul } from './matmul.js';
export { registerAll, TEMPLATES } from './register.js';
export { denseWasm, matmulWasm, scheduleGemmWasm } from './templates/gemm_wasm.js';
export { matmulWebGPU } from './templates/matmul_webgpu.js';
export { TAG } from './tags.js';
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
export { scheduleAnchor, taskOf, type AnchorTask } from './anchor.js';
