// bench/matmul-wasm.ts — matmul 512³ and 1024³ f32 through tensortune's wasm backend (naive and a
// hand-written tiled schedule, 1 and 2 threads) beside @tensorflow/tfjs-backend-wasm (XNNPACK,
// SIMD, 1 thread in Node), in GFLOP/s with the ratio to tfjs-wasm, all in one run.
// Run: npx tsx bench/matmul-wasm.ts [sizes, default 512,1024] [--tile=4x16 --ku=2 --panel=1 --only=tiled]

import type { PrimFunc } from '../tir/nodes.js';
import { benchArgs, intArg, listArg, usageError } from './bench_args.js';
import { initTfjsWasm } from './tfjs_wasm.js';

const SCRIPT = 'bench/matmul-wasm.ts';
const { values: opt, positionals } = benchArgs({
  script: SCRIPT,
  about: 'matmul n³ through the wasm backend (naive and a hand-tiled schedule, 1 and 2 threads) beside tfjs-backend-wasm, GFLOP/s.',
  positionals: [{ name: 'sizes', help: 'n values, comma-separated (default 512,1024)' }],
  options: {
    tile: { type: 'string', default: '4x16' },
    ku: { type: 'string', default: '2' },
    panel: { type: 'string', default: '1' },
    only: { type: 'string', default: '' },
  },
  help: { tile: 'register tile YxX of the tiled schedule', ku: 'k unroll', panel: 'B column panel width in tiles (1: no panels)', only: "'tiled': only the tiled schedule (skip naive and -simd=0)" },
});
// The heavy modules load after the arguments are read, so --help and usage errors answer at once.
const tf = await import('@tensorflow/tfjs-core');
const { build, nd } = await import('../runtime/index.js');
const { timeRuns } = await import('../runtime/time_evaluator.js');
const te = await import('../schedule/index.js');
type Tensor = import('../schedule/index.js').Tensor;
const sizes = listArg(positionals[0] ?? '512,1024').map((s) => intArg(SCRIPT, 'sizes', s));
const tile = /^(\d+)x(\d+)$/.exec(opt.tile) ?? usageError(SCRIPT, `--tile must be YxX (e.g. 4x16), got '${opt.tile}'`);
const [tileY, tileX] = [Number(tile[1]), Number(tile[2])];
const kUnroll = intArg(SCRIPT, '--ku', opt.ku);
const panel = intArg(SCRIPT, '--panel', opt.panel);
const only = opt.only;
if (only !== '' && only !== 'tiled') usageError(SCRIPT, `--only takes 'tiled', got '${only}'`);

function seeded(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = x / 2 ** 31 - 1;
  }
  return out;
}

function matmulCompute(n: number): { A: Tensor; B: Tensor; C: Tensor } {
  const A = te.placeholder([n, n], 'float32', 'A');
  const B = te.placeholder([n, n], 'float32', 'B');
  const k = te.reduceAxis(n, 'k');
  return { A, B, C: te.compute([n, n], (i, j) => te.sum(A.at(i, k).mul(B.at(k, j)), [k]), 'C') };
}

/** The default schedule: three nested loops, C accumulated in memory. */
function naive(n: number): PrimFunc {
  const { A, B, C } = matmulCompute(n);
  return te.lower(te.createSchedule([C]), [A, B, C], { name: 'matmul_naive' });
}

/**
 * tileY×tileX output tiles (rows in parallel), a local accumulator (cacheWrite) computed at the
 * tile, k split by kUnroll and unrolled, tile rows unrolled, tile columns vectorized: the inner
 * loop is tileY·tileX/4 v128 multiply-adds on accumulators held in wasm locals.
 */
