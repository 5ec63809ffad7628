// runtime/webgpu/webgpu_module.ts — a built WebGPU kernel: its pipelines, buffers and bind group
// (created once, kept per module), `run` (copy in, dispatch, copy out) and the time evaluator.

import type { WGSLMeta } from '../../codegen/wgsl/codegen_wgsl.js';
import type { PrimFunc } from '../../tir/nodes.js';
import type { BuiltModule, DeviceInfo, NDArrayLike, TimeEvaluatorOptions, TimeResult } from '../module.js';
import type { Target } from '../../target/index.js';
import type { WebGPUContext } from './device.js';
import { checkTimerFor, clockOf, LAVAPIPE_DEVICE } from '../time_evaluator.js';
import { timeBatches } from './time_evaluator.js';

export interface WebGPUKernelResources {
  readonly pipelines: readonly GPUComputePipeline[];
  readonly bindGroup: GPUBindGroup;
  /** One storage buffer per binding (parameters, then scratch). */
  readonly buffers: readonly GPUBuffer[];
}

/** TENSORTUNE_WEBGPU_TIMER=wall times by wall clock even where timestamp queries exist (to compare the two). */
function wallClockForced(): boolean {
  return typeof process !== 'undefined' && process.env['TENSORTUNE_WEBGPU_TIMER'] === 'wall';
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

export class WebGPUModule implements BuiltModule {
  readonly info: DeviceInfo;
  private readonly device: GPUDevice;
  /** Readback buffers for written parameters, by binding. */
  private readonly staging = new Map<number, GPUBuffer>();
  private timestamps: { set: GPUQuerySet; resolve: GPUBuffer; read: GPUBuffer } | undefined;
  /** Runs on one module are serialized: staging buffers cannot be mapped twice at once. */
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;
  private deviceLost: string | undefined;

  constructor(
    readonly target: Target,
    readonly func: PrimFunc,
    readonly meta: WGSLMeta,
    readonly wgsl: string,
    private readonly ctx: WebGPUContext,
    private readonly res: WebGPUKernelResources,
  ) {
    this.device = ctx.device;
    void ctx.device.lost.then((l) => {
      this.deviceLost = l.message || l.reason;
    });
    const i = ctx.info;
    // What it actually ran on: the target with the adapter's device name filled in.
    const ran = target.attrs['device'] === undefined ? `${target.str} -device=${i.deviceName}` : target.str;
    this.info = {
      target: ran, vendor: i.vendor, architecture: i.architecture, device: i.device, description: i.description,
      timing: i.timestampQuery && !wallClockForced() ? 'timestamp-query' : 'onSubmittedWorkDone',
    };
    for (const b of meta.bindings) {
      if (b.source === 'param' && b.access === 'read_write') {
        this.staging.set(b.binding, this.device.createBuffer({
          size: Math.max(4, b.elements * 4), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
        }));
      }
    }
  }

  private serialized<T>(fn: () => Promise<T>): Promise<T> {
    if (this.disposed) return Promise.reject(new Error(`webgpu module ${this.meta.name}: used after dispose()`));
    if (this.deviceLost !== undefined) {
      return Promise.reject(new Error(`webgpu module ${this.meta.name}: its device is gone (${this.deviceLost}); build it again`));
    }
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private checkArgs(args: readonly NDArrayLike[]): void {
    const m = this.meta;
    if (args.length !== m.argShapes.length) {
      throw new Error(`${m.name}: expected ${m.argShapes.length} arguments, got ${args.length}`);
    }
    args.forEach((a, i) => {
      if (!sameShape(a.shape, m.argShapes[i]!)) {
        throw new Error(`${m.name}: argument ${i} (${this.func.params[i]?.name}) has shape [${a.shape.join(', ')}], expected [${m.argShapes[i]!.join(', ')}]`);
      }
      if (a.dtype !== m.argDTypes[i]) throw new Error(`${m.name}: argument ${i} has dtype ${a.dtype}, expected ${m.argDTypes[i]}`);
    });
  }

  private upload(args: readonly NDArrayLike[]): void {
    for (const b of this.meta.bindings) {
      if (b.source !== 'param') continue;
      const data = args[b.index]!.data;
      // writeBuffer may not accept views of shared memory (threaded wasm): copy those first.
      const src = data.buffer instanceof ArrayBuffer ? data : data.slice();
      this.device.queue.writeBuffer(this.res.buffers[b.binding]!, 0, src.buffer, src.byteOffset, src.byteLength);
    }
  }

  private encodeDispatches(pass: GPUComputePassEncoder, times: number): void {
    pass.setBindGroup(0, this.res.bindGroup);
    for (let t = 0; t < times; t++) {
      this.meta.kernels.forEach((k, i) => {
        pass.setPipeline(this.res.pipelines[i]!);
        pass.dispatchWorkgroups(k.dispatch[0], k.dispatch[1], k.dispatch[2]);
      });
    }
  }

  run(...args: NDArrayLike[]): Promise<void> {
    return this.serialized(async () => {
      this.checkArgs(args);
      this.upload(args);
      const enc = this.device.createCommandEncoder();
      const pass = enc.beginComputePass();
      this.encodeDispatches(pass, 1);
      pass.end();
      for (const [binding, st] of this.staging) enc.copyBufferToBuffer(this.res.buffers[binding]!, 0, st, 0, st.size);
      this.device.queue.submit([enc.finish()]);
      await Promise.all([...this.staging.values()].map((st) => st.mapAsync(GPUMapMode.READ)));
      for (const [binding, st] of this.staging) {
        const b = this.meta.bindings[binding]!;
        // `.data` is read after the await: wasm memory may have grown and moved meanwhile.
        const out = args[b.index]!.data;
        const mapped = st.getMappedRange(0, b.elements * 4);
        out.set(b.dtype === 'int32' ? new Int32Array(mapped) : new Float32Array(mapped));
        st.unmap();
      }
    });
  }

  /** Times `n` runs recorded in one compute pass: GPU timestamps where the adapter has them. */
  private async timeBatch(n: number): Promise<number> {
    if (this.ctx.info.timestampQuery && !wallClockForced()) {
      const ts = this.timestamps ??= {
        set: this.device.createQuerySet({ type: 'timestamp', count: 2 }),
        resolve: this.device.createBuffer({ size: 16, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC }),
        read: this.device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST }),
      };
      const enc = this.device.createCommandEncoder();
      const pass = enc.beginComputePass({ timestampWrites: { querySet: ts.set, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 } });
      this.encodeDispatches(pass, n);
      pass.end();
      enc.resolveQuerySet(ts.set, 0, 2, ts.resolve, 0);
      enc.copyBufferToBuffer(ts.resolve, 0, ts.read, 0, 16);
      this.device.queue.submit([enc.finish()]);
      await ts.read.mapAsync(GPUMapMode.READ);
      const [begin, end] = new BigInt64Array(ts.read.getMappedRange().slice(0));
      ts.read.unmap();
      const ns = Number(end! - begin!);
      if (ns > 0) return ns / 1e9;
      // A zero or negative span means the adapter's timestamps are not usable: fall back.
    }
    return this.timeBatchBy(() => performance.now(), n);
  }

  /**
   * Times this kernel (seconds per run), TVM's time evaluator over batches of `number` dispatches.
   * `opts.timer` 'wall' (default) reads GPU timestamps where the adapter has them, else the wall clock
   * around submit → onSubmittedWorkDone; 'process-cpu' reads this process's CPU time over the same
   * span, which on lavapipe is the shaders' work on the driver's threads (steady on a loaded machine;
   * see processCpuTimerRefusal for what it over- and under-counts).
   * Throws RangeError for 'process-cpu' on any adapter but lavapipe, naming it.
   */
  timeEvaluator(opts: TimeEvaluatorOptions = {}): { run(...args: NDArrayLike[]): Promise<TimeResult> } {
    const info = this.ctx.info;
    checkTimerFor(opts, `a WebGPU module on '${info.description || info.deviceName}'`, info.deviceName === LAVAPIPE_DEVICE ? undefined
      : `its work runs on the GPU, not as this process's CPU time (only the lavapipe software adapter runs kernels on this process's threads)`);
    const cpu = opts.timer === 'process-cpu' ? clockOf('process-cpu') : undefined;
    return {
      run: (...args: NDArrayLike[]) => this.serialized(async () => {
        this.checkArgs(args);
        this.upload(args);
        await this.device.queue.onSubmittedWorkDone();
        return timeBatches((n) => (cpu ? this.timeBatchBy(cpu, n) : this.timeBatch(n)), opts);
      }),
    };
  }

  /** Times `n` runs in one compute pass by `clock` (milliseconds) around submit → onSubmittedWorkDone. */
  private async timeBatchBy(clock: () => number, n: number): Promise<number> {
    const enc = this.device.createCommandEncoder();
    const pass = enc.beginComputePass();
    this.encodeDispatches(pass, n);
    pass.end();
    const commands = enc.finish();
    const start = clock();
    this.device.queue.submit([commands]);
    await this.device.queue.onSubmittedWorkDone();
    return (clock() - start) / 1000;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const b of this.res.buffers) b.destroy();
    for (const b of this.staging.values()) b.destroy();
    if (this.timestamps) {
      this.timestamps.set.destroy();
      this.timestamps.resolve.destroy();
      this.timestamps.read.destroy();
    }
  }
}
