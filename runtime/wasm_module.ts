// runtime/wasm_module.ts — loads a wasm artifact into the shared memory and runs it: argument
// checks, scratch frames per thread, parallel loops through the thread pool, timing, device info.

import { ENTRY_EXPORT, relaxedSimdSupported, type WasmMeta } from '../codegen/wasm/abi.js';
import { buffer, checkDType, noOp, primFunc, type PrimFunc } from '../tir/nodes.js';
import { memoryPool, type MemoryPool } from './memory_pool.js';
import type { CompiledArtifact } from '../codegen/artifact.js';
import type { BuiltModule, DeviceInfo, NDArrayLike, TimeEvaluatorOptions, TimeResult } from './module.js';
import { NDArray } from './ndarray.js';
import { parseTarget, type Target } from '../target/index.js';
import { LoopCosts, type RaceRecord } from './parallel_cost.js';
import { threadPool, type ThreadPool } from './thread_pool.js';
import { checkTimerFor, timeRuns } from './time_evaluator.js';

type Kernel = (...args: number[]) => void;

function readMeta(art: CompiledArtifact): WasmMeta {
  if (art.format !== 'wasm') throw new Error(`loadWasm: artifact format is '${art.format}', expected 'wasm'`);
  const m = art.meta as unknown as WasmMeta;
  if (typeof m.name !== 'string' || !Array.isArray(m.params) || !Array.isArray(m.outlined) || typeof m.frameBytes !== 'number') {
    throw new Error('loadWasm: artifact metadata is missing name/params/outlined/frameBytes (not made by compileWasm?)');
  }
  return m;
}

/** A PrimFunc carrying only the signature, for modules loaded from bytes without their IR. */
function signatureOnly(meta: WasmMeta): PrimFunc {
  const params = meta.params.map((p) => buffer(p.name, [p.shape.reduce((a, b) => a * b, 1)], checkDType(p.dtype)));
  return primFunc(meta.name, params, noOp(), { argShapes: meta.params.map((p) => [...p.shape]), signatureOnly: true });
}

/** V8's version in Node; in a browser the engine's product token ('Chrome/156.0.8078.79'), which fixes its V8. */
function v8Version(): string {
  if (typeof process !== 'undefined' && process.versions?.v8) return process.versions.v8;
  const ua = (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent ?? '';
  return /(?:Chrome|Firefox|Version)\/[\d.]+/.exec(ua)?.[0] ?? 'unknown';
}

export class WasmModule implements BuiltModule {
  readonly info: DeviceInfo;
  private disposed = false;

  constructor(
    readonly target: Target,
    readonly func: PrimFunc,
    private readonly meta: WasmMeta,
    private readonly entry: Kernel,
    private readonly pool: MemoryPool,
    private readonly scratch: readonly number[],
    private readonly threadPool: ThreadPool | undefined,
    private readonly poolModuleId: number,
    threads: number,
    /** The parallel loops' dispatch decisions (parallel_cost.ts); the time evaluator waits for them to settle. */
    private readonly loopCosts?: LoopCosts,
  ) {
    this.info = {
      target: target.str, v8: v8Version(), simd: meta.simd, relaxedSimd: meta.relaxedSimd,
      threads, parallelLoops: meta.outlined.length, optLevel: meta.optLevel,
    };
  }

  /** Checks the arguments against the signature; returns their byte addresses. */
  private addresses(args: readonly NDArrayLike[]): number[] {
    if (this.disposed) throw new Error(`${this.meta.name}: module was disposed`);
    const ps = this.meta.params;
    if (args.length !== ps.length) {
      throw new Error(`${this.meta.name}: expects ${ps.length} arguments (${ps.map((p) => p.name).join(', ')}), got ${args.length}`);
    }
    return args.map((a, i) => {
      const p = ps[i]!;
      const where = `${this.meta.name}: argument ${i} (${p.name})`;
      if (!(a instanceof NDArray) || a.pool !== this.pool) {
        throw new TypeError(`${where}: must be an NDArray in wasm memory (make it with nd.array / nd.empty)`);
      }
      if (a.freed) throw new Error(`${where}: array was freed`);
      const first = args.indexOf(a);
      if (first !== i) {
        throw new Error(`${where}: is the same array as argument ${first} (${ps[first]!.name}); kernels assume distinct buffers`);
      }
      if (a.dtype !== p.dtype) throw new TypeError(`${where}: dtype ${a.dtype} does not match the expected ${p.dtype}`);
      if (a.shape.length !== p.shape.length || a.shape.some((d, k) => d !== p.shape[k])) {
        throw new RangeError(`${where}: shape [${a.shape.join(', ')}] does not match the expected [${p.shape.join(', ')}]`);
      }
      return a.byteOffset;
    });
  }

  private invoke(addrs: readonly number[]): void {
    try {
      this.entry(this.scratch[0]!, ...addrs);
    } catch (e) {
      if (e instanceof WebAssembly.RuntimeError) throw new Error(`${this.meta.name}: wasm kernel trapped: ${e.message}`);
      throw e;
    }
  }

  async run(...args: NDArrayLike[]): Promise<void> {
    this.invoke(this.addresses(args));
  }

  /**
   * Calls of this module's parallel loops timed so far to choose between the caller and the workers
   * (LoopCosts.sampledCalls; 0 for a single-threaded module). A caller that times runs warms up until a
   * run adds none (runtime/time_evaluator.ts).
   */
  get sampledCalls(): number {
    return this.threadPool ? (this.loopCosts?.sampledCalls ?? 0) : 0;
  }

  /**
   * Per outlined parallel loop (par_<i>), whether its calls go to the workers: true, false (the calling
   * thread alone: too little work, or slower on the workers when timed), undefined while undecided.
   * Empty for a single-threaded module.
   */
  get parallelDecisions(): (boolean | undefined)[] {
    const costs = this.loopCosts;
    return this.threadPool && costs ? this.meta.outlined.map((o) => costs.usesWorkers(o.index)) : [];
  }

  /**
   * Per outlined parallel loop, what its caller/worker race saw (LoopCosts.race: worker calls made, those timed
   * with the workers awake, median ns per iteration each way). Empty for a single-threaded module.
   */
  get parallelRaces(): RaceRecord[] {
    const costs = this.loopCosts;
    return this.threadPool && costs ? this.meta.outlined.map((o) => costs.race(o.index)) : [];
  }

  /** The thread pool this module's parallel loops use (undefined for a single-threaded module). */
  get workers(): ThreadPool | undefined {
    return this.threadPool;
  }

  /**
   * Checks `args` once and returns a function that runs the kernel on them, synchronously, with no
   * further checks or allocations: the graph executor's per-kernel call. The arrays must stay alive
   * (not freed) while the returned function is used. Throws as `run` for bad arguments.
   */
  bind(...args: NDArrayLike[]): () => void {
    const call = [this.scratch[0]!, ...this.addresses(args)];
    const entry = this.entry;
    const name = this.meta.name;
    return () => {
      if (this.disposed) throw new Error(`${name}: module was disposed`);
      try {
        entry.apply(undefined, call);
      } catch (e) {
        if (e instanceof WebAssembly.RuntimeError) throw new Error(`${name}: wasm kernel trapped: ${e.message}`);
        throw e;
      }
    };
  }

  timeEvaluator(opts: TimeEvaluatorOptions = {}): { run(...args: NDArrayLike[]): Promise<TimeResult> } {
    checkTimerFor(opts, this.meta.name, this.threadPool ? 'it runs on worker threads (-threads > 1), whose CPU time adds up instead of overlapping' : undefined);
    return {
      run: async (...args: NDArrayLike[]) => {
        const addrs = this.addresses(args);
        const costs = this.loopCosts;
        return timeRuns(() => this.invoke(addrs), opts, undefined, costs && this.threadPool ? () => costs.sampledCalls : undefined);
      },
    };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const s of new Set(this.scratch)) this.pool.release(s);
    this.threadPool?.unregister(this.poolModuleId);
  }
}

