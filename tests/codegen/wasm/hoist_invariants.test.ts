// tests/codegen/wasm/hoist_invariants.test.ts — wasm.hoistInvariants (loop-invariant index arithmetic and
// guards hoisted, loops unswitched on the guards): convolutions with inlined padding and fused parallel
// loops against plain-JS convolution, on SIMD on/off and 1/2 threads, and what the pass leaves in the IR.

import { describe, expect, it } from 'vitest';
import { scheduleAnchor } from '../../../ops/anchor.js';
import { conv2d } from '../../../ops/nn/conv2d.js';
import { registerAll } from '../../../ops/register.js';
import { setTemplateWarningSink } from '../../../autotune/apply_template.js';
import { scheduleRootInjective } from '../../../ops/templates/anchor_templates.js';
import * as te from '../../../schedule/index.js';
import { lowerForTarget } from '../../../codegen/target_passes.js';
import { StmtExprVisitor } from '../../../tir/functor.js';
import type { PrimExpr, PrimFunc, Stmt } from '../../../tir/nodes.js';
import { CONFIGS, maxRelErr, runWasm, seededFloats } from './wasm_harness.js';

registerAll();
setTemplateWarningSink(() => undefined);

/** NCHW conv2d with zero padding and groups, by its definition. */
function convRef(x: Float32Array, w: Float32Array, [N, C, H, W]: number[], [O, CG, KH, KW]: number[], stride: number, pad: number, groups: number): Float32Array {
  const OH = Math.floor((H + 2 * pad - KH) / stride) + 1;
  const OW = Math.floor((W + 2 * pad - KW) / stride) + 1;
  const out = new Float32Array(N * O * OH * OW);
  const og = O / groups;
  for (let n = 0; n < N; n++) for (let o = 0; o < O; o++) for (let i = 0; i < OH; i++) for (let j = 0; j < OW; j++) {
    let acc = 0;
    const g = Math.floor(o / og);
    for (let c = 0; c < CG; c++) for (let ky = 0; ky < KH; ky++) for (let kx = 0; kx < KW; kx++) {
      const y = i * stride + ky - pad;
      const xx = j * stride + kx - pad;
      if (y < 0 || y >= H || xx < 0 || xx >= W) continue;
      acc += x[((n * C + g * CG + c) * H + y) * W + xx]! * w[((o * CG + c) * KH + ky) * KW + kx]!;
    }
    out[((n * O + o) * OH + i) * OW + j] = acc;
  }
  return out;
}

/** The untuned default build of a conv2d (ops' wasm template), lowered (before the target passes). */
function convFunc(xs: number[], ws: number[], stride: number, groups: number): PrimFunc {
  const X = te.placeholder(xs, 'float32', 'X');
  const Wt = te.placeholder(ws, 'float32', 'W');
  const Y = conv2d(X, Wt, { strides: stride, padding: 1, groups });
  const s = te.createSchedule([Y]);
  scheduleAnchor(s, Y, [Y], 'wasm -threads=2');
  scheduleRootInjective(s);
  return te.lower(s, [X, Wt, Y], { name: 'conv' });
}

interface LoopFacts { divisionsInInnerLoops: number; guardedLoads: number; unswitched: number }

/** Counts divisions inside loops nested in another loop, if_then_else reads, and unswitch ifs (if whose then-arm has none). */
function facts(f: PrimFunc): LoopFacts {
  const out: LoopFacts = { divisionsInInnerLoops: 0, guardedLoads: 0, unswitched: 0 };
  let depth = 0;
  class V extends StmtExprVisitor {
    override visitStmt(s: Stmt): void {
      if (s.kind === 'For') {
        depth++;
        super.visitStmt(s);
        depth--;
        return;
      }
      if (s.kind === 'IfThenElse' && s.elseCase && countGuards(s.thenCase) === 0 && countGuards(s.elseCase) > 0) out.unswitched++;
      super.visitStmt(s);
    }
    override visitExpr(e: PrimExpr): void {
      if (e.kind === 'BinaryOp' && ['div', 'mod', 'floordiv', 'floormod'].includes(e.op) && depth >= 2) out.divisionsInInnerLoops++;
      if (e.kind === 'Call' && e.op === 'tir.if_then_else') out.guardedLoads++;
      super.visitExpr(e);
    }
  }
  new V().visitStmt(f.body);
  return out;
}

function countGuards(s: Stmt): number {
  let n = 0;
  class V extends StmtExprVisitor {
    override visitExpr(e: PrimExpr): void {
      if (e.kind === 'Call' && e.op === 'tir.if_then_else') n++;
      super.visitExpr(e);
    }
  }
  new V().visitStmt(s);
  return n;
}

describe('wasm.hoistInvariants', () => {
  it('moves the fused loop\'s div/mod out of the inner loops and unswitches the padded rows', () => {
    const f = convFunc([1, 8, 12, 40], [8, 1, 3, 3], 1, 8);
    const before = facts(lowerForTarget(f, 'wasm -threads=1').func);
    expect(before.divisionsInInnerLoops).toBe(0);
    expect(before.unswitched).toBeGreaterThan(0);
    // Without the pass the lowered function has them (what the pass is for).
    const raw = facts(f);
    expect(raw.divisionsInInnerLoops).toBeGreaterThan(0);
    expect(raw.unswitched).toBe(0);
  });

  const shapes: { xs: number[]; ws: number[]; stride: number; groups: number }[] = [
    { xs: [1, 8, 12, 40], ws: [8, 1, 3, 3], stride: 1, groups: 8 },   // depthwise, widths in fours (f32x4 along ow), unswitched rows
    { xs: [2, 5, 9, 11], ws: [5, 1, 3, 3], stride: 1, groups: 5 },    // batch 2, odd sizes
    { xs: [1, 8, 7, 7], ws: [8, 1, 3, 3], stride: 1, groups: 8 },     // 7×7: f32x4 along channels
    { xs: [1, 4, 13, 16], ws: [4, 1, 3, 3], stride: 2, groups: 4 },   // stride 2
    { xs: [1, 6, 10, 10], ws: [8, 6, 3, 3], stride: 1, groups: 1 },   // dense conv, padded copy
    { xs: [1, 1, 1, 1], ws: [4, 1, 3, 3], stride: 1, groups: 1 },     // a 1-pixel image: every row is border
  ];
  for (const { xs, ws, stride, groups } of shapes) {
    it(`conv ${xs.join('×')} * ${ws.join('×')} stride ${stride} groups ${groups} matches plain JS on every wasm config`, async () => {
      const f = convFunc(xs, ws, stride, groups);
      const x = seededFloats(xs.reduce((a, b) => a * b, 1), 3);
      const w = seededFloats(ws.reduce((a, b) => a * b, 1), 4);
      const want = convRef(x, w, xs, ws, stride, 1, groups);
      for (const target of CONFIGS) {
        const got = await runWasm(f, [x, w, new Float32Array(want.length)], target);
        expect(maxRelErr(got[2]!, want), target).toBeLessThan(1e-5);
      }
    });
  }
});
