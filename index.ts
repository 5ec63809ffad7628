// index.ts — the package's one public export list (DESIGN.md "Public API"): te, tir, build, nd,
// ops, autotune, logs, relay. Everything a user writes is reachable from here; nothing registers on import.

export * as te from './schedule/index.js';
export * as tir from './tir/index.js';
export * as nd from './runtime/nd.js';
export * as runtime from './runtime/index.js';
export * as logs from './tuning-logs/index.js';
export { build, load } from './runtime/build.js';
export { compile } from './codegen/compile.js';
export { lowerForTarget, targetPasses } from './codegen/target_passes.js';
export type { CompiledArtifact } from './codegen/artifact.js';
export { parseTarget, type Target } from './target/index.js';
export type { BuiltModule, TimeResult, TimeEvaluatorOptions, Timer } from './runtime/module.js';
// autotune.extractTasks needs the graph IR, so the namespace comes through relay (autotune is below it).
export * as autotune from './relay/autotune_api.js';
export * as ops from './ops/index.js';
export * as relay from './relay/index.js';
