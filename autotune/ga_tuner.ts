// autotune/ga_tuner.ts — a genetic algorithm over knob vectors (AutoTVM's GATuner: population 100,
// 3 elites, mutation probability 0.1): fitness-proportional crossover, per-gene mutation, no repeats,
// no config the template's multiFilter rejects.

import { Rng } from './rng.js';
import type { ConfigEntity } from './space.js';
import type { Task } from './task.js';
import { resultFlops, Tuner, type TuneInput, type TuneResult } from './tuner.js';

export interface GATunerOptions {
  readonly popSize?: number;
  readonly eliteNum?: number;
  readonly mutationProb?: number;
  readonly seed?: number;
}

export class GATuner extends Tuner {
  readonly popSize: number;
  readonly eliteNum: number;
  readonly mutationProb: number;
  private readonly rng: Rng;
  private readonly dims: number[];
  /** Genes planned or measured: a new gene is never one of these. */
  private readonly visited = new Set<number>();
  private readonly score = new Map<number, number>();
  private genes: number[][] = [];
  private elites: { gene: number[]; score: number }[] = [];
  private trialPt = 0;

  constructor(task: Task, opts: GATunerOptions = {}) {
    super(task);
    const space = task.space;
    this.rng = new Rng(opts.seed ?? 0);
    this.dims = space.dims;
    this.popSize = Math.min(opts.popSize ?? 100, this.validCount());
    this.eliteNum = Math.min(opts.eliteNum ?? 3, this.popSize);
    this.mutationProb = opts.mutationProb ?? 0.1;
    // The first population: distinct configs the template's multiFilter accepts.
    while (this.genes.length < this.popSize) {
      const p = space.sampleValid(this.rng, this.visited);
      if (p === undefined) break;
      this.visited.add(p);
      this.genes.push(space.pointToKnobs(p));
    }
  }

  /**
   * Warm start: the configs join the first population at its front (the population keeps its size; random
   * members make room), so they are scored with it and breed in the first evolution. A population already
   * being measured or evolved is left as it is.
   */
  protected override seedSearch(configs: readonly ConfigEntity[]): void {
    if (this.trialPt > 0 || this.elites.length > 0 || configs.length === 0) return;
    const space = this.task.space;
    const seeds = configs.map((c) => c.index);
    const seedSet = new Set(seeds);
    const rest = this.genes.map((g) => space.knobsToPoint(g)).filter((p) => !seedSet.has(p));
    const dropped = rest.splice(Math.max(this.popSize - seeds.length, 0));
    for (const p of dropped) this.visited.delete(p);
    for (const p of seeds) this.visited.add(p);
    this.genes = [...seeds, ...rest].slice(0, Math.max(this.popSize, seeds.length)).map((p) => space.pointToKnobs(p));
  }

  override hasNext(): boolean {
    return super.hasNext() && this.visited.size - (this.genes.length - this.trialPt) < this.validCount();
  }

  nextBatch(n: number): ConfigEntity[] {
    const out: ConfigEntity[] = [];
    while (out.length < n && this.trialPt < this.genes.length) {
      const p = this.task.space.knobsToPoint(this.genes[this.trialPt++]!);
      // A gene restored from a log is scored already; it is not measured again.
      if (!this.measured.has(p)) out.push(this.task.space.entityAt(p));
    }
    return out;
  }

  override update(inputs: readonly TuneInput[], results: readonly TuneResult[]): void {
    inputs.forEach((inp, k) => {
      this.visited.add(inp.config.index);
      this.score.set(inp.config.index, resultFlops(this.task, results[k]!));
    });
    if (this.trialPt < this.genes.length) return;
    if (this.visited.size >= this.validCount()) return;
    this.evolve();
  }

  private evolve(): void {
    const space = this.task.space;
    const pool = [
      ...this.genes.map((g) => ({ gene: g, score: this.score.get(space.knobsToPoint(g)) ?? 0 })),
      ...this.elites,
    ];
    this.elites = [...pool].sort((a, b) => b.score - a.score).slice(0, this.eliteNum);
    const maxScore = Math.max(...pool.map((p) => p.score + 1e-8));
    const weights = pool.map((p) => (p.score + 1e-8) / maxScore);
    const next: number[][] = [];
    for (let c = 0; c < this.popSize && this.visited.size < this.validCount(); c++) {
      // Two distinct parents, chosen with probability proportional to fitness; one-point crossover.
      const i1 = this.pick(weights, -1);
      const i2 = pool.length > 1 ? this.pick(weights, i1) : i1;
      const cut = this.rng.int(this.dims.length);
      const gene = [...pool[i1]!.gene.slice(0, cut), ...pool[i2]!.gene.slice(cut)];
      this.dims.forEach((d, j) => { if (this.rng.next() < this.mutationProb) gene[j] = this.rng.int(d); });
      // A child already visited, or one the template's multiFilter rejects, mutates further; after
      // 1000 tries a random valid unvisited config takes its place.
      let point = space.knobsToPoint(gene);
      for (let tries = 0; this.visited.has(point) || !space.isIndexValid(point); tries++) {
        if (tries >= 1000) {
          const p = space.sampleValid(this.rng, this.visited);
          if (p === undefined) return this.finish(next);
          point = p;
          break;
        }
        const j = this.rng.int(this.dims.length);
        gene[j] = this.rng.int(this.dims[j]!);
        point = space.knobsToPoint(gene);
      }
      this.visited.add(point);
      next.push(space.pointToKnobs(point));
    }
    this.finish(next);
  }

  private finish(next: number[][]): void {
    this.genes = next;
    this.trialPt = 0;
  }

  private pick(weights: readonly number[], exclude: number): number {
    let total = 0;
    weights.forEach((w, i) => { if (i !== exclude) total += w; });
    if (total <= 0) {
      // Only the excluded one has weight: pick uniformly among the others.
      const i = this.rng.int(weights.length - 1);
      return exclude >= 0 && i >= exclude ? i + 1 : i;
    }
    let r = this.rng.next() * total;
    for (let i = 0; i < weights.length; i++) {
      if (i === exclude) continue;
      r -= weights[i]!;
      if (r <= 0) return i;
    }
    return weights.length - 1 === exclude ? weights.length - 2 : weights.length - 1;
  }
}
