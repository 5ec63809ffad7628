// autotune/rng.ts — a small seeded random generator, so every tuner and the SA optimizer are reproducible.

/** A seeded PRNG (mulberry32 core); `next()` is uniform in [0, 1). */
export class Rng {
  private state: number;

  constructor(seed = 0) {
    if (!Number.isFinite(seed)) throw new TypeError(`Rng: seed must be a finite number, got ${seed}`);
    // Mix the seed so small consecutive seeds give unrelated streams.
    this.state = (Math.imul(Math.trunc(seed) ^ 0x9e3779b9, 0x85ebca6b) ^ 0xc2b2ae35) >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A uniform integer in [0, n); n may exceed 2^32 (spaces can be large). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`Rng.int: n must be a positive integer, got ${n}`);
    if (n <= 4294967296) return Math.floor(this.next() * n);
    // Two draws give 53 bits, enough for any safe-integer space size.
    const hi = Math.floor(this.next() * 2097152);
    const lo = Math.floor(this.next() * 4294967296);
    return (hi * 4294967296 + lo) % n;
  }

  /** A fresh generator seeded from this one, for a component that needs its own stream. */
  fork(): Rng {
    return new Rng(this.int(4294967296));
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = items[i]!;
      items[i] = items[j]!;
      items[j] = t;
    }
    return items;
  }
}
