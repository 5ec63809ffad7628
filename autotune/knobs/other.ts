// autotune/knobs/other.ts — a plain knob over listed values, any JSON (AutoTVM's OtherOptionSpace, define_knob).

import { jsonEqual, type KnobEntityBase, type KnobSpace } from './knob.js';

export class OtherOptionEntity implements KnobEntityBase {
  readonly kind = 'ot' as const;
  /** `position` is the value's place in its knob's list (used as its feature when not a number). */
  constructor(readonly val: unknown, readonly position = 0) {}

  toData(): unknown {
    return this.val;
  }

  /** Numbers stay numbers (as AutoTVM), booleans become 0/1, other values their position. */
  features(): number[] {
    if (typeof this.val === 'number') return [this.val];
    if (typeof this.val === 'boolean') return [this.val ? 1 : 0];
    return [this.position];
  }
}

export class OtherOptionSpace implements KnobSpace<OtherOptionEntity> {
  readonly kind = 'ot' as const;
  readonly entities: readonly OtherOptionEntity[];

  constructor(values: readonly unknown[]) {
    if (!Array.isArray(values) || values.length === 0) throw new TypeError('defineKnob: needs a non-empty list of values');
    values.forEach((v, i) => {
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') {
        throw new TypeError(`defineKnob: value ${i} is not JSON data (${typeof v})`);
      }
    });
    this.entities = values.map((v, i) => new OtherOptionEntity(v, i));
  }

  get length(): number {
    return this.entities.length;
  }

  entity(i: number): OtherOptionEntity {
    const e = this.entities[i];
    if (!e) throw new RangeError(`knob: entity ${i} out of range [0, ${this.length})`);
    return e;
  }

  indexOfData(value: unknown): number {
    return this.entities.findIndex((e) => jsonEqual(e.val, value));
  }

  describe(): string {
    return `OtherOption(${JSON.stringify(this.entities.map((e) => e.val))}) len=${this.length}`;
  }
}
