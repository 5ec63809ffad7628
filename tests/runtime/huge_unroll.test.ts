// tests/runtime/huge_unroll.test.ts — unrolling or vectorizing a huge loop keeps a loop (with the
// reason printed) instead of a kernel the wasm engine or the WGSL compiler refuses: B = 2·A + 1
// with n = 320,000 built for wasm and WebGPU, checked against plain JS.

import { afterAll, describe, expect, it } from 'vitest';
import { wgslSource } from '../../codegen/wgsl/compile_wgsl.js';
import { compileWasm } from '../../codegen/wasm/compile_wasm.js';
import { load } from '../../runtime/build.js';
import { releaseWebGPU } from '../../runtime/webgpu/device.js';
import * as te from '../../schedule/index.js';
import { print } from '../../tir/printer.js';
import { seededFloats } from '../codegen/wasm/wasm_harness.js';
import { firstMismatch, runOn } from './targets_harness.js';

afterAll(releaseWebGPU);

const N = 320_000;

function axpb(schedule: (st: te.Stage) => void) {
  const A = te.placeholder([N], 'float32', 'A');
  const B = te.compute([N], (i) => A.at(i).mul(2).add(1), 'B');
  const s = te.createSchedule([B]);
  schedule(s.stage(B));
  return te.lower(s, [A, B], { name: 'axpb' });
}

const a = seededFloats(N, 9);
const want = Float32Array.from(a, (x) => Math.fround(Math.fround(x * 2) + 1));

describe('huge unrolled / vectorized loops', () => {
  it('keeps unroll() of a 320,000-iteration axis a loop on wasm, saying why', async () => {
    const f = axpb((st) => st.unroll(st.axis[0]!));
    expect(print(f)).toMatch(/unroll_skipped="unrolling i would copy its body 320000 times/);
    for (const target of ['wasm -simd=1', 'wasm -simd=0']) {
      const got = (await runOn(f, [a, new Float32Array(N)], target))[1]!;
      expect(firstMismatch(got, want), target).toBe(-1);
    }
  });

  it('keeps vectorize() of a 320,000-lane axis a loop, saying why', async () => {
    const f = axpb((st) => st.vectorize(st.axis[0]!));
    expect(print(f)).toContain('vectorize_failed="the extent 320000 is over the 256-lane limit');
    const got = (await runOn(f, [a, new Float32Array(N)], 'wasm -simd=1'))[1]!;
    expect(firstMismatch(got, want)).toBe(-1);
  });

  it('keeps a 5,000-iteration unrolled loop inside GPU threads a loop: a small shader that runs', async () => {
    const f = axpb((st) => {
      const [t, u] = st.split(st.axis[0]!, { factor: 5000 });
      const [b, tx] = st.split(t, { factor: 64 });
      st.bind(b, 'blockIdx.x'); st.bind(tx, 'threadIdx.x'); st.unroll(u);
    });
    expect(wgslSource(f).length).toBeLessThan(10_000);
    const got = (await runOn(f, [a, new Float32Array(N)], 'webgpu'))[1]!;
    expect(firstMismatch(got, want)).toBe(-1);
  });

  it('names the kernel and the remedy when the engine refuses a wasm module', async () => {
    const art = compileWasm(axpb(() => {}), 'wasm');
    const broken = { ...art, bytes: art.bytes.slice(0, art.bytes.byteLength - 7) };
    await expect(load(broken)).rejects.toThrow(/loadWasm: V8 refused the module of kernel axpb \(\d+ bytes\): .*split it and unroll\/vectorize only the inner part/);
  });
});
