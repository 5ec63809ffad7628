// bench/webgpu_conv_probe.ts — probes of a 3×3 stride-1 pad-1 conv (a conv2d workload id: C2, C6, C9, C12) on lavapipe's
// plain target, beside conv2d_nchw.webgpu's default for `webgpu -device=llvmpipe` and tfjs-webgpu, timed by this
// process's CPU time (lavapipe runs the kernels on its own threads here), interleaved rounds. Every kernel is checked
// against a plain-JS conv first. Session 16 asked whether the weights packed as vec4 along the output channels
// (OIHW → [O/8][C][kh][kw][8]) pay: on lavapipe every storage-buffer load whose offset is not built from constants is
// a per-lane loop (docs/webgpu.md "Session 15"); a vec4 load fetches each lane's base and size once for 4 floats.
// Kernels: hand-written WGSL (numbered; 'oihw' reads 8 scalar weights a tap as the template does, 'packed' 2 vec4s,
// 'packed-scalar' 8 scalars of the packed buffer, 'wg' stages a channel's 72 weights in workgroup memory; pixel- or
// channel-major FMA order), then always: the template's default WGSL and 'TIR packed' (the same layout as a te
// schedule reading the packed weight through a vec4 local cache stage), both dispatched as the probes are; and
// tfjs-webgpu and the template's module run (which uploads the inputs and reads the output back each run).
// Run: nice -n 10 npx tsx bench/webgpu_conv_probe.ts C2 [hand-written probe numbers; default all]
//   PROBE_ROUNDS=n (default 3) rounds; PROBE_TIMER=wall (quiet machine) times by wall clock; PROBE_WGSL=a.wgsl,… more kernels from files; PROBE_COMPILE_ONLY=1 stops after
//   the checks (for GALLIVM_DEBUG=asm MESA_SHADER_CACHE_DISABLE=true); PROBE_DUMP=1 prints the hand-written WGSL.
import { readFileSync } from 'node:fs';
import { getWebGPUContext } from '../runtime/webgpu/device.js';
import type { IterVar } from '../tir/nodes.js';
import { cpuSeconds, wallSeconds } from './bench_util.js';
import { startTfjsWebgpu } from './tfjs_webgpu.js';

