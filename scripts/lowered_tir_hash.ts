// scripts/lowered_tir_hash.ts — lowers every shipped TopHub record's task (tuning-logs/tophub/*.jsonl) at its
// template's default config and at the record's config, and prints a sha256 prefix of each printed PrimFunc and one
// `ALL` hash over them. A refactor of the compiler core that must not change any kernel (bound inference, the
// simplifier, lowering passes) shows the same ALL line before and after:
//   npx tsx scripts/lowered_tir_hash.ts > before.txt; <change>; npx tsx scripts/lowered_tir_hash.ts | diff before.txt -
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { createTask } from '../autotune/task.js';
import { registerAll } from '../ops/register.js';
import { lower } from '../schedule/lower.js';
import * as tir from '../tir/index.js';
registerAll();
const dir = new URL('../tuning-logs/tophub', import.meta.url).pathname;
const all = createHash('sha256');
for (const f of readdirSync(dir).filter((x) => x.endsWith('.jsonl')).sort()) {
  for (const line of readFileSync(`${dir}/${f}`, 'utf8').split('\n').filter(Boolean)) {
    const r = JSON.parse(line);
    const [target, name, args] = r.input;
    const task = createTask(name, args, target);
    for (const idx of [task.defaultConfig!()!.index, r.config.index]) {
      const cfg = task.space.entityAt(idx);
      const { schedule: s, tensors: ts } = task.instantiate(cfg as any);
      const txt = tir.print(lower(s, ts, { name: 'k' }));
      const h = createHash('sha256').update(txt).digest('hex').slice(0, 12);
      all.update(txt);
      console.log(f, name, JSON.stringify(args.map((a: any) => Array.isArray(a) && a[0] === 'TENSOR' ? a[1] : a)).slice(0, 80), idx, h);
    }
  }
}
console.log('ALL', all.digest('hex'));
