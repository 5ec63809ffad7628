// schedule/stage.ts — one stage of a schedule (one operation) and the loop primitives on it.
// Each primitive checks its arguments, records a frozen step {op, args} (the schedule as
// data) and updates the stage's leaf axes and relations; schedule_ops.ts turns them into loops.

import * as tir from '../tir/nodes.js';
import type { ForKind, IterVar, StorageScope, ThreadTag } from '../tir/nodes.js';
import { inputTensors, type ComputeOp, type Operation } from './tensor.js';

/** A split of `parent` into outer × inner (`factor` = inner extent, or `nparts` = outer extent). */
export interface SplitRelation {
  readonly kind: 'split'; readonly parent: IterVar; readonly outer: IterVar; readonly inner: IterVar;
  readonly factor?: number; readonly nparts?: number;
}
/** `fused` iterates outer × inner, outer-major. */
export interface FuseRelation {
  readonly kind: 'fuse'; readonly outer: IterVar; readonly inner: IterVar; readonly fused: IterVar;
}
/** A data axis of extent 1 no root axis depends on (TVM's fuse of no axes): gives a 0-D stage a loop to bind. */
export interface SingletonRelation {
  readonly kind: 'singleton'; readonly iv: IterVar;
}
export type Relation = SplitRelation | FuseRelation | SingletonRelation;

/** One recorded primitive: plain data (axis and stage names, numbers), never closures. */
export interface ScheduleStep {
  readonly op: string;
  readonly args: Readonly<Record<string, string | number | readonly string[]>>;
}

export interface IterAttr {
  readonly forKind: ForKind;
  readonly threadTag?: ThreadTag;
  readonly pragmas: Readonly<Record<string, number>>;
}

export type Attach =
  | { readonly type: 'root' }
  | { readonly type: 'inline' }
  | { readonly type: 'scope'; readonly stage: Stage; readonly axis: IterVar };

/** Loop pragmas the unroll pass understands (as TVM's). */
export type PragmaName = 'auto_unroll_max_step' | 'unroll_explicit';
const PRAGMAS: ReadonlySet<string> = new Set<PragmaName>(['auto_unroll_max_step', 'unroll_explicit']);

function extentOf(iv: IterVar): number {
  return tir.asConstInt(iv.dom.extent) ?? 1;
}

/** Whether `consumer` reads `producer`, directly or through other operations. */
function readsTransitively(consumer: Operation, producer: Operation): boolean {
  const seen = new Set<Operation>();
  const walk = (op: Operation): boolean => {
    if (seen.has(op)) return false;
    seen.add(op);
    return inputTensors(op).some((t) => t.op === producer || walk(t.op));
  };
  return walk(consumer);
}

export class Stage {
  /** The operation computed now (cacheRead/cacheWrite/rfactor may replace it). */
  op: Operation;
  /** The operation the user created this stage from (what `s.stage(T)` looks up). */
  readonly originOp: Operation;
  leafIterVars: IterVar[];
  relations: Relation[] = [];
  readonly iterAttrs = new Map<IterVar, IterAttr>();
  attach: Attach = { type: 'root' };
  private explicitScope: StorageScope | undefined;
  readonly steps: ScheduleStep[] = [];
  readonly isOutput: boolean;

  /**
   * The storage scope: what cacheRead/cacheWrite (or an assignment) set, else 'global'. A stage
   * whose scope was never set gets it from its attach point when lowered (schedule/storage_scope.ts).
   */
  get scope(): StorageScope {
    return this.explicitScope ?? 'global';
  }

  set scope(scope: StorageScope) {
    this.explicitScope = scope;
  }

  /** Whether the scope was set (cacheRead/cacheWrite) rather than left to inference. */
  get scopeIsSet(): boolean {
    return this.explicitScope !== undefined;
  }

  constructor(op: Operation, isOutput: boolean) {
    this.op = op;
    this.originOp = op;
    this.isOutput = isOutput;
    this.leafIterVars = op.kind === 'compute' ? [...op.axis, ...op.reduceAxis] : [];
  }

