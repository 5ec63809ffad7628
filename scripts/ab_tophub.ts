// scripts/ab_tophub.ts — checks a shipped log against the templates' defaults: for every record of the
// given log, its config and the template's fallback config are built and timed in alternation (A B, B A, …,
// so a change in machine load hits both), best of the rounds each; prints the speedup of the record and in how
// many rounds the record was the faster.
// A record that does not beat the default is not worth shipping (a build without it gets the default).
// Run: npx tsx scripts/ab_tophub.ts tuning-logs/tophub/wasm_threads1.jsonl [rounds=5] [timer=wall|process-cpu]
// (process-cpu: timed by the process's CPU time, steady on a loaded machine; `wasm -threads=1` records only;
// wall for records of threaded targets such as `wasm`)

import { applyTemplate, setTemplateWarningSink } from '../autotune/apply_template.js';
import { registerAll } from '../ops/register.js';
import { build } from '../runtime/build.js';
import { array, empty } from '../runtime/ndarray.js';
import { lower } from '../schedule/lower.js';
import { applyHistoryBest } from '../tuning-logs/apply_history_best.js';
import { withDispatchContext } from '../tuning-logs/dispatch_context.js';
import { readEntriesSync } from '../tuning-logs/reader.js';

const [file = 'tuning-logs/tophub/wasm_threads1.jsonl', roundsText = '5', timer = 'wall'] = process.argv.slice(2);
if (timer !== 'wall' && timer !== 'process-cpu') throw new Error(`scripts/ab_tophub.ts: timer must be wall or process-cpu, got '${timer}'`);
const rounds = Number(roundsText);
registerAll();
setTemplateWarningSink(() => undefined);
const ctx = applyHistoryBest([file]);
console.log('| task | args | record config | default GFLOP/s | record GFLOP/s | record / default | rounds the record won |');
console.log('|---|---|---|---|---|---|---|');
for (const { record } of readEntriesSync(file)) {
  const [target, name, args] = record.input;
  const variants = [
    applyTemplate(name, args, target),
    await withDispatchContext(ctx, () => applyTemplate(name, args, target)),
  ];
  // One after the other, so the two compiles do not overlap the first module's warm-up. (Building them at once
  // used to exit 13, an unsettled top-level await: the pool's first load reply unref'd the shared worker;
  // fixed in runtime/thread_pool.ts, tests/runtime/concurrent_builds.test.ts.)
  const mods = [];
  for (const v of variants) mods.push(await build(lower(v.schedule, v.tensors, { name: 'ab' }), target));
  const outs = new Set(variants[0]!.task.outputIndices);
  // Per variant: a prepacked product task's kernel reads B as panels of its own config's width (Task.hostInputs).
  const arrays = variants.map((v) => v.tensors.map((t, i) => (outs.has(i) ? empty([...t.dims], t.dtype) : array(Float32Array.from({ length: t.dims.reduce((a, b) => a * b, 1) }, (_, k) => ((k * 7919) % 13) / 13 - 0.5), [...t.dims]))));
  const best = [Infinity, Infinity];
  // A round won: the record's time below the default's in the same round (the order alternates: A B, B A, …).
  let won = 0;
  for (let r = 0; r < rounds; r++) {
    const round = [Infinity, Infinity];
    for (const k of r % 2 === 0 ? [0, 1] : [1, 0]) {
      const t = await mods[k]!.timeEvaluator({ number: 1, repeat: 1, minRepeatMs: 100, timer }).run(...arrays[k]!);
      round[k] = t.min;
      best[k] = Math.min(best[k]!, t.min);
    }
    if (round[1]! < round[0]!) won++;
  }
  mods.forEach((m) => m.dispose());
  arrays.flat().forEach((a) => a.free());
  const flop = variants[0]!.task.flop;
  const g = best.map((s) => (flop / s / 1e9).toFixed(2));
  const shape = args.map((a) => (Array.isArray(a) && a[0] === 'TENSOR' ? (a[1] as number[]).join('x') : JSON.stringify(a))).join(', ');
  console.log(`| ${name} | ${shape} | ${variants[1]!.config.toData().index} (default ${variants[0]!.config.toData().index}) | ${g[0]} | ${g[1]} | ${(best[0]! / best[1]!).toFixed(2)}× | ${won} of ${rounds} |`);
}
process.exit(0);
