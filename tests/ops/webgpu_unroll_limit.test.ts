// tests/ops/webgpu_unroll_limit.test.ts — the bound every WebGPU template puts on a lane's unrolled step
// (ops/templates/webgpu_unroll_limit.ts, MAX_UNROLLED_STEP FMAs; docs/webgpu.md "Session 19"): on sampled configs of
// conv2d_nchw_packed, conv2d_nchw, depthwise (lavapipe's plain target, `unroll_window`) and matmul (the subgroup
// target, warp 1), a config whose unrolled FMAs — recomputed here from its knobs — pass the bound is refused and every
// accepted one is within it; session 18's 981 KB config and the biggest configs of the old spaces are refused with the
// reason; the accepted configs with the most unrolled FMAs build to under 1 MB of WGSL (old spaces: 1.26–1.67 MB). That every
// shipped TopHub record and default stays valid: tests/tuning-logs/tophub_records.test.ts and the templates' tests.

import { beforeAll, describe, expect, it } from 'vitest';
import { setTemplateWarningSink } from '../../autotune/apply_template.js';
import { buildCandidate } from '../../autotune/measure/build_candidate.js';
import { Rng } from '../../autotune/rng.js';
import type { ConfigEntity } from '../../autotune/space.js';
import { createTask, tensorArg, type Task } from '../../autotune/task.js';
import { registerAll } from '../../ops/register.js';

const LP = 'webgpu -device=llvmpipe';
const SG = 'webgpu -device=llvmpipe -subgroup-size=8';
const LIMIT = 1024;
const last = (e: ConfigEntity, k: string): number => e.getSplit(k).size.at(-1)!;
const uw = (e: ConfigEntity): boolean => e.getKnob('unroll_window').val === true;

interface Case { name: string; args: unknown[]; target: string; fmas: (e: ConfigEntity) => number }
const CASES: Record<string, Case> = {
  // C6's packed conv: a lane's tile is blocks × 8 channels × rows × pixels; unroll_window copies it per tap.
  packed: {
    name: 'conv2d_nchw_packed.webgpu', target: LP,
    args: [tensorArg([1, 128, 28, 28]), tensorArg([16, 128, 3, 3, 8]), [1, 1], [1, 1, 1, 1], [1, 1], 128],
    fmas: (e) => (uw(e) ? 9 * last(e, 'tile_cob') * 8 * last(e, 'tile_oh') * last(e, 'tile_ow') : 0),
  },
  // Session 18's workload (N=1, C=16, H=W=14, O=16, 3×3): its config 37429 was 981 KB of WGSL.
  packedS18: {
    name: 'conv2d_nchw_packed.webgpu', target: LP,
    args: [tensorArg([1, 16, 14, 14]), tensorArg([2, 16, 3, 3, 8]), [1, 1], [1, 1, 1, 1], [1, 1], 16],
    fmas: (e) => (uw(e) ? 9 * last(e, 'tile_cob') * 8 * last(e, 'tile_oh') * last(e, 'tile_ow') : 0),
  },
  conv: {
    name: 'conv2d_nchw.webgpu', target: LP,
    args: [tensorArg([1, 13, 15, 17]), tensorArg([21, 13, 5, 3]), [1, 1], [2, 1, 2, 1], [1, 1], 1],
    fmas: (e) => (uw(e) ? 15 * last(e, 'tile_co') * last(e, 'tile_oh') * last(e, 'tile_ow') : 0),
  },
  depthwise: {
    name: 'depthwise_conv2d_nchw.webgpu', target: LP,
    args: [tensorArg([1, 32, 112, 112]), tensorArg([32, 1, 3, 3]), [1, 1], [1, 1, 1, 1], [1, 1]],
    fmas: (e) => (uw(e) ? 9 * last(e, 'tile_co') * last(e, 'tile_oh') * last(e, 'tile_ow') : 0),
  },
  // warp 1 unrolls the k stage: tile_y's × tile_x's per-thread sizes × tile_k.
  matmulWarp: {
    name: 'matmul.webgpu', target: SG,
    args: [tensorArg([96, 200]), tensorArg([200, 136])],
    fmas: (e) => (e.getKnob('warp').val === 1 ? last(e, 'tile_y') * last(e, 'tile_x') * last(e, 'tile_k') : 0),
  },
};

