// relay/autotune_api.ts — the public `autotune` namespace: the autotune layer plus extractTasks,
// which needs the graph IR and so lives here (autotune sits below relay in the layer order).

export * from '../autotune/index.js';
export { extractTasks } from './backend/extract_tasks.js';
