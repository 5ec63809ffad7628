// tests/codegen/wgsl/legalize_lanes_evaluate.test.ts — webgpu.legalizeLanes (codegen/wgsl/
// legalize_lanes.ts) on Evaluate statements: an evaluated 8- or 6-lane vector becomes evaluated
// pieces of at most 4 lanes (WGSL has no wider vectors), in lane order; 4-lane and scalar ones are
// left as they are (the same object).

import { describe, expect, it } from 'vitest';
import { legalizeLanesStmt } from '../../../codegen/wgsl/legalize_lanes.js';
import * as T from '../../../tir/nodes.js';
import { print } from '../../../tir/printer.js';

const A = T.buffer('A', [64], 'float32');
const v = T.variable('v');
/** A[v·lanes + (0 … lanes−1)] + 1, evaluated. */
const wide = (lanes: number): T.Evaluate =>
  T.evaluate(T.add(T.bufferLoad(A, [T.ramp(T.mul(v, T.intImm(lanes)), T.intImm(1), lanes)]), T.broadcast(T.floatImm(1), lanes)));

describe('legalizeLanes on evaluated vectors', () => {
  it('splits 8 lanes into two 4-lane evaluates and 6 lanes into 4 + 2, in lane order', () => {
    for (const [lanes, parts] of [[8, [4, 4]], [6, [4, 2]]] as const) {
      const out = legalizeLanesStmt(wide(lanes));
      expect(out.kind, print(out)).toBe('SeqStmt');
      const seq = (out as T.SeqStmt).seq;
      expect(seq.map((s) => (s.kind === 'Evaluate' ? T.lanesOf(s.value.dtype) : -1))).toEqual(parts);
      // Piece j starts at lane 4j: its ramp base is v·lanes + 4j.
      const text = seq.map((s) => print(s));
      expect(text[0]).toMatch(/ramp\(v \* \d+, 1, 4\)/);
      expect(text[1]).toMatch(new RegExp(`ramp\\(v \\* ${lanes} \\+ 4, 1, ${parts[1]}\\)`));
    }
  });

  it('leaves 4-lane and scalar evaluates alone', () => {
    for (const s of [wide(4), T.evaluate(T.bufferLoad(A, [v])), T.evaluate(T.call('tir.storage_sync', [], 'int32'))]) {
      expect(legalizeLanesStmt(s)).toBe(s);
    }
  });
});
