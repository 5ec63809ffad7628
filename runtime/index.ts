// runtime/index.ts — the runtime's public surface: build/load, arrays (`nd` only: nd.array, nd.empty), NDArray, timing.

export { build, load } from './build.js';
export * as nd from './nd.js';
export { NDArray, type NDDType } from './ndarray.js';
export { MemoryPool, memoryPool } from './memory_pool.js';
export { loadWasm, WasmModule } from './wasm_module.js';
export { timeRuns } from './time_evaluator.js';
// The WebGPU adapter's target string (e.g. 'webgpu -device=llvmpipe') and its release; no adapter is opened on import.
export { getWebGPUAdapterInfo, releaseWebGPU, webgpuTargetString } from './webgpu/device.js';
export { threadPool, type ThreadPool, type ParallelStats, type WorkerStats } from './thread_pool.js';
export {
  setParallelCostModel, parallelCostModel, EIGEN_COST_MODEL, WASM_COST_MODEL, ALWAYS_PARALLEL, type ParallelCostModel,
} from './parallel_cost.js';
export type {
  BuiltModule, DeviceInfo, NDArrayLike, TimeEvaluatorOptions, TimeResult,
} from './module.js';
