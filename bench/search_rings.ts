// bench/search_rings.ts — measured configs grouped by their distance from the template's default in knobs (the
// default's one-knob ring, two-knob ring, everything further), for bench/search_best.ts: whether the best known lies
// where a one-knob climb from the default reaches it, and how far above the default each ring got.

import { knobNeighbourhood } from '../autotune/local_plan.js';
import type { ConfigSpace } from '../autotune/space.js';

/** Knob positions (definition order) where configs `a` and `b` differ; RangeError for an index outside the space. */
export function knobsDiffering(space: ConfigSpace, a: number, b: number): number[] {
  const ka = space.pointToKnobs(a);
  const kb = space.pointToKnobs(b);
  return ka.flatMap((v, i) => (v !== kb[i] ? [i] : []));
}

/** `name a→b` per knob where `to` differs from `from`, values as a tuning log writes them (ConfigEntity.toData). */
export function knobChanges(space: ConfigSpace, from: number, to: number): string {
  const a = space.entityAt(from).toData().entity;
  const b = space.entityAt(to).toData().entity;
  return knobsDiffering(space, from, to).map((i) => `${a[i]![0]} ${JSON.stringify(a[i]![2])}→${JSON.stringify(b[i]![2])}`).join(', ');
}

/** One ring around the default: its valid configs (Infinity beyond two knobs), how many were measured, the best of them. */
export interface Ring { valid: number; measured: number; best?: { index: number; gflops: number } }

/**
 * The measured configs (`cost`: config index → GFLOP/s; failed ones left out by the caller) by distance from `def` in
 * knobs: `one` (exactly one knob changed; valid = every config the template's multiFilter accepts there), `two` (exactly
 * two), `far` (three or more; valid = Infinity, not counted). The best is the highest GFLOP/s, the lower index among
 * equal ones. The default itself is in no ring.
 */
export function defaultRings(space: ConfigSpace, def: number, cost: ReadonlyMap<number, number>): { one: Ring; two: Ring; far: Ring } {
  const ring1 = knobNeighbourhood(space, def, 1, () => false);
  const in1 = new Set(ring1);
  const ring2 = knobNeighbourhood(space, def, 2, (c) => in1.has(c));
  const one: Ring = { valid: ring1.length, measured: 0 };
  const two: Ring = { valid: ring2.length, measured: 0 };
  const far: Ring = { valid: Infinity, measured: 0 };
  for (const [c, g] of [...cost].sort((p, q) => p[0] - q[0])) {
    const d = knobsDiffering(space, def, c).length;
    if (d === 0) continue;
    const ring = d === 1 ? one : d === 2 ? two : far;
    ring.measured++;
    if (!ring.best || g > ring.best.gflops) ring.best = { index: c, gflops: g };
  }
  return { one, two, far };
}

/**
 * Whether config indices of a results file whose space had `thenSize` configs still name the same configs in `space`:
 * the same size, or the space then was exactly the first knobs of this one (cumulative product of its radices) — knobs
 * appended last with the old behaviour as value 0, as the templates add them (e.g. conv2d_nchw's tile_loop, session 17).
 */
export function indicesCarryOver(space: ConfigSpace, thenSize: number): boolean {
  let n = 1;
  for (const d of space.dims) {
    if (n === thenSize) return true;
    n *= d;
  }
  return n === thenSize;
}
