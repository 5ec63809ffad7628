// tests/relay/backend/memory_plan.test.ts — memory planning: intermediates share storages once dead,
// a kernel never writes a storage it reads, pinned tensors (inputs, outputs, weights) keep their own.

import { describe, expect, it } from 'vitest';
import { planMemory } from '../../../relay/backend/memory_plan.js';

describe('planMemory', () => {
  it('reuses the storage of a dead intermediate in a chain', () => {
    // 0 (input) → 1 → 2 → 3 → 4 (output), each 100 bytes.
    const steps = [1, 2, 3, 4].map((t) => ({ reads: [t - 1], writes: t }));
    const p = planMemory({ bytes: [100, 100, 100, 100, 100], pinned: new Set([0, 4]), steps });
    expect(p.storageOf[1]).toBe(p.storageOf[3]);
    expect(p.storageOf[2]).not.toBe(p.storageOf[1]);
    expect(p.intermediateBytes).toBe(200);
    expect(p.naiveIntermediateBytes).toBe(300);
  });

  it('never gives a kernel output the storage of one of its inputs', () => {
    const steps = [{ reads: [0], writes: 1 }, { reads: [1], writes: 2 }, { reads: [2, 1], writes: 3 }, { reads: [3], writes: 4 }];
    const p = planMemory({ bytes: [8, 8, 8, 8, 8], pinned: new Set([0, 4]), steps });
    for (const s of steps) for (const r of s.reads) expect(p.storageOf[r]).not.toBe(p.storageOf[s.writes]);
  });

  it('grows a free storage rather than adding one, and keeps pinned tensors apart', () => {
    const steps = [{ reads: [0], writes: 1 }, { reads: [1], writes: 2 }, { reads: [2], writes: 3 }, { reads: [3], writes: 4 }];
    const p = planMemory({ bytes: [4, 40, 400, 4000, 4], pinned: new Set([0, 4]), steps });
    expect(p.storages[p.storageOf[3]!]).toBe(4000);
    expect(p.storageOf[3]).toBe(p.storageOf[1]);
    expect(new Set([p.storageOf[0], p.storageOf[4]]).size).toBe(2);
    expect([p.storageOf[1], p.storageOf[2], p.storageOf[3]]).not.toContain(p.storageOf[0]);
  });
});
