import { autotune, ops } from './index.js';
import { defaultFeatureLower } from './autotune/xgb_tuner.js';
import { XGBoostCostModel } from './autotune/xgb_cost_model.js';
ops.registerAll();
const task = autotune.createTask('matmul.wasm', [autotune.tensorArg([256, 256]), autotune.tensorArg([256, 256])], 'wasm -threads=1');
const idx: number[] = []; const ys: number[] = [];
for (let i = 0; i < 64; i++) { idx.push(Math.floor(Math.random() * task.space.length)); ys.push(Math.random() < 0.2 ? 0 : Math.random() * 4e10); }
const src = { features: (i: number) => autotune.configFeatures(task, task.space.entityAt(i), 'itervar', defaultFeatureLower) };
const m = new XGBoostCostModel(src as never, { lossType: (process.argv[2] ?? 'rank') as never } as never);
const t0 = Date.now();
await m.fit(idx, ys, 64);
console.log('fit ok', Date.now() - t0, 'ms');
