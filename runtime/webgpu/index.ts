// runtime/webgpu/index.ts — the WebGPU runtime's public face: device, build/load, modules, timing.

export { buildWebGPU, loadWebGPU, formatCompilationMessages, type WebGPUBuildOptions } from './build_webgpu.js';
export {
  getWebGPUContext, getWebGPUDevice, getWebGPUAdapterInfo, webgpuTargetString, releaseWebGPU, describeAdapter, shortDeviceName,
  withErrorScopes, type WebGPUAdapterInfo, type WebGPUContext,
} from './device.js';
export { WebGPUModule } from './webgpu_module.js';
export { timeBatches, summarize, type BatchTimer } from './time_evaluator.js';
