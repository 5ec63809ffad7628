// tests/tir/nodes_warp_shuffle.test.ts — call('tir.warp_shuffle', [value, lane]): a value of any
// dtype (a scalar or a vector) and a scalar int32 lane, the result typed as the value; any other
// lane refused by name.

import { describe, expect, it } from 'vitest';
import * as t from '../../tir/nodes.js';

describe('tir.warp_shuffle', () => {
  it('takes a value and an int32 lane; keeps the value dtype', () => {
    const v = t.variable('v', 'float32');
    const lane = t.variable('lane');
    const c = t.call('tir.warp_shuffle', [v, lane]);
    expect(c.dtype).toBe('float32');
    expect(c.args).toEqual([v, lane]);
    expect(t.call('tir.warp_shuffle', [lane, lane]).dtype).toBe('int32');
    expect(() => t.call('tir.warp_shuffle', [v, t.variable('f', 'float32')])).toThrow('call tir.warp_shuffle: the lane must be a scalar int32, got float32');
    expect(t.call('tir.warp_shuffle', [t.broadcast(v, 4), lane]).dtype).toBe('float32x4');
    expect(() => t.call('tir.warp_shuffle', [v, t.broadcast(lane, 4)])).toThrow('call tir.warp_shuffle: the lane must be a scalar int32, got int32x4');
  });
});
