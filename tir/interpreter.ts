// tir/interpreter.ts — the reference executor: runs any PrimFunc (before or after lowering) in
// plain TypeScript on typed arrays. Exact, not fast; codegens and schedules are checked against it.

import {
  elementType, lanesOf,
  type Buffer, type For, type PrimExpr, type PrimFunc, type Stmt, type StorageScope, type ThreadTag, type Var,
} from './nodes.js';
import { ExprCompiler, type AccessHook, type Frame, type Scope, type ScalarFn, type Storage } from './interpreter_expr.js';
import { flatOffset } from './interpreter_math.js';
import { noteRead, noteWrite, RaceState, threadKey } from './interpreter_race.js';

/**
 * A compiled statement. `run` executes it; `gen` exists only when it contains a
 * `tir.storage_sync` barrier and yields at each barrier, so that the threads of a block
 * can be advanced in lockstep from one barrier to the next.
 */
interface Compiled {
  readonly run: (f: Frame) => void;
  readonly gen?: (f: Frame) => Generator<void, void, void>;
}

function storageFor(b: Buffer, size: number): Storage {
  switch (elementType(b.dtype)) {
    case 'float32':
    case 'float16':
      return new Float32Array(size);
    case 'int32':
      return new Int32Array(size);
    case 'bool':
      return new Uint8Array(size);
  }
}

/** Threads that synchronise at barriers: a block's threads (vthreads too, they share the block). */
function isLockstepTag(tag: ThreadTag | undefined): boolean {
  return tag !== undefined && !tag.startsWith('blockIdx');
}

/** Options of `interpret`. */
export interface InterpretOptions {
  /**
   * Check shared-memory accesses for data races between the threads of a block (default true):
   * a read of an element another thread wrote, or a write of one another thread read, with no
   * `tir.storage_sync` between them throws a DataRaceError (see interpreter_race.ts).
   */
  readonly checkRaces?: boolean;
}

const AXES = ['threadIdx.x', 'threadIdx.y', 'threadIdx.z'] as const;

class StmtCompiler implements Scope {
  readonly vars = new Map<Var, number>();
  readonly bufs = new Map<number, number>();
  readonly bufNames: string[] = [];
  readonly bufScopes: StorageScope[] = [];
  scalarSlots = 0;
  vectorSlots = 0;
  readonly expr = new ExprCompiler(this);
  /** Enclosing threadIdx loops (innermost last) and lockstep loops, while compiling. */
  private readonly threadLoops: { tag: ThreadTag; slot: number }[] = [];
  private lockstepDepth = 0;

  constructor(private readonly checkRaces: boolean) {}

  accessHook(b: Buffer, kind: 'read' | 'write'): AccessHook | undefined {
    if (!this.checkRaces || b.scope !== 'shared') return undefined;
    // The innermost loop bound to each tag is that thread index (an inner loop bound to the same
    // tag, as a cooperative fetch makes, is the same hardware index).
    const slots = AXES.map((tag) => [...this.threadLoops].reverse().find((t) => t.tag === tag)?.slot);
    const slot = this.bufferSlotOf(b);
    const name = b.name;
    const note = kind === 'read' ? noteRead : noteWrite;
    const [sx, sy, sz] = slots;
    if (slots.every((x) => x === undefined)) {
      return (f, off) => { if (f.race) note(f.race, name, f.m[slot]!, off, -1); };
    }
    return (f, off) => {
      if (!f.race) return;
      const who = threadKey(sx === undefined ? 0 : f.r[sx]!, sy === undefined ? 0 : f.r[sy]!, sz === undefined ? 0 : f.r[sz]!);
      note(f.race, name, f.m[slot]!, off, who);
    };
  }

  private bufferSlotOf(b: Buffer): number {
    return this.expr.bufferSlot(b, 'access');
  }

  newScalarSlot(): number {
    return this.scalarSlots++;
  }
  newVectorSlot(): number {
    return this.vectorSlots++;
  }
  bindBuffer(b: Buffer): number {
    const slot = this.bufNames.length;
    this.bufNames.push(b.name);
    this.bufScopes.push(b.scope);
    this.bufs.set(b.id, slot);
    return slot;
  }

