// autotune/random_tuner.ts — random search without replacement over the valid configs (AutoTVM's RandomTuner).

import { Rng } from './rng.js';
import type { ConfigEntity } from './space.js';
import type { Task } from './task.js';
import { Tuner } from './tuner.js';

/**
 * A lazy random permutation of [0, n): Fisher–Yates with the swaps kept in a map, so drawing k
 * indices costs O(k) memory whatever the space size.
 */
export class LazyPermutation {
  private readonly swaps = new Map<number, number>();
  private drawn = 0;

  constructor(readonly n: number, private readonly rng: Rng) {}

  get remaining(): number {
    return this.n - this.drawn;
  }

  /** The next index of the permutation, or undefined when all are drawn. */
  next(): number | undefined {
    if (this.drawn >= this.n) return undefined;
    const i = this.drawn++;
    const j = i + this.rng.int(this.n - i);
    const vi = this.swaps.get(i) ?? i;
    const vj = this.swaps.get(j) ?? j;
    this.swaps.set(j, vi);
    this.swaps.delete(i);
    return vj;
  }
}

export class RandomTuner extends Tuner {
  private readonly perm: LazyPermutation;

  constructor(task: Task, opts: { seed?: number } = {}) {
    super(task);
    this.perm = new LazyPermutation(task.space.length, new Rng(opts.seed ?? 0));
  }

  override hasNext(): boolean {
    return super.hasNext() && this.perm.remaining > 0;
  }

  nextBatch(n: number): ConfigEntity[] {
    const out: ConfigEntity[] = [];
    while (out.length < n) {
      const i = this.perm.next();
      if (i === undefined) break;
      // Configs the template's multiFilter rejects are skipped without a trial (AutoTVM's get_rand_index).
      if (!this.measured.has(i) && this.task.space.isIndexValid(i)) out.push(this.task.space.entityAt(i));
    }
    return out;
  }
}
