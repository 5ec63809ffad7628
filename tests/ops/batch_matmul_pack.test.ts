// tests/ops/batch_matmul_pack.test.ts — ops/batch_matmul_pack.ts by its own exports (its values are checked end to
// end against onnxruntime-node in tests/relay/transform/alter_batch_matmul_layout.test.ts and
// batch_prepacked_records.test.ts): batchMatmulPack's shape and attrs, and each bad input changed one part at a time
// from a good one — a rank, a dtype, the batch, the reduced dimension, the units — refused with the problem named;
// batchPrepackWidth's width on wasm (the untuned default's tile_x), and none on webgpu.

import { beforeAll, describe, expect, it } from 'vitest';
import { setTemplateWarningSink } from '../../autotune/apply_template.js';
import { createTask, tensorArg } from '../../autotune/task.js';
import { batchMatmulPack, batchPrepackWidth } from '../../ops/batch_matmul_pack.js';
import { registerAll } from '../../ops/register.js';
import { placeholder } from '../../schedule/tensor.js';

// A [b, M, K] = [3, 5, 7] times B [3, 7, 10] packed in panels of 4: Bp [3, 3, 7, 4] (the last panel half empty).
const A = placeholder([3, 5, 7], 'float32', 'A');
const Bp = placeholder([3, 3, 7, 4], 'float32', 'Bp');

describe('batchMatmulPack', () => {
  it('C [b, M, units] tagged batch_matmul with the unpacked workload (a_shape, b_shape) and packed_bn', () => {
    const C = batchMatmulPack(A, Bp, 10);
    expect(C.dims).toEqual([3, 5, 10]);
    expect(C.dtype).toBe('float32');
    expect(C.op.kind === 'compute' && [C.op.tag, C.op.attrs]).toEqual(['batch_matmul', { a_shape: [3, 5, 7], b_shape: [3, 7, 10], packed_bn: 4 }]);
    // 9 to 12 units fill three panels of 4.
    for (const units of [9, 11, 12]) expect(batchMatmulPack(A, Bp, units).dims).toEqual([3, 5, units]);
  });

  it('refuses each bad input alone, naming it', () => {
    const shapes = /got \[3, 5, 7\] and \[3, 3, 7\]|got \[5, 7\] and \[3, 3, 7, 4\]|got \[1, 3, 5, 7\] and \[3, 3, 7, 4\]/;
    expect(() => batchMatmulPack(placeholder([5, 7], 'float32', 'A2'), Bp, 10)).toThrow(RangeError);
    expect(() => batchMatmulPack(placeholder([5, 7], 'float32', 'A2'), Bp, 10)).toThrow(shapes);
    expect(() => batchMatmulPack(placeholder([1, 3, 5, 7], 'float32', 'A4'), Bp, 10)).toThrow(shapes);
    expect(() => batchMatmulPack(A, placeholder([3, 3, 7], 'float32', 'B3'), 10)).toThrow(/^batchMatmulPack: needs A \[b, M, K\] and a packed weight \[b, N\/bn, K, bn\], got \[3, 5, 7\] and \[3, 3, 7\]$/);
    expect(() => batchMatmulPack(placeholder([3, 5, 7], 'int32', 'Ai'), Bp, 10)).toThrow(TypeError);
    expect(() => batchMatmulPack(placeholder([3, 5, 7], 'int32', 'Ai'), Bp, 10)).toThrow(/^batchMatmulPack: dtypes differ: A is int32, the weight is float32$/);
    expect(() => batchMatmulPack(A, placeholder([3, 3, 7, 4], 'int32', 'Bi'), 10)).toThrow(/^batchMatmulPack: dtypes differ: A is float32, the weight is int32$/);
    const differ = /^batchMatmulPack: A \[3, 5, 7\] and the packed weight \[\d, 3, \d, 4\] differ in the batch or the reduced dimension$/;
    expect(() => batchMatmulPack(A, placeholder([2, 3, 7, 4], 'float32', 'Bb'), 10)).toThrow(differ);
    expect(() => batchMatmulPack(A, placeholder([3, 3, 8, 4], 'float32', 'Bk'), 10)).toThrow(differ);
    for (const [units, need] of [[8, 2], [13, 4], [0, 0], [-4, -1]] as const) {
      expect(() => batchMatmulPack(A, Bp, units), `units ${units}`).toThrow(`batchMatmulPack: ${units} units need ${need} panels of 4, the packed weight has 3`);
    }
    expect(() => batchMatmulPack(A, Bp, 10.5)).toThrow(/^batchMatmulPack: 10\.5 units need/);
  });
});

describe('batchPrepackWidth', () => {
  beforeAll(() => setTemplateWarningSink(() => undefined));

  it('wasm: the untuned default\'s panel width when it packs (tile_x inner), none when it does not', () => {
    // Called before anything registers the templates here: batchPrepackWidth registers them itself.
    const packs: boolean[] = [];
    for (const [aShape, bShape] of [[[3, 17, 37], [3, 37, 29]], [[2, 1, 8], [2, 8, 64]], [[4, 9, 5], [4, 5, 3]], [[2, 64, 64], [2, 64, 64]]] as const) {
      const w = batchPrepackWidth(aShape, bShape, 'wasm');
      registerAll();
      const d = createTask('batch_matmul_prepacked.wasm', [tensorArg([...aShape]), tensorArg([...bShape])] as never, 'wasm').defaultConfig!()!;
      packs.push(d.getKnob('pack_b').val === true);
      expect(w, `${aShape} × ${bShape}`).toBe(d.getKnob('pack_b').val === true ? d.getSplit('tile_x').size[1] : undefined);
    }
    // Both kinds among the cases (M = 1 and a 3-wide B keep B as it is).
    expect(packs).toEqual([true, false, false, true]);
  });

  it('webgpu: none (the weight stays as it is)', () => {
    expect(batchPrepackWidth([3, 17, 37], [3, 37, 29], 'webgpu')).toBeUndefined();
  });
});
