// relay/frontend/index.ts — model importers (relay.frontend).

export { fromOnnx, supportedOnnxOps, type FromOnnxOptions } from './onnx.js';
