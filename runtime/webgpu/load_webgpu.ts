// runtime/webgpu/load_webgpu.ts — loads a WGSL artifact (codegen/wgsl/compile_wgsl.ts) onto the
// shared device (pipelines, buffers, bind group). Imports no code generator, so the runtime-only
// entry (runtime/standalone.ts) can run WebGPU bundles; buildWebGPU lives in build_webgpu.ts.

import type { CompiledArtifact } from '../../codegen/artifact.js';
import type { WGSLMeta } from '../../codegen/wgsl/codegen_wgsl.js';
import { buffer, noOp, primFunc, type DataType, type PrimFunc } from '../../tir/nodes.js';
import type { BuiltModule } from '../module.js';
import { parseTarget, type Target } from '../../target/index.js';
import { getWebGPUContext, withErrorScopes, type WebGPUContext } from './device.js';
import { WebGPUModule } from './webgpu_module.js';

function webgpuTarget(target: string | Target): Target {
  const t = parseTarget(target);
  if (t.kind !== 'webgpu') throw new Error(`target '${t.str}' is not a webgpu target`);
  return t;
}

/** The compiler's complaint with the WGSL line it points at, caret under the column. */
export function formatCompilationMessages(name: string, code: string, messages: readonly GPUCompilationMessage[]): string {
  const lines = code.split('\n');
  const parts = messages.filter((m) => m.type === 'error').map((m) => {
    const src = lines[m.lineNum - 1];
    const where = m.lineNum > 0 ? ` (WGSL line ${m.lineNum}:${m.linePos})` : '';
    if (src === undefined) return `${m.message}${where}`;
    const gutter = `${m.lineNum} | `;
    const caret = ' '.repeat(gutter.length + Math.max(0, m.linePos - 1)) + '^'.repeat(Math.max(1, m.length));
    return `${m.message}${where}\n  ${gutter}${src}\n  ${caret}`;
  });
  return `webgpu: the WGSL compiler refused ${name}: ${parts.join('\n')}`;
}

/** Throws when a kernel exceeds the device limits (workgroup size, shared memory, storage buffers). */
export function checkLimits(meta: WGSLMeta, device: GPUDevice): void {
  const l = device.limits;
  for (const k of meta.kernels) {
    const [x, y, z] = k.workgroupSize;
    if (x > l.maxComputeWorkgroupSizeX || y > l.maxComputeWorkgroupSizeY || z > l.maxComputeWorkgroupSizeZ || x * y * z > l.maxComputeInvocationsPerWorkgroup) {
      throw new Error(`webgpu: ${meta.name}: workgroup ${x}x${y}x${z} exceeds the device limits (${l.maxComputeWorkgroupSizeX}x${l.maxComputeWorkgroupSizeY}x${l.maxComputeWorkgroupSizeZ}, ${l.maxComputeInvocationsPerWorkgroup} threads)`);
    }
    if (k.workgroupStorageBytes > l.maxComputeWorkgroupStorageSize) {
      throw new Error(`webgpu: ${meta.name}: ${k.workgroupStorageBytes} bytes of shared memory exceed the device's ${l.maxComputeWorkgroupStorageSize}`);
    }
  }
  if (meta.bindings.length > l.maxStorageBuffersPerShaderStage) {
    throw new Error(`webgpu: ${meta.name}: ${meta.bindings.length} buffers exceed the device's ${l.maxStorageBuffersPerShaderStage} storage buffers per stage`);
  }
}

/** A PrimFunc describing an artifact's parameters, for modules loaded without their source function. */
function signatureFunc(meta: WGSLMeta): PrimFunc {
  const params = meta.argShapes.map((s, i) => buffer(meta.bindings[i]?.name ?? `arg${i}`, s, meta.argDTypes[i] as DataType));
  return primFunc(meta.name, params, noOp(), { argShapes: meta.argShapes, fromArtifact: true });
}

export interface CompiledPipelines {
  readonly layout: GPUBindGroupLayout;
  readonly pipelines: GPUComputePipeline[];
}

/**
 * Pipelines keyed by WGSL text and binding layout, per device: a tuner or a model build that
 * meets the same kernel twice compiles it once (buffers stay per module).
 */
const pipelineCache = new WeakMap<GPUDevice, Map<string, Promise<CompiledPipelines>>>();

