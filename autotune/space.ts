// autotune/space.ts — a template's configuration space (AutoTVM's ConfigSpace): knobs, config index ⇄ entity,
// sampling and neighbours for the tuners, and the fallback config used outside tuning.

import type { ConfigData } from '../tuning-logs/dispatch_context.js';
import { AnnotateEntity, AnnotateSpace, type AnnotatePolicy } from './knobs/annotate.js';
import type { KnobKind } from './knobs/knob.js';
import { OtherOptionEntity, OtherOptionSpace } from './knobs/other.js';
import { ReorderEntity, ReorderSpace, type ReorderOptions, type ReorderPolicy } from './knobs/reorder.js';
import { SplitEntity, SplitSpace, type SplitOptions } from './knobs/split.js';
import { entityOfData, type KnobEntity } from './knobs/entity_data.js';
import { axisLength, type AxisSpec } from './knobs/stage_like.js';
import type { Rng } from './rng.js';
import { ValidityCache, type MultiFilter } from './space_filter.js';

export { AnnotateEntity, OtherOptionEntity, ReorderEntity, SplitEntity };
export type { KnobEntity };
export type AnyKnobSpace = SplitSpace | ReorderSpace | AnnotateSpace | OtherOptionSpace;

const KIND_NAMES: Readonly<Record<KnobKind, string>> = { sp: 'split', re: 'reorder', an: 'annotate', ot: 'knob' };

/**
 * The object a template receives as `cfg`. While a task is created it is a ConfigSpace that
 * collects knob definitions; while a config is measured or built it is a ConfigEntity whose
 * define* calls only check the definition and return the chosen value; outside tuning with no
 * record it is a FallbackConfigEntity. `cfg.get(name)` gives the knob's current value in all three.
 */
export class ConfigSpace {
  protected readonly spaceMap = new Map<string, AnyKnobSpace>();
  protected readonly entityMap = new Map<string, KnobEntity>();
  /** Reasons this config is invalid, reported by the template through raiseError. */
  readonly errors: string[] = [];
  codeHash: string | null = null;
  flop = 0;
  /** True only for a FallbackConfigEntity. */
  readonly isFallback: boolean = false;
  private lengthCache: number | undefined;
  /** The templates' constraints on knob combinations (multiFilter), checked before any build. */
  protected readonly filters: MultiFilter<ConfigSpace>[] = [];
  private validity: ValidityCache | undefined;

  /** Whether define* adds knobs (space, fallback) or only checks them (a chosen config). */
  protected get collecting(): boolean {
    return true;
  }

  defineSplit(name: string, axis: AxisSpec, opts: SplitOptions = {}): SplitEntity {
    const product = axisLength(axis, `defineSplit '${name}'`);
    if (this.collecting) return this.addKnob(name, new SplitSpace(product, opts)) as SplitEntity;
    const e = this.chosen(name, 'sp') as SplitEntity;
    const numOutputs = opts.numOutputs ?? 2;
    if (e.size.length !== numOutputs) {
      throw new RangeError(`config knob '${name}': has ${e.size.length} split sizes but the template defines ${numOutputs}`);
    }
    // A config read from a log has -1 as its outer size; the axis length resolves it.
    const inner = e.size.slice(1).reduce((a, b) => a * b, 1);
    const outer = Math.ceil(product / inner);
    if (e.size[0] === outer) return e;
    const resolved = new SplitEntity([outer, ...e.size.slice(1)]);
    this.entityMap.set(name, resolved);
    return resolved;
  }

  /**
   * `policy` 'all' tries every permutation, 'interval_all' those of axes[begin, end)
   * (`{ interval }`), 'candidate' the listed orders (an array of axis lists, or `{ candidates }`).
   */
  defineReorder<Ax>(name: string, axes: readonly Ax[], policy: ReorderPolicy, opts?: readonly (readonly Ax[])[] | ReorderOptions): ReorderEntity {
    if (!this.collecting) return this.checkLength(name, this.chosen(name, 're') as ReorderEntity, axes.length);
    const o: ReorderOptions = Array.isArray(opts) ? { candidates: opts } : ((opts ?? {}) as ReorderOptions);
    return this.addKnob(name, new ReorderSpace(axes, policy, o)) as ReorderEntity;
  }

