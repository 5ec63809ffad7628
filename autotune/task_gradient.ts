// autotune/task_gradient.ts — the arithmetic of Ansor's gradient task scheduler (Zheng et al., OSDI'20 §6;
// TVM python/tvm/auto_scheduler/task_scheduler.py): per-task gradients, similarity groups, round replay.

/** What the scheduler knows of one task between rounds. Costs are seconds per run of the task. */
export interface TaskState {
  /** How many times the model runs this task per inference (Ansor's task weight). */
  readonly weight: number;
  /** Floating-point operations of one run (for the similarity-group bound); 0 when unknown. */
  readonly flop: number;
  /**
   * Similarity group (similarityTag: the template and the FLOP count's log bucket): tasks of one group are
   * expected to reach similar FLOP/s. Undefined: alike no other task.
   */
  group: string | undefined;
  /** Best mean cost so far; `NO_COST` while no candidate has succeeded. */
  bestCost: number;
  /** Rounds this task has had (Ansor's task_cts). */
  rounds: number;
  /** bestCost after each round (Ansor's task_costs_history). */
  readonly history: number[];
  /** A task whose last round measured nothing (space exhausted) or that never succeeds. */
  dead: boolean;
}

/**
 * Ansor's similarity tag (TVM python/tvm/auto_scheduler/task_scheduler.py, derive_similarity_tag): the
 * template name and ⌊log₁.₆₁₈(flop + 1)⌋, so only tasks of one template within a factor ~1.6 of each other's
 * FLOP count share a group. A 1×1 convolution of 6 kFLOP is not expected to reach the FLOP/s of a 3×3 one
 * of 190 kFLOP; grouping them by template alone would give the small one an unreachable forward bound.
 * Undefined (alike no other task) when the FLOP count is unknown (≤ 0).
 */
export function similarityTag(template: string, flop: number): string | undefined {
  if (!(flop > 0)) return undefined;
  return `${template}_${Math.floor(Math.log(flop + 1) / Math.log(1.618))}`;
}

/** The cost of a task with no successful measurement (TVM uses 1e10 seconds). */
export const NO_COST = 1e10;

export interface GradientParams {
  /** Weight of the backward (observed) gradient against the forward (predicted) one (Ansor: 0.2). */
  readonly alpha: number;
  /** A task is predicted to reach at most `beta` times slower than its group's best FLOP/s (Ansor: 2). */
  readonly beta: number;
  /** Rounds back over which the observed improvement rate is measured (Ansor: 3). */
  readonly backwardWindowSize: number;
}

/** The objective Ansor minimizes with task weights: estimated end-to-end latency Σ wᵢ · costᵢ (seconds). */
export function weightedLatency(states: readonly TaskState[]): number {
  let s = 0;
  for (const t of states) s += t.weight * t.bestCost;
  return s;
}

/**
 * ∂f/∂tᵢ for every task, as Ansor defines it: the chain term ∂f/∂gᵢ (the task's weight, f being
 * the weighted sum) times α·(backward gradient over the last `backwardWindowSize` rounds) +
 * (1−α)·(forward gradient: the smaller of the optimistic gᵢ − gᵢ/tᵢ and the group bound
 * β·flopᵢ / (best FLOP/s in the group), minus gᵢ). All values are ≤ 0; the most negative task is
 * expected to cut the most latency with one more round. Dead tasks get 0.
 */
export function taskGradients(states: readonly TaskState[], p: GradientParams): number[] {
  const groupBest = new Map<string, { flops: number; size: number }>();
  for (const t of states) {
    if (t.group === undefined || !(t.flop > 0)) continue;
    const g = groupBest.get(t.group) ?? { flops: 0, size: 0 };
    g.flops = Math.max(g.flops, t.flop / t.bestCost);
    g.size++;
    groupBest.set(t.group, g);
  }
  return states.map((t) => {
    if (t.dead) return 0;
    const chain = t.weight;
    const w = p.backwardWindowSize;
    const h = t.history;
    // (g(t) − g(t − Δt)) / Δt over the last `w` rounds; 0 until there are that many.
    const backward = t.rounds - 1 < h.length && t.rounds - 1 - w >= 0 ? (h[t.rounds - 1]! - h[t.rounds - 1 - w]!) / w : 0;
    const next1 = t.bestCost - t.bestCost / Math.max(t.rounds, 1);
    let next2 = Infinity;
    const g = t.group !== undefined && t.flop > 0 ? groupBest.get(t.group) : undefined;
    if (g !== undefined && g.size > 1 && g.flops > 0) next2 = (p.beta * t.flop) / g.flops;
    const forward = Math.min(next1, next2) - t.bestCost;
    return chain * (p.alpha * backward + (1 - p.alpha) * forward);
  });
}

/**
 * Ansor's _adjust_similarity_group: a task tuned over 5 rounds more than any other of its group
 * that still runs slower than 1/β of the group's best FLOP/s is not like them; it leaves the group.
 */
export function adjustSimilarityGroup(states: readonly TaskState[], i: number, beta: number): void {
  const t = states[i]!;
  if (t.group === undefined || !(t.flop > 0)) return;
  const members = states.map((s, j) => (s.group === t.group && s.flop > 0 ? j : -1)).filter((j) => j >= 0);
  if (members.length <= 1) return;
  const best = Math.max(...members.map((j) => states[j]!.flop / states[j]!.bestCost));
  const mine = t.flop / t.bestCost;
  const othersRounds = Math.max(...members.filter((j) => j !== i).map((j) => states[j]!.rounds));
  if (mine < best / beta && t.rounds > 5 + othersRounds) t.group = undefined;
}

/** One restored measurement: which task, its mean cost (Infinity for an error). */
export interface ReplayItem {
  readonly task: number;
  readonly cost: number;
}

/** A round cut short (a stopped or killed job): the task and how many of its trials were done. */
export interface PartialRound {
  readonly task: number;
  readonly done: number;
}

/**
 * Rebuilds the rounds of an earlier job from its records in log order: consecutive records of one
 * task form rounds of `roundSize` trials (a round's records are contiguous, as the scheduler
 * measures one task per round). Closed rounds update `rounds`, `bestCost` and `history` exactly
 * as the live job did; a trailing short round is returned as unfinished (its costs already
 * count), so the resumed job completes it first and the schedule continues as if never stopped.
 */
export function replayRounds(states: TaskState[], items: readonly ReplayItem[], roundSize: number): PartialRound | undefined {
  let cur = -1;
  let inRound = 0;
  const close = (): void => {
    if (cur < 0 || inRound === 0) return;
    states[cur]!.rounds++;
    states[cur]!.history.push(states[cur]!.bestCost);
  };
  for (const it of items) {
    if (it.task !== cur || inRound === roundSize) {
      close();
      cur = it.task;
      inRound = 0;
    }
    inRound++;
    const s = states[it.task]!;
    if (it.cost < s.bestCost) s.bestCost = it.cost;
  }
  if (cur >= 0 && inRound > 0 && inRound < roundSize) return { task: cur, done: inRound };
  close();
  return undefined;
}
