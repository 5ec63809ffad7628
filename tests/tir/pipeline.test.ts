// tests/tir/pipeline.test.ts — the lowering pipeline end to end on a hand-built loop nest (as
// te.lower emits it): pass order, tracing, debug output, the codegen contract, and results equal
// to a plain JS matmul.
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as t from '../../tir/nodes.js';
import { collectLoops, postOrderVisitExpr } from '../../tir/functor.js';
import { interpret } from '../../tir/interpreter.js';
import { PassContext } from '../../tir/pass_context.js';
import { LOWERING_PASSES, loweringPasses, runLoweringPasses, runPasses } from '../../tir/pipeline.js';
import { verifyErrors } from '../../tir/verify.js';
import { c, seeded, vars } from './helpers.js';

/** C = A·B, i split by 8 (M=30: guarded), j split by 16 and vectorized (N=40: guarded), k by 4 unrolled. */
function tiledMatmul(M: number, N: number, K: number): t.PrimFunc {
  const A = t.buffer('A', [M, K], 'float32');
  const B = t.buffer('B', [K, N], 'float32');
  const C = t.buffer('C', [M, N], 'float32');
  const [io, ii, jo, ji, ko, ki] = vars('io', 'ii', 'jo', 'ji', 'ko', 'ki') as [t.Var, t.Var, t.Var, t.Var, t.Var, t.Var];
  const i = t.add(t.mul(io, c(8)), ii);
  const j = t.add(t.mul(jo, c(16)), ji);
  const k = t.add(t.mul(ko, c(4)), ki);
  const guard = t.and(t.lt(i, c(M)), t.lt(j, c(N)));
  const init = t.forLoop(ji, 0, 16, 'vectorized', t.ifThenElse(guard, t.bufferStore(C, t.floatImm(0), [i, j])));
  const update = t.forLoop(ki, 0, 4, 'unrolled', t.forLoop(ji, 0, 16, 'vectorized', t.ifThenElse(guard,
    t.bufferStore(C, t.add(t.bufferLoad(C, [i, j]), t.mul(t.bufferLoad(A, [i, k]), t.bufferLoad(B, [k, j]))), [i, j]))));
  const body = t.forLoop(io, 0, Math.ceil(M / 8), 'parallel', t.forLoop(jo, 0, Math.ceil(N / 16), 'serial',
    t.forLoop(ii, 0, 8, 'serial', t.seq([init, t.forLoop(ko, 0, Math.ceil(K / 4), 'serial', update)]))));
  return t.primFunc('matmul', [A, B, C], body);
}

function jsMatmul(a: Float32Array, b: Float32Array, M: number, N: number, K: number): Float32Array {
  const out = new Float32Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let acc = 0;
      for (let k = 0; k < K; k++) acc = Math.fround(acc + Math.fround(a[i * K + k]! * b[k * N + j]!));
      out[i * N + j] = acc;
    }
  }
  return out;
}

describe('runLoweringPasses', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('lowers a tiled, guarded, vectorized matmul to IR that computes the matmul', () => {
    const [M, N, K] = [30, 40, 12];
    const { func } = runLoweringPasses(tiledMatmul(M, N, K));
    const a = seeded(M * K, 1);
    const b = seeded(K * N, 2);
    const out = new Float32Array(M * N);
    interpret(func, [a, b, out]);
    expect(Array.from(out)).toEqual(Array.from(jsMatmul(a, b, M, N, K)));
  });

  it('meets the codegen contract: flat params with argShapes, one index each, no vectorized or unrolled loops', () => {
    const { func } = runLoweringPasses(tiledMatmul(30, 40, 12));
    expect(func.attrs['argShapes']).toEqual([[30, 12], [12, 40], [30, 40]]);
    expect(func.params.map((p) => p.shape.length)).toEqual([1, 1, 1]);
    expect(verifyErrors(func, { lowered: true })).toEqual([]);
    expect(collectLoops(func.body).filter((l) => l.forKind === 'vectorized' || l.forKind === 'unrolled')).toEqual([]);
    // Loop partitioning leaves guard-free main parts, so vector statements exist: 16 lanes and an 8-lane tail.
    const lanes = new Set<number>();
    postOrderVisitExpr(func.body, (e) => { if (e.kind === 'Ramp') lanes.add(e.lanes); });
    expect([...lanes].sort((x, y) => x - y)).toEqual([8, 16]);
  });

  it('refuses a result that breaks the codegen contract, naming the contract and each problem', () => {
    // With tir.storageFlatten and tir.vectorizeLoop disabled, 2-d params and a vectorized loop survive lowering.
    const ctx = new PassContext({ disabledPasses: ['tir.storageFlatten', 'tir.vectorizeLoop'] });
    expect(() => runLoweringPasses(tiledMatmul(16, 16, 8), { ctx }))
      .toThrow(/^invalid TIR in matmul after lowering \(codegen contract\):\n(.|\n)*parameter A is 2-d after lowering(.|\n)*still marked vectorized/);
    // the same passes without the final check (runPasses' default) let it through
    expect(() => runPasses(tiledMatmul(16, 16, 8), loweringPasses(ctx), { ctx })).not.toThrow();
  });

  it('records every pass, in order, with the IR after it when tracing', () => {
    const { func, steps } = runLoweringPasses(tiledMatmul(16, 16, 8), { trace: true });
    expect(steps.map((s) => s.name)).toEqual(LOWERING_PASSES.map((p) => p.name));
    expect(steps[0]!.name).toBe('tir.storageFlatten');
    expect(steps.at(-1)!.func).toBe(func);
    // 16×16×8 divides every factor: nothing is left to partition.
    expect(steps.find((s) => s.name === 'tir.loopPartition')!.changed).toBe(false);
    expect(steps.find((s) => s.name === 'tir.vectorizeLoop')!.changed).toBe(true);
  });

  it('keeps no steps when not tracing', () => {
    expect(runLoweringPasses(tiledMatmul(8, 16, 4)).steps).toEqual([]);
  });

  it('prints the IR after each pass, or "unchanged", under TENSORTUNE_DEBUG=lower', () => {
    vi.stubEnv('TENSORTUNE_DEBUG', 'lower');
    const out: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    runLoweringPasses(tiledMatmul(16, 16, 8));
    const text = out.join('');
    expect(text).toMatch(/\/\/ matmul: after tir\.storageFlatten \[\d+\.\d\d ms\]\ndef matmul\(A: float32\[128\]/);
    expect(text).toMatch(/\/\/ matmul: after tir\.loopPartition \[\d+\.\d\d ms\]: unchanged/);
  });

  it('rejects invalid input IR, naming the problem', () => {
    const A = t.buffer('A', [4], 'float32');
    const f = t.primFunc('bad', [A], t.bufferStore(A, t.floatImm(0), [t.variable('q')]));
    expect(() => runLoweringPasses(f)).toThrow(/invalid TIR in bad after input:\n {2}variable q is used but not bound/);
  });
});