  defineAnnotate(name: string, axes: readonly unknown[], policy: AnnotatePolicy): AnnotateEntity {
    if (!this.collecting) return this.checkLength(name, this.chosen(name, 'an') as AnnotateEntity, axes.length);
    return this.addKnob(name, new AnnotateSpace(axes.length, policy)) as AnnotateEntity;
  }

  defineKnob(name: string, values: readonly unknown[]): OtherOptionEntity {
    if (!this.collecting) return this.chosen(name, 'ot') as OtherOptionEntity;
    return this.addKnob(name, new OtherOptionSpace(values)) as OtherOptionEntity;
  }

  /** `get(name)`: the current value of a knob. `get(index)`: the config at that index of this space. */
  get(name: string): KnobEntity;
  get(index: number): ConfigEntity;
  get(key: string | number): KnobEntity | ConfigEntity {
    if (typeof key === 'number') return this.entityAt(key);
    const e = this.entityMap.get(key);
    if (!e) throw new RangeError(`config has no knob '${key}' (knobs: ${[...this.entityMap.keys()].join(', ') || 'none'})`);
    return e;
  }

  getSplit(name: string): SplitEntity { return this.typed(name, 'sp') as SplitEntity; }
  getReorder(name: string): ReorderEntity { return this.typed(name, 're') as ReorderEntity; }
  getAnnotate(name: string): AnnotateEntity { return this.typed(name, 'an') as AnnotateEntity; }
  /** The value of a defineKnob knob. */
  getKnob(name: string): OtherOptionEntity { return this.typed(name, 'ot') as OtherOptionEntity; }

  /** Marks this config invalid (AutoTVM's raise_error); measurement reports an instantiation error. */
  raiseError(msg: string): void {
    this.errors.push(msg);
  }

  valid(): boolean {
    return this.errors.length === 0;
  }

  /**
   * A constraint on a combination of knobs that decides from the knob values alone whether the
   * config can be built (AutoTVM's `cfg.multi_filter`, apache/tvm PR #12545). `filter` returns the
   * reason a config is invalid, or undefined. In a space it is kept, and the tuners never propose a
   * config it rejects (isIndexValid); in a chosen or fallback config it is checked at once and a
   * rejection is raised as raiseError(reason), so the builder refuses exactly what the tuners skip.
   * Call it after the knobs it reads are defined (and, for a fallback, after their fallback values).
   */
  multiFilter(filter: MultiFilter<ConfigSpace>): void {
    if (typeof filter !== 'function') throw new TypeError('multiFilter: filter must be a function (config) => reason | undefined');
    if (!this.collecting || this.isFallback) {
      const reason = filter(this);
      if (reason !== undefined) this.raiseError(reason);
      if (!this.collecting) return;
    }
    this.filters.push(filter);
    this.validity = undefined;
  }

  /** Whether the config at `index` passes every multiFilter (AutoTVM's is_index_valid); cached per index. */
  isIndexValid(index: number): boolean {
    if (this.filters.length === 0) return true;
    this.checkIndex(index);
    return this.validityCache().isValid(index);
  }

  /**
   * The number of configs that pass the multiFilters: exact when there are none or the space has
   * at most 2^21 indices (counted once, one predicate call each), otherwise undefined (at most `length`).
   */
  get validLength(): number | undefined {
    if (this.filters.length === 0) return this.length;
    return this.validityCache().count();
  }

  /** The space size as shown to users: '9600', '6144 valid of 9600', or '≤ 4194304 valid of 4194304'. */
  sizeText(): string {
    if (this.filters.length === 0) return String(this.length);
    const v = this.validLength;
    return v === undefined ? `≤ ${this.length} valid of ${this.length}` : `${v} valid of ${this.length}`;
  }

  /** A uniformly random valid index not in `exclude`; undefined when none is left. */
  sampleValid(rng: Rng, exclude?: ReadonlySet<number>): number | undefined {
    if (this.filters.length === 0 && !exclude) return this.sample(rng);
    return this.validityCache().sample(rng, exclude);
  }

  /**
   * A random valid neighbour of `index` (differs in one knob; AutoTVM's random_walk under a
   * multi_filter): up to 16 tries, else `index` itself (the walker stays).
   */
  validNeighbour(index: number, rng: Rng): number {
    for (let tries = 0; tries < 16; tries++) {
      const j = this.neighbour(index, rng);
      if (this.isIndexValid(j)) return j;
    }
    return index;
  }

