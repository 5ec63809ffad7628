// runtime/webgpu/graph_webgpu.ts — the graph executor on WebGPU: one device buffer per planned
// storage, constants uploaded once, per kernel a bind group over those buffers (plus its scratch),
// and a run = upload inputs, every kernel in one compute pass, read back only the outputs.

import type { WGSLMeta } from '../../codegen/wgsl/codegen_wgsl.js';
import type { CompiledArtifact } from '../../codegen/artifact.js';
import type { GraphBackend, GraphLoadOptions, GraphPlan } from '../graph_plan.js';
import { cachedPipelines, checkLimits, type CompiledPipelines } from './load_webgpu.js';
import { getWebGPUContext, withErrorScopes } from './device.js';

interface Step {
  readonly pipelines: readonly GPUComputePipeline[];
  readonly meta: WGSLMeta;
  readonly bindGroup: GPUBindGroup;
}

function encodeStep(pass: GPUComputePassEncoder, s: Step): void {
  pass.setBindGroup(0, s.bindGroup);
  s.meta.kernels.forEach((kk, i) => {
    pass.setPipeline(s.pipelines[i]!);
    pass.dispatchWorkgroups(kk.dispatch[0], kk.dispatch[1], kk.dispatch[2]);
  });
}

/**
 * Every distinct kernel's pipelines, all asked for at once (createComputePipelineAsync: the driver may compile them
 * in parallel), each kernel once however often the plan runs it; `onProgress` as each is made.
 */
function compileAll(device: GPUDevice, plan: GraphPlan, onProgress?: GraphLoadOptions['onProgress']): Map<CompiledArtifact, Promise<CompiledPipelines>> {
  const compiled = new Map<CompiledArtifact, Promise<CompiledPipelines>>();
  for (const k of plan.kernels) {
    const meta = k.artifact.meta as unknown as WGSLMeta;
    if (k.artifact.format !== 'wgsl' || !Array.isArray(meta.bindings)) throw new Error(`graph executor: kernel ${k.name} is not a WGSL artifact`);
    checkLimits(meta, device);
    if (!compiled.has(k.artifact)) compiled.set(k.artifact, cachedPipelines(device, meta, new TextDecoder().decode(k.artifact.bytes)));
  }
  if (onProgress) {
    let done = 0;
    onProgress(0, compiled.size, 'create');
    for (const p of compiled.values()) void p.then(() => onProgress(++done, compiled.size, 'create'), () => undefined);
  }
  return compiled;
}

export async function webgpuGraphBackend(plan: GraphPlan, opts: GraphLoadOptions = {}): Promise<GraphBackend> {
  const ctx = await getWebGPUContext();
  const { device } = ctx;
  const owned: GPUBuffer[] = [];
  const storages = await withErrorScopes(device, 'graph storages', () => plan.storages.map((bytes, i) => {
    const b = device.createBuffer({ label: `storage${i}`, size: Math.max(16, Math.ceil(bytes / 16) * 16), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC });
    owned.push(b);
    return b;
  }));
  for (const c of plan.constants) device.queue.writeBuffer(storages[c.storage]!, 0, c.data.buffer as ArrayBuffer, c.data.byteOffset, c.data.byteLength);
  const compiled = compileAll(device, plan, opts.onProgress);
  // A failed compile rejects here, at its kernel; the others' rejections are handled (their kernels are never reached).
  for (const p of compiled.values()) p.catch(() => undefined);
  const steps: Step[] = [];
  for (const k of plan.kernels) {
    const meta = k.artifact.meta as unknown as WGSLMeta;
    const { layout, pipelines } = await compiled.get(k.artifact)!;
    const bindGroup = await withErrorScopes(device, `bind group of ${k.name}`, () => device.createBindGroup({
      layout,
      entries: meta.bindings.map((b) => {
        if (b.source === 'param') {
          const arg = k.args[b.index];
          if (arg === undefined) throw new Error(`graph executor: kernel ${k.name} binds parameter ${b.index}, the plan gives ${k.args.length} arguments`);
          return { binding: b.binding, resource: { buffer: storages[arg.storage]! } };
        }
        const scratch = device.createBuffer({ label: `${k.name}.${b.name}`, size: Math.max(16, b.elements * 4), usage: GPUBufferUsage.STORAGE });
        owned.push(scratch);
        return { binding: b.binding, resource: { buffer: scratch } };
      }),
    }));
    steps.push({ pipelines, meta, bindGroup });
  }
  const staging = plan.outputs.map((o) => {
    const b = device.createBuffer({ size: Math.max(16, o.shape.reduce((a, d) => a * d, 4)), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    owned.push(b);
    return b;
  });
  const encodeKernels = (enc: GPUCommandEncoder): void => {
    const pass = enc.beginComputePass();
    for (const s of steps) encodeStep(pass, s);
    pass.end();
  };
  if (opts.onProgress) {
    // Each kernel's first dispatch on its own (the driver's compile on lavapipe), counted; a run overwrites what it wrote.
    opts.onProgress(0, steps.length, 'dispatch');
    for (let i = 0; i < steps.length; i++) {
      const enc = device.createCommandEncoder();
      const pass = enc.beginComputePass();
      encodeStep(pass, steps[i]!);
      pass.end();
      device.queue.submit([enc.finish()]);
      await device.queue.onSubmittedWorkDone();
      opts.onProgress(i + 1, steps.length, 'dispatch');
    }
  }
  let queue: Promise<unknown> = Promise.resolve();
  const serialized = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn, fn);
    queue = next.catch(() => undefined);
    return next;
  };
  return {
    run: (values) => serialized(async () => {
      plan.inputs.forEach((io, i) => {
        const v = values[i]!;
        const src = v.buffer instanceof ArrayBuffer ? v : v.slice();
        device.queue.writeBuffer(storages[io.storage]!, 0, src.buffer as ArrayBuffer, src.byteOffset, src.byteLength);
      });
      const enc = device.createCommandEncoder();
      encodeKernels(enc);
      plan.outputs.forEach((o, i) => enc.copyBufferToBuffer(storages[o.storage]!, 0, staging[i]!, 0, staging[i]!.size));
      device.queue.submit([enc.finish()]);
      await Promise.all(staging.map((s) => s.mapAsync(GPUMapMode.READ)));
      return plan.outputs.map((o, i) => {
        const n = o.shape.reduce((a, d) => a * d, 1);
        const bytes = staging[i]!.getMappedRange(0, Math.max(16, n * 4)).slice(0, n * 4);
        staging[i]!.unmap();
        return o.dtype === 'int32' ? new Int32Array(bytes) : new Float32Array(bytes);
      });
    }),
    runKernels: () => serialized(async () => {
      const enc = device.createCommandEncoder();
      encodeKernels(enc);
      device.queue.submit([enc.finish()]);
      await device.queue.onSubmittedWorkDone();
    }),
    dispose() {
      for (const b of owned) b.destroy();
    },
  };
}
