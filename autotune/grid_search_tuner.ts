// autotune/grid_search_tuner.ts — every valid config in index order (AutoTVM's GridSearchTuner).

import type { ConfigEntity } from './space.js';
import { Tuner } from './tuner.js';

export class GridSearchTuner extends Tuner {
  private next = 0;

  override hasNext(): boolean {
    return super.hasNext() && this.next < this.task.space.length;
  }

  nextBatch(n: number): ConfigEntity[] {
    const out: ConfigEntity[] = [];
    const len = this.task.space.length;
    while (out.length < n && this.next < len) {
      const i = this.next++;
      if (!this.measured.has(i) && this.task.space.isIndexValid(i)) out.push(this.task.space.entityAt(i));
    }
    return out;
  }
}
