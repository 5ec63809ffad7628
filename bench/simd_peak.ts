// bench/simd_peak.ts — the f32x4 arithmetic ceiling of this machine's wasm engine (never a test): hand-written loops,
// CPU time of the process, so the headroom a schedule knob can add is bounded by a number measured here, not quoted.
// Kernels: the packed gemm's inner step (ops/templates/gemm_wasm.ts; the default's 4×8 register tile: 4
// v128.load32_splat of A, 2 v128.load of the B panel, 8 f32x4.mul + 8 f32x4.add) and other tiles of 8 and 12
// accumulators, operands in L1, nothing spilled; with `--relaxed` (run under `node --experimental-wasm-relaxed-simd`)
// the same with f32x4.relaxed_madd (fma), the one arithmetic change the plain `wasm` target lacks.
// GFLOP/s count a multiply-add as 2 FLOPs per lane, as every search bench does. Best of --rounds, each ≥ --ms.
// Run: nice -n 10 npx tsx bench/simd_peak.ts [--rounds 7] [--ms 200] [--relaxed]

import binaryen from 'binaryen';
import { benchArgs, intArg } from './bench_args.js';

const SCRIPT = 'bench/simd_peak.ts';
const { values: opt } = benchArgs({
  script: SCRIPT,
  about: "The f32x4 mul+add (and, with --relaxed, fma) ceiling of this machine's wasm engine: hand-written loops, process CPU time.",
  options: {
    rounds: { type: 'string', default: '7' },
    ms: { type: 'string', default: '200' },
    relaxed: { type: 'boolean', default: false },
  },
  help: {
    rounds: 'timed runs per kernel (the fastest is kept)',
    ms: 'CPU milliseconds a run lasts at least',
    relaxed: 'also the f32x4.relaxed_madd kernels (needs node --experimental-wasm-relaxed-simd)',
  },
});
const rounds = intArg(SCRIPT, '--rounds', opt.rounds);
const minMs = intArg(SCRIPT, '--ms', opt.ms);

/** acc += a·b as the kernel spells it: mul + add, or one relaxed_madd. */
const madd = (fma: boolean, a: string, b: string, acc: string): string =>
  fma ? `(f32x4.relaxed_madd ${a} ${b} ${acc})` : `(f32x4.add ${acc} (f32x4.mul ${a} ${b}))`;

/**
 * The packed gemm's inner step for a rows × 4·vecs register tile: `rows` splats of A, `vecs` vectors of the B panel,
 * rows·vecs accumulator chains (mul + add, or relaxed_madd); the pointers wrap inside 16 KiB (L1). Returns the lanes'
 * sum, so nothing is dead code.
 */
function gemmWat(rows: number, vecs: number, fma: boolean): string {
  const acc = Array.from({ length: rows * vecs }, (_, i) => `(local $c${i} v128)`).join(' ');
  const bs = Array.from({ length: vecs }, (_, v) => `(local $b${v} v128)`).join(' ');
  const body: string[] = Array.from({ length: vecs }, (_, v) => `(local.set $b${v} (v128.load offset=${16 * v} (local.get $p)))`);
  for (let j = 0; j < rows; j++) {
    body.push(`(local.set $a (v128.load32_splat offset=${16384 + 4 * j} (local.get $q)))`);
    for (let v = 0; v < vecs; v++) body.push(`(local.set $c${vecs * j + v} ${madd(fma, '(local.get $a)', `(local.get $b${v})`, `(local.get $c${vecs * j + v})`)})`);
  }
  const sum = Array.from({ length: rows * vecs }, (_, i) => `(local.get $c${i})`).reduce((s, v) => `(f32x4.add ${s} ${v})`);
  return `(module (memory 1) (func (export "run") (param $iters i32) (result f32)
    (local $p i32) (local $q i32) (local $a v128) ${bs} ${acc}
    (loop $l
      ${body.join('\n')}
      (local.set $p (i32.and (i32.add (local.get $p) (i32.const ${16 * vecs})) (i32.const 16383)))
      (local.set $q (i32.and (i32.add (local.get $q) (i32.const ${4 * rows})) (i32.const 16383)))
      (br_if $l (local.tee $iters (i32.sub (local.get $iters) (i32.const 1)))))
    (f32x4.extract_lane 0 ${sum})))`;
}

function instantiate(wat: string): (iters: number) => number {
  const m = binaryen.parseText(wat);
  m.setFeatures(binaryen.Features.All);
  if (!m.validate()) throw new Error(`${SCRIPT}: a kernel failed binaryen's validation`);
  const bytes = m.emitBinary();
  m.dispose();
  const inst = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(bytes)), {});
  return inst.exports['run'] as (iters: number) => number;
}

/** Best GFLOP/s over the rounds, by the process's CPU time; each run at least minMs. */
function gflops(run: (iters: number) => number, flopsPerIter: number): number {
  let iters = 1 << 16;
  const cpuMs = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1e3; };
  for (;;) { // size a run (and warm TurboFan up)
    const t0 = cpuMs();
    run(iters);
    if (cpuMs() - t0 >= minMs) break;
    iters *= 2;
  }
  let best = 0;
  for (let r = 0; r < rounds; r++) {
    const t0 = cpuMs();
    run(iters);
    best = Math.max(best, (iters * flopsPerIter) / ((cpuMs() - t0) * 1e6));
  }
  return best;
}

const kernels: { name: string; wat: string; flops: number }[] = [];
for (const fma of opt.relaxed ? [false, true] : [false]) {
  const tag = fma ? ' (relaxed_madd)' : '';
  // 4×8: the gemm default's tile (8 accumulators); 2×16 and 8×4 the same count shaped otherwise; 6×8: 12, the most
  // that fit V8's 15 xmm registers beside 2 B vectors and a splat.
  for (const [rows, vecs] of [[4, 2], [2, 4], [8, 1], [6, 2]] as const) {
    kernels.push({ name: `gemm ${rows}×${4 * vecs}${tag}`, wat: gemmWat(rows, vecs, fma), flops: rows * vecs * 8 });
  }
}
console.log('| kernel | GFLOP/s (best of rounds, process CPU time) |\n|---|---|');
for (const k of kernels) console.log(`| ${k.name} | ${gflops(instantiate(k.wat), k.flops).toFixed(2)} |`);
