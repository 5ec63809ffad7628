// tests/runtime/memory_pool.test.ts — the shared-memory allocator: reuse, coalescing, growth,
// and (property) no two live blocks ever overlap.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALIGN, MemoryPool } from '../../runtime/memory_pool.js';

describe('MemoryPool', () => {
  it('hands out aligned, disjoint blocks and reuses freed space first-fit', () => {
    const p = new MemoryPool(1);
    const a = p.alloc(100);
    const b = p.alloc(10);
    expect(a % ALIGN).toBe(0);
    expect(b).toBeGreaterThanOrEqual(a + 100);
    p.release(a);
    expect(p.alloc(64)).toBe(a);
  });

  it('coalesces neighbours so a large block fits where two small ones were', () => {
    const p = new MemoryPool(1);
    const a = p.alloc(256);
    const b = p.alloc(256);
    const c = p.alloc(256);
    p.release(a);
    p.release(b);
    expect(p.alloc(512)).toBe(a);
    p.release(c);
    expect(p.bytesInUse).toBe(512);
  });

  it('grows the memory for a 64 MiB block and keeps earlier contents', () => {
    const p = new MemoryPool(1);
    const a = p.alloc(16);
    new Int32Array(p.memory.buffer, a, 4).set([1, 2, 3, 4]);
    const big = p.alloc(64 * 1024 * 1024);
    expect(p.byteLength).toBeGreaterThanOrEqual(big + 64 * 1024 * 1024);
    expect(Array.from(new Int32Array(p.memory.buffer, a, 4))).toEqual([1, 2, 3, 4]);
  });

  it('rejects double frees and bad sizes', () => {
    const p = new MemoryPool(1);
    const a = p.alloc(8);
    p.release(a);
    expect(() => p.release(a)).toThrow(/double free/);
    expect(() => p.alloc(-1)).toThrow(/cannot allocate/);
  });

  it('never lets live blocks overlap under random alloc/free sequences', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 5000 })), { maxLength: 80 }), (ops) => {
      const p = new MemoryPool(1);
      const live: { off: number; size: number }[] = [];
      for (const [doFree, n] of ops) {
        if (doFree && live.length > 0) {
          const [blk] = live.splice(n % live.length, 1);
          p.release(blk!.off);
        } else {
          live.push({ off: p.alloc(n), size: n });
        }
        const sorted = [...live].sort((x, y) => x.off - y.off);
        for (let i = 1; i < sorted.length; i++) {
          if (sorted[i - 1]!.off + sorted[i - 1]!.size > sorted[i]!.off) return false;
        }
        if (sorted.some((x) => x.off + x.size > p.byteLength)) return false;
      }
      return true;
    }), { numRuns: 60 });
  });
});
