// runtime/thread_pool.ts — a persistent pool of worker threads sharing the one wasm memory.
// Work is handed out through a shared control array (Atomics), not messages, so a parallel
// loop costs microseconds; messages are used only to start workers and to load modules.

import { drainChunks, runChunks, writeRanges, type LoopBody, type StepGate } from './parallel_chunks.js';
import { checkSchedule, checkScheduleFollowed, stepGate, writeSchedule } from './parallel_steps.js';
import { BROWSER_WORKER_SOURCE, NODE_WORKER_SOURCE, SEQ_MASK, SLOT, TASK } from './worker_source.js';

/** The message side of a worker, the same for worker_threads and Web Workers. */
interface PoolWorker {
  post(msg: unknown): void;
  onMessage(cb: (msg: WorkerReply) => void): void;
  /** Node: keep the process alive while a reply is awaited, and not otherwise. */
  hold(on: boolean): void;
}

interface WorkerReply { type: string; id?: number; error?: string }

const MAX_WORKERS = 64;
/** The task area's index in the control array, after the workers' slots (worker_source.ts TASK). */
const TASK_BASE = MAX_WORKERS * SLOT.INTS;
const HOT = TASK_BASE + TASK.HOT;
// The ranges of MAX_WORKERS + 1 threads end where the step schedule (a test hook) begins: TASK.SCHEDULE.
const CTRL_INTS = TASK_BASE + TASK.SCHEDULE + TASK.SCHEDULE_MAX;
/**
 * Chunks each thread's range is claimed in. More chunks balance better (a thread that finishes first, or a
 * caller whose worker woke late, takes the rest) at one Atomics.add and one call into wasm per chunk: a loop
 * worth handing out (≥ 63 µs, parallel_cost.ts) has chunks of ≥ 4 µs, against well under 1 µs per claim.
 */
export const CHUNKS_PER_THREAD = 8;

/**
 * What the pool's parallel loops did while statistics were on (ThreadPool.collectStats): iterations per
 * thread, those taken from another thread's range, hand-offs the caller took back before the worker woke,
 * and how long the caller waited at the end. Counts, not times, so they mean the same on a busy machine.
 */
export interface ParallelStats {
  /** Parallel loops handed to the workers. */
  readonly loops: number;
  /** Iterations the calling thread ran from its own range, and from the workers' ranges. */
  readonly callerOwn: number;
  readonly callerStolen: number;
  /** Spin iterations and Atomics.wait sleeps of the caller waiting for workers to finish their chunks. */
  readonly joinSpins: number;
  readonly joinSleeps: number;
  readonly workers: readonly WorkerStats[];
}

export interface WorkerStats {
  /** Loops this worker took part in, and hand-offs the caller took back before it woke (it ran every chunk itself). */
  readonly ran: number;
  readonly cancelled: number;
  /** Iterations of its own range, and of other threads' ranges. */
  readonly own: number;
  readonly stolen: number;
  /** Loops that found it parked in Atomics.waitAsync rather than spinning. */
  readonly parkedWakes: number;
  /** Summed over the loops it ran: the caller's iterations already done when it started (its wake latency, in work). */
  readonly lagIters: number;
}

function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

