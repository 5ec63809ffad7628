// codegen/wgsl/index.ts — the WGSL code generator's public face: PrimFunc → WGSL + launch metadata.

export { compileWGSL, wgslSource } from './compile_wgsl.js';
export { codegenWGSL, type WGSLBinding, type WGSLKernel, type WGSLMeta, type WGSLOptions } from './codegen_wgsl.js';
export { insertBarriers, insertBarriersStmt, barrierStmt, isBarrier } from './insert_barriers.js';
export { legalizeLanes, sliceLanes, MAX_WGSL_LANES } from './legalize_lanes.js';
export { inferStorageScope } from './infer_storage_scope.js';
export { launchConfig, splitKernels, NO_BINDING_ERROR, DEFAULT_MAX_WORKGROUPS_PER_DIMENSION, type LaunchConfig, type Dim3 } from './launch_config.js';