async function compilePipelines(device: GPUDevice, meta: WGSLMeta, code: string): Promise<CompiledPipelines> {
  device.pushErrorScope('validation');
  const module = device.createShaderModule({ code, label: meta.name });
  const info = await module.getCompilationInfo();
  const moduleError = await device.popErrorScope();
  // The compilation info has line and column; the error scope only a flat message.
  if (info.messages.some((m) => m.type === 'error')) throw new Error(formatCompilationMessages(meta.name, code, info.messages));
  if (moduleError) throw new Error(`webgpu: the WGSL compiler refused ${meta.name}: ${moduleError.message}`);
  const layout = device.createBindGroupLayout({
    entries: meta.bindings.map((b) => ({
      binding: b.binding, visibility: GPUShaderStage.COMPUTE,
      buffer: { type: b.access === 'read' ? 'read-only-storage' as const : 'storage' as const },
    })),
  });
  const pipelineLayout = device.createPipelineLayout({ bindGroupLayouts: [layout] });
  device.pushErrorScope('validation');
  let pipelines: GPUComputePipeline[];
  try {
    pipelines = await Promise.all(meta.kernels.map((k) => device.createComputePipelineAsync({
      layout: pipelineLayout, compute: { module, entryPoint: k.entryPoint }, label: k.entryPoint,
    })));
  } catch (e) {
    await device.popErrorScope();
    throw new Error(`webgpu: creating the pipeline for ${meta.name} failed: ${(e as Error).message}`);
  }
  const perr = await device.popErrorScope();
  if (perr) throw new Error(`webgpu: creating the pipeline for ${meta.name} failed: ${perr.message}`);
  return { layout, pipelines };
}

/** The pipelines and bind group layout of a WGSL artifact, compiled once per device and source. */
export function cachedPipelines(device: GPUDevice, meta: WGSLMeta, code: string): Promise<CompiledPipelines> {
  let cache = pipelineCache.get(device);
  if (!cache) pipelineCache.set(device, cache = new Map());
  const key = `${meta.kernels.map((k) => k.entryPoint).join(',')}|${meta.bindings.map((b) => b.access).join(',')}|${code}`;
  let hit = cache.get(key);
  if (!hit) {
    hit = compilePipelines(device, meta, code);
    cache.set(key, hit);
    hit.catch(() => cache!.delete(key));
  }
  return hit;
}

async function createResources(ctx: WebGPUContext, meta: WGSLMeta, code: string): Promise<ConstructorParameters<typeof WebGPUModule>[5]> {
  const { device } = ctx;
  checkLimits(meta, device);
  const { layout, pipelines } = await cachedPipelines(device, meta, code);
  return withErrorScopes(device, `buffers for ${meta.name}`, () => {
    const buffers = meta.bindings.map((b) => device.createBuffer({
      label: b.name, size: Math.max(4, b.elements * 4),
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC,
    }));
    const bindGroup = device.createBindGroup({
      layout, entries: buffers.map((buf, i) => ({ binding: i, resource: { buffer: buf } })),
    });
    return { pipelines, bindGroup, buffers };
  });
}

/**
 * Loads an artifact onto the shared device. `func` is the PrimFunc it came from when at hand;
 * without it (an artifact from another worker) the module's `func` describes the parameters only.
 */
export async function loadWebGPU(artifact: CompiledArtifact, func?: PrimFunc): Promise<BuiltModule> {
  if (artifact.format !== 'wgsl') throw new Error(`loadWebGPU: artifact format is '${artifact.format}', expected 'wgsl'`);
  const target = webgpuTarget(artifact.target);
  const meta = artifact.meta as unknown as WGSLMeta;
  if (!Array.isArray(meta.kernels) || !Array.isArray(meta.bindings) || !Array.isArray(meta.argShapes)) {
    throw new Error('loadWebGPU: artifact meta lacks kernels/bindings/argShapes (not made by compileWGSL?)');
  }
  const ctx = await getWebGPUContext();
  const wanted = target.attrs['device'];
  if (wanted !== undefined && wanted !== ctx.info.deviceName) {
    throw new Error(`webgpu: target '${target.str}' asks for device '${wanted}' but the adapter here is '${ctx.info.deviceName}' (${ctx.info.description})`);
  }
  // A kernel with subgroup built-ins assumes the lanes of one fixed-size subgroup are its threadIdx.x.
  for (const k of meta.kernels) {
    if (k.subgroupSize !== undefined && k.subgroupSize !== ctx.info.subgroupSize) {
      const here = ctx.info.subgroups ? (ctx.info.subgroupSize ? `of ${ctx.info.subgroupSize}` : 'of varying size') : 'none';
      throw new Error(`webgpu: kernel ${k.entryPoint} of target '${target.str}' uses subgroups of ${k.subgroupSize} invocations but the adapter ` +
        `here (${ctx.info.description}) has ${here}; build for 'await webgpuTargetString({ subgroups: true })' instead`);
    }
  }
  const code = new TextDecoder().decode(artifact.bytes);
  const res = await createResources(ctx, meta, code);
  return new WebGPUModule(target, func ?? signatureFunc(meta), meta, code, ctx, res);
}
