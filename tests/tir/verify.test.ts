// tests/tir/verify.test.ts — the IR checker between passes and the post-lowering contract.
import { describe, expect, it } from 'vitest';
import * as t from '../../tir/nodes.js';
import { verify, verifyErrors } from '../../tir/verify.js';
import { c, vars } from './helpers.js';

describe('verify', () => {
  it('accepts a well-formed lowered function', () => {
    const A = t.buffer('A', [16], 'float32');
    const [i] = vars('i');
    const f = t.primFunc('ok', [A], t.forLoop(i!, 0, 4, 'serial',
      t.bufferStore(A, t.broadcast(t.floatImm(0), 4), [t.ramp(t.mul(i!, c(4)), c(1), 4)])), { argShapes: [[4, 4]] });
    expect(verifyErrors(f, { lowered: true })).toEqual([]);
  });

  it('lists at most 20 problems, each with the first line of the offending node', () => {
    // 25 stores of unbound variables q0…q24: 25 problems, 20 listed
    const A = t.buffer('A', [64], 'float32');
    const qs = Array.from({ length: 25 }, (_, k) => t.variable(`q${k}`));
    const many = t.primFunc('many', [A], t.seq(qs.map((q) => t.bufferStore(A, t.floatImm(0), [q]))));
    const errors = verifyErrors(many);
    expect(errors.length).toBe(20);
    expect(errors[0]).toBe('variable q0 is used but not bound (at: q0)');
    expect(errors[19]).toMatch(/^variable q19 /);
    // a compound node: only its first printed line, e.g. the loop header, not its body
    const [i] = vars('i');
    const B = t.buffer('B', [4], 'float32');
    const loop = t.forLoop(i!, 0, 4, 'serial', t.bufferStore(A, t.floatImm(1), [i!]));
    const outside = t.primFunc('outside', [A], t.allocate(B, loop));
    const escaped = t.primFunc('escaped', [A], t.seq([t.allocate(B, t.evaluate(c(0))), t.forLoop(i!, 0, 4, 'serial', t.seq([t.bufferStore(B, t.floatImm(2), [i!]), t.bufferStore(A, t.floatImm(1), [i!])]))]));
    expect(verifyErrors(outside)).toEqual([]);
    const [msg] = verifyErrors(escaped);
    expect(msg).toMatch(/^buffer B .*\(at: B\[i\] = 2/);
    expect(msg).not.toContain('\n');
  });

  it('after lowering, argShapes must list every parameter', () => {
    const A = t.buffer('A', [4], 'float32');
    const B = t.buffer('B', [4], 'float32');
    const [i] = vars('i');
    const body = t.forLoop(i!, 0, 4, 'serial', t.bufferStore(B, t.bufferLoad(A, [i!]), [i!]));
    expect(verifyErrors(t.primFunc('ok', [A, B], body, { argShapes: [[4], [4]] }), { lowered: true })).toEqual([]);
    expect(verifyErrors(t.primFunc('short', [A, B], body, { argShapes: [[4]] }), { lowered: true }))
      .toEqual(['attrs.argShapes is missing or does not list every parameter']);
  });

  it('reports a variable that nothing binds', () => {
    const A = t.buffer('A', [16], 'float32');
    const f = t.primFunc('bad', [A], t.bufferStore(A, t.floatImm(0), [t.variable('q')]));
    expect(() => verify(f, { where: 'tir.test' })).toThrow(/invalid TIR in bad after tir\.test:\n {2}variable q is used but not bound/);
  });

  it('reports a buffer used outside its allocation', () => {
    const A = t.buffer('A', [16], 'float32');
    const T = t.buffer('T', [4], 'float32', 'local');
    const f = t.primFunc('bad', [A], t.seq([t.allocate(T, t.noOp()), t.bufferStore(A, t.bufferLoad(T, [c(0)]), [c(0)])]));
    expect(verifyErrors(f).join('\n')).toMatch(/buffer T is neither a parameter nor allocated around its use/);
  });

  it('reports a dtype mismatch built around the factories', () => {
    const A = t.buffer('A', [16], 'float32');
    const bad = { kind: 'BinaryOp', dtype: 'float32', op: 'add', a: t.floatImm(1), b: t.intImm(1) } as const;
    const f = t.primFunc('bad', [A], t.bufferStore(A, bad as t.PrimExpr, [c(0)]));
    expect(verifyErrors(f).join('\n')).toMatch(/add of float32 and int32 typed float32/);
  });

  it('checks the post-lowering contract: flat params, one index, constant extents, argShapes', () => {
    const A = t.buffer('A', [4, 4], 'float32');
    const [i, n] = vars('i', 'n');
    const f = t.primFunc('unlowered', [A], t.forLoop(n!, 0, 4, 'serial', t.forLoop(i!, 0, n!, 'vectorized', t.bufferStore(A, t.floatImm(0), [i!, c(0)]))));
    expect(verifyErrors(f)).toEqual([]);
    const errors = verifyErrors(f, { lowered: true }).join('\n');
    expect(errors).toMatch(/parameter A is 2-d after lowering/);
    expect(errors).toMatch(/attrs.argShapes is missing/);
    expect(errors).toMatch(/loop i has a non-constant extent/);
    expect(errors).toMatch(/loop i is still marked vectorized/);
    expect(errors).toMatch(/A accessed with 2 indices after lowering/);
  });
  it('ends a variable\'s scope with its loop, and keeps an outer binding of the same variable after an inner one', () => {
    const A = t.buffer('A', [16], 'float32');
    const [i] = vars('i');
    const after = t.primFunc('after', [A], t.seq([t.forLoop(i!, 0, 4, 'serial', t.bufferStore(A, t.floatImm(0), [i!])), t.bufferStore(A, t.floatImm(1), [i!])]));
    expect(verifyErrors(after)).toEqual([expect.stringMatching(/^variable i is used but not bound/)]);
    // The same loop variable bound again inside its own loop: after the inner loop, i is still the outer one.
    const nested = t.primFunc('nested', [A], t.forLoop(i!, 0, 4, 'serial', t.seq([
      t.forLoop(i!, 0, 2, 'serial', t.bufferStore(A, t.floatImm(0), [i!])),
      t.bufferStore(A, t.floatImm(1), [i!]),
    ])));
    expect(verifyErrors(nested)).toEqual([]);
  });

  it('reports an index that is not an integer', () => {
    const A = t.buffer('A', [16], 'float32');
    const load = { kind: 'BufferLoad', dtype: 'float32', buffer: A, indices: [t.floatImm(1)] } as const;
    const f = t.primFunc('bad', [A], t.bufferStore(A, load as unknown as t.PrimExpr, [c(0)]));
    expect(verifyErrors(f)).toEqual([expect.stringMatching(/^index of A has dtype float32 \(at: /)]);
  });

  it('checks te reads and reductions before lowering (indices, reduce axes in scope) and refuses them after', () => {
    const A = t.buffer('A', [16], 'float32');
    const P = { name: 'P', shape: [c(16)], dtype: 'float32' as const };
    const k = t.iterVar(t.range(0, 16), 'k', 'reduce');
    const q = t.variable('q');
    const read = (ix: t.PrimExpr): t.PrimExpr => t.producerLoad(P, [ix]);
    const fnOf = (v: t.PrimExpr): t.PrimFunc => t.primFunc('te', [A], t.bufferStore(A, v, [c(0)]), { argShapes: [[16]] });
    const sum = t.reduce('sum', read(k.variable), [k]);
    expect(verifyErrors(fnOf(sum))).toEqual([]);
    expect(verifyErrors(fnOf(read(q)))).toEqual([expect.stringMatching(/^variable q is used but not bound/)]);
    expect(verifyErrors(fnOf(t.reduce('sum', read(q), [k])))).toEqual([expect.stringMatching(/^variable q is used but not bound/)]);
    // k is bound only inside its reduction.
    expect(verifyErrors(fnOf(t.add(sum, read(k.variable))))).toEqual([expect.stringMatching(/^variable k is used but not bound/)]);
    expect(verifyErrors(fnOf(read(c(3))), { lowered: true })).toEqual([expect.stringMatching(/^ProducerLoad left after lowering/)]);
    expect(verifyErrors(fnOf(t.reduce('sum', t.floatImm(1), [k])), { lowered: true })).toEqual([expect.stringMatching(/^Reduce left after lowering/)]);
  });
});
