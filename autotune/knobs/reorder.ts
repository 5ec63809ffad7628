// autotune/knobs/reorder.ts — the reorder knob: permutations of a list of axes (AutoTVM's ReorderSpace).

import { jsonEqual, type KnobEntityBase, type KnobSpace } from './knob.js';
import type { StageLike } from './stage_like.js';

export type ReorderPolicy = 'identity' | 'all' | 'interval_all' | 'candidate';

export interface ReorderOptions {
  /** For 'interval_all': permute only axes[begin, end). */
  readonly interval?: readonly [number, number];
  /** For 'candidate': each candidate lists the axes (the same objects as `axes`) in a new order. */
  readonly candidates?: readonly (readonly unknown[])[];
}

export class ReorderEntity implements KnobEntityBase {
  readonly kind = 're' as const;
  readonly perm: readonly number[];

  constructor(perm: readonly number[]) {
    this.perm = Object.freeze([...perm]);
  }

  /** Reorders `axes` by the permutation (indices past `axes.length` are skipped, as AutoTVM). */
  apply<Ax>(_s: unknown, stage: StageLike<Ax>, axes: readonly Ax[]): Ax[] {
    const order = axes.length === this.perm.length
      ? this.perm.map((i) => axes[i]!)
      : this.perm.filter((i) => i < axes.length).map((i) => axes[i]!);
    stage.reorder(...order);
    return order;
  }

  toData(): number[] {
    return [...this.perm];
  }

  features(): number[] {
    return [...this.perm];
  }
}

function permutations(items: readonly number[]): number[][] {
  if (items.length <= 1) return [[...items]];
  const out: number[][] = [];
  items.forEach((x, i) => {
    const rest = [...items.slice(0, i), ...items.slice(i + 1)];
    for (const p of permutations(rest)) out.push([x, ...p]);
  });
  return out;
}

export class ReorderSpace implements KnobSpace<ReorderEntity> {
  readonly kind = 're' as const;
  readonly entities: readonly ReorderEntity[];

  constructor(axes: readonly unknown[], readonly policy: ReorderPolicy, opts: ReorderOptions = {}) {
    const n = axes.length;
    const what = `defineReorder(${n} axes, '${policy}')`;
    if (n === 0) throw new RangeError(`${what}: needs at least one axis`);
    const range = (a: number, b: number): number[] => Array.from({ length: b - a }, (_, i) => a + i);
    switch (policy) {
      case 'identity':
        this.entities = [new ReorderEntity(range(0, n))];
        break;
      case 'all':
        if (n > 8) throw new RangeError(`${what}: ${n}! permutations is too many; use 'interval_all' or 'candidate'`);
        this.entities = permutations(range(0, n)).map((p) => new ReorderEntity(p));
        break;
      case 'interval_all': {
        const iv = opts.interval;
        if (!iv) throw new TypeError(`${what}: needs { interval: [begin, end] }`);
        const [b, e] = iv;
        if (!Number.isInteger(b) || !Number.isInteger(e) || b < 0 || e > n || b >= e) {
          throw new RangeError(`${what}: interval [${b}, ${e}) is not inside [0, ${n})`);
        }
        this.entities = permutations(range(b, e)).map((p) => new ReorderEntity([...range(0, b), ...p, ...range(e, n)]));
        break;
      }
      case 'candidate': {
        const cands = opts.candidates;
        if (!cands || cands.length === 0) throw new TypeError(`${what}: needs a non-empty candidates list`);
        this.entities = cands.map((c, ci) => {
          const perm = c.map((ax) => {
            const i = axes.indexOf(ax);
            if (i < 0) throw new RangeError(`${what}: candidate ${ci} names an axis that is not in axes`);
            return i;
          });
          return new ReorderEntity(perm);
        });
        break;
      }
      default:
        throw new TypeError(`${what}: unknown policy (expected identity, all, interval_all or candidate)`);
    }
  }

  get length(): number {
    return this.entities.length;
  }

  entity(i: number): ReorderEntity {
    const e = this.entities[i];
    if (!e) throw new RangeError(`reorder knob: entity ${i} out of range [0, ${this.length})`);
    return e;
  }

  indexOfData(value: unknown): number {
    return this.entities.findIndex((e) => jsonEqual(e.perm, value));
  }

  describe(): string {
    return `Reorder(policy=${this.policy}) len=${this.length}`;
  }
}
