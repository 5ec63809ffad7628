// tests/codegen/wasm/hoist_invariants_chains.test.ts — what wasm.hoistInvariants
// (codegen/wasm/hoist_invariants.ts) makes of one row loop, read from the pass's own output: the
// invariant part of an address chain summed once (`i·8`, and `0 − i·8` when it is subtracted), the
// chain's constants folded to one added last (`+ 3 − 1` → `+ 2`), a row guard hoisted and the row
// unswitched (the fast copy's select gone), a local buffer's indices left alone (promotion needs them
// as written); and the same kernel on every wasm config against plain JS.

import { describe, expect, it } from 'vitest';
import { hoistInvariantsPass } from '../../../codegen/wasm/hoist_invariants.js';
import { currentPassContext } from '../../../tir/pass_context.js';
import { print } from '../../../tir/printer.js';
import * as T from '../../../tir/nodes.js';
import { CONFIGS, runWasm, seededFloats } from './wasm_harness.js';

const f32 = Math.fround;
const X = T.buffer('X', [64], 'float32');
const O = T.buffer('O', [48], 'float32');
const L = T.buffer('L', [4], 'float32', 'local');
const i = T.variable('i');
const j = T.variable('j');
const n = T.intImm;
/**
 * for i < 6: for j < 8:
 *   O[8i + j] = X[8i + j + 3 − 1] + X[j − 8i + 40]
 *   O[j] = select(1 ≤ i < 5, X[j], −1)
 *   L[(i + 1) mod 4] = i; O[j] = L[(i + 1) mod 4] + O[j]
 */
const f = T.primFunc('chains', [X, O], T.forLoop(i, 0, 6, 'serial', T.forLoop(j, 0, 8, 'serial', T.seq([
  T.bufferStore(O, T.add(T.bufferLoad(X, [T.sub(T.add(T.add(T.mul(i, n(8)), j), n(3)), n(1))]), T.bufferLoad(X, [T.add(T.sub(j, T.mul(i, n(8))), n(40))])),
    [T.add(T.mul(i, n(8)), j)]),
  T.bufferStore(O, T.select(T.and(T.compare('ge', i, n(1)), T.compare('lt', i, n(5))), T.bufferLoad(X, [j]), T.floatImm(-1)), [j]),
  T.allocate(L, T.seq([
    T.bufferStore(L, T.cast('float32', i), [T.binary('floormod', T.add(i, n(1)), n(4))]),
    T.bufferStore(O, T.add(T.bufferLoad(L, [T.binary('floormod', T.add(i, n(1)), n(4))]), T.bufferLoad(O, [j])), [j]),
  ])),
]))));

const P = T.buffer('P', [1], 'int32');
const G = T.buffer('G', [64], 'float32', 'global');
const sv = T.variable('s');
/**
 * s = P[0]; for i < 6: allocate G (global scope); for j < 8:
 *   O[j − i + 8] = X[8i + 2s + j] + X[2s + 8i + j + 1]   (one lone invariant Var; one sum in two orders)
 *   G[8i + j] = X[j]; O[8i + j] = G[8i + j]             (a global-scope allocation: hoisted like a param)
 */
const g = T.primFunc('chains2', [X, P, O], T.letStmt(sv, T.bufferLoad(P, [n(0)]), T.forLoop(i, 0, 5, 'serial', T.allocate(G, T.forLoop(j, 0, 8, 'serial', T.seq([
  T.bufferStore(O, T.add(T.bufferLoad(X, [T.add(T.add(T.mul(i, n(8)), T.mul(sv, n(2))), j)]), T.bufferLoad(X, [T.add(T.add(T.add(T.mul(sv, n(2)), T.mul(i, n(8))), j), n(1))])),
    [T.add(T.sub(j, i), n(8))]),
  T.bufferStore(G, T.bufferLoad(X, [j]), [T.add(T.mul(i, n(8)), j)]),
  T.bufferStore(O, T.bufferLoad(G, [T.add(T.mul(i, n(8)), j)]), [T.add(T.mul(i, n(8)), j)]),
]))))));

