// tests/schedule/property.test.ts — fast-check: random sequences of schedule primitives on
// matmul, padded conv2d, a max reduction and the dense → bias+relu pipeline either are rejected
// with a clear error naming the primitive, or lower to loops that compute the tfjs result.

import { beforeAll, describe, it } from 'vitest';
import fc from 'fast-check';
import * as te from '../../schedule/index.js';
import { conv2d, cpuBackend, denseBiasRelu, expectClose, matmul, rowMax, run, type Workload } from './helpers.js';

beforeAll(cpuBackend);

const KINDS = ['split', 'nparts', 'fuse', 'reorder', 'vectorize', 'unroll', 'parallel', 'pragma', 'computeAt', 'inline', 'root', 'bind'] as const;
type Kind = (typeof KINDS)[number];
interface Cmd { readonly kind: Kind; readonly stage: number; readonly a: number; readonly b: number }
type Graph = 'none' | 'cacheRead' | 'cacheWrite' | 'cacheWriteRead' | 'rfactor';

const WORKLOADS: Record<string, () => Workload> = {
  matmul: () => matmul(9, 8, 6),
  conv: () => conv2d(1, 2, 5, 6, 2, 3, 1),
  rowmax: () => rowMax(6, 10),
  pipeline: () => denseBiasRelu(7, 6, 5),
};
const references = new Map<string, Float32Array>();

/** Errors a random (possibly illegal) schedule may legitimately get: each names its primitive. */
const CLEAR_ERROR = /^(split|fuse|reorder|vectorize|unroll|parallel|pragma|bind|computeAt|computeInline|computeRoot|cacheRead|cacheWrite|rfactor): /;

function applyGraph(s: te.Schedule, w: Workload, g: Graph): void {
  const inputs = w.args.filter((t) => t.op.kind === 'placeholder');
  const readers = (t: te.Tensor): te.Tensor[] => w.args.filter((r) => r.op.kind === 'compute' && te.inputTensors(s.stage(r).op).some((x) => x.op === s.stage(t).op));
  if (g === 'cacheRead' && inputs[0] && readers(inputs[0]).length > 0) s.cacheRead(inputs[0], 'local', readers(inputs[0]));
  if (g === 'cacheWrite') s.cacheWrite(w.out, 'local');
  if (g === 'cacheWriteRead' && inputs[0]) {
    const CL = s.cacheWrite(w.out, 'local');
    if (te.inputTensors(CL.op).some((x) => x.op === inputs[0]!.op)) s.cacheRead(inputs[0], 'shared', [CL]);
  }
  if (g === 'rfactor' && s.stage(w.out).reduceAxis.length > 0) {
    const c = s.stage(w.out);
    const [, ki] = c.split(c.reduceAxis[0]!, { factor: 2 });
    s.rfactor(w.out, ki);
  }
}

function applyCmd(s: te.Schedule, cmd: Cmd): void {
  const stages = s.stages.filter((st) => st.op.kind === 'compute');
  const st = stages[cmd.stage % stages.length]!;
  const leaves = st.leaves;
  if (leaves.length === 0) return;
  const i = cmd.a % leaves.length;
  const leaf = leaves[i]!;
  switch (cmd.kind) {
    case 'split': st.split(leaf, { factor: cmd.b }); return;
    case 'nparts': st.split(leaf, { nparts: cmd.b }); return;
    case 'fuse': if (i + 1 < leaves.length) st.fuse(leaf, leaves[i + 1]!); return;
    case 'reorder': {
      const j = (i + cmd.b) % leaves.length;
      if (j !== i) st.reorder(leaves[j]!, leaf);
      return;
    }
    case 'vectorize': st.vectorize(leaf); return;
    case 'unroll': st.unroll(leaf); return;
    case 'parallel': st.parallel(leaf); return;
    case 'pragma': st.pragma(leaf, 'auto_unroll_max_step', cmd.b * 4); return;
    case 'computeAt': {
      const consumers = s.readersOf(st);
      const c = consumers[cmd.b % Math.max(consumers.length, 1)];
      if (c && c.leaves.length > 0) st.computeAt(c, c.leaves[cmd.a % c.leaves.length]!);
      return;
    }
    case 'inline': st.computeInline(); return;
    case 'root': st.computeRoot(); return;
    // Thread loops are interpreted serially (lock-step per block), so any binding keeps the result.
    case 'bind': st.bind(leaf, (['threadIdx.x', 'threadIdx.y', 'blockIdx.x', 'vthread', 'threadIdx.z'] as const)[cmd.b - 1]!); return;
  }
}

const cmd = fc.record({
  kind: fc.constantFrom(...KINDS), stage: fc.nat(5), a: fc.nat(11), b: fc.integer({ min: 1, max: 5 }),
});

describe('random schedules', () => {
  it('are rejected clearly or compute the reference result', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(WORKLOADS)), fc.constantFrom<Graph>('none', 'cacheRead', 'cacheWrite', 'cacheWriteRead', 'rfactor'),
        fc.array(cmd, { maxLength: 8 }), (name, graph, cmds) => {
          const w = WORKLOADS[name]!();
          if (!references.has(name)) references.set(name, w.reference());
          const s = te.createSchedule([w.out]);
          applyGraph(s, w, graph);
          for (const c of cmds) {
            try {
              applyCmd(s, c);
            } catch (e) {
              if (!CLEAR_ERROR.test((e as Error).message)) throw e;
            }
          }
          let out: Float32Array;
          try {
            out = run(s, w.args);
          } catch (e) {
            // Attach points a later primitive invalidated are reported when lowering.
            if (/^computeAt: .*(no longer a leaf|also read by|is inlined|does not consume)/.test((e as Error).message)) return;
            throw e;
          }
          expectClose(out, references.get(name)!);
        }),
      { numRuns: 200 },
    );
  });
});
