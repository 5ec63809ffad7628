// tests/ops/gemm_wasm_prepacked_check.test.ts — the wasm gemm template on a product whose weight was packed at build
// time (ops.densePack, panels of bn) accepts exactly the configs that read panels of bn — pack_b on and tile_x's inner
// size bn — and refuses each other kind alone, naming the product, bn, and the config's pack_b and tile_x: pack_b off
// at tile_x bn, pack_b on at another tile_x, both wrong. (A mismatch means the dispatch context changed between
// AlterDenseLayout's pack and the build; reading the panels with another width would compute garbage.)

import { beforeAll, describe, expect, it } from 'vitest';
import type { ConfigEntity } from '../../autotune/space.js';
import { createTask, tensorArg } from '../../autotune/task.js';
import { densePack } from '../../ops/dense_pack.js';
import { registerAll } from '../../ops/register.js';
import { scheduleGemmWasm } from '../../ops/templates/gemm_wasm.js';
import { createSchedule } from '../../schedule/schedule.js';
import { placeholder } from '../../schedule/tensor.js';

const [M, K, N] = [17, 33, 13];

describe('gemm wasm template on a prepacked weight', () => {
  let configs: ConfigEntity[] = [];
  beforeAll(() => {
    registerAll();
    const task = createTask('dense.wasm', [tensorArg([M, K]), tensorArg([N, K])], 'wasm');
    configs = Array.from({ length: task.space.length }, (_, i) => i).filter((i) => task.space.isIndexValid(i)).map((i) => task.space.entityAt(i));
  });

  /** The first config with pack_b `pack` and tile_x inner `tx`. */
  const config = (pack: boolean, tx: number): ConfigEntity => configs.find((e) => e.getKnob('pack_b').val === pack && e.getSplit('tile_x').size[1] === tx)!;
  /** Schedules densePack on panels of `bn` with `cfg`. */
  const schedule = (cfg: ConfigEntity, bn: number) => () => {
    const Y = densePack(placeholder([M, K], 'float32', 'X'), placeholder([Math.ceil(N / bn), K, bn], 'float32', 'Wp'), N);
    scheduleGemmWasm(cfg, createSchedule(Y), Y, [Y]);
  };

  it('accepts pack_b on with tile_x = bn, for each bn the space has', () => {
    const widths = [...new Set(configs.filter((e) => e.getKnob('pack_b').val === true).map((e) => e.getSplit('tile_x').size[1]!))];
    expect(widths.length).toBeGreaterThanOrEqual(3);
    for (const bn of widths) expect(schedule(config(true, bn), bn), `bn ${bn}`).not.toThrow();
  });

  it('refuses pack_b off at tile_x bn, pack_b on at another tile_x, and both, naming each', () => {
    const msg = (bn: number, pack: boolean, tx: number): string =>
      `gemm wasm template: Y reads a weight packed at build time in panels of ${bn}, but its config has pack_b ${pack} and tile_x ${tx} (build and pack with the same tuning records)`;
    for (const [pack, tx, bn] of [[false, 4, 4], [false, 1, 1], [true, 4, 2], [true, 1, 4], [false, 2, 4]] as const) {
      const cfg = config(pack, tx);
      expect(cfg, `a config with pack_b ${pack}, tile_x ${tx}`).toBeDefined();
      expect(schedule(cfg, bn), `pack_b ${pack} tile_x ${tx} on panels of ${bn}`).toThrow(RangeError);
      expect(schedule(cfg, bn)).toThrow(msg(bn, pack, tx));
    }
  });
});
