// runtime/thread_pool.ts — a persistent pool of worker threads sharing the one wasm memory.
// Work is handed out through a shared control array (Atomics), not messages, so a parallel
// loop costs microseconds; messages are used only to start workers and to load modules.

import { BROWSER_WORKER_SOURCE, NODE_WORKER_SOURCE, SLOT } from './worker_source.js';

/** The message side of a worker, the same for worker_threads and Web Workers. */
interface PoolWorker {
  post(msg: unknown): void;
  onMessage(cb: (msg: WorkerReply) => void): void;
  /** Node: keep the process alive while a reply is awaited, and not otherwise. */
  hold(on: boolean): void;
}

interface WorkerReply { type: string; id?: number; error?: string }

const MAX_WORKERS = 64;
/** The hot count's index in the control array, after the workers' slots. */
const HOT = MAX_WORKERS * SLOT.INTS;

function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

async function spawn(): Promise<PoolWorker> {
  if (isNode()) {
    const { Worker } = await import('node:worker_threads');
    const w = new Worker(NODE_WORKER_SOURCE, { eval: true });
    return {
      post: (m) => w.postMessage(m),
      onMessage: (cb) => w.on('message', cb),
      // Attaching a listener refs the worker again, so unref after it; idle workers never keep Node alive.
      hold: (on) => (on ? w.ref() : w.unref()),
    };
  }
  const url = URL.createObjectURL(new Blob([BROWSER_WORKER_SOURCE], { type: 'text/javascript' }));
  const w = new Worker(url);
  return { post: (m) => w.postMessage(m), onMessage: (cb) => { w.onmessage = (e: MessageEvent<WorkerReply>) => cb(e.data); }, hold: () => {} };
}

export class ThreadPool {
  private readonly ctrl: Int32Array;
  private readonly workers: PoolWorker[] = [];
  private readonly seqs: number[] = [];
  private readonly errors: string[][] = [];
  private readonly waiters = new Map<string, () => void>();
  private readonly modules = new Map<number, WebAssembly.Module>();
  private nextModule = 1;
  private starting: Promise<void> = Promise.resolve();
  private dispatched = 0;
  private runDepth = 0;
  /** Whether this span has set the hot flag. */
  private heated = false;

  constructor(readonly memory: WebAssembly.Memory) {
    // Browsers hide SharedArrayBuffer from pages that are not cross-origin isolated; say how to fix it.
    if (typeof SharedArrayBuffer === 'undefined') {
      throw new Error('wasm threads need SharedArrayBuffer, which this page does not have: serve it cross-origin isolated ' +
        '(headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp), or build with -threads=1');
    }
    this.ctrl = new Int32Array(new SharedArrayBuffer((MAX_WORKERS * SLOT.INTS + 1) * 4));
  }

  get size(): number {
    return this.workers.length;
  }

  /** Makes sure at least `n` workers run (each with every registered module loaded). */
  ensureWorkers(n: number): Promise<void> {
    if (n > MAX_WORKERS) throw new RangeError(`thread pool: ${n} workers requested, at most ${MAX_WORKERS}`);
    this.starting = this.starting.then(async () => {
      while (this.workers.length < n) await this.addWorker();
    });
    return this.starting;
  }

  private expect(key: string): Promise<void> {
    return new Promise((resolve) => this.waiters.set(key, resolve));
  }

  private async addWorker(): Promise<void> {
    const slot = this.workers.length;
    const w = await spawn();
    const errors: string[] = [];
    this.errors[slot] = errors;
    w.onMessage((msg) => {
      if (msg.error) errors.push(msg.error);
      const key = msg.type === 'ready' ? `ready:${slot}` : `loaded:${slot}:${msg.id ?? -1}`;
      this.waiters.get(key)?.();
      this.waiters.delete(key);
    });
    const ready = this.expect(`ready:${slot}`);
    w.hold(true);
    w.post({ type: 'init', ctrl: this.ctrl.buffer, slot, hot: HOT, memory: this.memory });
    await ready;
    w.hold(false);
    this.workers.push(w);
    this.seqs.push(Atomics.load(this.ctrl, slot * SLOT.INTS + SLOT.SEQ));
    for (const [id, mod] of this.modules) await this.loadInto(slot, id, mod);
  }

  private async loadInto(slot: number, id: number, mod: WebAssembly.Module): Promise<void> {
    const done = this.expect(`loaded:${slot}:${id}`);
    const w = this.workers[slot]!;
    w.hold(true);
    w.post({ type: 'load', id, module: mod });
    await done;
    w.hold(false);
    const errors = this.errors[slot]!;
    if (errors.length > 0) throw new Error(`thread pool: worker ${slot} could not instantiate the module: ${errors.join('; ')}`);
  }

  /** Instantiates a compiled module in every worker; returns its id for `parallelFor`. */
  async register(mod: WebAssembly.Module): Promise<number> {
    await this.starting;
    const id = this.nextModule++;
    this.modules.set(id, mod);
    await Promise.all(this.workers.map((_, slot) => this.loadInto(slot, id, mod)));
    return id;
  }

