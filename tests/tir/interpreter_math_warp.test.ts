// tests/tir/interpreter_math_warp.test.ts — the interpreter refuses tir.warp_shuffle (it runs the
// lanes of a subgroup one after another, so it cannot read another lane's value), saying what to
// do instead: interpret the function before the webgpu target passes.

import { describe, expect, it } from 'vitest';
import * as t from '../../tir/nodes.js';
import { interpret } from '../../tir/interpreter.js';

describe('tir.warp_shuffle in the interpreter', () => {
  it('is refused by the interpreter with what to do instead', () => {
    const B = t.buffer('B', [4], 'float32');
    const i = t.variable('i');
    const f = t.primFunc('f', [B], t.forLoop(i, 0, 4, 'serial', t.bufferStore(B, t.call('tir.warp_shuffle', [t.bufferLoad(B, [i]), t.intImm(0)]), [i])));
    expect(() => interpret(f, [new Float32Array(4)])).toThrow(/tir\.warp_shuffle reads another lane of a subgroup.*interpret the function before the webgpu target passes/);
  });
});
