// codegen/wasm/func_context.ts — per-function emission state: locals, variable bindings,
// buffer base pointers, the scratch frame and the statement prelude used by vector code.

import binaryen from 'binaryen';
import {
  elementType, isBool, isFloat, isInt, lanesOf,
  type Buffer, type DataType, type For, type ScalarType, type Var,
} from '../../tir/nodes.js';

export type Ref = binaryen.ExpressionRef;

/** What the codegen was asked for (resolved from the target string). */
export interface CodegenOptions {
  readonly simd: boolean;
  readonly relaxedSimd: boolean;
  readonly threads: number;
  readonly optLevel: number;
  /** Strength-reduced address pointers in innermost loops (strength_reduce.ts); off only when false. */
  readonly strengthReduce?: boolean;
  /** 'unrolled' loops with a constant extent up to this are unrolled by the codegen. */
  readonly maxUnroll: number;
}

/** How a vector value is held: k v128 parts of 4 lanes, or one scalar part per lane. */
export type VecMode = 'v128' | 'lanes';

/** A variable's value: a local (scalar or one per part), or a constant from an unrolled loop. */
export type Binding =
  | { readonly kind: 'const'; readonly value: number }
  | { readonly kind: 'local'; readonly local: number }
  | { readonly kind: 'vector'; readonly mode: VecMode; readonly locals: readonly number[] };

/** Where a buffer lives: linear memory at a base pointer, or promoted to wasm locals. */
export type BufferHome =
  | { readonly kind: 'memory'; readonly baseLocal: number }
  | { readonly kind: 'scalarLocals'; readonly locals: readonly number[] }
  | { readonly kind: 'v128Locals'; readonly locals: readonly number[]; readonly stride?: number };

/**
 * The position (4·local + lane) of element `e` of a promoted buffer. A v128Locals home with a stride s > 1
 * (promotedStride: every vector access is a Ramp of stride s, e.g. an accumulator tile [co, ow] vectorized
 * along co) stores the buffer transposed, as [s][size/s]: element e at (e mod s)·(size/s) + ⌊e/s⌋, so each
 * such access covers consecutive positions (whole v128 locals) instead of one lane of each of many.
 */
export function slotOf(home: BufferHome, e: number): number {
  if (home.kind !== 'v128Locals' || home.stride === undefined || home.stride <= 1) return e;
  const rows = (home.locals.length * 4) / home.stride;
  return (e % home.stride) * rows + Math.floor(e / home.stride);
}

/** The Ramp stride along which a buffer's home keeps vectors whole: 1 in memory, the home's stride in locals. */
export function homeStride(home: BufferHome): number {
  return home.kind === 'v128Locals' ? home.stride ?? 1 : 1;
}

/** One outlined parallel loop: its export name and the per-thread scratch it needs. */
export interface OutlinedInfo {
  readonly exportName: string;
  readonly index: number;
  frameBytes: number;
}

/** State shared by all functions of one module (helper functions, outlined loops). */
export interface ModuleState {
  readonly m: binaryen.Module;
  readonly opts: CodegenOptions;
  readonly outlined: OutlinedInfo[];
  readonly outlinedByLoop: Map<For, OutlinedInfo>;
  /** Names of helper functions already added (intrinsics), so each is added once. */
  readonly helpers: Set<string>;
}

export const SCRATCH_ALIGN = 16;

/** Emission state for one wasm function. */
export class FuncContext {
  readonly locals: binaryen.Type[] = [];
  readonly bindings = new Map<Var, Binding>();
  readonly homes = new Map<Buffer, BufferHome>();
  /** Side-effect-free values computed before the current statement (vector operand hoisting). */
  prelude: Ref[] = [];
  frameOffset = 0;
  frameMax = 0;
  /**
   * Contiguous vector loads already held in locals (keyed by buffer id, then index), valid
   * along straight-line code: cleared at every loop/branch boundary, and a buffer's entries at
   * every store to it (parameters never alias: the runtime rejects one array passed twice).
   */
  readonly loadCache = new Map<string, readonly number[]>();

  /** Forgets cached loads of one buffer (after a store to it). */
  invalidateLoads(bufferId: number): void {
    const prefix = `${bufferId}:`;
    for (const k of [...this.loadCache.keys()]) if (k.startsWith(prefix)) this.loadCache.delete(k);
  }
  private labelCount = 0;

  constructor(
    readonly mod: ModuleState,
    readonly paramTypes: readonly binaryen.Type[],
    /** The local holding this function's scratch frame base. */
    readonly scratchLocal: number,
    /** True inside an outlined parallel body: nested parallel loops run serially. */
    readonly insideParallel: boolean,
  ) {}

  get m(): binaryen.Module {
    return this.mod.m;
  }

  get opts(): CodegenOptions {
    return this.mod.opts;
  }

  addLocal(type: binaryen.Type): number {
    this.locals.push(type);
    return this.paramTypes.length + this.locals.length - 1;
  }

  localType(index: number): binaryen.Type {
    return index < this.paramTypes.length ? this.paramTypes[index]! : this.locals[index - this.paramTypes.length]!;
  }

  get(index: number): Ref {
    return this.m.local.get(index, this.localType(index));
  }

  label(prefix: string): string {
    return `${prefix}${this.labelCount++}`;
  }

  /** Reserves `bytes` of scratch in this function's frame; returns its offset. */
  reserve(bytes: number): number {
    const off = this.frameOffset;
    this.frameOffset += Math.ceil(bytes / SCRATCH_ALIGN) * SCRATCH_ALIGN;
    this.frameMax = Math.max(this.frameMax, this.frameOffset);
    return off;
  }

  /** Runs `fn` with a fresh prelude and returns the prelude's statements followed by `fn`'s result. */
  withPrelude(fn: () => Ref): Ref {
    const saved = this.prelude;
    this.prelude = [];
    try {
      const r = fn();
      if (this.prelude.length === 0) return r;
      const type = binaryen.getExpressionType(r);
      return this.m.block(null, [...this.prelude, r], type);
    } finally {
      this.prelude = saved;
    }
  }

  /** Evaluates `value` once into a new local (in the prelude); returns that local. */
  hoist(value: Ref): number {
    const l = this.addLocal(binaryen.getExpressionType(value));
    this.prelude.push(this.m.local.set(l, value));
    return l;
  }
}

/** The wasm value type of a scalar TIR dtype. */
export function scalarWasmType(dtype: DataType, what: string): binaryen.Type {
  const e = elementType(dtype);
  if (e === 'float32') return binaryen.f32;
  if (e === 'int32' || e === 'bool') return binaryen.i32;
  throw new Error(`wasm codegen: ${what}: dtype ${dtype} is not supported (float32, int32 and bool are)`);
}

/** The vector representation this codegen uses for a dtype. */
export function vecMode(dtype: DataType, opts: CodegenOptions): VecMode {
  const lanes = lanesOf(dtype);
  const e: ScalarType = elementType(dtype);
  return opts.simd && lanes % 4 === 0 && (e === 'float32' || e === 'int32' || e === 'bool') ? 'v128' : 'lanes';
}

/** Bytes per element as stored in linear memory. */
export function storeBytes(dtype: DataType): number {
  const e = elementType(dtype);
  if (e === 'float32' || e === 'int32') return 4;
  if (e === 'bool') return 1;
  throw new Error(`wasm codegen: buffers of ${dtype} are not supported (float32, int32 and bool are)`);
}

export { isBool, isFloat, isInt };
