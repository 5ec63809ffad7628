// tests/relay/transform/conv_candidates_tasks.test.ts — convCandidates (relay/transform/conv_impl.ts): the two tasks a
// Winograd-capable conv is weighed by, written out for one odd conv (data [1, 6, 9, 7], 12 outputs, padding
// [1, 0, 2, 1]): F(2×2) / F(4×4) on [X, U [α², O, C], padding], and the direct task AlterOpLayout would otherwise make —
// conv2d_nchw on the OIHW weight with stride 1, the padding, dilation 1, groups 1 (NCHW), or conv2d_NCHWc on data and
// weight packed in ops.nchwcBlocks' blocks (6 channels → 2, 12 → 4); a candidate with no template on the target is
// an error naming it. conv_impl.test.ts checks the choice between them.

import { beforeAll, describe, expect, it } from 'vitest';
import { tensorArg } from '../../../autotune/task.js';
import { registerAll } from '../../../ops/register.js';
import { convCandidates, type WinogradConv } from '../../../relay/transform/conv_impl.js';
import { parseTarget } from '../../../target/index.js';

const W: WinogradConv = { data: [1, 6, 9, 7], O: 12, C: 6, padding: [1, 0, 2, 1] };

describe('convCandidates', () => {
  beforeAll(() => registerAll());

  it('NCHW: Winograd of the tile size, and conv2d_nchw with the padding, stride and dilation 1, groups 1', () => {
    for (const [m, template, alpha2] of [[2, 'conv2d_winograd.wasm', 16], [4, 'conv2d_winograd_m4.wasm', 36]] as const) {
      expect(convCandidates(W, false, parseTarget('wasm'), m), `m ${m}`).toEqual({
        winograd: { template, args: [tensorArg([1, 6, 9, 7]), tensorArg([alpha2, 12, 6]), [1, 0, 2, 1]] },
        direct: { template: 'conv2d_nchw.wasm', args: [tensorArg([1, 6, 9, 7]), tensorArg([12, 6, 3, 3]), [1, 1], [1, 0, 2, 1], [1, 1], 1] },
      });
    }
  });

  it('packed: conv2d_NCHWc on NCHW2c data and a weight in blocks of 2 input × 4 output channels', () => {
    expect(convCandidates(W, true, parseTarget('wasm')).direct).toEqual({
      template: 'conv2d_NCHWc.wasm', args: [tensorArg([1, 3, 9, 7, 2]), tensorArg([3, 3, 3, 3, 2, 4]), [1, 1], [1, 0, 2, 1], [1, 1]],
    });
    // The tile size is the default F(2×2).
    expect(convCandidates(W, true, parseTarget('wasm')).winograd.template).toBe('conv2d_winograd.wasm');
  });

  it('a candidate with no template on the target names it', () => {
    const webgpu = parseTarget('webgpu');
    expect(convCandidates(W, false, webgpu).direct.template).toBe('conv2d_nchw.webgpu');
    expect(() => convCandidates(W, true, webgpu)).toThrow(/^AlterOpLayout: conv2d_NCHWc has no webgpu template$/);
  });
});
