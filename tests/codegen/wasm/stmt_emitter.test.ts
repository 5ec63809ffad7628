// tests/codegen/wasm/stmt_emitter.test.ts — property test of wasm's statement code (loops serial
// and unrolled, if/else, lets, local scratch buffers promoted to locals, read-modify-write stores)
// on random programs (tests/reference/random_stmt.ts), built as written and after the lowering
// passes, SIMD on and off, against the same program run in plain JS.

import fc from 'fast-check';
import { describe, it } from 'vitest';
import { runLoweringPasses } from '../../../tir/pipeline.js';
import { print } from '../../../tir/printer.js';
import { stmtFunc, stmtInputs, stmtR, stmtWant, type IntR, type StmtR } from '../../reference/random_stmt.js';
import { runWasm } from './wasm_harness.js';

const TARGETS = ['wasm -simd=0 -threads=1', 'wasm -simd=1 -threads=1'];

async function matches(s: StmtR, seed: number, lower: boolean): Promise<void> {
  const { x, y } = stmtInputs(seed);
  const want = stmtWant(s, x, y);
  const raw = stmtFunc(s);
  const f = lower ? runLoweringPasses(raw).func : raw;
  for (const target of TARGETS) {
    const got = (await runWasm(f, [x, Float32Array.from(y)], target))[1]!;
    const at = want.findIndex((w, i) => w !== got[i]);
    if (at >= 0) throw new Error(`${target}${lower ? ', lowered' : ''}: Y[${at}] = ${got[at]}, plain JS ${want[at]}\n${print(f)}`);
  }
}

const v = (i: number): IntR => ({ k: 'var', i });
const c = (n: number): IntR => ({ k: 'const', v: n });
const op = (k: 'add' | 'sub' | 'mul', a: IntR, b: IntR): IntR => ({ k, a, b });

describe('wasm statements against plain JS (property)', () => {
  it('random programs give what plain JS gives, raw and lowered', async () => {
    await fc.assert(fc.asyncProperty(stmtR, fc.nat(1000), fc.boolean(), (s, seed, lower) => matches(s, seed, lower)), { numRuns: 30, seed: 1491 });
  });

  it('a scratch buffer promoted to locals, its indices folded under unrolled loops (sub, mul, add, lets)', async () => {
    // alloc S { for j (unrolled 4): for q (unrolled 3): S[(3 - j)·q + 1 − j] += X[j·3 + q]·1.5; let w = j·2 − 1 … }
    const prog: StmtR = {
      k: 'alloc',
      body: {
        k: 'for', ext: 4, kind: 'unrolled', body: {
          k: 'seq', items: [
            { k: 'for', ext: 3, kind: 'unrolled', body: { k: 'sstore', idx: op('sub', op('add', op('mul', op('sub', c(3), v(0)), v(1)), c(1)), v(0)), val: { k: 'x', idx: op('add', op('mul', v(0), c(3)), v(1)), s: 1.5 } } },
            { k: 'let', val: op('sub', op('mul', v(0), c(2)), c(1)), body: { k: 'sstore', idx: v(1), val: { k: 'cast', a: op('sub', c(5), v(1)) } } },
          ],
        },
      },
    };
    for (const lower of [false, true]) await matches(prog, 7, lower);
  });
});
