// tests/ops/dense_pack.test.ts — products on a weight packed at build time (ops/dense_pack.ts): the host
// panel layout, and every structural config of the wasm gemm template with pack_b on (each tile_x, tile_order,
// pack_at, vectorize; the other knobs drawn per config) scheduling the packed compute, on odd shapes (M = 1,
// N not a multiple of the panel width, odd K), against plain JS; the packed kernel has no packing stage.

import { beforeAll, describe, expect, it } from 'vitest';
import { createTask, tensorArg } from '../../autotune/task.js';
import type { ConfigEntity } from '../../autotune/space.js';
import { densePack, packProductWeight, type PackSource } from '../../ops/dense_pack.js';
import { registerAll } from '../../ops/register.js';
import { scheduleRootInjective } from '../../ops/templates/anchor_templates.js';
import { scheduleGemmWasm } from '../../ops/templates/gemm_wasm.js';
import { build } from '../../runtime/build.js';
import { array } from '../../runtime/ndarray.js';
import { createSchedule } from '../../schedule/schedule.js';
import { placeholder } from '../../schedule/tensor.js';
import { lower } from '../../schedule/lower.js';
import { print } from '../../tir/printer.js';
import { productMismatch, productRef, seededValues } from '../reference/plain_js.js';

type Case = readonly [PackSource, number, number, number];

/** The configs of the original task with pack_b on: every (tile_x, tile_order, pack_at, vectorize), other knobs by a seeded draw. */
function packedConfigs(source: PackSource, M: number, K: number, N: number): ConfigEntity[] {
  const task = createTask(`${source}.wasm`, [tensorArg([M, K]), tensorArg(source === 'dense' ? [N, K] : [K, N])], 'wasm');
  const byKey = new Map<string, ConfigEntity[]>();
  for (let i = 0; i < task.space.length; i++) {
    if (!task.space.isIndexValid(i)) continue;
    const e = task.space.entityAt(i);
    if (e.getKnob('pack_b').val !== true) continue;
    const key = [e.getSplit('tile_x').size[1], e.getKnob('tile_order').val, e.getKnob('pack_at').val, e.getKnob('vectorize').val].join('/');
    let l = byKey.get(key);
    if (l === undefined) byKey.set(key, (l = []));
    l.push(e);
  }
  let seed = M * 1000 + K * 10 + N;
  return [...byKey.values()].map((l) => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return l[seed % l.length]!;
  });
}

async function runPacked(c: Case, cfg: ConfigEntity): Promise<{ got: Float32Array; want: Float32Array; tir: string }> {
  const [source, M, K, N] = c;
  const bn = cfg.getSplit('tile_x').size[1]!;
  const Wv = seededValues(N * K, M + N);
  const Xv = seededValues(M * K, K);
  const p = packProductWeight(Wv, source === 'dense' ? [N, K] : [K, N], bn, source);
  const X = placeholder([M, K], 'float32', 'X');
  const Wp = placeholder(p.shape, 'float32', 'Wp');
  const Y = densePack(X, Wp, N, source);
  const s = createSchedule(Y);
  scheduleGemmWasm(cfg, s, Y, [Y]);
  scheduleRootInjective(s);
  const f = lower(s, [X, Wp, Y], { name: 'dense_pack' });
  const mod = await build(f, 'wasm -threads=2');
  const x = array(Xv, [M, K]);
  const w = array(p.values, p.shape);
  const y = array(new Float32Array(M * N).fill(Number.NaN), [M, N]);
  try {
    await mod.run(x, w, y);
    return { got: y.toArray() as Float32Array, want: productRef(Xv, Wv, M, K, N, source === 'dense' ? 'nk' : 'kn'), tir: print(f) };
  } finally {
    x.free(); w.free(); y.free();
    mod.dispose();
  }
}

describe('packProductWeight', () => {
  it('lays W [N, K] and B [K, N] out as the same zero-padded panels [⌈N/bn⌉, K, bn]', () => {
    const N = 5, K = 3, bn = 2;
    const W = Float32Array.from({ length: N * K }, (_, i) => i + 1); // W[n, k] = n·K + k + 1
    const B = new Float32Array(K * N);
    for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) B[k * N + n] = W[n * K + k]!;
    const a = packProductWeight(W, [N, K], bn, 'dense');
    const b = packProductWeight(B, [K, N], bn, 'matmul');
    expect(a.shape).toEqual([3, 3, 2]);
    // Panel 0 holds n = 0, 1 per k; panel 2 holds n = 4 and a zero.
    expect([...a.values.slice(0, 6)]).toEqual([1, 4, 2, 5, 3, 6]);
    expect([...a.values.slice(12)]).toEqual([13, 0, 14, 0, 15, 0]);
    expect(b.values).toEqual(a.values);
  });

  it('names a bad width and a size mismatch', () => {
    expect(() => packProductWeight(new Float32Array(6), [2, 3], 0, 'dense')).toThrow('panel width must be a positive integer, got 0');
    expect(() => packProductWeight(new Float32Array(5), [2, 3], 4, 'dense')).toThrow('5 values for a [2, 3] weight');
  });
});

describe('densePack', () => {
  it('checks its shapes by name', () => {
    const X = placeholder([4, 6], 'float32', 'X');
    expect(() => densePack(X, placeholder([2, 5, 4], 'float32', 'Wp'), 8)).toThrow('reduction dimensions differ');
    expect(() => densePack(X, placeholder([2, 6, 4], 'float32', 'Wp'), 9)).toThrow('9 units need 3 panels of 4, the packed weight has 2');
  });
});

const CASES: readonly Case[] = [['dense', 1, 37, 29], ['dense', 17, 33, 13], ['matmul', 5, 7, 11]];

describe('the wasm gemm template on a prepacked weight', () => {
  beforeAll(() => registerAll());

  for (const c of CASES) {
    it(`${c[0]} ${c.slice(1).join('×')}: every tile_x × tile_order × pack_at × vectorize with pack_b matches plain JS, with no packing stage`, async () => {
      const configs = packedConfigs(...c);
      expect(configs.length).toBeGreaterThanOrEqual(16);
      for (const cfg of configs) {
        const { got, want, tir } = await runPacked(c, cfg);
        const bad = productMismatch(got, want);
        expect(bad, `config ${cfg.index} ${cfg.toString()}`).toBeUndefined();
        // The per-call pack would be a stage writing `<B>_packed` (ops/templates/gemm_pack.ts).
        expect(tir).not.toContain('_packed');
      }
    }, 600_000);
  }

  it('refuses a config whose panels differ from the packed weight, naming both', () => {
    const task = createTask('dense.wasm', [tensorArg([17, 33]), tensorArg([13, 33])], 'wasm');
    const noPack = packedConfigs('dense', 17, 33, 13)[0]!;
    const X = placeholder([17, 33], 'float32', 'X');
    const bn = noPack.getSplit('tile_x').size[1]! === 13 ? 1 : 13;
    const Y = densePack(X, placeholder([Math.ceil(13 / bn), 33, bn], 'float32', 'Wp'), 13);
    expect(() => scheduleGemmWasm(noPack, createSchedule(Y), Y, [Y])).toThrow(`weight packed at build time in panels of ${bn}, but its config has pack_b true and tile_x ${noPack.getSplit('tile_x').size[1]}`);
    expect(task.space.length).toBeGreaterThan(0);
  });
});
