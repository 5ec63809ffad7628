// relay/index.ts — the `relay` namespace: graph IR and its factories, types, printer, operators,
// passes (relay.transform), the ONNX frontend (relay.frontend.fromOnnx = relay.fromOnnx) and relay.build.

export {
  call, constant, func as function, func, irModule, scalar, tuple, tupleGetItem, variable as var, variable, typeOf, opName,
  type AttrValue, type Attrs, type Call, type Constant, type Expr, type FunctionAttrs, type IRModule, type RelayFunction,
  type TensorData, type Tuple, type TupleGetItem, type Var,
} from './nodes.js';
export { tensorType, tupleType, printType, typeEqual, type RelayDType, type TensorType, type TupleType, type Type } from './ty.js';
export { ExprMutator, postOrder } from './functor.js';
export { astext, printExpr } from './printer.js';
export { OpPattern, PATTERN_NAMES, type OpDef } from './op/op_def.js';
export { opDef, listOps } from './op/registry.js';
export * as transform from './transform/index.js';
export * as frontend from './frontend/index.js';
export { fromOnnx, type FromOnnxOptions } from './frontend/onnx.js';
export { build, formatReport, GraphModule, BUILD_PASSES, type BuildOptions, type BuildReport, type ConvImplReport, type KernelReport } from './backend/build.js';
export type { AnchorReport } from './backend/lower_function.js';
export { extractTasks } from './backend/extract_tasks.js';
export { planMemory, type MemoryPlan } from './backend/memory_plan.js';
