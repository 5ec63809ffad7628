// probe: dense_prepacked.wasm configs, CPU time, interleaved rounds
import { createTask, tensorArg } from '/work/wt-dense15/autotune/task.js';
import { registerAll } from '/work/wt-dense15/ops/register.js';
import { variantConfig, cpuSeconds, seededArray } from '/work/wt-dense15/bench/bench_util.js';
import { lower } from '/work/wt-dense15/schedule/lower.js';
import { build } from '/work/wt-dense15/runtime/build.js';
import { array } from '/work/wt-dense15/runtime/ndarray.js';
registerAll();
const [M, K, N] = (process.argv[2] ?? '1,1024,1000').split(',').map(Number);
const variants = JSON.parse(process.argv[3] ?? '{}');
const target = process.argv[4] ?? 'wasm -threads=1';
const rounds = Number(process.argv[5] ?? 5);
const task = createTask('dense_prepacked.wasm', [tensorArg([M, K]), tensorArg([N, K])], target);
const flop = 2 * M * N * K;
const x = seededArray(M * K, 1), w = seededArray(N * K, 2);
const runs = new Map<string, () => any>();
for (const [name, over] of Object.entries({ default: {}, ...variants })) {
  const c = variantConfig(task, name, over as Record<string, unknown>);
  const inst = task.instantiate(c);
  const s = inst.schedule as any; const ts = inst.tensors as any[];
  const f = lower(s, ts, { name: 'p' });
  const mod = await build(f, target);
  const host = task.hostInputs?.(c) ?? [];
  const wv = host.length ? host[0]!.make(w) : w;
  const arrs = [array(x, [...ts[0].dims]), array(wv, [...ts[1].dims]), array(new Float32Array(M * N), [...ts[2].dims])];
  runs.set(`${name} #${c.index}`, () => mod.run(...arrs) as any);
}
for (const fn of runs.values()) await fn();
const best = new Map<string, number>();
for (let r = 0; r < rounds; r++) for (const [n, fn] of runs) best.set(n, Math.min(best.get(n) ?? Infinity, await cpuSeconds(fn)));
for (const [n, t] of best) console.log(`${n}: ${(flop / t / 1e9).toFixed(2)} GFLOP/s ${(t * 1e6).toFixed(1)} us`);
process.exit(0);