  stmt(s: Stmt): Compiled {
    switch (s.kind) {
      case 'For':
        return this.forLoop(s);
      case 'LetStmt': {
        const vec = lanesOf(s.variable.dtype) > 1;
        const slot = vec ? this.newVectorSlot() : this.newScalarSlot();
        const value = this.expr.vector(s.value);
        const body = this.expr.withVar(s.variable, slot, () => this.stmt(s.body));
        const bind = (f: Frame): void => {
          const v = value(f);
          if (vec) f.v[slot] = v;
          else f.r[slot] = v[0]!;
        };
        return {
          run: (f) => { bind(f); body.run(f); },
          gen: body.gen && (function* (f) { bind(f); yield* body.gen!(f); }),
        };
      }
      case 'IfThenElse': {
        const cond = this.expr.scalar(s.condition);
        const thenC = this.stmt(s.thenCase);
        const elseC = s.elseCase ? this.stmt(s.elseCase) : undefined;
        const anyGen = thenC.gen !== undefined || elseC?.gen !== undefined;
        return {
          run: (f) => {
            if (cond(f)) thenC.run(f);
            else elseC?.run(f);
          },
          gen: anyGen ? function* (f) {
            const branch = cond(f) ? thenC : elseC;
            if (branch) yield* runGen(branch, f);
          } : undefined,
        };
      }
      case 'SeqStmt': {
        const kids = s.seq.map((c) => this.stmt(c));
        return {
          run: (f) => { for (const k of kids) k.run(f); },
          gen: kids.some((k) => k.gen) ? function* (f) { for (const k of kids) yield* runGen(k, f); } : undefined,
        };
      }
      case 'BufferStore':
        return { run: this.store(s.buffer, s.value, s.indices) };
      case 'Allocate':
        return this.allocate(s.buffer, s.body);
      case 'Evaluate': {
        if (s.value.kind === 'Call' && s.value.op === 'tir.storage_sync') {
          if (this.lockstepDepth > 0) return { run: () => {}, gen: function* () { yield; } };
          // Outside the thread loops (between two thread-loop nests of one block) every thread
          // has finished the nest before: nothing to wait for, but a new race-detector epoch.
          const between = (f: Frame): void => { if (f.race) f.race.epoch++; };
          return { run: between, gen: function* (f) { between(f); yield; } };
        }
        const v = this.expr.vector(s.value);
        return { run: (f) => { v(f); } };
      }
    }
  }

  private store(b: Buffer, value: PrimExpr, indices: readonly PrimExpr[]): (f: Frame) => void {
    const slot = this.expr.bufferSlot(b, 'store');
    const name = b.name;
    const lanes = lanesOf(value.dtype);
    const hook = this.accessHook(b, 'write');
    if (lanes === 1) {
      const v = this.expr.scalar(value);
      const off = this.expr.scalarOffset(b, indices, slot, 'store');
      if (hook) {
        return (f) => {
          const x = v(f);
          const o = off(f);
          hook(f, o);
          f.m[slot]![o] = x;
        };
      }
      return (f) => {
        const x = v(f);
        f.m[slot]![off(f)] = x;
      };
    }
    const v = this.expr.vector(value);
    const ramp = this.expr.rampOffsets(b, indices, slot, 'store');
    if (ramp) {
      return (f) => {
        const mem = f.m[slot]!;
        const offs = ramp(f);
        const xs = v(f);
        for (let l = 0; l < lanes; l++) {
          if (hook) hook(f, offs[l]!);
          mem[offs[l]!] = xs[l]!;
        }
      };
    }
    const idx = this.expr.indexFn(indices, lanes);
    return (f) => {
      const mem = f.m[slot]!;
      const shape = f.shp[slot]!;
      const ixs = idx(f);
      const xs = v(f);
      for (let l = 0; l < lanes; l++) {
        const o = flatOffset(name, shape, ixs[l]!, 'store');
        if (hook) hook(f, o);
        mem[o] = xs[l]!;
      }
    };
  }

