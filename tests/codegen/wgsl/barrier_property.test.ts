// tests/codegen/wgsl/barrier_property.test.ts — fast-check: random GPU schedules with shared stages
// (matmul with shared tiles of A and/or B fetched cooperatively, row sums with rfactor across
// threads), on shapes no tile divides, lowered and put through the WGSL passes with barrier
// insertion, run race-free in the interpreter's race detector and give the plain-JS answer.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as te from '../../../schedule/index.js';
import { interpret } from '../../../tir/interpreter.js';
import { DataRaceError } from '../../../tir/interpreter_race.js';
import type { PrimFunc } from '../../../tir/nodes.js';
import { wgslKernelTir } from './kernel_tir.js';

type Leaf = te.Stage['axis'][number];

function seededData(n: number, seed: number): Float32Array {
  let s = seed * 2654435761 >>> 0 || 1;
  return Float32Array.from({ length: n }, () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return (s % 2001) / 1000 - 1;
  });
}

interface Case {
  readonly f: PrimFunc;
  readonly inputs: Float32Array[];
  readonly outSize: number;
  readonly want: Float32Array;
}

interface MatmulParams {
  M: number; N: number; K: number;
  bm: number; bn: number; kf: number;
  shareA: boolean; shareB: boolean; local: boolean;
  attachAtK: boolean; fetchTy: boolean; bindTy: boolean;
}

/** Shared tiles of A and/or B attached at ko (or the block), fetched by the block's threads. */
function matmulCase(p: MatmulParams): Case {
  const A = te.placeholder([p.M, p.K], 'float32', 'A');
  const B = te.placeholder([p.K, p.N], 'float32', 'B');
  const k = te.reduceAxis(p.K, 'k');
  const C = te.compute([p.M, p.N], (i, j) => te.sum(A.at(i, k).mul(B.at(k, j)), [k]), 'C');
  const s = te.createSchedule([C]);
  const shared = [...(p.shareA ? [s.cacheRead(A, 'shared', [C])] : []), ...(p.shareB ? [s.cacheRead(B, 'shared', [C])] : [])];
  const CL = p.local ? s.cacheWrite(C, 'local') : undefined;
  const c = s.stage(C);
  const [by, bx, yi, xi] = c.tile(c.axis[0]!, c.axis[1]!, p.bm, p.bn);
  c.bind(by!, 'blockIdx.y'); c.bind(bx!, 'blockIdx.x');
  if (p.bindTy) c.bind(yi!, 'threadIdx.y');
  c.bind(xi!, 'threadIdx.x');
  const red = CL ? s.stage(CL) : c;
  if (CL) red.computeAt(c, xi!);
  const [ko] = red.split(red.reduceAxis[0]!, { factor: p.kf });
  for (const t of shared) {
    const st = s.stage(t);
    // At the outer reduction step, or (without a local accumulator) once per block.
    if (p.attachAtK || CL) st.computeAt(red, ko!);
    else st.computeAt(c, bx!);
    const fused = st.fuse(...(st.axis as Leaf[]));
    const [outer, inner] = st.split(fused, { factor: p.bn });
    st.bind(inner!, 'threadIdx.x');
    if (p.fetchTy && p.bindTy) {
      const [, mid] = st.split(outer!, { factor: p.bm });
      st.bind(mid!, 'threadIdx.y');
    }
  }
  const f = te.lower(s, [A, B, C], { name: 'mm' });
  const a = seededData(p.M * p.K, 1);
  const b = seededData(p.K * p.N, 2);
  const want = new Float32Array(p.M * p.N);
  for (let i = 0; i < p.M; i++) {
    for (let j = 0; j < p.N; j++) {
      let acc = 0;
      for (let q = 0; q < p.K; q++) acc += a[i * p.K + q]! * b[q * p.N + j]!;
      want[i * p.N + j] = acc;
    }
  }
  return { f, inputs: [a, b], outSize: p.M * p.N, want };
}