interface Conv { id: string; op: string; C: number; H: number; W: number; O: number; R: number; stride: number; pad: number }
const id = process.argv[2] ?? 'C2';
const { defaultWorkloadsFile } = await import('../cli/workloads.js');
const w = (JSON.parse(readFileSync(defaultWorkloadsFile(), 'utf8')) as { workloads: Conv[] }).workloads.find((x) => x.id === id);
if (!w || w.R !== 3 || w.stride !== 1 || w.pad !== 1) throw new Error(`${id}: not a 3×3 stride-1 pad-1 conv2d workload`);
const { C, H, W, O } = w;
const [OH, OW] = [H, W];
const { device } = await getWebGPUContext();
function buf(a: Float32Array<ArrayBuffer>): GPUBuffer {
  const b = device.createBuffer({ size: a.length * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC });
  device.queue.writeBuffer(b, 0, a); return b;
}
const X = new Float32Array(C * H * W).map((_, i) => ((i * 7) % 13) / 13 - 0.5);
const Wt = new Float32Array(O * C * 9).map((_, i) => ((i * 5) % 11) / 11 - 0.5);
// OIHW → [O/8][C][3][3][8]
const Wp = new Float32Array(O * C * 9);
for (let o = 0; o < O; o++) for (let c = 0; c < C; c++) for (let t = 0; t < 9; t++) Wp[((((o >> 3) * C + c) * 9 + t) << 3) + (o & 7)] = Wt[(o * C + c) * 9 + t]!;
const ref = new Float32Array(O * OH * OW);
for (let o = 0; o < O; o++) for (let c = 0; c < C; c++) for (let ry = 0; ry < 3; ry++) for (let rx = 0; rx < 3; rx++) {
  const wv = Wt[((o * C + c) * 3 + ry) * 3 + rx]!;
  for (let y = 0; y < OH; y++) {
    const ih = y + ry - 1; if (ih < 0 || ih >= H) continue;
    for (let x = 0; x < OW; x++) { const iw = x + rx - 1; if (iw >= 0 && iw < W) ref[(o * OH + y) * OW + x] += wv * X[(c * H + ih) * W + iw]!; }
  }
}
const bx = buf(X), bw = buf(Wt), bwp = buf(Wp), by = buf(new Float32Array(O * OH * OW));
// ubo: dispatched once per block of 8 output channels, the block's packed weights bound as a uniform-buffer slice
// and the output at the block's offset (bindings per block; the kernel's cob is 0).
interface P { name: string; code: string; grid: [number, number, number]; packed: boolean; ubo?: boolean }
/** 8 channels × 1 row × iow pixels a lane, lanes tow × toh over (ow, oh), as the template's in-place default; `wl`: weight layout. */
function probe(iow: number, tow: number, toh: number, wl: 'oihw' | 'packed' | 'packed-scalar' | 'wg' | 'ubo', order: 'pixel' | 'channel' = 'pixel'): P {
  const L: string[] = [];
  L.push('@group(0) @binding(0) var<storage, read> X: array<f32>;');
  if (wl === 'ubo') L.push(`@group(0) @binding(1) var<uniform> Wt: array<vec4<f32>, ${C * 18}>;`);
  else L.push(`@group(0) @binding(1) var<storage, read> Wt: array<${wl === 'packed' ? 'vec4<f32>' : 'f32'}>;`);
  L.push('@group(0) @binding(2) var<storage, read_write> Y: array<f32>;');
  if (wl === 'wg') L.push('var<workgroup> ws: array<f32, 72>;');
  L.push(`@compute @workgroup_size(${tow}, ${toh}, 1)`);
  L.push('fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) li: u32) {');
  L.push(`  let cob = ${wl === 'ubo' ? '0' : 'i32(wid.z)'}; let oh = i32(wid.y) * ${toh} + i32(lid.y); let ow0 = (i32(wid.x) * ${tow} + i32(lid.x)) * ${iow};`);
  // Lanes past the last row (OH not a multiple of toh: C9's 14 rows by 8 lanes) leave; 'wg' has barriers, so no early exit.
  if (OH % toh !== 0) {
    if (wl === 'wg') throw new Error(`probe 'wg' needs OH ${OH} to be a multiple of ${toh} lanes`);
    L.push(`  if (oh >= ${OH}) { return; }`);
  }
  for (let k = 0; k < 8; k++) for (let j = 0; j < iow; j++) L.push(`  var a${k}_${j} = 0.0f;`);
  L.push(`  for (var rc = 0; rc < ${C}; rc++) {`);
  if (wl === 'wg') {
    L.push('    workgroupBarrier();');
    for (let r = 0; r < 72 / (tow * toh); r++) L.push(`    { let e = ${r * tow * toh} + i32(li); ws[e] = Wt[((cob * 8 + e % 8) * ${C} + rc) * 9 + e / 8]; }`);
    L.push('    workgroupBarrier();');
  }
  L.push('    for (var ry = 0; ry < 3; ry++) {');
  L.push('      let ih = oh + ry - 1; let rowok = ih >= 0 && ih < ' + H + ';');
  L.push('      for (var rx = 0; rx < 3; rx++) {');
  if (wl === 'packed' || wl === 'ubo') {
    L.push(`        let wb = ((cob * ${C} + rc) * 9 + ry * 3 + rx) * 2;`);
    L.push('        let w0 = Wt[wb]; let w1 = Wt[wb + 1];');
  } else if (wl === 'packed-scalar') {
    for (let k = 0; k < 8; k++) L.push(`        let wk${k} = Wt[((cob * ${C} + rc) * 9 + ry * 3 + rx) * 8 + ${k}];`);
  } else if (wl === 'oihw') {
    for (let k = 0; k < 8; k++) L.push(`        let wk${k} = Wt[((cob * 8 + ${k}) * ${C} + rc) * 9 + ry * 3 + rx];`);
  } else {
    for (let k = 0; k < 8; k++) L.push(`        let wk${k} = ws[(ry * 3 + rx) * 8 + ${k}];`);
  }
  const wk = (k: number): string => (wl === 'packed' || wl === 'ubo' ? `w${k >> 2}[${k & 3}]` : `wk${k}`);
  const xj = (j: number): string => `select(0.0f, X[max(min((rc * ${H} + ih) * ${W} + ow0 + ${j} + rx - 1, ${C * H * W - 1}), 0)], rowok && ow0 + ${j} + rx - 1 >= 0 && ow0 + ${j} + rx - 1 < ${W})`;
  // pixel: a pixel's input once, then its 8 channels' FMAs (8 weights + 1 input live); channel: as the template's TIR
  // order (co, oh, ow), each statement reading its input (NIR shares the loads), 14 inputs live across the channels.
  if (order === 'pixel') {
    for (let j = 0; j < iow; j++) {
      L.push(`        { let x = ${xj(j)};`);
      for (let k = 0; k < 8; k++) L.push(`          a${k}_${j} = a${k}_${j} + x * ${wk(k)};`);
      L.push('        }');
    }
  } else {
    for (let k = 0; k < 8; k++) for (let j = 0; j < iow; j++) L.push(`        a${k}_${j} = a${k}_${j} + ${xj(j)} * ${wk(k)};`);
  }
  L.push('      }');
  L.push('    }');
  L.push('  }');
  for (let k = 0; k < 8; k++) for (let j = 0; j < iow; j++) L.push(`  Y[((cob * 8 + ${k}) * ${OH} + oh) * ${OW} + ow0 + ${j}] = a${k}_${j};`);
  L.push('}');
  return { name: `${wl} ${order}-major 8×1×${iow} lanes ${tow}×${toh}`, code: L.join('\n'), grid: [OW / iow / tow, Math.ceil(OH / toh), wl === 'ubo' ? 1 : O / 8], packed: wl.startsWith('packed') || wl === 'ubo', ubo: wl === 'ubo' };
}
const { buildCandidate } = await import('../autotune/measure/build_candidate.js');
const { createTask, tensorArg } = await import('../autotune/task.js');
const { registerAll } = await import('../ops/register.js');
const { webgpuTargetString } = await import('../runtime/webgpu/device.js');
registerAll();
const tgt = await webgpuTargetString();
const task = createTask('conv2d_nchw.webgpu', [tensorArg([1, C, H, W]), tensorArg([O, C, 3, 3]), [1, 1], [1, 1, 1, 1], [1, 1], 1], tgt);
const defaultConfig = task.defaultConfig!()!;
const built = await buildCandidate({ taskName: task.name, args: task.args, target: task.target, configIndex: defaultConfig.index });
// The probes take the default's layout: 8 channels × 1 row × iow pixels a lane, lanes tow × toh (directPixelTile).
const split = (k: string): number[] => defaultConfig.getSplit(k).size as number[];
const [, toh, ioh] = split('tile_oh') as [number, number, number];
const [, tow, iow] = split('tile_ow') as [number, number, number];
if (split('tile_co')[2] !== 8 || ioh !== 1 || O % 8 !== 0) {
  throw new Error(`${id}: the default on '${tgt}' is not the 8-channel × 1-row layout the probes copy: ${JSON.stringify(defaultConfig.toData().entity)}`);
}
const which = process.argv.slice(3);
const hand: Array<() => P> = [() => probe(iow, tow, toh, 'oihw'), () => probe(iow, tow, toh, 'packed'), () => probe(iow, tow, toh, 'wg'),
  () => probe(iow, tow, toh, 'oihw', 'channel'), () => probe(iow, tow, toh, 'packed', 'channel'), () => probe(iow, tow, toh, 'packed-scalar'),
  () => probe(iow, tow, toh, 'ubo')];
