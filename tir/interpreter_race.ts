// tir/interpreter_race.ts — the interpreter's shared-memory race detector: a read of a shared
// element that another thread of the block wrote since the last barrier, or a write of one that
// another thread read since then, is a data race (WGSL/CUDA give it no defined result).
//
// How the interpreter runs GPU threads decides what can be checked. Threads of a block run one
// after another (serially, or in lockstep from one `tir.storage_sync` to the next), so the order
// the interpreter happens to use always "works"; on a GPU the threads run in any order. The
// detector therefore keeps, per shared element, who last wrote it and who read it in the current
// barrier interval ("epoch"), and reports a conflict between two *different* threads inside one
// epoch whatever the order they ran in. Writes by several threads (a cooperative fetch that
// threadIdx.y threads repeat with the same value, as TVM schedules do) are not reported.
//
// A thread is identified by its threadIdx.x/y/z values (the innermost loop bound to each tag,
// since a nested loop bound to the same tag *is* that thread index); vthreads are iterations of
// one thread. The epoch advances at each barrier of the outermost lockstep thread loop and at
// each blockIdx iteration (every block has its own shared memory).

/** A buffer's storage, as far as the detector cares (one shadow per storage object). */
type Storage = { readonly length: number };

/** One block's race-tracking state, shared by every thread frame of the interpretation. */
export class RaceState {
  /** The barrier interval: advances at every block-wide barrier and every new block. */
  epoch = 1;
  private readonly shadows = new WeakMap<Storage, Shadow>();

  constructor(readonly funcName: string) {}

  shadowOf(mem: Storage): Shadow {
    let s = this.shadows.get(mem);
    if (!s) {
      s = new Shadow(mem.length);
      this.shadows.set(mem, s);
    }
    return s;
  }
}

/** NO_THREAD: an access outside every threadIdx loop. MANY: several readers in one epoch. */
const NO_THREAD = -1;
const MANY = -2;

/** Per element: last writer and its epoch; the reader(s) of the current epoch. */
class Shadow {
  readonly writer: Float64Array;
  readonly writeEpoch: Float64Array;
  readonly reader: Float64Array;
  readonly readEpoch: Float64Array;
  constructor(n: number) {
    this.writer = new Float64Array(n).fill(NO_THREAD);
    this.writeEpoch = new Float64Array(n);
    this.reader = new Float64Array(n).fill(NO_THREAD);
    this.readEpoch = new Float64Array(n);
  }
}

/** threadIdx.x + X·threadIdx.y + X²·threadIdx.z, with X above any workgroup size WebGPU allows. */
const RADIX = 65536;

export function threadKey(x: number, y: number, z: number): number {
  return x + RADIX * (y + RADIX * z);
}

function describeThread(key: number): string {
  if (key === NO_THREAD) return 'code outside the thread loops';
  if (key === MANY) return 'other threads';
  const x = key % RADIX;
  const y = Math.floor(key / RADIX) % RADIX;
  const z = Math.floor(key / (RADIX * RADIX));
  return `thread (threadIdx.x=${x}, threadIdx.y=${y}, threadIdx.z=${z})`;
}

/** Thrown when a shared-memory race is found; names the buffer, element and both threads. */
export class DataRaceError extends Error {
  override readonly name = 'DataRaceError';
}

function race(state: RaceState, buffer: string, offset: number, who: number, what: string, other: number, otherDid: string): never {
  throw new DataRaceError(
    `interpret ${state.funcName}: data race on shared buffer ${buffer}[${offset}]: ${describeThread(who)} ${what} it ` +
    `after ${describeThread(other)} ${otherDid} it with no tir.storage_sync barrier between (insert barriers: codegen.wgsl.insertBarriers)`,
  );
}

/** Records a read by thread `who`; throws if another thread wrote the element this epoch. */
export function noteRead(state: RaceState, buffer: string, mem: Storage, offset: number, who: number): void {
  const sh = state.shadowOf(mem);
  const e = state.epoch;
  if (sh.writeEpoch[offset] === e && sh.writer[offset] !== who) race(state, buffer, offset, who, 'reads', sh.writer[offset]!, 'wrote');
  if (sh.readEpoch[offset] !== e) {
    sh.readEpoch[offset] = e;
    sh.reader[offset] = who;
  } else if (sh.reader[offset] !== who) {
    sh.reader[offset] = MANY;
  }
}

/** Records a write by thread `who`; throws if another thread read the element this epoch. */
export function noteWrite(state: RaceState, buffer: string, mem: Storage, offset: number, who: number): void {
  const sh = state.shadowOf(mem);
  const e = state.epoch;
  if (sh.readEpoch[offset] === e && sh.reader[offset] !== who) race(state, buffer, offset, who, 'overwrites', sh.reader[offset]!, 'read');
  // A second writer in one epoch is allowed (see above), but the element then counts as written
  // by several threads: a later read by any of them is still a read of another thread's write.
  sh.writer[offset] = sh.writeEpoch[offset] === e && sh.writer[offset] !== who ? MANY : who;
  sh.writeEpoch[offset] = e;
}
