// tests/codegen/wgsl/shared_access_private.test.ts — threadPrivatePair (codegen/wgsl/shared_access.ts):
// whether two accesses with the same per-thread layout touch only their own thread's elements, so no
// barrier is needed between them. Checked against a brute force in plain JS (every pair of distinct
// threads, every element each touches) on random layouts: a `true` must always be right; and on hand
// cases whose answer is worked out here, with the strides listed in either order (the rule sorts them).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { threadPrivatePair, type IndexSummary } from '../../../codegen/wgsl/shared_access.js';

type Axis = [tag: string, coeff: number, extent: number];
const summary = (axes: Axis[], lo: number, hi: number, uniform: [string, number][] = []): IndexSummary => ({
  thread: new Map(axes.map(([t, c, e]) => [t, { coeff: c, extent: e }])), uniform: new Map(uniform), lo, hi,
});

/** Plain JS: do two distinct threads touch a common element (x's range for one, y's for the other)? */
function overlaps(axes: Axis[], x: [number, number], y: [number, number]): boolean {
  const threads: number[] = [0];
  const ids: string[] = [''];
  for (const [, c, e] of axes) {
    const n = threads.length;
    for (let k = 0; k < n; k++) for (let v = 1; v < e; v++) { threads.push(threads[k]! + c * v); ids.push(`${ids[k]},${v}`); }
    for (let k = 0; k < n; k++) ids[k] = `${ids[k]},0`;
  }
  for (let a = 0; a < threads.length; a++) {
    for (let b = 0; b < threads.length; b++) {
      if (a === b) continue;
      const [alo, ahi] = [threads[a]! + x[0], threads[a]! + x[1]];
      const [blo, bhi] = [threads[b]! + y[0], threads[b]! + y[1]];
      if (alo <= bhi && blo <= ahi) return true;
    }
  }
  return false;
}

describe('threadPrivatePair', () => {
  it('hand cases: 3 elements a thread at stride 3 are private, at stride 2 not; two axes in either order', () => {
    const wg = new Map([['threadIdx.x', 64]]);
    expect(threadPrivatePair(summary([['threadIdx.x', 3, 64]], 0, 2), summary([['threadIdx.x', 3, 64]], 0, 2), wg)).toBe(true);
    expect(threadPrivatePair(summary([['threadIdx.x', 2, 64]], 0, 2), summary([['threadIdx.x', 2, 64]], 0, 2), wg)).toBe(false);
    // x: stride 1 over 8, y: stride 8 over 4, one element each: private (reach 0 → 7 → 31). Listed y first.
    const wg2 = new Map([['threadIdx.x', 8], ['threadIdx.y', 4]]);
    const xy: Axis[] = [['threadIdx.y', 8, 4], ['threadIdx.x', 1, 8]];
    expect(threadPrivatePair(summary(xy, 5, 5), summary(xy, 5, 5), wg2)).toBe(true);
    expect(threadPrivatePair(summary([['threadIdx.y', 7, 4], ['threadIdx.x', 1, 8]], 0, 0), summary([['threadIdx.y', 7, 4], ['threadIdx.x', 1, 8]], 0, 0), wg2)).toBe(false);
    // Two accesses at ranges [0,1] and [1,2] with stride 3: width 2 < 3, private.
    expect(threadPrivatePair(summary([['threadIdx.x', 3, 64]], 0, 1), summary([['threadIdx.x', 3, 64]], 1, 2), wg)).toBe(true);
    // An axis of the workgroup the index ignores: threads along it share elements.
    expect(threadPrivatePair(summary([['threadIdx.x', 3, 8]], 0, 0), summary([['threadIdx.x', 3, 8]], 0, 0), wg2)).toBe(false);
    // Different uniform parts or layouts: not provably private.
    expect(threadPrivatePair(summary([['threadIdx.x', 3, 64]], 0, 0, [['k', 1]]), summary([['threadIdx.x', 3, 64]], 0, 0, [['k', 2]]), wg)).toBe(false);
    expect(threadPrivatePair(summary([['threadIdx.x', 3, 64]], 0, 0), summary([['threadIdx.x', 4, 64]], 0, 0), wg)).toBe(false);
    expect(threadPrivatePair(summary([], 0, 0), summary([], 0, 0), new Map())).toBe(false);
    // A workgroup axis of one thread need not appear in the index.
    expect(threadPrivatePair(summary([['threadIdx.x', 3, 8]], 0, 0), summary([['threadIdx.x', 3, 8]], 0, 0), new Map([['threadIdx.x', 8], ['threadIdx.y', 1]]))).toBe(true);
    // The same stride over different extents is a different layout: not judged private.
    expect(threadPrivatePair(summary([['threadIdx.x', 3, 64]], 0, 0), summary([['threadIdx.x', 3, 32]], 0, 0), wg)).toBe(false);
    expect(threadPrivatePair(undefined, summary([['threadIdx.x', 3, 64]], 0, 0), wg)).toBe(false);
  });

  it('random layouts: whenever it says private, no two threads share an element (brute force)', () => {
    const axis = (tag: string): fc.Arbitrary<Axis> => fc.tuple(fc.constant(tag), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 2, max: 5 }));
    fc.assert(fc.property(
      axis('threadIdx.x'), fc.option(axis('threadIdx.y'), { nil: undefined }), fc.integer({ min: -3, max: 3 }), fc.integer({ min: 0, max: 4 }),
      fc.integer({ min: -3, max: 3 }), fc.integer({ min: 0, max: 4 }), fc.boolean(),
      (ax, ay, xlo, xw, ylo, yw, flip) => {
        const axes = ay ? (flip ? [ay, ax] : [ax, ay]) : [ax];
        const wg = new Map(axes.map(([t, , e]) => [t, e] as [string, number]));
        const got = threadPrivatePair(summary(axes, xlo, xlo + xw), summary(axes, ylo, ylo + yw), wg);
        if (got) expect(overlaps(axes, [xlo, xlo + xw], [ylo, ylo + yw]), JSON.stringify({ axes, xlo, xw, ylo, yw })).toBe(false);
        // The rule is exact for one axis: private iff the stride passes the combined width.
        if (!ay) expect(got).toBe(ax[1] > Math.max(xlo + xw, ylo + yw) - Math.min(xlo, ylo));
      }), { numRuns: 400 });
  });
});
