// target/options.ts — a target's options resolved per kind, with defaults (wasm: SIMD, threads,
// relaxed SIMD, binaryen -opt; webgpu: device name, workgroup-size cap, subgroup size).

import { parseTarget, type Target } from './target.js';

/**
 * Logical cores: os.availableParallelism() in Node, navigator.hardwareConcurrency in a browser.
 * node:os is reached through process.getBuiltinModule, never a static import, so this file
 * bundles for the browser unchanged.
 */
export function availableCores(): number {
  if (typeof process !== 'undefined' && typeof process.getBuiltinModule === 'function') {
    return process.getBuiltinModule('node:os').availableParallelism();
  }
  const hc = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return typeof hc === 'number' && hc >= 1 ? hc : 1;
}

function intAttr(t: Target, name: string, fallback: number): number {
  const v = t.attrs[name];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`target '${t.str}': -${name}=${v} is not a non-negative integer`);
  return n;
}

/** Resolved wasm options of a wasm target. */
export interface WasmTargetOptions {
  /** f32x4 SIMD (default on; `-simd=0` turns it off). */
  readonly simd: boolean;
  /** Relaxed SIMD (default off; `-relaxed-simd=1`). */
  readonly relaxedSimd: boolean;
  /** Worker threads for parallel loops (default: the available cores). */
  readonly threads: number;
  /** binaryen optimize level, 0..4 (default 2). */
  readonly optLevel: number;
  /**
   * Byte-address pointers bumped per iteration for an innermost loop's linear addresses (LLVM's loop
   * strength reduction; default on; `-strength-reduce=0` turns it off, for A/B measurements).
   */
  readonly strengthReduce: boolean;
}

/** Resolved wasm options: SIMD on by default, threads = available cores by default. Throws for non-wasm targets. */
export function wasmOptions(target: string | Target): WasmTargetOptions {
  const t = parseTarget(target);
  if (t.kind !== 'wasm') throw new Error(`target '${t.str}' is not a wasm target`);
  const threads = intAttr(t, 'threads', availableCores());
  if (threads < 1) throw new Error(`target '${t.str}': -threads must be ≥ 1`);
  return {
    simd: intAttr(t, 'simd', 1) !== 0,
    relaxedSimd: intAttr(t, 'relaxed-simd', 0) !== 0,
    threads,
    optLevel: intAttr(t, 'opt', 2),
    strengthReduce: intAttr(t, 'strength-reduce', 1) !== 0,
  };
}

/** Resolved webgpu options of a webgpu target. */
export interface WebGPUTargetOptions {
  /** The adapter the target asks for (`-device=llvmpipe`), or undefined for any. */
  readonly device: string | undefined;
  /** Upper bound on threads per workgroup (`-max-workgroup-size=256`), or undefined for the device's limit. */
  readonly maxWorkgroupSize: number | undefined;
  /**
   * Subgroups of exactly this many invocations (`-subgroup-size=8`, TVM's `thread_warp_size`): shaders may
   * use WGSL subgroup built-ins (`enable subgroups;`), and templates get their warp-memory knobs. Undefined
   * (the default): no subgroup operation is emitted. Only for an adapter whose subgroupMinSize and
   * subgroupMaxSize are both this size (runtime/webgpu checks it when the module loads).
   */
  readonly subgroupSize: number | undefined;
}

/** Resolved webgpu options. Throws for non-webgpu targets and a non-integer -max-workgroup-size. */
export function webgpuOptions(target: string | Target): WebGPUTargetOptions {
  const t = parseTarget(target);
  if (t.kind !== 'webgpu') throw new Error(`target '${t.str}' is not a webgpu target`);
  const mw = t.attrs['max-workgroup-size'];
  const sg = t.attrs['subgroup-size'];
  const subgroupSize = sg === undefined ? undefined : intAttr(t, 'subgroup-size', 0);
  if (subgroupSize !== undefined && (subgroupSize < 1 || (subgroupSize & (subgroupSize - 1)) !== 0)) {
    throw new Error(`target '${t.str}': -subgroup-size=${sg} must be a power of two (WebGPU subgroups have 4 to 128 invocations)`);
  }
  return {
    device: t.attrs['device'],
    maxWorkgroupSize: mw === undefined ? undefined : intAttr(t, 'max-workgroup-size', 0),
    subgroupSize,
  };
}
