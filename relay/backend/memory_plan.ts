// relay/backend/memory_plan.ts — static memory planning for the graph executor (TVM's
// GraphPlanMemory): each intermediate tensor gets a storage that is released after its last reader
// runs and reused by later tensors (best fit, else the largest free one grown); inputs, outputs and
// constants keep storages of their own. Reports the planned bytes beside the one-buffer-per-tensor total.

export interface PlanStep {
  /** Tensor ids read by the kernel. */
  readonly reads: readonly number[];
  /** Tensor id written. */
  readonly writes: number;
}

export interface MemoryPlanInput {
  /** Bytes per tensor id. */
  readonly bytes: readonly number[];
  /** Tensors with a storage of their own for the whole run (inputs, outputs, constants). */
  readonly pinned: ReadonlySet<number>;
  readonly steps: readonly PlanStep[];
}

export interface MemoryPlan {
  /** Storage id per tensor id. */
  readonly storageOf: readonly number[];
  /** Byte size per storage id. */
  readonly storages: readonly number[];
  /** Bytes of intermediate storages (reused) and what one buffer per intermediate tensor would take. */
  readonly intermediateBytes: number;
  readonly naiveIntermediateBytes: number;
}

export function planMemory(input: MemoryPlanInput): MemoryPlan {
  const { bytes, pinned, steps } = input;
  const storageOf = new Array<number>(bytes.length).fill(-1);
  const storages: number[] = [];
  const isShared: boolean[] = [];
  const lastUse = new Array<number>(bytes.length).fill(-1);
  steps.forEach((s, k) => s.reads.forEach((t) => (lastUse[t] = k)));
  const free: number[] = [];
  const newStorage = (size: number, shared: boolean): number => {
    storages.push(size);
    isShared.push(shared);
    return storages.length - 1;
  };
  for (let t = 0; t < bytes.length; t++) if (pinned.has(t)) storageOf[t] = newStorage(bytes[t]!, false);
  let naive = 0;
  steps.forEach((s, k) => {
    const t = s.writes;
    if (storageOf[t] === -1) {
      const need = bytes[t]!;
      naive += need;
      // Best fit among free storages; else grow the largest free one; else a new storage.
      let pick = -1;
      for (const id of free) if (storages[id]! >= need && (pick < 0 || storages[id]! < storages[pick]!)) pick = id;
      if (pick < 0 && free.length > 0) {
        pick = free.reduce((a, b) => (storages[b]! > storages[a]! ? b : a));
        storages[pick] = need;
      }
      if (pick >= 0) free.splice(free.indexOf(pick), 1);
      else pick = newStorage(need, true);
      storageOf[t] = pick;
    }
    // Release after the output is placed: a kernel never writes a storage it reads.
    for (const r of new Set(s.reads)) {
      if (lastUse[r] === k && !pinned.has(r) && storageOf[r]! >= 0 && isShared[storageOf[r]!]) free.push(storageOf[r]!);
    }
    if (lastUse[t] === -1 && !pinned.has(t)) free.push(storageOf[t]!);
  });
  const intermediateBytes = storages.reduce((a, b, i) => a + (isShared[i] ? b : 0), 0);
  return { storageOf, storages, intermediateBytes, naiveIntermediateBytes: naive };
}
