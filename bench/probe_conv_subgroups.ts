// bench/probe_conv_subgroups.ts — where the CPU time of tests/ops/conv2d_webgpu_subgroups.test.ts's sampled
// configs goes: picking the config (a walk of the space), building it (lower + WGSL codegen), loading it
// (the WebGPU pipeline: lavapipe compiles the shader), and running it. CPU time of this process
// (process.cpuUsage: lavapipe's compiler threads included), so a loaded machine gives the same split.
// Usage: npx tsx bench/probe_conv_subgroups.ts

import { setTemplateWarningSink } from '../autotune/apply_template.js';
import { createTask, tensorArg } from '../autotune/task.js';
import { buildCandidate } from '../autotune/measure/build_candidate.js';
import { registerAll } from '../ops/register.js';
import { load } from '../runtime/build.js';
import { array } from '../runtime/nd.js';
import { seeded, type ConvCase } from '../tests/ops/reference.js';
import { benchArgs } from './bench_args.js';

const SG = 'webgpu -subgroup-size=8';
const base = { N: 1, strides: [1, 1], padding: [1, 1, 1, 1], dilation: [1, 1], groups: 1, KH: 3, KW: 3 } as const;
const args = (c: ConvCase) => [tensorArg([c.N, c.C, c.H, c.W]), tensorArg([c.O, c.C / c.groups, c.KH, c.KW]), [...c.strides], [...c.padding], [...c.dilation], c.groups];
const cpuMs = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

/** [name, shape, seeds, vec, k]: the test's case k samples index seed · (k + 3) (tests/ops/conv2d_webgpu_subgroups.test.ts). */
const cases: [string, ConvCase, number[], number, number][] = [
  ['C5 9x11 O13 vec1', { ...base, C: 5, H: 9, W: 11, O: 13 }, [1, 31_337], 1, 0],
  ['C6 s2 vec4', { ...base, C: 6, H: 10, W: 9, O: 20, strides: [2, 2], padding: [0, 1, 2, 1] }, [5, 7_919], 4, 1],
  ['C3 dil2 vec1', { ...base, C: 3, H: 12, W: 12, O: 16, dilation: [2, 2], padding: [2, 2, 2, 2] }, [1, 31_337], 1, 2],
  ['C3 dil2 vec4', { ...base, C: 3, H: 12, W: 12, O: 16, dilation: [2, 2], padding: [2, 2, 2, 2] }, [5, 7_919], 4, 2],
];

benchArgs({
  script: 'bench/probe_conv_subgroups.ts',
  about: 'CPU ms per phase (pick, build, load = lavapipe shader compile, run) of the sampled warp-1 configs of\n' +
    'tests/ops/conv2d_webgpu_subgroups.test.ts, and the wall time beside it (a markdown table).',
  options: {},
  help: {},
});
registerAll();
setTemplateWarningSink(() => undefined);
console.log('| case | seed | config | pick ms | build ms | load ms | run ms | WGSL lines | wall ms (all phases) |');
console.log('|---|---|---|---|---|---|---|---|---|');
let cpuAll = 0;
const wall0 = performance.now();
for (const [name, c, seeds, vec, k] of cases) {
  for (const seed of seeds) {
    let t = cpuMs();
    const w0 = performance.now();
    const c0 = t;
    const lap = (): number => { const n = cpuMs(); const d = n - t; t = n; return Math.round(d); };
    const task = createTask('conv2d_nchw.webgpu', args(c) as never, SG);
    const len = task.space.length;
    const small = (e: ReturnType<typeof task.space.entityAt>): boolean =>
      vec === 1 || ['tile_co', 'tile_oh', 'tile_ow'].reduce((p, k) => p * e.getSplit(k).size[2]!, 1) <= 32;
    const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
    const step = [104_729, 7919, 613, 97, 13, 1].find((p) => gcd(p, len) === 1)!;
    let i = (seed * (k + 3)) % len;
    while (!(task.space.isIndexValid(i) && task.space.entityAt(i).getKnob('warp').val === 1 && task.space.entityAt(i).getKnob('vec').val === vec && small(task.space.entityAt(i)))) i = (i + step) % len;
    const pick = lap();
    const built = await buildCandidate({ taskName: task.name, args: task.args, target: task.target, configIndex: i });
    const build = lap();
    if (!built.artifact) { console.log(`| ${name} | ${seed} | refused: ${built.errorMsg} |`); continue; }
    const { tensors } = task.naive();
    const arrays = tensors.map((x, k) => array(k < 2 ? seeded(x.dims.reduce((a, b) => a * b, 1), 21 + k) : new Float32Array(x.dims.reduce((a, b) => a * b, 1)), [...x.dims]));
    const mod = await load(built.artifact);
    const loadMs = lap();
    await mod.run(...arrays);
    arrays[arrays.length - 1]!.toArray();
    const run = lap();
    mod.dispose();
    arrays.forEach((a) => a.free());
    const lines = new TextDecoder().decode(built.artifact.bytes).split('\n').length;
    cpuAll += t - c0;
    console.log(`| ${name} | ${seed} | ${task.space.entityAt(i).toString().slice(0, 90)} | ${pick} | ${build} | ${loadMs} | ${run} | ${lines} | ${Math.round(performance.now() - w0)} |`);
  }
}
console.log(`\nall configs: CPU ${Math.round(cpuAll)} ms, wall ${Math.round(performance.now() - wall0)} ms (wall/CPU ${((performance.now() - wall0) / cpuAll).toFixed(1)})`);
process.exit(0);