const probes: P[] = hand.filter((_, i) => which.length === 0 || which.includes(String(i))).map((f) => f());
// PROBE_WGSL=a.wgsl,b.wgsl: kernels written elsewhere (e.g. the template's, edited), bound as (input, weights: packed
// [O/8][C][3][3][8] when the file name has "packed", else OIHW; output) and dispatched on the oihw probe's grid.
for (const f of (process.env['PROBE_WGSL'] ?? '').split(',').filter((x) => x !== '')) {
  probes.push({ name: f, code: readFileSync(f, 'utf8'), grid: probe(iow, tow, toh, 'oihw').grid, packed: /packed/.test(f) });
}
const wgslOf = (a: { bytes: Uint8Array; meta: Readonly<Record<string, unknown>> }): { code: string; grid: [number, number, number] } =>
  ({ code: new TextDecoder().decode(a.bytes), grid: (a.meta['kernels'] as Array<{ dispatch: [number, number, number] }>)[0]!.dispatch });
// The template's default kernel itself, dispatched like the probes (no upload or read-back in the timing).
probes.push({ name: `template default WGSL '${tgt}'`, ...wgslOf(built.artifact!), packed: false });
// The TIR variant (session 16): the in-place default's layout (8 channels × 1 row × iow pixels a lane, lanes tow × toh,
// 1 input channel a step) reading the packed weight through a local cache stage whose 8-wide axis is split by 4 and
// vectorized: two vec4 loads a tap, the weight buffer bound as array<vec4<f32>> (codegen/wgsl/vec4_layout.ts).
{
  const { te } = await import('../index.js');
  const { compile } = await import('../codegen/compile.js');
  const { padNCHW } = await import('../ops/nn/conv_util.js');
  const { wrap } = await import('../schedule/expr.js');
  const Xt = te.placeholder([1, C, H, W], 'float32', 'X');
  const Wpt = te.placeholder([O / 8, C, 3, 3, 8], 'float32', 'Wp');
  const Pt = padNCHW(Xt, [1, 1, 1, 1]);
  const rc = te.reduceAxis(C, 'rc'), ry = te.reduceAxis(3, 'ry'), rx = te.reduceAxis(3, 'rx');
  const Yt = te.compute([1, O, OH, OW], (n, o, y, x) =>
    te.sum(Pt.at(n, rc, y.add(wrap(ry)), x.add(wrap(rx))).mul(Wpt.at(o.floordiv(8), rc, ry, rx, o.floormod(8))), [rc, ry, rx]), 'conv');
  const s = te.createSchedule([Yt]);
  const CL = s.cacheWrite(Yt, 'local');
  const WL = s.cacheRead(Wpt, 'local', [CL]);
  s.stage(Pt).computeInline();
  const t = s.stage(Yt), cl = s.stage(CL);
  const [n, co, oh, ow] = t.axis as [IterVar, IterVar, IterVar, IterVar];
  const [bco, ico] = t.split(co, { factor: 8 });
  const [boh, ohi] = t.split(oh, { factor: toh });
  const [tohA, iohA] = t.split(ohi, { factor: 1 });
  const [bow, owi] = t.split(ow, { factor: tow * iow });
  const [towA, iowA] = t.split(owi, { factor: iow });
  t.reorder(n, bco, boh, bow, tohA, towA, ico, iohA, iowA);
  t.bind(t.fuse(n, bco), 'blockIdx.z'); t.bind(boh, 'blockIdx.y'); t.bind(bow, 'blockIdx.x');
  t.bind(tohA, 'threadIdx.y'); t.bind(towA, 'threadIdx.x');
  cl.computeAt(t, towA);
  const [nc, coc, ohc, owc] = cl.axis as [IterVar, IterVar, IterVar, IterVar];
  const [crc, cry, crx] = cl.reduceAxis as [IterVar, IterVar, IterVar];
  cl.reorder(crc, cry, crx, nc, coc, ohc, owc);
  for (const ax of [ico, iohA, iowA]) t.unroll(ax);
  for (const ax of [coc, ohc, owc]) cl.unroll(ax);
  const wl = s.stage(WL);
  wl.computeAt(cl, crx);
  const wax = [...wl.axis];
  const [wo, wi] = wl.split(wax.pop()!, { factor: 4 });
  for (const a of [...wax, wo]) wl.unroll(a);
  wl.vectorize(wi);
  const art = await compile(te.lower(s, [Xt, Wpt, Yt], { name: 'conv_packed' }), tgt);
  probes.push({ name: 'TIR packed (vec4 weights)', ...wgslOf(art), packed: true });
}
const runs: Array<[string, () => Promise<void>]> = [];
if (process.env['PROBE_DUMP']) for (const p of probes) console.log(`// ${p.name}\n${p.code}`);
for (const p of probes) {
  const module = device.createShaderModule({ code: p.code });
  const info = await module.getCompilationInfo();
  if (info.messages.some((m) => m.type === 'error')) { console.log(p.name, info.messages.map((m) => m.message)); continue; }
  const entryPoint = /@compute[^]*?fn\s+(\w+)/.exec(p.code)![1]!;
  const pipe = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint } });
  // ubo: one bind group per block (its weights' slice as a uniform buffer, the output at the block's channels).
  const [wBytes, yBytes] = [C * 72 * 4, 8 * OH * OW * 4];
  const bgs = (p.ubo ? Array.from({ length: O / 8 }, (_, b) => b) : [-1]).map((b) => device.createBindGroup({
    layout: pipe.getBindGroupLayout(0),
    entries: [bx, p.packed ? bwp : bw, by].map((buffer, i) => ({ binding: i, resource: b < 0 || i === 0 ? { buffer } : { buffer, offset: b * (i === 1 ? wBytes : yBytes), size: i === 1 ? wBytes : yBytes } })),
  }));
  const run = async (): Promise<void> => {
    const enc = device.createCommandEncoder(); const pass = enc.beginComputePass();
    pass.setPipeline(pipe);
    for (const bg of bgs) { pass.setBindGroup(0, bg); pass.dispatchWorkgroups(...p.grid); }
    pass.end();
    device.queue.submit([enc.finish()]); await device.queue.onSubmittedWorkDone();
  };
  device.queue.writeBuffer(by, 0, new Float32Array(O * OH * OW));
  await run();
  const rb = device.createBuffer({ size: O * OH * OW * 4, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ });
  const enc = device.createCommandEncoder(); enc.copyBufferToBuffer(by, 0, rb, 0, O * OH * OW * 4); device.queue.submit([enc.finish()]);
  await rb.mapAsync(GPUMapMode.READ); const out = new Float32Array(rb.getMappedRange().slice(0)); rb.unmap();
  let err = 0; for (let i = 0; i < out.length; i++) err = Math.max(err, Math.abs(out[i]! - ref[i]!));
  console.log(`${p.name}: max abs error ${err.toExponential(2)}`);
  if (!(err < 1e-3)) throw new Error(`${p.name}: wrong answer`);
  runs.push([p.name, run]);
}
if (process.env['PROBE_COMPILE_ONLY']) process.exit(0);
{
  const tf = await startTfjsWebgpu((await getWebGPUContext()).gpu);
  const x = tf.randomNormal([1, H, W, C]) as import('@tensorflow/tfjs-core').Tensor4D;
  const f = tf.randomNormal([3, 3, C, O]) as import('@tensorflow/tfjs-core').Tensor4D;
  runs.push(['tfjs-webgpu', async () => { const y = tf.conv2d(x, f, 1, [[0, 0], [1, 1], [1, 1], [0, 0]]); await y.data(); y.dispose(); }]);
  const { load } = await import('../runtime/build.js');
  const { array } = await import('../runtime/ndarray.js');
  const m = await load(built.artifact!);
  const arrs = [array(X, [1, C, H, W]), array(Wt, [O, C, 3, 3]), array(new Float32Array(O * OH * OW), [1, O, OH, OW])];
  runs.push([`template default '${tgt}'`, () => m.run(...arrs) as Promise<void>]);
}
const flop = 2 * O * OH * OW * C * 9;
// Interleaved rounds (PROBE_ROUNDS, default 3): each kernel once a round, in the order listed; each round's reading is
// printed beside the best, so a ratio can be read within one round.
// PROBE_TIMER=wall times each run by wall clock instead (best of 3 × ≥ 20 ms, as cpuSeconds): for a quiet machine.
const rounds = Number(process.env['PROBE_ROUNDS'] ?? 3);
const wall = process.env['PROBE_TIMER'] === 'wall';
console.log(`timer: ${wall ? 'wall clock (GFLOP/s)' : 'CPU time of this process (GFLOP per CPU-second)'}`);
const per = new Map<string, number[]>(runs.map(([n]) => [n, []]));
for (let r = 0; r < rounds; r++) for (const [n, run] of runs) per.get(n)!.push(flop / (await (wall ? wallSeconds(run) : cpuSeconds(run))) / 1e9);
const pt = per.get('tfjs-webgpu')!;
for (const [n, v] of per) {
  console.log(`${n}: best ${Math.max(...v).toFixed(2)} (${(Math.max(...v) / Math.max(...pt)).toFixed(2)}× tfjs-webgpu); rounds ${v.map((x) => x.toFixed(2)).join(' / ')} (${v.map((x, i) => (x / pt[i]!).toFixed(2)).join(' / ')}×)`);
}
process.exit(0);