function tiled(n: number): PrimFunc {
  const { A, B, C } = matmulCompute(n);
  const s = te.createSchedule([C]);
  const CL = s.cacheWrite(C, 'local');
  const c = s.stage(C);
  const [yo, xo, yi, xi] = c.tile(c.axis[0]!, c.axis[1]!, tileY, tileX);
  let at = xo;
  if (panel > 1 && n % (tileX * panel) === 0) {
    // Column panels of B (K × tileX·panel) stay in cache while every row tile passes over them.
    const [xoo, xoi] = c.split(xo, { factor: panel });
    c.reorder(xoo, yo, xoi, yi, xi);
    c.parallel(xoo);
    at = xoi;
  } else {
    c.parallel(yo);
  }
  c.unroll(yi);
  c.vectorize(xi);
  const cl = s.stage(CL);
  cl.computeAt(c, at);
  const [ko, ki] = cl.split(cl.reduceAxis[0]!, { factor: kUnroll });
  cl.reorder(ko, ki, cl.axis[0]!, cl.axis[1]!);
  cl.unroll(ki);
  cl.unroll(cl.axis[0]!);
  cl.vectorize(cl.axis[1]!);
  return te.lower(s, [A, B, C], { name: 'matmul_tiled' });
}

interface Row { size: number; name: string; gflops: number; maxErr: number }

async function ours(n: number, f: PrimFunc, target: string, a: Float32Array, b: Float32Array, ref: Float32Array, slow: boolean): Promise<Row> {
  const A = nd.array(a, [n, n]);
  const B = nd.array(b, [n, n]);
  const C = nd.empty([n, n]);
  const mod = await build(f, target);
  const t = await mod.timeEvaluator(slow ? { number: 1, repeat: 2 } : { number: 1, repeat: 5, minRepeatMs: 300 }).run(A, B, C);
  const c = C.data;
  let maxErr = 0;
  for (let i = 0; i < c.length; i++) maxErr = Math.max(maxErr, Math.abs(c[i]! - ref[i]!));
  mod.dispose();
  A.free(); B.free(); C.free();
  return { size: n, name: `tensortune ${f.name} (${target})`, gflops: (2 * n ** 3) / t.min / 1e9, maxErr };
}

async function tfjsWasm(n: number, a: Float32Array, b: Float32Array): Promise<{ row: Row; out: Float32Array }> {
  const ta = tf.tensor2d(a, [n, n]);
  const tb = tf.tensor2d(b, [n, n]);
  const out = tf.matMul(ta, tb).dataSync() as Float32Array;
  // The wasm backend runs kernels eagerly and synchronously; disposing frees the output.
  const t = await timeRuns(() => tf.matMul(ta, tb).dispose(), { number: 1, repeat: 5, minRepeatMs: 300 });
  ta.dispose(); tb.dispose();
  return { row: { size: n, name: 'tfjs-backend-wasm (XNNPACK, SIMD, 1 thread)', gflops: (2 * n ** 3) / t.min / 1e9, maxErr: 0 }, out };
}

async function main(): Promise<void> {
  await initTfjsWasm(1);
  console.log(`matmul f32, GFLOP/s (best of repeats: the machine is shared), ratio to tfjs-wasm; hand schedule tile ${tileY}x${tileX}, k unroll ${kUnroll}, B panel ${panel} tiles; V8 ${process.versions.v8}`);
  for (const n of sizes) {
    const a = seeded(n * n, 1);
    const b = seeded(n * n, 2);
    const peer = await tfjsWasm(n, a, b);
    const rows: Row[] = [peer.row];
    const good = tiled(n);
    if (only !== 'tiled') rows.push(await ours(n, naive(n), 'wasm -threads=1', a, b, peer.out, true));
    rows.push(await ours(n, good, 'wasm -threads=1', a, b, peer.out, false));
    rows.push(await ours(n, good, 'wasm -threads=2', a, b, peer.out, false));
    if (only !== 'tiled') rows.push(await ours(n, good, 'wasm -threads=1 -simd=0', a, b, peer.out, false));
    for (const r of rows) {
      const ratio = r.gflops / peer.row.gflops;
      console.log(`${String(n).padStart(5)}³  ${r.name.padEnd(56)} ${r.gflops.toFixed(2).padStart(7)} GFLOP/s  ${ratio.toFixed(2)}×  max|err| ${r.maxErr.toExponential(1)}`);
    }
  }
}

await main();
