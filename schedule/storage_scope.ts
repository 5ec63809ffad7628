// schedule/storage_scope.ts — the storage scope of each stage before bound inference, as TVM's
// InferStorageScope (src/te/schedule/bound.cc): a scope set by cacheRead/cacheWrite is kept;
// otherwise the highest thread rank on the stage's attach path decides — no thread loop around
// it → 'global', blockIdx only → 'shared' (one copy per block), threadIdx or vthread → 'local'.
// Bound inference then relaxes only the loops a buffer of that scope spans (NeedRelax); 'warp' (set
// only by cacheRead/cacheWrite) spans threadIdx.x, the lanes of a subgroup.

import type { StorageScope, ThreadTag } from '../tir/nodes.js';
import type { Stage } from './stage.js';

/** TVM's ThreadScope rank: blockIdx 0, threadIdx and vthread 1. */
export function threadRank(tag: ThreadTag): number {
  return tag.startsWith('blockIdx') ? 0 : 1;
}

/** TVM's StorageRank: global 0, shared 1, warp 2, local 3. */
export function storageRank(scope: StorageScope): number {
  return scope === 'global' ? 0 : scope === 'shared' ? 1 : scope === 'warp' ? 2 : 3;
}

const BY_RANK: readonly StorageScope[] = ['global', 'shared', 'local'];

/** Thread tags of the loops around `stage`'s attach point (its consumer's loops outside and at the axis, and theirs). */
export function attachPathTags(stage: Stage): ThreadTag[] {
  const tags: ThreadTag[] = [];
  const seen = new Set<Stage>();
  let s = stage;
  while (s.attach.type === 'scope' && !seen.has(s)) {
    seen.add(s);
    const q = s.attach.stage;
    const at = q.leafIterVars.indexOf(s.attach.axis);
    q.leafIterVars.forEach((leaf, i) => {
      const tag = q.iterAttrs.get(leaf)?.threadTag;
      if (i <= at && tag) tags.push(tag);
    });
    s = q;
  }
  return tags;
}

/** The scope `stage` is allocated in: the one set on it, else inferred from its attach path. */
export function inferStorageScope(stage: Stage): StorageScope {
  if (stage.scopeIsSet) return stage.scope;
  const rank = Math.max(-1, ...attachPathTags(stage).map(threadRank));
  return BY_RANK[rank + 1]!;
}

/** Whether a loop bound to `tag` spans a buffer of `scope` (TVM's NeedRelax for thread loops). */
export function relaxedForScope(tag: ThreadTag | undefined, scope: StorageScope): boolean {
  if (!tag) return false;
  // Warp memory spans the lanes of a subgroup: threadIdx.x must be the lane index (TVM's NeedRelax).
  if (scope === 'warp') return tag === 'threadIdx.x';
  return storageRank(scope) <= threadRank(tag);
}