/** Instantiates a wasm artifact (from compileWasm, possibly made in another worker). */
export async function loadWasm(art: CompiledArtifact, func?: PrimFunc): Promise<WasmModule> {
  const meta = readMeta(art);
  const target = parseTarget(art.target);
  if (meta.relaxedSimd && !relaxedSimdSupported()) {
    throw new Error(`loadWasm: target '${target.str}' uses relaxed SIMD, which this runtime (V8 ${v8Version()}) does not accept; ` +
      'run Node with --experimental-wasm-relaxed-simd, or use -relaxed-simd=0');
  }
  const pool = memoryPool();
  let module: WebAssembly.Module;
  try {
    module = await WebAssembly.compile(art.bytes as Uint8Array<ArrayBuffer>);
  } catch (e) {
    // The engine's own message names neither the kernel nor a remedy (e.g. "size 8311746 > maximum function size").
    throw new Error(`loadWasm: V8 refused the module of kernel ${meta.name} (${art.bytes.byteLength} bytes): ` +
      `${(e as Error).message}; a function that is too big comes from unrolling or vectorizing a long axis — split it and unroll/vectorize only the inner part`);
  }
  const threads = meta.outlined.length > 0 ? Math.max(1, meta.threads) : 1;
  let tp: ThreadPool | undefined;
  let moduleId = 0;
  if (threads > 1) {
    tp = threadPool(pool.memory);
    await tp.ensureWorkers(threads - 1);
    moduleId = await tp.register(module);
  }
  // Scratch: slot 0 is the calling thread's frame (entry allocations + argument blocks) and also
  // its share of parallel work; slots 1.. are the workers' frames.
  const parFrame = Math.max(0, ...meta.outlined.map((o) => o.frameBytes));
  const scratch = [pool.alloc(meta.frameBytes + parFrame)];
  for (let t = 1; t < threads; t++) scratch.push(pool.alloc(parFrame));
  const localScratch = scratch.map((s, t) => (t === 0 ? s + meta.frameBytes : s));
  // Outlined loop bodies by index. A loop's first calls run here, timed; then it goes to the
  // workers only if its work pays for the hand-off (runtime/parallel_cost.ts).
  const bodies: Kernel[] = [];
  const costs = new LoopCosts();
  const local0 = localScratch[0]!;
  const parallelFor = (fn: number, begin: number, end: number, args: number): void => {
    const body = bodies[fn]!;
    const t = tp ? costs.plan(fn, end - begin, threads) : 1;
    if (t === 1) body(begin, end, args, local0);
    else if (t > 1) tp!.parallelFor(moduleId, fn, begin, end, args, t, localScratch, body);
    else if (t === 0) costs.sample(fn, end - begin, 1, () => body(begin, end, args, local0));
    else costs.sample(fn, end - begin, -t, () => tp!.parallelFor(moduleId, fn, begin, end, args, -t, localScratch, body));
  };
  const instance = await WebAssembly.instantiate(module, { env: { memory: pool.memory, parallel_for: parallelFor } });
  for (const o of meta.outlined) bodies[o.index] = instance.exports[o.exportName] as Kernel;
  const entry = instance.exports[ENTRY_EXPORT] as Kernel;
  return new WasmModule(target, func ?? signatureOnly(meta), meta, entry, pool, scratch, tp, moduleId, threads, costs);
}