  get name(): string { return this.op.name; }
  /** The data axes of the operation (root iteration variables), as TVM's `s[C].op.axis`. */
  get axis(): readonly IterVar[] { return this.op.kind === 'compute' ? this.op.axis : []; }
  get reduceAxis(): readonly IterVar[] { return this.op.kind === 'compute' ? this.op.reduceAxis : []; }
  get leaves(): readonly IterVar[] { return this.leafIterVars; }

  /** Resets the loop structure to the op's root axes (after the op is replaced). */
  resetTo(op: ComputeOp): void {
    this.op = op;
    this.leafIterVars = [...op.axis, ...op.reduceAxis];
    this.relations = [];
    this.iterAttrs.clear();
  }

  private record(op: string, args: Record<string, string | number | readonly string[]>): void {
    this.steps.push(Object.freeze({ op, args: Object.freeze(args) }));
  }

  private computeOnly(primitive: string): ComputeOp {
    if (this.op.kind !== 'compute') throw new Error(`${primitive}: stage ${this.name} is a placeholder (an input); it has no loops`);
    return this.op;
  }

  /** Index of `iv` among the leaves, or a clear error naming stage, axis and primitive. */
  leafIndex(iv: IterVar, primitive: string): number {
    this.computeOnly(primitive);
    if (!iv || iv.kind !== 'IterVar') throw new TypeError(`${primitive}: stage ${this.name}: expected an axis (IterVar), got ${String(iv)}`);
    const i = this.leafIterVars.indexOf(iv);
    if (i < 0) {
      const leaves = this.leafIterVars.map((v) => v.variable.name).join(', ');
      throw new Error(`${primitive}: axis ${iv.variable.name} is not a leaf axis of stage ${this.name} (leaves: ${leaves})`);
    }
    return i;
  }

