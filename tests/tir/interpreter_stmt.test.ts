// tests/tir/interpreter_stmt.test.ts — property test of the interpreter's statements and of the
// lowering passes on them: random programs (tests/reference/random_stmt.ts: serial and unrolled
// loops, if/else, lets, local scratch accumulators, read-modify-write stores) interpreted as
// written and after runLoweringPasses, against the same program run in plain JS.

import fc from 'fast-check';
import { describe, it } from 'vitest';
import { interpret } from '../../tir/interpreter.js';
import { runLoweringPasses } from '../../tir/pipeline.js';
import { print } from '../../tir/printer.js';
import { stmtFunc, stmtInputs, stmtR, stmtWant } from '../reference/random_stmt.js';

describe('interpreter statements against plain JS (property)', () => {
  it('random programs give what plain JS gives, as written and lowered', () => {
    fc.assert(fc.property(stmtR, fc.nat(1000), (s, seed) => {
      const { x, y } = stmtInputs(seed);
      const want = stmtWant(s, x, y);
      const raw = stmtFunc(s);
      for (const f of [raw, runLoweringPasses(raw).func]) {
        const got = Float32Array.from(y);
        interpret(f, [x, got]);
        const at = want.findIndex((w, i) => w !== got[i]);
        if (at >= 0) throw new Error(`Y[${at}] = ${got[at]}, plain JS ${want[at]}\n${print(f)}`);
      }
    }), { numRuns: 300, seed: 1492 });
  });
});
