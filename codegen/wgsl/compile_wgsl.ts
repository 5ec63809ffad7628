// codegen/wgsl/compile_wgsl.ts — PrimFunc → WGSL artifact (a CompiledArtifact): the webgpu target
// passes (codegen/target_passes.ts), then the emitter; WGSL source as UTF-8 bytes plus launch
// metadata. Needs no device, so builders in workers can call it.

import { parseTarget, webgpuOptions, type Target } from '../../target/index.js';
import type { PrimFunc } from '../../tir/nodes.js';
import type { CompiledArtifact } from '../artifact.js';
import { lowerForTarget } from '../target_passes.js';
import { codegenWGSL, type WGSLOptions } from './codegen_wgsl.js';
import { webgpuPassOptions } from './kernel_passes.js';

/**
 * Compiles to WGSL without touching a device. Throws when a kernel's workgroup exceeds the
 * target's `-max-workgroup-size`, or when `target` is not a webgpu target.
 */
export function compileWGSL(f: PrimFunc, target: string | Target = 'webgpu', opts: WGSLOptions = {}): CompiledArtifact {
  const t = parseTarget(target);
  const { maxWorkgroupSize } = webgpuOptions(t);
  const { code, meta } = codegenWGSL(lowerForTarget(f, t, { webgpu: webgpuPassOptions(opts) }).func, opts);
  if (maxWorkgroupSize !== undefined) {
    for (const k of meta.kernels) {
      const n = k.workgroupSize[0] * k.workgroupSize[1] * k.workgroupSize[2];
      if (n > maxWorkgroupSize) throw new Error(`webgpu: ${f.name}: workgroup of ${n} threads exceeds -max-workgroup-size=${maxWorkgroupSize}`);
    }
  }
  return { target: t.str, format: 'wgsl', bytes: new TextEncoder().encode(code), meta: meta as unknown as Record<string, unknown> };
}

/** The generated WGSL source of a function, for printing and debugging. */
export function wgslSource(f: PrimFunc, opts: WGSLOptions = {}): string {
  return codegenWGSL(f, opts).code;
}
