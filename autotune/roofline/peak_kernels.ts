// autotune/roofline/peak_kernels.ts — the hand-written wasm kernels that measure a machine's roofline (never a
// template): the packed gemm's f32x4 inner step in registers (compute peak) and a streaming read over a buffer larger
// than the last-level cache (memory bandwidth), compiled through binaryen; bench/simd_peak.ts times the same kernels.

import binaryen from 'binaryen';

/** A compiled peak kernel: wasm bytes, work per iteration, and whether it needs its memory filled first. */
export interface PeakKernel {
  readonly name: string;
  readonly bytes: Uint8Array<ArrayBuffer>;
  /** FLOPs one iteration of `run(iters)` does (multiply-add = 2 per lane); 0 for the stream kernel. */
  readonly flopsPerIter: number;
  /** Bytes one iteration reads from memory; 0 for the gemm kernels. */
  readonly bytesPerIter: number;
}

/** acc += a·b as the kernel spells it: mul + add, or one relaxed_madd. */
const madd = (fma: boolean, a: string, b: string, acc: string): string =>
  fma ? `(f32x4.relaxed_madd ${a} ${b} ${acc})` : `(f32x4.add ${acc} (f32x4.mul ${a} ${b}))`;

/**
 * The packed gemm's inner step (ops/templates/gemm_wasm.ts) for a rows × 4·vecs register tile: `rows` splats of A,
 * `vecs` vectors of the B panel, rows·vecs accumulator chains (mul + add, or relaxed_madd); the pointers wrap inside
 * 16 KiB (L1). `run(iters)` returns the lanes' sum, so nothing is dead code.
 */
export function gemmWat(rows: number, vecs: number, fma: boolean): string {
  const acc = Array.from({ length: rows * vecs }, (_, i) => `(local $c${i} v128)`).join(' ');
  const bs = Array.from({ length: vecs }, (_, v) => `(local $b${v} v128)`).join(' ');
  const body: string[] = Array.from({ length: vecs }, (_, v) => `(local.set $b${v} (v128.load offset=${16 * v} (local.get $p)))`);
  for (let j = 0; j < rows; j++) {
    body.push(`(local.set $a (v128.load32_splat offset=${16384 + 4 * j} (local.get $q)))`);
    for (let v = 0; v < vecs; v++) body.push(`(local.set $c${vecs * j + v} ${madd(fma, '(local.get $a)', `(local.get $b${v})`, `(local.get $c${vecs * j + v})`)})`);
  }
  const sum = Array.from({ length: rows * vecs }, (_, i) => `(local.get $c${i})`).reduce((s, v) => `(f32x4.add ${s} ${v})`);
  return `(module (memory 1) (func (export "fill")) (func (export "run") (param $iters i32) (result f32)
    (local $p i32) (local $q i32) (local $a v128) ${bs} ${acc}
    (loop $l
      ${body.join('\n')}
      (local.set $p (i32.and (i32.add (local.get $p) (i32.const ${16 * vecs})) (i32.const 16383)))
      (local.set $q (i32.and (i32.add (local.get $q) (i32.const ${4 * rows})) (i32.const 16383)))
      (br_if $l (local.tee $iters (i32.sub (local.get $iters) (i32.const 1)))))
    (f32x4.extract_lane 0 ${sum})))`;
}

/**
 * A streaming read of `mib` MiB: `run(passes)` sums the buffer with four f32x4 accumulators (64 bytes a step), so
 * the loads, not the adds, bound it. `fill()` writes the buffer first: untouched pages would all map to the
 * kernel's one zero page and be read from cache.
 */
export function streamWat(mib: number): string {
  const bytes = mib * 1024 * 1024;
  const loads = [0, 1, 2, 3].map((k) => `(local.set $s${k} (f32x4.add (local.get $s${k}) (v128.load offset=${16 * k} (local.get $p))))`);
  return `(module (memory ${bytes / 65536}) (func (export "fill") (memory.fill (i32.const 0) (i32.const 1) (i32.const ${bytes})))
    (func (export "run") (param $passes i32) (result f32) (local $p i32) (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (loop $pass
      (local.set $p (i32.const 0))
      (loop $l
        ${loads.join('\n')}
        (br_if $l (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 64))) (i32.const ${bytes}))))
      (br_if $pass (local.tee $passes (i32.sub (local.get $passes) (i32.const 1)))))
    (f32x4.extract_lane 0 (f32x4.add (f32x4.add (local.get $s0) (local.get $s1)) (f32x4.add (local.get $s2) (local.get $s3))))))`;
}

/** Compiles a kernel's text to wasm bytes (binaryen, every feature on); throws naming the kernel if invalid. */
export function compileWat(name: string, wat: string): Uint8Array<ArrayBuffer> {
  const m = binaryen.parseText(wat);
  try {
    m.setFeatures(binaryen.Features.All);
    if (!m.validate()) throw new Error(`peak kernel '${name}' failed binaryen's validation`);
    return new Uint8Array(m.emitBinary());
  } finally {
    m.dispose();
  }
}

/** The register tiles tried for the compute peak: the gemm default's 4×8 and other tiles of 8 and 12 accumulators. */
export const GEMM_TILES: readonly (readonly [rows: number, vecs: number])[] = [[4, 2], [2, 4], [8, 1], [6, 2]];

/** The gemm-step kernels (mul+add; with fma, also relaxed_madd) and, with `streamMiB`, the stream kernel. */
export function peakKernels(opts: { fma?: boolean; streamMiB?: number } = {}): PeakKernel[] {
  const out: PeakKernel[] = [];
  for (const fma of opts.fma === true ? [false, true] : [false]) {
    for (const [rows, vecs] of GEMM_TILES) {
      const name = `gemm ${rows}×${4 * vecs}${fma ? ' (relaxed_madd)' : ''}`;
      out.push({ name, bytes: compileWat(name, gemmWat(rows, vecs, fma)), flopsPerIter: rows * vecs * 8, bytesPerIter: 0 });
    }
  }
  if (opts.streamMiB !== undefined) {
    const name = `stream read ${opts.streamMiB} MiB`;
    out.push({ name, bytes: compileWat(name, streamWat(opts.streamMiB)), flopsPerIter: 0, bytesPerIter: opts.streamMiB * 1024 * 1024 });
  }
  return out;
}

/** The process's CPU time in milliseconds (user + system, every thread). */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e3;
}

/** Instantiates a kernel in this thread: `fill()` done, `run` returned. */
export function instantiateKernel(k: PeakKernel): (iters: number) => number {
  const inst = new WebAssembly.Instance(new WebAssembly.Module(k.bytes), {});
  (inst.exports['fill'] as () => void)();
  return inst.exports['run'] as (iters: number) => number;
}

/**
 * Iterations of `run` that last at least `minMs` of CPU time in this thread: doubles, then runs again until a run is
 * no longer 3 % faster than the one before — V8 first runs a wasm function as Liftoff code (locals spilled, several
 * times slower) and swaps in TurboFan's when its background compile ends, late on a loaded machine.
 */
export function calibrate(run: (iters: number) => number, minMs: number, start = 1): number {
  let iters = start;
  let last = Infinity;
  for (let runs = 0; runs < 64; runs++) {
    const t0 = cpuMs();
    run(iters);
    const ms = cpuMs() - t0;
    if (ms < minMs && iters < 2 ** 30) {
      iters *= 2;
      last = Infinity;
    } else if (ms > 0.97 * last) return iters;
    else last = ms;
  }
  return iters;
}