  private allocate(b: Buffer, bodyStmt: Stmt): Compiled {
    const dims = b.shape.map((d) => this.expr.scalar(d));
    const slot = this.bindBuffer(b);
    const body = this.stmt(bodyStmt);
    const shared = b.scope === 'shared';
    const name = b.name;
    const enter = (f: Frame): void => {
      const shape = dims.map((d) => d(f));
      const size = shape.reduce((p, x) => p * x, 1);
      if (!Number.isInteger(size) || size < 0) throw new RangeError(`interpret: allocate ${name}: bad shape [${shape.join(', ')}]`);
      // Threads of one block that each reach a shared Allocate must see one storage.
      let storage = shared ? f.pool?.get(slot) : undefined;
      if (!storage || storage.length !== size) {
        storage = storageFor(b, size);
        if (shared) f.pool?.set(slot, storage);
      }
      f.m[slot] = storage;
      f.shp[slot] = shape;
    };
    return {
      run: (f) => { enter(f); body.run(f); },
      gen: body.gen && (function* (f) { enter(f); yield* body.gen!(f); }),
    };
  }

  private forLoop(s: For): Compiled {
    const min = this.expr.scalar(s.min);
    const extent = this.expr.scalar(s.extent);
    const slot = this.newScalarSlot();
    const tag = s.forKind === 'threadBinding' ? s.threadTag : undefined;
    const isThread = tag !== undefined && tag.startsWith('threadIdx');
    const isLockstep = isLockstepTag(tag);
    const outermostLockstep = isLockstep && this.lockstepDepth === 0;
    if (isThread) this.threadLoops.push({ tag: tag!, slot });
    if (isLockstep) this.lockstepDepth++;
    let body: Compiled;
    try {
      body = this.expr.withVar(s.loopVar, slot, () => this.stmt(s.body));
    } finally {
      if (isThread) this.threadLoops.pop();
      if (isLockstep) this.lockstepDepth--;
    }
    const newBlock = tag !== undefined && tag.startsWith('blockIdx');
    const serial = (f: Frame): void => {
      const lo = min(f);
      const n = extent(f);
      for (let i = 0; i < n; i++) {
        f.r[slot] = lo + i;
        if (newBlock) startBlock(f);
        body.run(f);
      }
    };
    if (!body.gen) return { run: serial };
    const bodyGen = body.gen;
    if (isLockstep) {
      const lockstep = this.lockstep(min, extent, slot, bodyGen, tag!, outermostLockstep);
      return {
        run: (f) => { for (const _ of lockstep(f)) { /* barrier reached by all threads */ } },
        gen: lockstep,
      };
    }
    return {
      run: serial,
      gen: function* (f) {
        const lo = min(f);
        const n = extent(f);
        for (let i = 0; i < n; i++) {
          f.r[slot] = lo + i;
          if (newBlock) startBlock(f);
          yield* bodyGen(f);
        }
      },
    };
  }

  /** Runs every thread of the loop to its next barrier, then yields once (one barrier for all). */
  private lockstep(
    min: ScalarFn, extent: ScalarFn, slot: number, bodyGen: (f: Frame) => Generator<void, void, void>, tag: ThreadTag,
    outermost: boolean,
  ): (f: Frame) => Generator<void, void, void> {
    const localSlots = this.bufScopes.map((sc, i) => (sc === 'local' ? i : -1)).filter((i) => i >= 0);
    return function* (f) {
      const lo = min(f);
      const n = extent(f);
      const pool = f.pool ?? new Map<number, Storage>();
      const threads: Generator<void, void, void>[] = [];
      for (let i = 0; i < n; i++) {
        const m = f.m.slice();
        // Local (register) storage allocated outside the thread loop is still private per thread.
        for (const ls of localSlots) if (m[ls]) m[ls] = m[ls]!.slice();
        const t: Frame = { r: f.r.slice(), v: f.v.slice(), m, shp: f.shp.slice(), pool, race: f.race };
        t.r[slot] = lo + i;
        threads.push(bodyGen(t));
      }
      for (;;) {
        let done = 0;
        for (const g of threads) if (g.next().done) done++;
        if (done === threads.length) return;
        if (done > 0) throw new Error(`interpret: ${tag} threads diverge at a tir.storage_sync barrier (${done} of ${n} finished without reaching it)`);
        // Every thread of the block is at the barrier: what came before it is ordered.
        if (outermost && f.race) f.race.epoch++;
        yield;
      }
    };
  }
}

