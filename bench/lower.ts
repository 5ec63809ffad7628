// bench/lower.ts — how long create + schedule + lower takes for a tiled, vectorized conv2d NCHW
// (ResNet-18 layer: 1×64×56×56 → 64, 3×3, pad 1). Tuning lowers thousands of candidates, so
// this should stay well under 5 ms. Run: npx tsx bench/lower.ts

import { median } from 'simple-statistics';
import * as te from '../schedule/index.js';
import { benchArgs } from './bench_args.js';
import type { PrimFunc } from '../tir/nodes.js';

benchArgs({ script: 'bench/lower.ts', about: 'Time of create + schedule + lower for a tiled, vectorized ResNet-18 conv2d (1×64×56×56 → 64, 3×3); no options.', options: {}, help: {} });

const [N, C, H, W, K, R, P] = [1, 64, 56, 56, 64, 3, 1];

/** Builds the conv2d compute and a typical CPU schedule, then lowers it. */
function createScheduleLower(): PrimFunc {
  const X = te.placeholder([N, C, H, W], 'float32', 'X');
  const Wt = te.placeholder([K, C, R, R], 'float32', 'W');
  const Hp = H + 2 * P, Wp = W + 2 * P;
  const pad = te.compute([N, C, Hp, Wp], (n, c, y, x) => te.select(
    te.all(y.ge(P), y.lt(H + P), x.ge(P), x.lt(W + P)),
    X.at(n, c, te.minimum(te.maximum(y.sub(P), 0), H - 1), te.minimum(te.maximum(x.sub(P), 0), W - 1)), 0), 'pad');
  const rc = te.reduceAxis(C, 'rc');
  const ry = te.reduceAxis(R, 'ry');
  const rx = te.reduceAxis(R, 'rx');
  const out = te.compute([N, K, Hp - R + 1, Wp - R + 1],
    (n, k, y, x) => te.sum(pad.at(n, rc, y.add(ry), x.add(rx)).mul(Wt.at(k, rc, ry, rx)), [rc, ry, rx]), 'conv');
  const s = te.createSchedule([out]);
  s.stage(pad).computeInline();
  const c = s.stage(out);
  const [n, k, y, x] = c.axis;
  const [ko, ki] = c.split(k!, { factor: 16 });
  const [xo, xi] = c.split(x!, { factor: 8 });
  c.reorder(n!, ko, y!, xo, rc, ry, rx, ki, xi);
  c.vectorize(xi);
  c.unroll(rx);
  c.parallel(ko);
  return te.lower(s, [X, Wt, out], { name: 'conv2d_resnet18' });
}

function main(): void {
  for (let i = 0; i < 20; i++) createScheduleLower();
  const times: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t0 = performance.now();
    createScheduleLower();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  console.log(`create + schedule + lower conv2d 1x64x56x56 -> 64, 3x3, pad 1 (tiled, vectorized): ` +
    `median ${median(times).toFixed(3)} ms, min ${times[0]!.toFixed(3)} ms, p90 ${times[Math.floor(times.length * 0.9)]!.toFixed(3)} ms (${times.length} runs)`);
}

main();
