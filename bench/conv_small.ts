// bench/conv_small.ts — the untuned conv2d_nchw wasm config against hand-picked alternatives on the small
// 3×3 convolutions of the ResNet-style test model (never a test): each config instantiated from the task's
// space, lowered, built and timed (median µs). The machine may be shared: numbers are noisy.
// Run: npx tsx bench/conv_small.ts [threads=1]

import { benchArgs, intArg } from './bench_args.js';

const SCRIPT = 'bench/conv_small.ts';
const { positionals } = benchArgs({
  script: SCRIPT,
  about: "The untuned conv2d_nchw wasm config against hand-picked alternatives on the test model's small 3×3 convolutions (median µs).",
  positionals: [{ name: 'threads', help: 'wasm threads (default 1)' }],
  options: {}, help: {},
});
// The heavy modules load after the arguments are read, so --help and usage errors answer at once.
const { createTask } = await import('../autotune/task.js');
const { taskOf } = await import('../ops/anchor.js');
const { conv2d } = await import('../ops/nn/conv2d.js');
const { registerAll } = await import('../ops/register.js');
const { build } = await import('../runtime/build.js');
const { array } = await import('../runtime/ndarray.js');
const { lower } = await import('../schedule/lower.js');
const { placeholder } = await import('../schedule/tensor.js');
registerAll();
const target = `wasm -threads=${intArg(SCRIPT, 'threads', positionals[0] ?? '1')}`;
const SHAPES = [
  { C: 3, O: 8, H: 20, s: 1 }, { C: 8, O: 8, H: 10, s: 1 }, { C: 8, O: 16, H: 10, s: 2 }, { C: 16, O: 16, H: 5, s: 1 },
  { C: 32, O: 32, H: 14, s: 1 }, { C: 16, O: 32, H: 7, s: 1 },
];
type Entity = [string, string, unknown];
for (const sh of SHAPES) {
  const X = placeholder([1, sh.C, sh.H, sh.H], 'float32', 'X');
  const W = placeholder([sh.O, sh.C, 3, 3], 'float32', 'W');
  const anchor = conv2d(X, W, { strides: sh.s, padding: 1 });
  const t = taskOf(anchor, target)!;
  const task = createTask(t.template, t.args, target);
  const def = task.defaultConfig?.()?.toData();
  if (!def) throw new Error(`bench/conv_small.ts: no default config for ${t.template}`);
  const OW = anchor.dims[3]!;
  const variants: Record<string, Record<string, unknown>> = { default: {} };
  const OH = anchor.dims[2]!;
  for (const ow of [OW, 4, 8].filter((v, i, a) => a.indexOf(v) === i && v <= OW)) {
    for (const co of [4, 8].filter((c) => sh.O % c === 0)) {
      for (const oh of [1, 2, 4, OH].filter((h, i, a) => a.indexOf(h) === i && h <= OH)) {
        if (co * oh * Math.ceil(ow / 4) > 16) continue;
        variants[`co${co} oh${oh} ow${ow}`] = { tile_co: [-1, co], tile_oh: [-1, oh], tile_ow: [-1, ow] };
      }
    }
  }
  for (const k of ['pad_inline', 'unroll_kw', 'vectorize', 'reorder_r'] as const) variants[`default, ${k} flipped`] = { [k]: 'flip' };
  const rows: string[] = [];
  for (const [name, over] of Object.entries(variants)) {
    const entity = (def.entity as Entity[]).map(([k, kind, v]) => {
      if (!(k in over)) return [k, kind, v] as Entity;
      if (over[k] === 'flip') return [k, kind, typeof v === 'boolean' ? !v : v === 0 ? 1 : 0] as Entity;
      const sz = over[k] as number[];
      const total = k === 'tile_co' ? sh.O : k === 'tile_oh' ? OH : OW;
      return [k, kind, [Math.ceil(total / sz[1]!), sz[1]!]] as Entity;
    });
    try {
      const cfg = task.space.entityFromData({ ...def, entity } as never);
      const inst = task.instantiate(cfg);
      const mod = await build(lower(inst.schedule, inst.tensors, { name: 'conv' }), target);
      const arrs = inst.tensors.map((q) => array(new Float32Array(q.dims.reduce((a, b) => a * b, 1)).map((_, i) => Math.sin(i)), [...q.dims]));
      const r = await mod.timeEvaluator({ number: 1, repeat: 11, minRepeatMs: 20 }).run(...arrs);
      rows.push(`${name.padEnd(20)} ${(r.median * 1e6).toFixed(1).padStart(7)} µs`);
      arrs.forEach((a) => a.free());
      mod.dispose();
    } catch (e) {
      rows.push(`${name.padEnd(20)} error ${(e as Error).message.slice(0, 80)}`);
    }
  }
  console.log(`conv ${sh.C}→${sh.O} 3×3/${sh.s} on ${sh.H}×${sh.H} (default ${JSON.stringify((def.entity as Entity[]).filter(([k]) => k.startsWith('tile')).map(([k, , v]) => `${k}=${JSON.stringify(v)}`))}):\n  ${rows.join('\n  ')}`);
}
process.exit(0);
