// runtime/nd.ts — the `nd` namespace users import: arrays in wasm memory.

export { array, empty, NDArray, type NDDType } from './ndarray.js';
