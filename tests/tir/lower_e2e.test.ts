// tests/tir/lower_e2e.test.ts — the lowering passes on real te.lower input: for random legal
// schedules, the lowered function computes bit-for-bit what the unlowered loop nest computes
// (the passes never reassociate float math), meets the codegen contract and prints/parses back.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as te from '../../schedule/index.js';
import { interpret } from '../../tir/interpreter.js';
import type { PrimFunc } from '../../tir/nodes.js';
import { parse } from '../../tir/parser.js';
import { print } from '../../tir/printer.js';
import { structuralEqual } from '../../tir/structural.js';
import { runLoweringPasses } from '../../tir/pipeline.js';
import { verifyErrors } from '../../tir/verify.js';
import { seeded } from './helpers.js';

interface Workload { s: te.Schedule; args: te.Tensor[] }

function matmul(M: number, N: number, K: number): Workload {
  const A = te.placeholder([M, K], 'float32', 'A');
  const B = te.placeholder([K, N], 'float32', 'B');
  const k = te.reduceAxis(K, 'k');
  const C = te.compute([M, N], (i, j) => te.sum(A.at(i, k).mul(B.at(k, j)), [k]), 'C');
  return { s: te.createSchedule([C]), args: [A, B, C] };
}

/** conv2d NCHW with a padding stage (clamped reads, so every load is in bounds). */
function conv(H: number, W: number): Workload {
  const X = te.placeholder([1, 2, H, W], 'float32', 'X');
  const Wt = te.placeholder([3, 2, 3, 3], 'float32', 'W');
  const pad = te.compute([1, 2, H + 2, W + 2], (n, c, y, x) => te.select(te.all(y.ge(1), y.lt(H + 1), x.ge(1), x.lt(W + 1)),
    X.at(n, c, te.minimum(te.maximum(y.sub(1), 0), H - 1), te.minimum(te.maximum(x.sub(1), 0), W - 1)), 0), 'pad');
  const rc = te.reduceAxis(2, 'rc');
  const ry = te.reduceAxis(3, 'ry');
  const rx = te.reduceAxis(3, 'rx');
  const out = te.compute([1, 3, H, W], (n, f, y, x) => te.sum(pad.at(n, rc, y.add(ry), x.add(rx)).mul(Wt.at(f, rc, ry, rx)), [rc, ry, rx]), 'conv');
  const s = te.createSchedule([out]);
  return { s, args: [X, Wt, out] };
}

function sizeOf(t: te.Tensor): number {
  return t.dims.reduce((a, b) => a * b, 1);
}

function run(f: PrimFunc, args: readonly te.Tensor[]): Float32Array {
  const bufs = args.map((t, i) => (i < args.length - 1 ? seeded(sizeOf(t), i + 7) : new Float32Array(sizeOf(t))));
  interpret(f, bufs);
  return bufs[bufs.length - 1]!;
}

const KINDS = ['split', 'reorder', 'fuse', 'vectorize', 'unroll', 'parallel', 'pragma'] as const;
const cmdArb = fc.record({ kind: fc.constantFrom(...KINDS), a: fc.nat(7), b: fc.integer({ min: 1, max: 6 }) });
type Cmd = { kind: (typeof KINDS)[number]; a: number; b: number };

/** Applies a primitive to the output stage; illegal ones are skipped (schedule tests cover errors). */
function apply(s: te.Schedule, out: te.Tensor, cmd: Cmd): void {
  const st = s.stage(out);
  const leaves = st.leaves;
  const leaf = leaves[cmd.a % leaves.length]!;
  try {
    switch (cmd.kind) {
      case 'split': st.split(leaf, { factor: cmd.b + 1 }); return;
      case 'reorder': {
        const other = leaves[(cmd.a + cmd.b) % leaves.length]!;
        if (other !== leaf) st.reorder(other, leaf);
        return;
      }
      case 'fuse': {
        const i = cmd.a % leaves.length;
        if (i + 1 < leaves.length) st.fuse(leaf, leaves[i + 1]!);
        return;
      }
      // Vectorize only the innermost leaf, as schedules do.
      case 'vectorize': st.vectorize(leaves[leaves.length - 1]!); return;
      case 'unroll': st.unroll(leaf); return;
      case 'parallel': st.parallel(leaves[0]!); return;
      case 'pragma': st.pragma(leaves[0]!, 'auto_unroll_max_step', cmd.b * 8); return;
    }
  } catch (e) {
    if (!/^(split|fuse|reorder|vectorize|unroll|parallel|pragma): /.test((e as Error).message)) throw e;
  }
}

function check(w: Workload, cmds: readonly Cmd[], after?: () => void): void {
  const out = w.args[w.args.length - 1]!;
  for (const c of cmds) apply(w.s, out, c);
  after?.();
  const nest = te.scheduleOps(w.s, w.args, 'f');
  const { func } = runLoweringPasses(nest);
  expect(verifyErrors(func, { lowered: true })).toEqual([]);
  const text = print(func);
  const back = parse(text);
  expect(structuralEqual(back, func)).toBe(true);
  expect(print(back)).toBe(text);
  const want = run(nest, w.args);
  const got = run(func, w.args);
  expect(Array.from(got), print(func)).toEqual(Array.from(want));
}

describe('lowering random schedules (te.lower input)', () => {
  it('keeps a tiled matmul bit-identical to its loop nest', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 11 }), fc.integer({ min: 1, max: 13 }), fc.integer({ min: 1, max: 9 }),
      fc.array(cmdArb, { maxLength: 7 }), (M, N, K, cmds) => check(matmul(M, N, K), cmds)), { numRuns: 150 });
  });

  it('keeps a padded conv2d bit-identical to its loop nest, pad inlined or computed at a row', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 7 }), fc.integer({ min: 2, max: 9 }), fc.option(fc.nat(9)),
      fc.array(cmdArb, { maxLength: 6 }), (H, W, at, cmds) => {
        const w = conv(H, W);
        const conv2d = w.s.stage(w.args[2]!);
        const padStage = w.s.stages.find((st) => st.name === 'pad')!;
        check(w, cmds, () => {
          if (at === null) padStage.computeInline();
          else padStage.computeAt(conv2d, conv2d.leaves[at % conv2d.leaves.length]!);
        });
      }), { numRuns: 60 });
  });
});
