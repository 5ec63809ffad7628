// tests/codegen/wgsl/legalize_lanes_const_base.test.ts — webgpu.legalizeLanes slicing a Ramp whose base
// is a constant and whose stride is known only at run time (survivor of the session-11 sample,
// legalize_lanes.ts:16: folding base + off·stride needs *both* constant). Y[0..8) = X[ramp(3, s, 8)]
// for s = P[0] ∈ {0, 1, 2, 5}: the 8-lane gather is split into two 4-lane pieces, the second starting
// at 3 + 4s, and interpreting the legalized function equals plain JS.

import { describe, expect, it } from 'vitest';
import { legalizeLanes } from '../../../codegen/wgsl/legalize_lanes.js';
import { interpret } from '../../../tir/interpreter.js';
import * as T from '../../../tir/nodes.js';

const X = T.buffer('X', [64], 'float32');
const P = T.buffer('P', [1], 'int32');
const Y = T.buffer('Y', [8], 'float32');
const s = T.variable('s');

describe('legalizeLanes, constant base and run-time stride', () => {
  const f = T.primFunc('const_base', [X, P, Y], T.letStmt(s, T.bufferLoad(P, [T.intImm(0)]),
    T.bufferStore(Y, T.bufferLoad(X, [T.ramp(T.intImm(3), s, 8)]), [T.ramp(T.intImm(0), T.intImm(1), 8)])));
  const xs = Float32Array.from({ length: 64 }, (_, i) => i * 1.5 - 7);

  it('splits into 4 + 4 lanes and gathers X[3 + s·l] (plain JS)', () => {
    const g = legalizeLanes(f);
    expect(g).not.toBe(f);
    for (const st of [0, 1, 2, 5]) {
      const y = new Float32Array(8);
      interpret(g, [xs, Int32Array.of(st), y]);
      expect(Array.from(y), `stride ${st}`).toEqual(Array.from({ length: 8 }, (_, l) => xs[3 + st * l]!));
    }
  });
});
