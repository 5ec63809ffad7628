// bench/webgpu_plain_probe.ts — hand-written WGSL probes of matmul 512³ without subgroups (plain `webgpu`), beside the
// matmul.webgpu template's defaults (plain and subgroup target) and tfjs-webgpu, timed by this process's CPU time
// (lavapipe runs the kernels on its own threads in this process; best of 3 interleaved rounds). Each probe is checked
// against a plain-JS product first. Session 13 asked what a kernel without subgroups can do on lavapipe: "direct"
// probes read A and B straight from global memory in one workgroup of `wx`×`wy` invocations, each R rows × 4·CV
// columns (CV vec4s of B), the k loop stepped U at a time (A by vec4s along k with 'Avec4'); "stagedA" stages A's
// tile in workgroup memory behind barriers. What it found (docs/webgpu.md "Session 13"): 8 invocations, 16 rows ×
// 8 columns each, no staging and no unrolling run ~3× the template's old staged default — which the template now
// generates (stage_shared false).
// Run: nice -n 10 npx tsx bench/webgpu_plain_probe.ts [probe numbers, 0-based, as listed in `probes`; default all]
// (needs the lavapipe adapter for a meaningful CPU time; any adapter runs it.)
import { getWebGPUContext } from '../runtime/webgpu/device.js';
import { cpuSeconds } from './bench_util.js';
import { startTfjsWebgpu } from './tfjs_webgpu.js';
const M = 512, K = 512, N = 512;
const { device } = await getWebGPUContext();
function buf(n: number, fill: (i: number) => number) {
  const b = device.createBuffer({ size: n * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC });
  const a = new Float32Array(n); for (let i = 0; i < n; i++) a[i] = fill(i);
  device.queue.writeBuffer(b, 0, a); return { b, a };
}
const A = buf(M * K, (i) => ((i * 7) % 13) / 13 - 0.5), B = buf(K * N, (i) => ((i * 5) % 11) / 11 - 0.5), C = buf(M * N, () => 0);
const ref = new Float32Array(M * N);
for (let i = 0; i < M; i++) for (let k = 0; k < K; k++) { const a = A.a[i * K + k]!; for (let j = 0; j < N; j++) ref[i * N + j] += a * B.a[k * N + j]!; }
interface P { name: string; code: string; grid: [number, number, number] }
// direct: workgroup of wx x wy lanes, each lane R rows x 4·CV cols (CV vec4s of B); A read straight from global.
function direct(R: number, U: number, avec: boolean, wx = 8, CV = 1, wy = 1): P {
  const lines: string[] = [];
  const NV = N / 4;
  lines.push(`@group(0) @binding(0) var<storage, read> A: array<${avec ? 'vec4<f32>' : 'f32'}>;`);
  lines.push(`@group(0) @binding(1) var<storage, read> B: array<vec4<f32>>;`);
  lines.push(`@group(0) @binding(2) var<storage, read_write> C: array<vec4<f32>>;`);
  lines.push(`@compute @workgroup_size(${wx},${wy},1) fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {`);
  lines.push(`  let col4 = wg.x * ${wx * CV}u + lid.x; let row0 = (wg.y * ${wy}u + lid.y) * ${R}u;`);
  for (let i = 0; i < R; i++) for (let c = 0; c < CV; c++) lines.push(`  var acc${i}_${c} = vec4<f32>(0.0);`);
  lines.push(`  for (var k = 0u; k < ${K}u; k += ${U}u) {`);
  for (let u = 0; u < U; u++) for (let c = 0; c < CV; c++) lines.push(`    let b${u}_${c} = B[(k + ${u}u) * ${NV}u + col4 + ${c * wx}u];`);
  for (let i = 0; i < R; i++) {
    if (avec) lines.push(`    let a${i} = A[((row0 + ${i}u) * ${K}u + k) / 4u];`);
    for (let u = 0; u < U; u++) {
      const a = avec ? `a${i}[${u}]` : `A[(row0 + ${i}u) * ${K}u + k + ${u}u]`;
      if (CV > 1) lines.push(`    { let s = vec4<f32>(${a});`); else lines.push('    {');
      for (let c = 0; c < CV; c++) lines.push(`      acc${i}_${c} = fma(${CV > 1 ? 's' : `vec4<f32>(${a})`}, b${u}_${c}, acc${i}_${c});`);
      lines.push('    }');
    }
  }
  lines.push('  }');
  for (let i = 0; i < R; i++) for (let c = 0; c < CV; c++) lines.push(`  C[(row0 + ${i}u) * ${NV}u + col4 + ${c * wx}u] = acc${i}_${c};`);
  lines.push('}');
  return { name: `direct R${R} U${U}${avec ? ' Avec4' : ''} wx${wx} wy${wy} CV${CV}`, code: lines.join('\n'), grid: [NV / wx / CV, M / R / wy, 1] };
}
// staged A: workgroup 8 lanes; A tile R x U staged in workgroup memory by the lanes (lane-strided), barrier, read uniform.
function stagedA(R: number, U: number): P {
  const lines: string[] = [];
  lines.push(`@group(0) @binding(0) var<storage, read> A: array<f32>;`);
  lines.push(`@group(0) @binding(1) var<storage, read> B: array<vec4<f32>>;`);
  lines.push(`@group(0) @binding(2) var<storage, read_write> C: array<vec4<f32>>;`);
  lines.push(`var<workgroup> As: array<f32, ${R * U}>;`);
  lines.push(`@compute @workgroup_size(8,1,1) fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {`);
  lines.push(`  let col4 = wg.x * 8u + lid.x; let row0 = wg.y * ${R}u;`);
  for (let i = 0; i < R; i++) lines.push(`  var acc${i} = vec4<f32>(0.0);`);
  lines.push(`  for (var k = 0u; k < ${K}u; k += ${U}u) {`);
  lines.push('    workgroupBarrier();');
  for (let r = 0; r < (R * U) / 8; r++) lines.push(`    { let e = ${r * 8}u + lid.x; As[e] = A[(row0 + e / ${U}u) * ${K}u + k + e % ${U}u]; }`);
  lines.push('    workgroupBarrier();');
  for (let u = 0; u < U; u++) lines.push(`    let b${u} = B[(k + ${u}u) * ${N / 4}u + col4];`);
  for (let i = 0; i < R; i++) for (let u = 0; u < U; u++) lines.push(`    acc${i} = fma(vec4<f32>(As[${i * U + u}]), b${u}, acc${i});`);
  lines.push('  }');
  for (let i = 0; i < R; i++) lines.push(`  C[(row0 + ${i}u) * ${N / 4}u + col4] = acc${i};`);
  lines.push('}');
  return { name: `stagedA R${R} U${U}`, code: lines.join('\n'), grid: [N / 4 / 8, M / R, 1] };
}
const which = process.argv.slice(2);
const probes: P[] = [
  direct(8, 1, false), direct(16, 1, false), direct(32, 1, false), direct(32, 4, false), direct(16, 4, false), direct(32, 4, true), direct(16, 4, true),
  stagedA(32, 4), stagedA(16, 8), direct(32, 4, true, 16), direct(32, 4, true, 4),
  direct(4, 1, false), direct(8, 2, false), direct(8, 1, false, 8, 2), direct(4, 1, false, 8, 2), direct(8, 1, false, 8, 1, 8), direct(8, 1, false, 16), direct(8, 4, true),
  direct(8, 1, false, 8, 4), direct(16, 1, false, 8, 2), direct(4, 1, false, 8, 4), direct(8, 1, false, 8, 3), direct(16, 1, false, 8, 4), direct(2, 1, false, 8, 8), direct(8, 1, false, 8, 2, 2),
].filter((p, i) => which.length === 0 || which.includes(String(i)));
const runs: Array<[string, () => Promise<void>]> = [];
for (const p of probes) {
  const module = device.createShaderModule({ code: p.code });
  const info = await module.getCompilationInfo();
  if (info.messages.some((m) => m.type === 'error')) { console.log(p.name, info.messages.map((m) => m.message)); continue; }
  const pipe = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
  const bg = device.createBindGroup({ layout: pipe.getBindGroupLayout(0), entries: [A, B, C].map((x, i) => ({ binding: i, resource: { buffer: x.b } })) });
  const run = async () => {
    const enc = device.createCommandEncoder(); const pass = enc.beginComputePass();
    pass.setPipeline(pipe); pass.setBindGroup(0, bg); pass.dispatchWorkgroups(...p.grid); pass.end();
    device.queue.submit([enc.finish()]); await device.queue.onSubmittedWorkDone();
  };
  await run();
  // check
  const rb = device.createBuffer({ size: M * N * 4, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ });
  const enc = device.createCommandEncoder(); enc.copyBufferToBuffer(C.b, 0, rb, 0, M * N * 4); device.queue.submit([enc.finish()]);
  await rb.mapAsync(GPUMapMode.READ); const out = new Float32Array(rb.getMappedRange().slice(0)); rb.unmap();
  let err = 0; for (let i = 0; i < M * N; i++) err = Math.max(err, Math.abs(out[i]! - ref[i]!));
  console.log(`${p.name}: max err ${err.toExponential(2)}`);
  runs.push([p.name, run]);
}
// peers in the same process: the template's plain default and tfjs-webgpu
{
  const tf = await startTfjsWebgpu((await getWebGPUContext()).gpu);
  const a = tf.randomNormal([M, K]), b = tf.randomNormal([K, N]);
  runs.push(['tfjs-webgpu', async () => { const y = tf.matMul(a, b); await y.data(); y.dispose(); }]);
  const { buildCandidate } = await import('../autotune/measure/build_candidate.js');
  const { createTask, tensorArg } = await import('../autotune/task.js');
  const { registerAll } = await import('../ops/register.js');
  const { load } = await import('../runtime/build.js');
  const { array } = await import('../runtime/ndarray.js');
  registerAll();
  for (const tgt of ['webgpu', 'webgpu -device=llvmpipe -subgroup-size=8']) {
    const task = createTask('matmul.webgpu', [tensorArg([M, K]), tensorArg([K, N])], tgt);
    const c = task.defaultConfig!()!;
    const bc = await buildCandidate({ taskName: task.name, args: task.args, target: task.target, configIndex: c.index });
    const m = await load(bc.artifact!);
    const arrs = [A.a, B.a, new Float32Array(M * N)].map((x, i) => array(x, i === 0 ? [M, K] : i === 1 ? [K, N] : [M, N]));
    runs.push([`template default ${tgt}`, () => m.run(...arrs) as Promise<void>]);
  }
}
const best = new Map<string, number>();
for (let r = 0; r < 3; r++) for (const [n, run] of runs) { const t = await cpuSeconds(run); best.set(n, Math.max(best.get(n) ?? 0, 2 * M * N * K / t / 1e9)); }
const pt = best.get('tfjs-webgpu')!;
for (const [n, v] of best) console.log(`${n}: ${v.toFixed(2)} GFLOP per CPU-second (${(v / pt).toFixed(2)}x tfjs)`);
process.exit(0);