  split(axis: IterVar, by: { factor: number } | { nparts: number }): [IterVar, IterVar] {
    const i = this.leafIndex(axis, 'split');
    const where = `split: stage ${this.name}, axis ${axis.variable.name}`;
    // The key given names the error ({ factor: undefined } is a missing factor, not a bad nparts).
    const hasFactor = typeof by === 'object' && by !== null && 'factor' in by;
    const hasNparts = typeof by === 'object' && by !== null && 'nparts' in by;
    if (hasFactor === hasNparts) {
      throw new TypeError(`${where}: give exactly one of { factor } or { nparts }, got ${hasFactor ? 'both' : 'neither'}`);
    }
    const key = hasFactor ? 'factor' : 'nparts';
    const n: unknown = hasFactor ? (by as { factor: unknown }).factor : (by as { nparts: unknown }).nparts;
    if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0) {
      throw new RangeError(`${where}: ${key} must be a positive integer, got ${typeof n === "string" ? JSON.stringify(n) : String(n)}`);
    }
    const factor = hasFactor ? n : undefined;
    const nparts = hasNparts ? n : undefined;
    const ext = extentOf(axis);
    const innerExt = factor ?? Math.ceil(ext / nparts!);
    const outerExt = nparts ?? Math.ceil(ext / factor!);
    const name = axis.variable.name;
    const outer = tir.iterVar(tir.range(0, outerExt), `${name}_outer`, axis.iterType);
    const inner = tir.iterVar(tir.range(0, innerExt), `${name}_inner`, axis.iterType);
    const rel: SplitRelation = factor !== undefined
      ? { kind: 'split', parent: axis, outer, inner, factor }
      : { kind: 'split', parent: axis, outer, inner, nparts: nparts! };
    this.relations.push(Object.freeze(rel));
    this.leafIterVars.splice(i, 1, outer, inner);
    this.record('split', factor !== undefined ? { axis: name, factor } : { axis: name, nparts: nparts! });
    return [outer, inner];
  }

  /** Splits x and y and orders the loops xo, yo, xi, yi (TVM's tile). */
  tile(x: IterVar, y: IterVar, xFactor: number, yFactor: number): [IterVar, IterVar, IterVar, IterVar] {
    this.leafIndex(x, 'tile');
    this.leafIndex(y, 'tile');
    if (x === y) throw new Error(`tile: stage ${this.name}: x and y are the same axis ${x.variable.name}`);
    const [xo, xi] = this.split(x, { factor: xFactor });
    const [yo, yi] = this.split(y, { factor: yFactor });
    this.reorder(xo, yo, xi, yi);
    return [xo, yo, xi, yi];
  }

  /**
   * Fuses consecutive leaf axes (outermost first) into one. With no axes (as TVM's Stage::fuse of an
   * empty array) it inserts a singleton data axis of extent 1 outermost: a 0-D stage's loop to bind.
   */
  fuse(...axes: IterVar[]): IterVar {
    if (axes.length === 0) {
      const iv = tir.iterVar(tir.range(0, 1), `${this.name}_singleton`, 'data');
      this.relations.push(Object.freeze({ kind: 'singleton', iv }));
      this.leafIterVars.unshift(iv);
      this.record('fuse', { axes: [] });
      return iv;
    }
    const idx = axes.map((a) => this.leafIndex(a, 'fuse'));
    for (let k = 1; k < idx.length; k++) {
      if (idx[k] !== idx[k - 1]! + 1) {
        throw new Error(`fuse: stage ${this.name}: axes ${axes[k - 1]!.variable.name} and ${axes[k]!.variable.name} are not adjacent leaves in this order; reorder first`);
      }
    }
    const types = new Set(axes.map((a) => a.iterType));
    if (types.size > 1) throw new Error(`fuse: stage ${this.name}: cannot fuse a data axis with a reduction axis (${axes.map((a) => a.variable.name).join(', ')})`);
    let acc = axes[0]!;
    for (let k = 1; k < axes.length; k++) {
      const inner = axes[k]!;
      const fused = tir.iterVar(tir.range(0, extentOf(acc) * extentOf(inner)), `${acc.variable.name}_${inner.variable.name}_fused`, acc.iterType);
      this.relations.push(Object.freeze({ kind: 'fuse', outer: acc, inner, fused }));
      const at = this.leafIterVars.indexOf(acc);
      this.leafIterVars.splice(at, 2, fused);
      acc = fused;
    }
    this.record('fuse', { axes: axes.map((a) => a.variable.name) });
    return acc;
  }

  /** Puts the given leaves in this relative order; other leaves keep their positions. */
  reorder(...axes: IterVar[]): void {
    const idx = axes.map((a) => this.leafIndex(a, 'reorder'));
    const seen = new Set<IterVar>();
    for (const a of axes) {
      if (seen.has(a)) throw new Error(`reorder: stage ${this.name}: axis ${a.variable.name} is given twice`);
      seen.add(a);
    }
    const slots = [...idx].sort((a, b) => a - b);
    slots.forEach((slot, k) => { this.leafIterVars[slot] = axes[k]!; });
    this.record('reorder', { axes: axes.map((a) => a.variable.name) });
  }

  private annotate(primitive: string, axis: IterVar, forKind: ForKind, threadTag?: ThreadTag): void {
    this.leafIndex(axis, primitive);
    const old = this.iterAttrs.get(axis);
    if (old?.threadTag && primitive !== 'bind') {
      throw new Error(`${primitive}: stage ${this.name}, axis ${axis.variable.name} is already bound to ${old.threadTag}`);
    }
    const attr: IterAttr = threadTag
      ? { forKind, threadTag, pragmas: old?.pragmas ?? {} }
      : { forKind, pragmas: old?.pragmas ?? {} };
    this.iterAttrs.set(axis, Object.freeze(attr));
  }

  unroll(axis: IterVar): void {
    this.annotate('unroll', axis, 'unrolled');
    this.record('unroll', { axis: axis.variable.name });
  }

  /** Vectorizes an innermost-style data loop (a reduction loop would race on the accumulator). */
  vectorize(axis: IterVar): void {
    this.leafIndex(axis, 'vectorize');
    if (axis.iterType === 'reduce') {
      throw new Error(`vectorize: stage ${this.name}, axis ${axis.variable.name} is a reduction axis; vectorize a data axis (use rfactor to vectorize across a reduction)`);
    }
    this.annotate('vectorize', axis, 'vectorized');
    this.record('vectorize', { axis: axis.variable.name });
  }

  parallel(axis: IterVar): void {
    this.leafIndex(axis, 'parallel');
    if (axis.iterType === 'reduce') {
      throw new Error(`parallel: stage ${this.name}, axis ${axis.variable.name} is a reduction axis; parallel iterations would race on the same output (use rfactor)`);
    }
    this.annotate('parallel', axis, 'parallel');
    this.record('parallel', { axis: axis.variable.name });
  }

  bind(axis: IterVar, tag: ThreadTag): void {
    this.leafIndex(axis, 'bind');
    if (!tir.THREAD_TAGS.includes(tag)) {
      throw new Error(`bind: stage ${this.name}, axis ${axis.variable.name}: unknown thread tag '${String(tag)}' (expected one of ${tir.THREAD_TAGS.join(', ')})`);
    }
    if (axis.iterType === 'reduce') {
      throw new Error(`bind: stage ${this.name}, axis ${axis.variable.name} is a reduction axis; bind data axes (use rfactor for cross-thread reduction)`);
    }
    for (const [iv, a] of this.iterAttrs) {
      if (iv !== axis && a.threadTag === tag && this.leafIterVars.includes(iv)) {
        throw new Error(`bind: stage ${this.name}: ${tag} is already bound to axis ${iv.variable.name}`);
      }
    }
    this.annotate('bind', axis, 'threadBinding', tag);
    this.record('bind', { axis: axis.variable.name, tag });
  }

  /** Loop pragma: 'auto_unroll_max_step' (n) or 'unroll_explicit' (0/1); becomes `pragma_<name>`. */
  pragma(axis: IterVar, name: PragmaName, value = 1): void {
    this.leafIndex(axis, 'pragma');
    if (!PRAGMAS.has(name)) throw new Error(`pragma: stage ${this.name}, axis ${axis.variable.name}: unknown pragma '${name}' (expected ${[...PRAGMAS].join(' or ')})`);
    if (!Number.isInteger(value) || value < 0) throw new RangeError(`pragma: stage ${this.name}, axis ${axis.variable.name}: '${name}' needs a non-negative integer, got ${value}`);
    const old = this.iterAttrs.get(axis);
    const base: IterAttr = old ?? { forKind: 'serial', pragmas: {} };
    this.iterAttrs.set(axis, Object.freeze({ ...base, pragmas: Object.freeze({ ...base.pragmas, [name]: value }) }));
    this.record('pragma', { axis: axis.variable.name, name, value });
  }

  /** Computes this stage inside `parent`'s loop at `axis`, only the region that iteration needs. */
  computeAt(parent: Stage, axis: IterVar): void {
    this.computeOnly('computeAt');
    if (!(parent instanceof Stage)) throw new TypeError(`computeAt: stage ${this.name}: the parent must be a Stage (s.stage(T))`);
    if (parent === this) throw new Error(`computeAt: stage ${this.name} cannot be computed at its own axis`);
    parent.leafIndex(axis, 'computeAt');
    if (this.isOutput) throw new Error(`computeAt: stage ${this.name} is an output of the schedule; outputs stay at root`);
    if (!readsTransitively(parent.op, this.op)) {
      throw new Error(`computeAt: stage ${this.name} is not read by stage ${parent.name}; computeAt needs a consumer of the stage`);
    }
    this.attach = { type: 'scope', stage: parent, axis };
    this.record('computeAt', { parent: parent.name, axis: axis.variable.name });
  }

  /** Substitutes this stage's body into its readers; no loops of its own remain. */
  computeInline(): void {
    const op = this.computeOnly('computeInline');
    if (op.reduceAxis.length > 0) throw new Error(`computeInline: stage ${this.name} is a reduction; only elementwise (injective) stages can be inlined`);
    if (this.isOutput) throw new Error(`computeInline: stage ${this.name} is an output of the schedule and cannot be inlined`);
    this.attach = { type: 'inline' };
    this.record('computeInline', {});
  }

  computeRoot(): void {
    this.computeOnly('computeRoot');
    this.attach = { type: 'root' };
    this.record('computeRoot', {});
  }
}
