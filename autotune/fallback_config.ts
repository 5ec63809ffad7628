// autotune/fallback_config.ts — the config a template runs with outside tuning when no record
// matches: AutoTVM's FallbackConfigEntity (fallback_split, fallback_with_reference_log).

import type { ConfigData } from '../tuning-logs/dispatch_context.js';
import type { KnobEntity } from './knobs/entity_data.js';
import { getFactors, SplitEntity, SplitSpace } from './knobs/split.js';
import { ConfigSpace } from './space.js';

/**
 * The config a template runs with outside tuning when no record matches. Knobs are defined as
 * in a space (value 0 of each by default); the template then sets sensible values with
 * `fallbackSplit(name, maxSizes)`, `fallbackKnob(name, value)` or `fallbackWithReference(records)`.
 */
export class FallbackConfigEntity extends ConfigSpace {
  override readonly isFallback: boolean = true;

  /**
   * AutoTVM's fallback_split: the largest divisor sizes within `maxSizes` (-1: no limit), chosen
   * innermost first. `defineSplit('t', 128, { numOutputs: 3 })` then `fallbackSplit('t', [-1, 8, 4])`
   * gives sizes [4, 8, 4]; for 49 it gives [7, 7, 1].
   */
  fallbackSplit(name: string, maxSizes: readonly number[]): SplitEntity {
    const space = this.knobSpace(name);
    if (!(space instanceof SplitSpace)) throw new TypeError(`fallbackSplit: knob '${name}' is not a split knob`);
    if (maxSizes.length !== space.numOutputs) throw new RangeError(`fallbackSplit '${name}': ${maxSizes.length} sizes for ${space.numOutputs} outputs`);
    const size = new Array<number>(space.numOutputs).fill(1);
    let now = space.product;
    for (let i = space.numOutputs - 1; i >= 0; i--) {
      const limit = maxSizes[i] === -1 ? Infinity : maxSizes[i]!;
      const fits = getFactors(now).filter((f) => f <= limit);
      if (fits.length === 0) throw new RangeError(`fallbackSplit '${name}': no divisor of ${now} fits ${limit}`);
      size[i] = fits[fits.length - 1]!;
      now /= size[i]!;
    }
    const e = new SplitEntity(size);
    this.entityMap.set(name, e);
    return e;
  }

  /**
   * Sets a split's fallback to the entity of the space whose inner sizes are `inner` (outer first, the
   * outermost size implied), e.g. a tile of 4 over an axis of 7 (a guarded tail) where no divisor fits.
   * Throws when the space has no such entity (policy, maxFactor or noTail exclude it).
   */
  fallbackSplitSizes(name: string, inner: readonly number[]): SplitEntity {
    const space = this.knobSpace(name);
    if (!(space instanceof SplitSpace)) throw new TypeError(`fallbackSplitSizes: knob '${name}' is not a split knob`);
    for (let i = 0; i < space.length; i++) {
      const e = space.entity(i);
      if (e.size.length === inner.length + 1 && e.size.slice(1).every((x, j) => x === inner[j])) {
        this.entityMap.set(name, e);
        return e;
      }
    }
    throw new RangeError(`fallbackSplitSizes '${name}': inner sizes [${inner.join(', ')}] are not in its space of ${space.product} (${space.length} entities)`);
  }

  /** Sets a knob's fallback value; it must be one of the knob's values. */
  fallbackKnob(name: string, value: unknown): KnobEntity {
    const space = this.knobSpace(name);
    const k = space.indexOfData(value);
    if (k < 0) throw new RangeError(`fallbackKnob '${name}': ${JSON.stringify(value)} is not one of its values (${space.describe()})`);
    const e = space.entity(k);
    this.entityMap.set(name, e);
    return e;
  }

  /**
   * AutoTVM's fallback_with_reference_log: picks the reference config whose split products share
   * the most divisors with this space's, mimics its tiling within this shape and copies its other knobs.
   * Returns false when no reference has this space's split knobs.
   */
  fallbackWithReference(records: readonly ConfigData[]): boolean {
    const splitNames = this.knobNames.filter((n) => this.knobSpace(n).kind === 'sp');
    const own = splitNames.map((n) => new Set(getFactors((this.knobSpace(n) as SplitSpace).product)));
    let best: ConfigData | undefined;
    let bestScore = 0;
    for (const r of records) {
      const byName = new Map(r.entity.map((it) => [it[0], it] as const));
      let score = 0;
      let usable = true;
      splitNames.forEach((n, i) => {
        const it = byName.get(n);
        if (!it || it[1] !== 'sp' || !Array.isArray(it[2])) { usable = false; return; }
        const sizes = (it[2] as number[]).map((x) => Math.abs(x));
        const prod = sizes.reduce((a, b) => a * b, 1);
        const common = getFactors(prod).filter((f) => own[i]!.has(f)).length;
        score += common / own[i]!.size;
      });
      if (usable && score > bestScore) { bestScore = score; best = r; }
    }
    if (!best) return false;
    const byName = new Map(best.entity.map((it) => [it[0], it] as const));
    for (const n of this.knobNames) {
      const it = byName.get(n);
      if (!it) continue;
      if (this.knobSpace(n).kind === 'sp') this.fallbackSplit(n, [-1, ...(it[2] as number[]).slice(1)]);
      else if (this.knobSpace(n).indexOfData(it[2]) >= 0) this.fallbackKnob(n, it[2]);
    }
    return true;
  }
}
