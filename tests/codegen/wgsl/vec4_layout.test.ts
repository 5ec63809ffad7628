// tests/codegen/wgsl/vec4_layout.test.ts — which shared/local arrays are declared as vec4 (found
// tested only through whole kernels by mutation testing, fresh sample seed 51): multipleOf4 is
// sound (checked against plain-JS evaluation on random expressions and variable values) and
// exact on the usual cases; vec4Arrays takes aligned 4-lane accesses of 32-bit 1-D shared or
// local arrays whose size is a multiple of 4, and nothing else.

import { describe, expect, it } from 'vitest';
import * as t from '../../../tir/nodes.js';
import { alignedVec4Base, multipleOf4, vec4Arrays } from '../../../codegen/wgsl/vec4_layout.js';

const c = (n: number): t.IntImm => t.intImm(n);
const [x, y] = [t.variable('x'), t.variable('y')];

/** Plain-JS value of an integer expression of IntImm, x, y, add, sub, mul. */
function evalInt(e: t.PrimExpr, env: Map<t.Var, number>): number {
  if (e.kind === 'IntImm') return e.value;
  if (e.kind === 'Var') return env.get(e)!;
  if (e.kind === 'BinaryOp') {
    const [a, b] = [evalInt(e.a, env), evalInt(e.b, env)];
    if (e.op === 'add') return a + b;
    if (e.op === 'sub') return a - b;
    if (e.op === 'mul') return a * b;
  }
  throw new Error(`evalInt: ${e.kind}`);
}

describe('multipleOf4', () => {
  it('answers the usual index shapes exactly', () => {
    const cases: [t.PrimExpr, boolean][] = [
      [c(0), true], [c(8), true], [c(-4), true], [c(6), false], [c(1), false],
      [t.mul(x, c(4)), true], [t.mul(c(8), x), true], [t.mul(x, c(2)), false], [t.mul(x, y), false],
      [t.add(t.mul(x, c(4)), c(8)), true], [t.add(t.mul(x, c(4)), c(2)), false], [t.add(c(2), t.mul(x, c(4))), false],
      [t.sub(c(8), t.mul(x, c(4))), true], [t.sub(t.mul(x, c(4)), c(1)), false], [t.sub(c(3), t.mul(y, c(4))), false],
      [t.floordiv(t.mul(x, c(16)), c(4)), false], [x, false],
    ];
    for (const [e, want] of cases) expect(multipleOf4(e), JSON.stringify(e)).toBe(want);
  });

  it('is sound: whenever it says yes, every value of the variables gives a multiple of 4', () => {
    let s = 12345;
    const rand = (n: number): number => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return (s >>> 8) % n;
    };
    const gen = (depth: number): t.PrimExpr => {
      const r = rand(depth > 0 ? 6 : 3);
      if (r === 0) return c(rand(17) - 8);
      if (r === 1) return x;
      if (r === 2) return y;
      const [a, b] = [gen(depth - 1), gen(depth - 1)];
      return r === 3 ? t.add(a, b) : r === 4 ? t.sub(a, b) : t.mul(a, b);
    };
    let yes = 0;
    for (let n = 0; n < 400; n++) {
      const e = gen(3);
      if (!multipleOf4(e)) continue;
      yes++;
      for (let k = 0; k < 8; k++) {
        const v = evalInt(e, new Map([[x, rand(23) - 11], [y, rand(23) - 11]]));
        expect(((v % 4) + 4) % 4, JSON.stringify(e)).toBe(0);
      }
    }
    expect(yes).toBeGreaterThan(20); // the property was exercised
  });
});

describe('alignedVec4Base', () => {
  it('gives the base of a 4-lane unit-stride ramp at a multiple of 4, else undefined', () => {
    const base = t.mul(x, c(4));
    expect(alignedVec4Base(t.ramp(base, c(1), 4))).toBe(base);
    expect(alignedVec4Base(t.ramp(t.add(base, c(2)), c(1), 4))).toBeUndefined();
    expect(alignedVec4Base(t.ramp(base, c(2), 4))).toBeUndefined();
    expect(alignedVec4Base(t.ramp(base, c(1), 8))).toBeUndefined();
    expect(alignedVec4Base(base)).toBeUndefined();
  });
});

describe('vec4Arrays', () => {
  const G = t.buffer('G', [64], 'float32');
  /** A kernel reading `b` at ramp(4·tx, 1, 4) into G. */
  const readsAligned = (b: t.Buffer): t.Stmt => {
    const tx = t.variable('tx');
    const out = b.dtype === 'float32' ? G : t.buffer('G', [64], b.dtype);
    return t.forLoop(tx, 0, 4, 'threadBinding', t.bufferStore(out, t.bufferLoad(b, [t.ramp(t.mul(tx, c(4)), c(1), 4)]), [t.ramp(t.mul(tx, c(4)), c(1), 4)]), { threadTag: 'threadIdx.x' });
  };

  it('takes 32-bit 1-D shared and local arrays read with aligned vec4 accesses', () => {
    for (const [scope, dtype] of [['shared', 'float32'], ['local', 'float32'], ['shared', 'int32']] as const) {
      const S = t.buffer('S', [16], dtype, scope);
      const got = vec4Arrays(t.allocate(S, readsAligned(S)));
      expect([...got].map((b) => b.name), `${scope} ${dtype}`).toEqual(['S']);
    }
  });

  it('leaves out global arrays, bool arrays, sizes that are not a multiple of 4, and unaligned accesses', () => {
    const global = t.buffer('S', [16], 'float32');
    expect(vec4Arrays(readsAligned(global)).size).toBe(0);
    const odd = t.buffer('S', [18], 'float32', 'shared');
    expect(vec4Arrays(t.allocate(odd, readsAligned(odd))).size).toBe(0);
    const bools = t.buffer('S', [16], 'bool', 'shared');
    const tx = t.variable('tx');
    const boolRead = t.forLoop(tx, 0, 4, 'threadBinding', t.bufferStore(G,
      t.select(t.bufferLoad(bools, [t.ramp(t.mul(tx, c(4)), c(1), 4)]), t.broadcast(t.floatImm(1), 4), t.broadcast(t.floatImm(0), 4)),
      [t.ramp(t.mul(tx, c(4)), c(1), 4)]), { threadTag: 'threadIdx.x' });
    expect(vec4Arrays(t.allocate(bools, boolRead)).size).toBe(0);
    const S = t.buffer('S', [16], 'float32', 'shared');
    const unaligned = t.forLoop(tx, 0, 3, 'threadBinding', t.bufferStore(G, t.bufferLoad(S, [t.ramp(t.add(t.mul(tx, c(4)), c(1)), c(1), 4)]), [t.ramp(t.mul(tx, c(4)), c(1), 4)]), { threadTag: 'threadIdx.x' });
    expect(vec4Arrays(t.allocate(S, unaligned)).size).toBe(0);
  });
});