async function spawn(): Promise<PoolWorker> {
  if (isNode()) {
    const { Worker } = await import('node:worker_threads');
    const w = new Worker(NODE_WORKER_SOURCE, { eval: true });
    // Holds are counted: modules built at once each await a reply from the same worker, and the first
    // reply must not unref the worker while the others still wait (Node would then exit with their
    // promises unsettled: exit code 13 for a top-level await).
    let holds = 0;
    return {
      post: (m) => w.postMessage(m),
      onMessage: (cb) => w.on('message', cb),
      // Attaching a listener refs the worker again, so unref after it; idle workers never keep Node alive.
      hold: (on) => {
        holds += on ? 1 : -1;
        if (holds > 0) w.ref();
        else w.unref();
      },
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
  /** Per worker, the value of its TAKEN word after the last join (known to the caller without reading it). */
  private readonly taken: number[] = [];
  private readonly cancels: number[] = [];
  private statsOn = false;
  private callerOwn = 0;
  private callerStolen = 0;
  private joinSpins = 0;
  private joinSleeps = 0;
  private statLoops = 0;
  private readonly errors: string[][] = [];
  private readonly waiters = new Map<string, () => void>();
  private readonly modules = new Map<number, WebAssembly.Module>();
  private nextModule = 1;
  private starting: Promise<void> = Promise.resolve();
  private dispatched = 0;
  private runDepth = 0;
  /** Whether this span has set the hot flag. */
  private heated = false;
  /** The test hook's step schedule (stepSchedule), and the gate that follows it. */
  private steps: readonly number[] | undefined;
  private gate: StepGate | undefined;

  constructor(readonly memory: WebAssembly.Memory) {
    // Browsers hide SharedArrayBuffer from pages that are not cross-origin isolated; say how to fix it.
    if (typeof SharedArrayBuffer === 'undefined') {
      throw new Error('wasm threads need SharedArrayBuffer, which this page does not have: serve it cross-origin isolated ' +
        '(headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp), or build with -threads=1');
    }
    this.ctrl = new Int32Array(new SharedArrayBuffer(CTRL_INTS * 4));
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
    w.post({ type: 'init', ctrl: this.ctrl.buffer, slot, task: TASK_BASE, memory: this.memory });
    await ready;
    w.hold(false);
    this.workers.push(w);
    this.seqs.push(Atomics.load(this.ctrl, slot * SLOT.INTS + SLOT.SEQ));
    this.taken.push(Atomics.load(this.ctrl, slot * SLOT.INTS + SLOT.TAKEN));
    this.cancels.push(0);
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
   * Starts (true) or stops (false) counting what parallel loops do (ParallelStats); starting resets the
   * counts. Off by default: the workers then skip even their per-loop counter updates.
   */
  collectStats(on: boolean): void {
    if (on) {
      for (let slot = 0; slot < MAX_WORKERS; slot++) {
        const base = slot * SLOT.INTS;
        for (const k of [SLOT.RAN, SLOT.OWN, SLOT.STOLEN, SLOT.PARKED_WAKES, SLOT.LAG]) Atomics.store(this.ctrl, base + k, 0);
      }
      this.cancels.fill(0);
      this.callerOwn = this.callerStolen = this.joinSpins = this.joinSleeps = this.statLoops = 0;
    }
    this.statsOn = on;
    Atomics.store(this.ctrl, TASK_BASE + TASK.STATS, on ? 1 : 0);
  }

  /**
   * Test hook: parallel loops handed out from now on follow `steps`, the order in which their threads (0: the
   * caller, w: slot w − 1's worker) take their steps (parallel_steps.ts), then run freely; undefined: off. A
   * loop that could not follow it throws, naming the step. @throws RangeError for a bad schedule (checkSchedule)
   */
  stepSchedule(steps: readonly number[] | undefined): void {
    this.steps = steps === undefined || steps.length === 0 ? undefined : checkSchedule([...steps], Infinity, TASK);
    this.gate = this.steps && stepGate(this.ctrl, TASK_BASE, TASK);
    this.ctrl[TASK_BASE + TASK.STEPS] = 0; // workers read it with the next task's SEQ; no loop runs now
  }

  /** The counts since collectStats(true) (all zero if it was never called). */
  stats(): ParallelStats {
    const c = this.ctrl;
    return {
      loops: this.statLoops, callerOwn: this.callerOwn, callerStolen: this.callerStolen, joinSpins: this.joinSpins, joinSleeps: this.joinSleeps,
      workers: this.workers.map((_, slot) => {
        const base = slot * SLOT.INTS;
        const at = (k: number): number => Atomics.load(c, base + k);
        return { ran: at(SLOT.RAN), cancelled: this.cancels[slot]!, own: at(SLOT.OWN), stolen: at(SLOT.STOLEN), parkedWakes: at(SLOT.PARKED_WAKES), lagIters: at(SLOT.LAG) };
      }),
    };
  }

  /**
   * Runs par_<fn>(b, e, args, scratch[thread]) over [begin, end) on at most `threads` threads, the calling
   * thread among them (through `runLocal`, its instance's body): each thread owns a contiguous range of
   * ⌈n / threads⌉ iterations and claims it in chunks, then takes what is left of the others' ranges
   * (parallel_chunks.ts). A worker that has not woken by the time the caller has claimed every chunk is
   * not waited for: the caller takes its hand-off back (compareExchange on its TAKEN word; the worker
   * skips a task taken back). Blocks until every chunk is done, then rethrows the caller's error or the
   * first worker error; after an error no thread starts another chunk. Returns the hand-offs taken back (0 when
   * every worker ran its part, or when nothing was handed out): LoopCosts (parallel_cost.ts) does not count a
   * timed call whose worker missed it, which measured the worker's wake-up, not the loop.
   */
  parallelFor(
    moduleId: number, fn: number, begin: number, end: number, args: number, threads: number,
    scratch: readonly number[], runLocal: LoopBody,
  ): number {
    const n = end - begin;
    if (n <= 0) return 0;
    const t = Math.max(1, Math.min(threads, n, this.workers.length + 1));
    const chunk = Math.max(1, Math.ceil(Math.ceil(n / t) / CHUNKS_PER_THREAD));
    // Claims run past a range's end by up to one chunk per thread: keep the cursors inside Int32.
    if (t === 1 || end + t * chunk > 0x7fffffff) {
      runLocal(begin, end, args, scratch[0]!);
      return 0;
    }
    if (this.steps !== undefined) checkSchedule(this.steps, t, TASK);
    if (this.runDepth > 0 && !this.heated) {
      this.heated = true;
      Atomics.store(this.ctrl, HOT, 1);
    }
    const c = this.ctrl;
    writeRanges(c, TASK_BASE, begin, end, t, chunk, TASK);
    const gate = this.gate;
    if (this.steps !== undefined) writeSchedule(c, TASK_BASE, this.steps, TASK);
    for (let w = 1; w < t; w++) {
      const slot = w - 1;
      const base = slot * SLOT.INTS;
      c[base + SLOT.MODULE] = moduleId; c[base + SLOT.FN] = fn; c[base + SLOT.ARGS] = args; c[base + SLOT.SCRATCH] = scratch[w]!; c[base + SLOT.ERROR] = 0;
      const seq = (this.seqs[slot]! + 1) & SEQ_MASK;
      this.seqs[slot] = seq;
      Atomics.store(c, base + SLOT.SEQ, seq);
      // A worker that is spinning sees SEQ change; one parked in waitAsync needs the notify.
      if (Atomics.load(c, base + SLOT.PARKED) !== 0) Atomics.notify(c, base + SLOT.SEQ);
    }
    this.dispatched++;
    let localError: unknown;
    let own = 0;
    let stolen = 0;
    try {
      [own, stolen] = runChunks(c, TASK_BASE, 0, runLocal, args, scratch[0]!, TASK, gate);
    } catch (e) {
      localError = e;
      drainChunks(c, TASK_BASE, TASK);
      gate?.(0, false);
    }
    const failures: string[] = [];
    let spins = 0;
    let sleeps = 0;
    let takenBack = 0;
    for (let slot = 0; slot < t - 1; slot++) {
      const base = slot * SLOT.INTS;
      const seq = this.seqs[slot]!;
      const before = this.taken[slot]!;
      // Every chunk is claimed: a worker that has not taken its hand-off yet is not waited for.
      gate?.(0, true);
      const tookBack = Atomics.compareExchange(c, base + SLOT.TAKEN, before, seq * 2 + 1) === before;
      gate?.(0, false);
      if (tookBack) {
        this.taken[slot] = seq * 2 + 1;
        takenBack++;
        if (this.statsOn) this.cancels[slot]!++;
        continue;
      }
      this.taken[slot] = seq * 2;
      // Its last chunk is usually done within microseconds: spin a little before sleeping on the futex.
      const spinUntil = performance.now() + 0.2;
      for (;;) {
        const done = Atomics.load(c, base + SLOT.DONE);
        if (done === seq) break;
        spins++;
        if (performance.now() < spinUntil) continue;
        sleeps++;
        waitFor(c, base + SLOT.DONE, done);
      }
      if (c[base + SLOT.ERROR] !== 0) failures.push(`worker ${slot}: ${readMessage(c, base)}`);
    }
    if (this.statsOn) {
      this.statLoops++;
      this.callerOwn += own;
      this.callerStolen += stolen;
      this.joinSpins += spins;
      this.joinSleeps += sleeps;
    }
    if (gate) checkScheduleFollowed(c, TASK_BASE, TASK);
    if (localError !== undefined) throw localError;
    if (failures.length > 0) throw new Error(`parallel loop failed in ${failures.join('; ')}`);
    return takenBack;
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
