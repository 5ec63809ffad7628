// autotune/space_filter.ts — validity of a config space's points under its templates' multi-filters
// (AutoTVM's ConfigSpace.multi_filter / is_index_valid, apache/tvm PR #12545): a cached per-index
// verdict, the count of valid configs when the space is small enough to enumerate, and valid sampling.

import type { Rng } from './rng.js';

/**
 * A template's constraint on a combination of knobs: given a config (anything with getSplit/getKnob),
 * the reason it cannot be built (e.g. 'accumulator tile 8×8×8 exceeds 128 floats'), or undefined when it can.
 */
export type MultiFilter<C> = (config: C) => string | undefined;

/** Spaces up to this many indices get an exact valid count (one predicate call per index, cached). */
export const COUNT_LIMIT = 1 << 21;

/** Verdicts per index: 0 unknown, 1 valid, 2 invalid; a Map past COUNT_LIMIT indices. */
export class ValidityCache {
  private readonly dense: Uint8Array | undefined;
  private readonly sparse = new Map<number, boolean>();
  private counted: number | undefined;

  constructor(readonly rangeLength: number, private readonly check: (index: number) => boolean) {
    this.dense = rangeLength <= COUNT_LIMIT ? new Uint8Array(rangeLength) : undefined;
  }

  isValid(index: number): boolean {
    if (this.dense) {
      const v = this.dense[index]!;
      if (v !== 0) return v === 1;
      const ok = this.check(index);
      this.dense[index] = ok ? 1 : 2;
      return ok;
    }
    let ok = this.sparse.get(index);
    if (ok === undefined) {
      ok = this.check(index);
      if (this.sparse.size < COUNT_LIMIT) this.sparse.set(index, ok);
    }
    return ok;
  }

  /** The number of valid indices, or undefined when the space is too large to enumerate. */
  count(): number | undefined {
    if (this.counted !== undefined || !this.dense) return this.counted;
    let n = 0;
    for (let i = 0; i < this.rangeLength; i++) if (this.isValid(i)) n++;
    this.counted = n;
    return n;
  }

  /**
   * A uniformly random valid index not in `exclude` (rejection sampling, then a scan from a random
   * start, as AutoTVM's get_rand_index); undefined when there is none.
   */
  sample(rng: Rng, exclude?: ReadonlySet<number>): number | undefined {
    const n = this.rangeLength;
    for (let tries = 0; tries < 256; tries++) {
      const i = rng.int(n);
      if (!exclude?.has(i) && this.isValid(i)) return i;
    }
    const start = rng.int(n);
    for (let k = 0; k < n; k++) {
      const i = (start + k) % n;
      if (!exclude?.has(i) && this.isValid(i)) return i;
    }
    return undefined;
  }
}
