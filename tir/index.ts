// tir/index.ts — the tir barrel (exported as `tir` from the package root): nodes and their
// factories, visitor/mutator, printer and parser, interpreter, structural equality, arithmetic,
// passes and the lowering pipeline.
export * from './nodes.js';
export * from './functor.js';
export { print } from './printer.js';
export { parse, parseStmt } from './parser.js';
export { interpret, type InterpretOptions } from './interpreter.js';
export { DataRaceError } from './interpreter_race.js';
export { structuralEqual, structuralHash, canonicalText } from './structural.js';
export * from './arith/index.js';
export * from './passes/index.js';
export { verify, verifyErrors, type VerifyOptions } from './verify.js';
export {
  runLoweringPasses, runPasses, loweringPasses, debugLower, LOWERING_PASSES, LOWERING_PIPELINE,
  type LowerStep, type LoweringOptions, type RunPassesOptions,
} from './pipeline.js';
export {
  PassContext, withPassContext, currentPassContext, DEFAULT_PASS_CONFIG,
  type Pass, type PassConfig, type PassPhase, type PassContextOptions,
} from './pass_context.js';
