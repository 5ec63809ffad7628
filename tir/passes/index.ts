// tir/passes/index.ts — the lowering passes, each a pure PrimFunc → PrimFunc function.
export { storageFlatten, flatIndex } from './storage_flatten.js';
export { simplify, simplifyStmt } from './simplify.js';
export { loopPartition } from './loop_partition.js';
export { vectorizeLoop, VECTORIZE_FAILED, MAX_VECTOR_LANES } from './vectorize_loop.js';
export { unrollLoops, unrollLoop, AUTO_UNROLL_PRAGMA, UNROLL_SKIPPED, MAX_EXPLICIT_UNROLL_STEPS } from './unroll_loops.js';
export { clampLoads, ifThenElseAsSelect, isIfThenElse } from './if_then_else.js';
export { removeNoOp, isNoOp } from './remove_no_op.js';