  private validityCache(): ValidityCache {
    if (!this.validity) {
      this.validity = new ValidityCache(this.length, (i) => {
        const e = this.entityAt(i);
        return this.filters.every((f) => f(e) === undefined);
      });
    }
    return this.validity;
  }

  addFlop(n: number): void {
    this.flop += n;
  }

  /** Knob names in definition order (the digit order of a config index). */
  get knobNames(): string[] {
    return [...this.spaceMap.keys()];
  }

  /** Each knob's number of values, in definition order: the radices of a config index. */
  get dims(): number[] {
    return [...this.spaceMap.values()].map((s) => s.length);
  }

  knobSpace(name: string): AnyKnobSpace {
    const s = this.spaceMap.get(name);
    if (!s) throw new RangeError(`config space has no knob '${name}'`);
    return s;
  }

  /** The number of configs: the product of every knob's number of values. */
  get length(): number {
    if (this.lengthCache === undefined) {
      let n = 1;
      for (const s of this.spaceMap.values()) n *= s.length;
      if (!Number.isSafeInteger(n)) throw new RangeError(`config space has ${n} configs, more than indices can address`);
      this.lengthCache = n;
    }
    return this.lengthCache;
  }

  /** The knob digits of an index (first knob least significant, as AutoTVM). */
  pointToKnobs(index: number): number[] {
    this.checkIndex(index);
    const out: number[] = [];
    let t = index;
    for (const s of this.spaceMap.values()) {
      out.push(t % s.length);
      t = Math.floor(t / s.length);
    }
    return out;
  }

  knobsToPoint(knobs: readonly number[]): number {
    const dims = this.dims;
    if (knobs.length !== dims.length) throw new RangeError(`config space: ${knobs.length} knob values for ${dims.length} knobs`);
    let index = 0;
    let mul = 1;
    knobs.forEach((k, i) => {
      if (!Number.isInteger(k) || k < 0 || k >= dims[i]!) throw new RangeError(`config space: knob ${i} value ${k} out of range [0, ${dims[i]})`);
      index += k * mul;
      mul *= dims[i]!;
    });
    return index;
  }

  entityAt(index: number): ConfigEntity {
    const knobs = this.pointToKnobs(index);
    const entities = new Map<string, KnobEntity>();
    let i = 0;
    for (const [name, s] of this.spaceMap) entities.set(name, s.entity(knobs[i++]!));
    return new ConfigEntity(index, entities, this);
  }

  /** A uniformly random config index. */
  sample(rng: Rng): number {
    return rng.int(this.length);
  }

  /** A random index that differs from `index` in exactly one knob (SA's random walk); `index` if none can change. */
  neighbour(index: number, rng: Rng): number {
    const dims = this.dims;
    const movable = dims.map((d, i) => (d > 1 ? i : -1)).filter((i) => i >= 0);
    if (movable.length === 0) return index;
    const knobs = this.pointToKnobs(index);
    const k = movable[rng.int(movable.length)]!;
    const v = rng.int(dims[k]! - 1);
    knobs[k] = v >= knobs[k]! ? v + 1 : v;
    return this.knobsToPoint(knobs);
  }

  /**
   * The config of this space a log record describes, its index recomputed from the entity
   * (a record's index is only trusted when it agrees). Unknown knobs or values are errors.
   */
  entityFromData(data: ConfigData): ConfigEntity {
    const byName = new Map<string, readonly [string, string, unknown]>();
    for (const item of data.entity) byName.set(item[0], item);
    const knobs: number[] = [];
    for (const [name, s] of this.spaceMap) {
      const item = byName.get(name);
      if (!item) throw new RangeError(`config record lacks knob '${name}' of this space`);
      if (item[1] !== s.kind) throw new TypeError(`config record: knob '${name}' is '${item[1]}', the space has '${s.kind}'`);
      const k = s.indexOfData(item[2]);
      if (k < 0) throw new RangeError(`config record: knob '${name}' value ${JSON.stringify(item[2])} is not in the space (${s.describe()})`);
      knobs.push(k);
    }
    for (const name of byName.keys()) {
      if (!this.spaceMap.has(name)) throw new RangeError(`config record has knob '${name}' that this space lacks`);
    }
    const e = this.entityAt(this.knobsToPoint(knobs));
    e.codeHash = data.code_hash;
    return e;
  }

