// tests/relay/models/winograd_zoo.ts — generated models (seeded weights) for the Winograd rewrite of
// AlterOpLayout: 3×3 stride-1 convs on odd shapes (channels not a multiple of 4, odd H/W, padding 0, 1 and
// asymmetric, batch 2) with bias, relu and residual-add epilogues beside a stride-2 conv, and a 64-channel
// block whose first two convs the default rule makes Winograd (F(4×4) on 7×9, F(2×2) on 7×7) and whose 64 → 16
// conv it leaves direct.

import { rng, weights } from './onnx_builder.js';
import { finish, Graph, type TestModel } from './zoo.js';

/** x [2, 6, 9, 7]: conv+bias+relu, conv + residual x, conv pad 0 → 7 ch + relu, conv pads [1, 0, 0, 1] → 5 ch, conv stride 2 → 8 ch. */
export function oddConvs(): TestModel {
  const g = new Graph(rng(31));
  const a = g.one('Relu', [g.conv('x', 6, 6, 3)]);
  const b = g.one('Add', [g.conv(a, 6, 6, 3, { bias: false }), 'x']);
  const c = g.one('Relu', [g.conv(b, 6, 7, 3, { pad: 0 })]);
  const w = g.init(weights(g.r, [5, 6, 3, 3], 1 / Math.sqrt(54)));
  const d = g.one('Conv', [b, w, g.init(weights(g.r, [5], 0.1), 'b')], { kernel_shape: [3, 3], strides: [1, 1], pads: [1, 0, 0, 1] });
  const e = g.conv(b, 6, 8, 3, { stride: 2 });
  return finish('odd_convs', 13, g, { x: [2, 6, 9, 7] }, [c, d, e]);
}

/** x [1, 64, h, w] (default 7×9): conv 64 → 64 + bias + relu, conv 64 → 64 + residual + relu, conv 64 → 16. */
export function wideConvs(h = 7, w = 9): TestModel {
  const g = new Graph(rng(32));
  const a = g.one('Relu', [g.conv('x', 64, 64, 3)]);
  const b = g.one('Relu', [g.one('Add', [g.conv(a, 64, 64, 3, { bias: false }), 'x'])]);
  return finish('wide_convs', 13, g, { x: [1, 64, h, w] }, [g.conv(b, 64, 16, 3)]);
}
