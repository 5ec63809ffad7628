// ops/index.ts — the operator library's public face (the root barrel exports it as `ops`).

export { dense, matmul } from './matmul.js';
export { registerAll, TEMPLATES } from './register.js';
export { denseWasm, matmulWasm, scheduleGemmWasm } from './templates/gemm_wasm.js';
export { matmulWebGPU } from './templates/matmul_webgpu.js';