/** Every block has its own shared memory, and starts a new race-detector epoch. */
function startBlock(f: Frame): void {
  f.pool = new Map();
  if (f.race) f.race.epoch++;
}

function runGen(c: Compiled, f: Frame): Generator<void, void, void> {
  if (c.gen) return c.gen(f);
  return (function* () { c.run(f); })();
}

const ARRAY_FOR: Record<string, string> = { float32: 'Float32Array', float16: 'Float32Array', int32: 'Int32Array', bool: 'Int32Array' };

function checkParam(p: Buffer, arr: Float32Array | Int32Array, i: number, argShape: readonly number[] | undefined): number[] {
  const shape = p.shape.map((d, k) => {
    if (d.kind !== 'IntImm') throw new TypeError(`interpret: parameter ${i} (${p.name}): dimension ${k} is not a constant`);
    return d.value;
  });
  const size = shape.reduce((a, b) => a * b, 1);
  const want = ARRAY_FOR[elementType(p.dtype)]!;
  if (arr?.constructor?.name !== want) {
    throw new TypeError(`interpret: parameter ${i} (${p.name}, ${p.dtype}) needs a ${want}, got ${arr?.constructor?.name ?? typeof arr}`);
  }
  if (arr.length !== size) {
    throw new RangeError(`interpret: parameter ${i} (${p.name}) has shape [${shape.join(', ')}] = ${size} elements, but the array holds ${arr.length}`);
  }
  if (argShape && argShape.reduce((a, b) => a * b, 1) !== size) {
    throw new RangeError(`interpret: parameter ${i} (${p.name}): attrs.argShapes [${argShape.join(', ')}] disagrees with its ${size} elements`);
  }
  return shape;
}

/**
 * Executes `f` on `buffers` (one typed array per parameter, in parameter order; float32 →
 * Float32Array, int32/bool → Int32Array), writing outputs in place. Thread-bound loops run
 * as serial loops, except that threads of a block whose body has a `tir.storage_sync`
 * barrier run in lockstep from barrier to barrier, with per-thread local storage.
 * Unless `opts.checkRaces` is false, shared-memory accesses are checked for data races between
 * threads of a block; a race throws `DataRaceError` naming the buffer, element and both threads.
 * @throws RangeError on a wrong buffer count/size or an out-of-bounds access; DataRaceError.
 */
export function interpret(f: PrimFunc, buffers: readonly (Float32Array | Int32Array)[], opts: InterpretOptions = {}): void {
  if (buffers.length !== f.params.length) {
    throw new RangeError(`interpret ${f.name}: expects ${f.params.length} buffers (${f.params.map((p) => p.name).join(', ')}), got ${buffers.length}`);
  }
  const argShapes = f.attrs['argShapes'] as readonly (readonly number[])[] | undefined;
  const checkRaces = opts.checkRaces ?? true;
  const c = new StmtCompiler(checkRaces);
  const shapes = f.params.map((p, i) => {
    const shape = checkParam(p, buffers[i]!, i, argShapes?.[i]);
    c.bindBuffer(p);
    return shape;
  });
  const body = c.stmt(f.body);
  const frame: Frame = {
    r: new Array<number>(c.scalarSlots).fill(0),
    v: new Array<number[]>(c.vectorSlots).fill([]),
    m: new Array<Storage | undefined>(c.bufNames.length),
    shp: new Array<readonly number[] | undefined>(c.bufNames.length),
    pool: new Map(),
    race: checkRaces ? new RaceState(f.name) : undefined,
  };
  f.params.forEach((_, i) => {
    frame.m[i] = buffers[i]!;
    frame.shp[i] = shapes[i]!;
  });
  body.run(frame);
}