const tasks = new Map<string, Task>();
const taskOf = (id: string): Task => {
  let t = tasks.get(id);
  if (!t) {
    const c = CASES[id]!;
    t = createTask(c.name, c.args as never, c.target);
    tasks.set(id, t);
  }
  return t;
};

describe('WebGPU templates: the unrolled step bound (MAX_UNROLLED_STEP)', () => {
  beforeAll(() => {
    registerAll();
    setTemplateWarningSink(() => undefined);
  });

  for (const id of Object.keys(CASES)) {
    it(`${id}: a sampled config over ${LIMIT} unrolled FMAs is refused, naming the bound; an accepted one is within it`, () => {
      const task = taskOf(id);
      const rng = new Rng(19);
      let over = 0;
      let acceptedNearLimit = 0;
      for (let k = 0; k < 3000; k++) {
        const e = task.space.entityAt(rng.int(task.space.length));
        const f = CASES[id]!.fmas(e);
        const valid = task.space.isIndexValid(e.index);
        if (f > LIMIT) {
          over++;
          expect(valid, `${id} config ${e}: ${f} unrolled FMAs`).toBe(false);
        } else if (valid && f > LIMIT / 2) acceptedNearLimit++;
      }
      expect(over, `${id}: no sampled config passes the bound`).toBeGreaterThan(20);
      expect(acceptedNearLimit, `${id}: no accepted config has over ${LIMIT / 2} unrolled FMAs`).toBeGreaterThan(0);
    });
  }

  it('session 18\'s 981 KB config and the largest kernels of the old spaces are refused, the builder saying why', async () => {
    const refused: Array<[string, number, RegExp]> = [
      ['packedS18', 37429, /unroll_window: 3×3 taps × a 224-float register tile is 2016 FMAs a step unrolled: exceeds 1024/],
      ['depthwise', 0, /unroll_window: 3×3 taps × a 8×7×4 register tile is 2016 FMAs/],
    ];
    // The depthwise one (1.67 MB of WGSL under the old bound): tile_co 8 × tile_oh 7 × tile_ow 4, the window unrolled.
    const dw = taskOf('depthwise');
    const d = dw.defaultConfig!()!.toData();
    const set: Record<string, unknown> = { tile_co: [-1, 2, 8], tile_oh: [-1, 1, 7], tile_ow: [-1, 16, 4], vec: 4, unroll_window: true, auto_unroll_max_step: 16, stage_shared: false };
    refused[1]![1] = dw.space.entityFromData({ ...d, entity: d.entity.map((x) => (x[0] in set ? [x[0], x[1], set[x[0]]] : x)) as typeof d.entity }).index;
    for (const [id, index, why] of refused) {
      const task = taskOf(id);
      expect(task.space.isIndexValid(index), `${id} ${index}`).toBe(false);
      const b = await buildCandidate({ taskName: task.name, args: task.args, target: task.target, configIndex: index });
      expect(b.errorNo, b.errorMsg).toBe(1); // INSTANTIATION_ERROR, before any WGSL is made
      expect(b.errorMsg).toMatch(why);
    }
  });

  it('the accepted configs with the most unrolled FMAs build to under 1 MB of WGSL (the old spaces: up to 1.26 MB packed, 1.67 MB depthwise)', async () => {
    for (const id of ['packed', 'depthwise']) {
      const task = taskOf(id);
      const rng = new Rng(7);
      const seen: ConfigEntity[] = [];
      for (let k = 0; k < 300; k++) seen.push(task.space.entityAt(task.space.sampleValid(rng)!));
      const biggest = seen.sort((a, b) => CASES[id]!.fmas(b) - CASES[id]!.fmas(a)).slice(0, 2);
      for (const e of biggest) {
        const b = await buildCandidate({ taskName: task.name, args: task.args, target: task.target, configIndex: e.index });
        expect(b.artifact, `${id} ${e}: ${b.errorMsg}`).toBeDefined();
        expect(b.artifact!.bytes.length, `${id} config ${e} (${CASES[id]!.fmas(e)} FMAs)`).toBeLessThan(1_000_000);
      }
    }
  }, 300_000);
});
