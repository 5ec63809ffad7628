// autotune/knobs/split.ts — the split knob: ways to split one axis into numOutputs factors (AutoTVM's SplitSpace).

import type { KnobEntityBase, KnobSpace } from './knob.js';
import type { StageLike } from './stage_like.js';

export type SplitPolicy = 'factors' | 'power2' | 'verbose' | 'candidate';

export interface SplitOptions {
  /** Number of axes after the split (≥ 2; AutoTVM's default template value is 2). */
  readonly numOutputs?: number;
  readonly policy?: SplitPolicy;
  /** Largest factor tried for any inner axis. */
  readonly maxFactor?: number;
  /** Only divisible splits (default: true for 'factors', false otherwise, as AutoTVM). */
  readonly noTail?: boolean;
  /** For policy 'candidate': the size lists to try (first entry may be -1). */
  readonly candidates?: readonly (readonly number[])[];
  /** Keeps only the entities for which it returns true (AutoTVM's `filter`). */
  readonly filter?: (e: SplitEntity) => boolean;
}

/** All divisors of n, ascending. */
export function getFactors(n: number): number[] {
  const out = new Set<number>();
  for (let i = 1; i * i <= n; i++) {
    if (n % i === 0) {
      out.add(i);
      out.add(n / i);
    }
  }
  return [...out].sort((a, b) => a - b);
}

/** Powers of two ≤ n, ascending. */
export function getPow2s(n: number): number[] {
  const out: number[] = [];
  for (let p = 1; p <= n; p *= 2) out.push(p);
  return out;
}

/**
 * A chosen split. `size[0]` is the outer extent, ceil(product / inner product); logs write it
 * as -1 (AutoTVM's layout), and it is -1 only for a config read from data without its space.
 */
export class SplitEntity implements KnobEntityBase {
  readonly kind = 'sp' as const;
  readonly size: readonly number[];

  constructor(size: readonly number[]) {
    this.size = Object.freeze([...size]);
  }

  /** Splits `axis` numOutputs-1 times, innermost factors last; returns the new axes outer to inner. */
  apply<Ax>(_s: unknown, stage: StageLike<Ax>, axis: Ax): Ax[] {
    const out: Ax[] = [];
    let cur = axis;
    for (let i = 1; i < this.size.length; i++) {
      let factor = 1;
      for (const f of this.size.slice(i)) factor *= f;
      const parts = stage.split(cur, { factor });
      out.push(parts[0]!);
      cur = parts[1]!;
    }
    out.push(cur);
    return out;
  }

  toData(): number[] {
    return [-1, ...this.size.slice(1)];
  }

  features(): number[] {
    return [...this.size];
  }
}

export class SplitSpace implements KnobSpace<SplitEntity> {
  readonly kind = 'sp' as const;
  readonly entities: readonly SplitEntity[];
  readonly numOutputs: number;
  readonly policy: SplitPolicy;

  constructor(readonly product: number, opts: SplitOptions = {}) {
    const name = `defineSplit(product=${product})`;
    this.numOutputs = opts.numOutputs ?? 2;
    this.policy = opts.policy ?? 'factors';
    if (!Number.isInteger(this.numOutputs) || this.numOutputs < 2) {
      throw new RangeError(`${name}: numOutputs must be an integer ≥ 2, got ${this.numOutputs}`);
    }
    const maxFactor = opts.maxFactor ?? 2 ** 31;
    if (!(maxFactor >= 1)) throw new RangeError(`${name}: maxFactor must be ≥ 1, got ${maxFactor}`);
    const entities: SplitEntity[] = [];
    if (this.policy === 'candidate') {
      if (!opts.candidates || opts.candidates.length === 0) throw new TypeError(`${name}: policy 'candidate' needs a non-empty candidates list`);
      for (const c of opts.candidates) {
        if (c.length !== this.numOutputs) throw new RangeError(`${name}: candidate [${c.join(', ')}] has ${c.length} sizes, expected ${this.numOutputs}`);
        if (c.slice(1).some((x) => !Number.isInteger(x) || x < 1)) throw new RangeError(`${name}: candidate [${c.join(', ')}] has a size that is not a positive integer`);
        entities.push(this.entityOfInner(c.slice(1)));
      }
    } else {
      let factors: number[];
      if (this.policy === 'factors') factors = getFactors(product);
      else if (this.policy === 'power2') factors = getPow2s(product);
      else if (this.policy === 'verbose') factors = [...new Set([...getFactors(product), ...getPow2s(product)])].sort((a, b) => a - b);
      else throw new TypeError(`${name}: unknown policy '${String(this.policy)}' (expected factors, power2, verbose or candidate)`);
      factors = factors.filter((f) => f <= maxFactor);
      const noTail = opts.noTail ?? this.policy === 'factors';
      // AutoTVM's DFS order (so indices match its logs): stack[0] is the innermost size and
      // varies slowest; the entity is the stack reversed after the outer size.
      const stack: number[] = new Array<number>(this.numOutputs - 1).fill(1);
      const dfs = (now: number): void => {
        if (now === this.numOutputs - 1) {
          const prod = stack.reduce((a, b) => a * b, 1);
          if (prod > product) return;
          if (product % prod === 0 || (!noTail && prod < product)) entities.push(this.entityOfInner([...stack].reverse()));
          return;
        }
        for (const f of factors) {
          stack[now] = f;
          dfs(now + 1);
        }
      };
      dfs(0);
    }
    this.entities = opts.filter ? entities.filter(opts.filter) : entities;
    if (this.entities.length === 0) throw new RangeError(`${name}: the split space is empty (policy ${this.policy}, maxFactor ${maxFactor})`);
  }

  private entityOfInner(inner: readonly number[]): SplitEntity {
    const prod = inner.reduce((a, b) => a * b, 1);
    return new SplitEntity([Math.ceil(this.product / prod), ...inner]);
  }

  get length(): number {
    return this.entities.length;
  }

  entity(i: number): SplitEntity {
    const e = this.entities[i];
    if (!e) throw new RangeError(`split knob: entity ${i} out of range [0, ${this.length})`);
    return e;
  }

  indexOfData(value: unknown): number {
    if (!Array.isArray(value) || value.length !== this.numOutputs) return -1;
    const inner = value.slice(1);
    return this.entities.findIndex((e) => e.size.slice(1).every((x, i) => x === inner[i]));
  }

  /** The entity for sizes given by a record or template (first size ignored), resolving -1. */
  resolve(sizes: readonly number[]): SplitEntity {
    if (sizes.length !== this.numOutputs) throw new RangeError(`split knob: ${sizes.length} sizes given, expected ${this.numOutputs}`);
    return this.entityOfInner(sizes.slice(1));
  }

  describe(): string {
    return `Split(policy=${this.policy}, product=${this.product}, numOutputs=${this.numOutputs}) len=${this.length}`;
  }
}