  /** A config straight from a log record, without its space (split outer sizes stay -1 until the template defines them). */
  static fromData(data: ConfigData): ConfigEntity {
    if (!data || !Number.isInteger(data.index) || !Array.isArray(data.entity)) {
      throw new TypeError('config record: expected { index: integer, code_hash, entity: [[name, kind, value], …] }');
    }
    const entities = new Map<string, KnobEntity>();
    for (const item of data.entity) {
      if (!Array.isArray(item) || item.length !== 3 || typeof item[0] !== 'string') {
        throw new TypeError(`config record: entity item ${JSON.stringify(item)} is not [name, kind, value]`);
      }
      entities.set(item[0], entityOfData(item[0], item[1], item[2]));
    }
    const e = new ConfigEntity(data.index, entities, undefined);
    e.codeHash = data.code_hash;
    return e;
  }

  /** One line per knob, as AutoTVM prints a space. */
  describe(): string {
    const lines = [...this.spaceMap].map(([n, s], i) => `  ${String(i).padStart(2)} ${n}: ${s.describe()}`);
    return `ConfigSpace (len=${this.sizeText()}, knobs=\n${lines.join('\n')}\n)`;
  }

  /** The knob values flattened into numbers (AutoTVM's get_flatten_feature). */
  flattenFeatures(): number[] {
    const out: number[] = [];
    for (const e of this.entityMap.values()) out.push(...e.features());
    return out;
  }

  /** Values of defineKnob knobs, in order (appended to itervar and curve features, as AutoTVM). */
  otherOptionFeatures(): number[] {
    const out: number[] = [];
    for (const e of this.entityMap.values()) if (e.kind === 'ot') out.push(...e.features());
    return out;
  }

  protected configIndex(): number {
    return -1;
  }

  /** The config in a log record's layout: `[["tile_y","sp",[-1,8]],["unroll","ot",1],…]`. */
  toData(): ConfigData {
    return {
      index: this.configIndex(),
      code_hash: this.codeHash,
      entity: [...this.entityMap].map(([name, e]) => [name, e.kind, e.toData()] as const),
    };
  }

  private addKnob(name: string, space: AnyKnobSpace): KnobEntity {
    if (typeof name !== 'string' || name.length === 0) throw new TypeError('config knob: name must be a non-empty string');
    if (this.spaceMap.has(name)) throw new RangeError(`config knob '${name}' is defined twice`);
    this.spaceMap.set(name, space);
    this.lengthCache = undefined;
    this.validity = undefined;
    const e = space.entity(0);
    this.entityMap.set(name, e);
    return e;
  }

  private chosen(name: string, kind: KnobKind): KnobEntity {
    const e = this.entityMap.get(name);
    if (!e) throw new RangeError(`config has no knob '${name}': the template defines a knob the config lacks (another template version?)`);
    if (e.kind !== kind) throw new TypeError(`config knob '${name}' is a ${KIND_NAMES[e.kind]} knob, the template defines a ${KIND_NAMES[kind]} knob`);
    return e;
  }

  private checkLength<E extends ReorderEntity | AnnotateEntity>(name: string, e: E, nAxes: number): E {
    const n = e.kind === 're' ? e.perm.length : e.anns.length;
    if (n !== nAxes) throw new RangeError(`config knob '${name}': has ${n} entries but the template gives ${nAxes} axes`);
    return e;
  }

  private typed(name: string, kind: KnobKind): KnobEntity {
    const e = this.get(name);
    if (e.kind !== kind) throw new TypeError(`config knob '${name}' is a ${KIND_NAMES[e.kind]} knob, not a ${KIND_NAMES[kind]} knob`);
    return e;
  }

  private checkIndex(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) {
      throw new RangeError(`config index ${index} out of range [0, ${this.length})`);
    }
  }
}

/** One point of a space: define* checks the template against it and returns the chosen values. */
export class ConfigEntity extends ConfigSpace {
  constructor(readonly index: number, entities: ReadonlyMap<string, KnobEntity>, readonly space: ConfigSpace | undefined) {
    super();
    for (const [n, e] of entities) this.entityMap.set(n, e);
  }

  protected override get collecting(): boolean {
    return false;
  }

  protected override configIndex(): number {
    return this.index;
  }

  override get length(): number {
    return 1;
  }

  override entityAt(index: number): ConfigEntity {
    if (!this.space) throw new RangeError('a config read from a record has no space to index; use the task\'s space');
    return this.space.entityAt(index);
  }

  override toString(): string {
    return `${this.index}: ${JSON.stringify(this.toData().entity)}`;
  }
}