  /** Parallel loops handed to workers so far (loops run on the calling thread alone not counted). */
  get dispatches(): number {
    return this.dispatched;
  }

  /** Whether a run is in progress (workers spin instead of parking). */
  get hot(): boolean {
    return Atomics.load(this.ctrl, HOT) !== 0;
  }

  /**
   * Starts a span of back-to-back kernels (a model run). From the span's first hand-off to a
   * worker until the matching `endRun`, workers spin between tasks instead of parking in
   * Atomics.waitAsync, whose wake-up costs 0.1–1 ms per loop; a span that hands nothing to the
   * workers (every loop small enough to run on the caller) wakes nothing. Spans nest. Always pair
   * with `endRun` (try/finally): until then the workers keep their cores busy.
   */
  beginRun(): void {
    this.runDepth++;
  }

  /** Ends a span begun by `beginRun`; workers park again after their short spin. */
  endRun(): void {
    if (this.runDepth <= 0) throw new Error('thread pool: endRun without beginRun');
    if (--this.runDepth === 0 && this.heated) {
      this.heated = false;
      Atomics.store(this.ctrl, HOT, 0);
    }
  }

  unregister(id: number): void {
    if (!this.modules.delete(id)) return;
    for (const w of this.workers) w.post({ type: 'unload', id });
  }

  /**
   * Runs par_<fn>(b, e, args, scratch[t]) over [begin, end) split into contiguous chunks, one per
   * thread (at most `threads`); the calling thread runs the first chunk through `runLocal`.
   * Blocks until every chunk is done, then rethrows the first worker error.
   */
  parallelFor(
    moduleId: number, fn: number, begin: number, end: number, args: number, threads: number,
    scratch: readonly number[], runLocal: (b: number, e: number, args: number, scratch: number) => void,
  ): void {
    const n = end - begin;
    if (n <= 0) return;
    const t = Math.max(1, Math.min(threads, n, this.workers.length + 1));
    const chunk = Math.ceil(n / t);
    const used: number[] = [];
    if (this.runDepth > 0 && !this.heated && t > 1) {
      this.heated = true;
      Atomics.store(this.ctrl, HOT, 1);
    }
    for (let w = 1; w < t; w++) {
      const b = begin + w * chunk;
      const e = Math.min(end, b + chunk);
      if (b >= e) break;
      const slot = w - 1;
      const base = slot * SLOT.INTS;
      const c = this.ctrl;
      c[base + SLOT.MODULE] = moduleId; c[base + SLOT.FN] = fn; c[base + SLOT.BEGIN] = b; c[base + SLOT.END] = e;
      c[base + SLOT.ARGS] = args; c[base + SLOT.SCRATCH] = scratch[w]!; c[base + SLOT.ERROR] = 0;
      const seq = (this.seqs[slot]! + 1) | 0;
      this.seqs[slot] = seq;
      Atomics.store(c, base + SLOT.SEQ, seq);
      Atomics.notify(c, base + SLOT.SEQ);
      used.push(slot);
    }
    if (used.length > 0) this.dispatched++;
    let localError: unknown;
    try {
      runLocal(begin, Math.min(end, begin + chunk), args, scratch[0]!);
    } catch (e) {
      localError = e;
    }
    const failures: string[] = [];
    for (const slot of used) {
      const base = slot * SLOT.INTS;
      const seq = this.seqs[slot]!;
      // Short kernels finish within microseconds: spin a little before sleeping on the futex.
      const spinUntil = performance.now() + 0.2;
      for (;;) {
        const done = Atomics.load(this.ctrl, base + SLOT.DONE);
        if (done === seq) break;
        if (performance.now() < spinUntil) continue;
        waitFor(this.ctrl, base + SLOT.DONE, done);
      }
      if (this.ctrl[base + SLOT.ERROR] !== 0) failures.push(`worker ${slot}: ${readMessage(this.ctrl, base)}`);
    }
    if (localError !== undefined) throw localError;
    if (failures.length > 0) throw new Error(`parallel loop failed in ${failures.join('; ')}`);
  }
}

let canBlock: boolean | undefined;
/** Atomics.wait where the thread may block (Node, workers); a spin where it may not (browser main thread). */
function waitFor(ctrl: Int32Array, index: number, value: number): void {
  if (canBlock !== false) {
    try {
      Atomics.wait(ctrl, index, value, 1000);
      canBlock = true;
      return;
    } catch {
      canBlock = false;
    }
  }
}

function readMessage(ctrl: Int32Array, base: number): string {
  let s = '';
  for (let i = base + SLOT.MSG; i < base + SLOT.INTS && ctrl[i] !== 0; i++) s += String.fromCharCode(ctrl[i]!);
  return s;
}

let pool: ThreadPool | undefined;

/** The process-wide pool over the shared memory. */
export function threadPool(memory: WebAssembly.Memory): ThreadPool {
  if (!pool) pool = new ThreadPool(memory);
  else if (pool.memory !== memory) throw new Error('thread pool: a different memory than the shared one was given');
  return pool;
}