describe('wasm.hoistInvariants on address chains, guards and local buffers', () => {
  it('a lone invariant variable stays in its chain; one invariant sum in two orders is one let; a global-scope allocation is hoisted through', () => {
    const text = print(hoistInvariantsPass().run(g, currentPassContext()));
    // Terms print in either order (a new variable's id decides): match both.
    expect(text, text).toContain('O[0 - i + j + 8]');
    const sums = [...text.matchAll(/(inv\d+): int32 = (.*)/g)].map((m) => m[2]);
    expect(sums.filter((e) => /i \* 8/.test(e!) && /s \* 2/.test(e!)), text).toHaveLength(1);
    expect(sums.filter((e) => e === 'i * 8'), text).toHaveLength(1);
    expect(text).toMatch(/G\[(?:j \+ inv\d+|inv\d+ \+ j)\] = X\[j\]/);
    expect(text).not.toMatch(/inv\d+: int32 = 0 - i\n/);
  });

  it('the second kernel on every wasm config equals plain JS', async () => {
    const x = seededFloats(64, 4, -2, 2);
    for (const s0 of [0, 3]) {
      const want = new Float32Array(48).fill(Number.NaN);
      for (let ii = 0; ii < 5; ii++) {
        for (let jj = 0; jj < 8; jj++) {
          want[jj - ii + 8] = f32(x[8 * ii + 2 * s0 + jj]! + x[2 * s0 + 8 * ii + jj + 1]!);
          want[8 * ii + jj] = x[jj]!;
        }
      }
      for (const target of CONFIGS) {
        const o = (await runWasm(g, [x.slice(), Int32Array.of(s0), new Float32Array(48).fill(Number.NaN)], target))[2]!;
        expect(Array.from(o), `${target} s=${s0}`).toEqual(Array.from(want));
      }
    }
  });

  it('the pass output: one let per invariant sum, constants folded last, the row unswitched, local indices untouched', () => {
    const text = print(hoistInvariantsPass().run(f, currentPassContext()));
    expect(text).toContain('inv0: int32 = i * 8');
    expect(text).toContain('inv1: int32 = 0 - i * 8');
    expect(text).toMatch(/inv2: bool = i >= 1 && i < 5\n\s*if inv2:/);
    // Both copies of the row read through the hoisted sums, with the constants last.
    // Terms print in either order (a new variable's id decides): match both.
    expect(text.match(/X\[(?:j \+ inv0|inv0 \+ j) \+ 2\] \+ X\[(?:j \+ inv1|inv1 \+ j) \+ 40\]/g)?.length, text).toBe(2);
    expect(text.match(/O\[(?:j \+ inv0|inv0 \+ j)\] =/g)?.length).toBe(2);
    // The fast copy has no select; the slow one keeps it.
    expect(text.split('select(').length - 1).toBe(1);
    expect(text).toContain('O[j] = X[j]');
    expect(text).toContain('select(inv2, X[j], -1.0)');
    // The local buffer's index stays as written in both copies.
    expect(text.split('L[(i + 1) % 4] = float32(i)').length - 1, text).toBe(2);
    expect(text).not.toMatch(/L\[inv/);
    expect(text).not.toMatch(/inv3/);
  });

  it('the same kernel on every wasm config equals plain JS', async () => {
    const x = seededFloats(64, 9, -2, 2);
    const want = new Float32Array(48);
    for (let ii = 0; ii < 6; ii++) {
      for (let jj = 0; jj < 8; jj++) {
        want[ii * 8 + jj] = f32(x[ii * 8 + jj + 2]! + x[jj - ii * 8 + 40]!);
        want[jj] = ii >= 1 && ii < 5 ? x[jj]! : -1;
        want[jj] = f32(ii + want[jj]!);
      }
    }
    for (const target of CONFIGS) {
      const o = (await runWasm(f, [x.slice(), new Float32Array(48).fill(Number.NaN)], target))[1]!;
      expect(Array.from(o), target).toEqual(Array.from(want));
    }
  });
});