/** Row sums: the reduction split, rfactor'd, partial sums per thread combined per block. */
function rowSumCase(M: number, K: number, threads: number, bindRf: boolean): Case {
  const A = te.placeholder([M, K], 'float32', 'A');
  const k = te.reduceAxis(K, 'k');
  const out = te.compute([M], (i) => te.sum(A.at(i, k), [k]), 'rowsum');
  const s = te.createSchedule([out]);
  const c = s.stage(out);
  const [, ki] = c.split(c.reduceAxis[0]!, { factor: threads });
  const rf = s.rfactor(out, ki!);
  c.bind(c.axis[0]!, 'blockIdx.x');
  const r = s.stage(rf);
  r.computeAt(c, c.axis[0]!);
  if (bindRf) r.bind(r.axis[0]!, 'threadIdx.x');
  const f = te.lower(s, [A, out], { name: 'rowsum' });
  const a = seededData(M * K, 3);
  const want = new Float32Array(M);
  for (let i = 0; i < M; i++) for (let q = 0; q < K; q++) want[i] = want[i]! + a[i * K + q]!;
  return { f, inputs: [a], outSize: M, want };
}

const dim = fc.integer({ min: 1, max: 19 });
const tile = fc.constantFrom(1, 2, 3, 4, 8);
const matmulArb = fc.record({
  M: dim, N: dim, K: dim, bm: tile, bn: tile, kf: fc.integer({ min: 1, max: 6 }),
  shareA: fc.boolean(), shareB: fc.boolean(), local: fc.boolean(),
  attachAtK: fc.boolean(), fetchTy: fc.boolean(), bindTy: fc.boolean(),
}).filter((p) => p.shareA || p.shareB);
const rowSumArb = fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 70 }), fc.constantFrom(2, 3, 4, 8, 16), fc.boolean());
/** A schedule to build; printed as its parameters when a property fails. */
type CaseSpec = { readonly matmul: MatmulParams } | { readonly rowSum: [number, number, number, boolean] };
const caseArb: fc.Arbitrary<CaseSpec> = fc.oneof(
  { weight: 3, arbitrary: matmulArb.map((p) => ({ matmul: p })) },
  { weight: 1, arbitrary: rowSumArb.map((r) => ({ rowSum: r })) },
);
const make = (spec: CaseSpec): Case => ('matmul' in spec ? matmulCase(spec.matmul) : rowSumCase(...spec.rowSum));

/** A barrier that WGSL cannot place (inside a thread-dependent branch) is refused with this error. */
const REFUSED = /webgpu: a workgroup barrier is needed inside a branch whose condition differs between threads/;

function runCase(c: Case, barriers: boolean): Float32Array {
  const g = wgslKernelTir(c.f, { barriers });
  const out = new Float32Array(c.outSize);
  interpret(g, [...c.inputs, out]);
  return out;
}

function expectClose(got: Float32Array, want: Float32Array): void {
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / (1 + Math.abs(want[i]!)));
  expect(worst).toBeLessThan(1e-4);
}

describe('barrier insertion on random GPU schedules with shared stages', () => {
  it('runs race-free and computes the plain-JS result', () => {
    let ran = 0;
    let refused = 0;
    fc.assert(
      fc.property(caseArb, (spec) => {
        const c = make(spec);
        let got: Float32Array;
        try {
          got = runCase(c, true);
        } catch (e) {
          if (REFUSED.test((e as Error).message)) {
            refused++;
            return;
          }
          throw e;
        }
        ran++;
        expectClose(got, c.want);
      }),
      { numRuns: 120, seed: 14 },
    );
    // The property must be about schedules that ran, not about refusals.
    expect(ran).toBeGreaterThan(3 * refused);
  });

  it('has cases that race without barriers (the detector and the generator both bite)', () => {
    let races = 0;
    let total = 0;
    fc.assert(
      fc.property(caseArb, (spec) => {
        total++;
        try {
          runCase(make(spec), false);
        } catch (e) {
          if (e instanceof DataRaceError) races++;
          else if (!REFUSED.test((e as Error).message)) throw e;
        }
      }),
      { numRuns: 60, seed: 15 },
    );
    expect(races).toBeGreaterThan(total / 3);
  });
});
