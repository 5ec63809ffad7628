// tests/tir/passes/vectorize_loop_cases.test.ts — vectorizeLoop on bodies the te lowering rarely
// gives it: a lazy if_then_else whose arms vary with the lane (scalar condition: one lazy branch;
// per-lane condition: a select whose arm not taken may index out of range), Let expressions (an
// invariant scalar, an affine index substituted, a vector value bound to a new vector variable),
// and the loops it must leave scalar with a reason (vectors already in the body, an unlowered
// ProducerLoad, an allocation, an extent over the lane limit). Values against plain JS.

import { describe, expect, it } from 'vitest';
import * as t from '../../../tir/nodes.js';
import { MAX_VECTOR_LANES, VECTORIZE_FAILED, vectorizeLoop } from '../../../tir/passes/vectorize_loop.js';
import { interpret } from '../../../tir/interpreter.js';
import { print } from '../../../tir/printer.js';

const N = 16;
const A = t.buffer('A', [N], 'float32');
const B = t.buffer('B', [N], 'float32');
const o = t.variable('o');
const i = t.variable('i');
const a0 = Float32Array.from({ length: N }, (_, k) => Math.fround(k * 1.5 - 7));
const ix = t.add(t.mul(o, t.intImm(4)), i);

/** for o in [0, 4): for i in [0, 4) vectorized: B[4o + i] = value(4o + i) */
function kernel(value: t.PrimExpr): t.PrimFunc {
  return t.primFunc('f', [A, B], t.forLoop(o, 0, N / 4, 'serial', t.forLoop(i, 0, 4, 'vectorized', t.bufferStore(B, value, [ix]))));
}

function innerOf(f: t.PrimFunc): t.Stmt {
  expect(f.body.kind).toBe('For');
  return (f.body as t.For).body;
}

function runJS(f: t.PrimFunc, want: (k: number) => number): void {
  const b = new Float32Array(N);
  interpret(f, [a0.slice(), b]);
  expect([...b], print(f)).toEqual(Array.from({ length: N }, (_, k) => Math.fround(want(k))));
}

const load = (e: t.PrimExpr): t.PrimExpr => t.bufferLoad(A, [e]);

describe('vectorizeLoop: if_then_else', () => {
  it('a scalar condition stays one lazy branch over vector arms', () => {
    const f = vectorizeLoop(kernel(t.ifThenElseExpr(t.lt(o, t.intImm(2)), t.mul(load(ix), t.floatImm(2)), t.floatImm(-1))));
    const st = innerOf(f) as t.BufferStore;
    expect(st.kind, print(f)).toBe('BufferStore');
    expect(st.value.kind).toBe('Call');
    expect((st.value as t.Call).op).toBe('tir.if_then_else');
    expect((st.value as t.Call).args[0]!.dtype).toBe('bool');
    expect(st.value.dtype).toBe('float32x4');
    runJS(f, (k) => (Math.floor(k / 4) < 2 ? a0[k]! * 2 : -1));
  });

  it('a per-lane condition becomes a select; the arm not taken is never read out of range', () => {
    // B[k] = k < 6 ? A[k] * 2 : A[k - 6]  (k - 6 < 0 in the lanes that take the first arm)
    const f = vectorizeLoop(kernel(t.ifThenElseExpr(t.lt(ix, t.intImm(6)), t.mul(load(ix), t.floatImm(2)), load(t.sub(ix, t.intImm(6))))));
    const st = innerOf(f) as t.BufferStore;
    expect(st.kind, print(f)).toBe('BufferStore');
    expect(st.value.kind, print(f)).toBe('Select');
    expect(st.value.dtype).toBe('float32x4');
    runJS(f, (k) => (k < 6 ? a0[k]! * 2 : a0[k - 6]!));
  });
});

describe('vectorizeLoop: Let expressions', () => {
  it('an invariant scalar let stays scalar, its body vectorized', () => {
    const s = t.variable('s', 'float32');
    const f = vectorizeLoop(kernel(t.letExpr(s, t.cast('float32', t.mul(o, t.intImm(10))), t.add(load(ix), s))));
    const st = innerOf(f) as t.BufferStore;
    expect(st.value.kind, print(f)).toBe('Let');
    expect((st.value as t.Let).variable).toBe(s);
    expect(st.value.dtype).toBe('float32x4');
    runJS(f, (k) => a0[k]! + Math.floor(k / 4) * 10);
  });

  it('an affine index let is substituted, so the load stays one ramp', () => {
    const j = t.variable('j');
    const f = vectorizeLoop(kernel(t.letExpr(j, t.add(ix, t.intImm(0)), t.mul(load(j), t.floatImm(3)))));
    const st = innerOf(f) as t.BufferStore;
    expect(st.value.kind, print(f)).toBe('BinaryOp');
    const ld = (st.value as t.BinaryOp).a as t.BufferLoad;
    expect(ld.kind).toBe('BufferLoad');
    expect(ld.indices[0]!.kind).toBe('Ramp');
    runJS(f, (k) => a0[k]! * 3);
  });

  it('a vector value is bound to a new vector variable', () => {
    const v = t.variable('v', 'float32');
    const f = vectorizeLoop(kernel(t.letExpr(v, t.mul(load(ix), t.floatImm(2)), t.add(v, t.mul(v, v)))));
    const st = innerOf(f) as t.BufferStore;
    expect(st.value.kind, print(f)).toBe('Let');
    const l = st.value as t.Let;
    expect(l.variable).not.toBe(v);
    expect(l.variable.dtype).toBe('float32x4');
    expect(l.variable.name).toBe('v');
    runJS(f, (k) => { const x = Math.fround(a0[k]! * 2); return x + Math.fround(x * x); });
  });

  it('a vector value with a body that does not use it: the body is broadcast to the lanes', () => {
    const v = t.variable('v', 'float32');
    const f = vectorizeLoop(kernel(t.letExpr(v, t.mul(load(ix), t.floatImm(2)), t.cast('float32', o))));
    const st = innerOf(f) as t.BufferStore;
    expect(st.value.dtype, print(f)).toBe('float32x4');
    runJS(f, (k) => Math.floor(k / 4));
  });

  it('a scalar let whose body does not change is kept as the same node', () => {
    const s = t.variable('s', 'float32');
    const value = t.letExpr(s, t.floatImm(2), t.mul(s, s));
    const f = vectorizeLoop(kernel(t.add(value, load(ix))));
    const st = innerOf(f) as t.BufferStore;
    expect(st.value.kind, print(f)).toBe('BinaryOp');
    const a = (st.value as t.BinaryOp).a;
    expect(a.kind).toBe('Broadcast');
    expect((a as t.Broadcast).value).toBe(value);
    runJS(f, (k) => 4 + a0[k]!);
  });
});

describe('vectorizeLoop: loops left scalar, with the reason', () => {
  function reasonOf(f: t.PrimFunc): string | undefined {
    let s: t.Stmt = f.body;
    while (s.kind === 'For' && s.forKind !== 'serial') s = s.body;
    if (s.kind === 'For' && (s.body.kind === 'For')) s = s.body;
    expect(s.kind, print(f)).toBe('For');
    return (s as t.For).annotations[VECTORIZE_FAILED] as string | undefined;
  }

  it('a body that already holds vectors', () => {
    const C = t.buffer('C', [4 * N], 'float32');
    const f = vectorizeLoop(t.primFunc('f', [C], t.forLoop(o, 0, 1, 'serial', t.forLoop(i, 0, 4, 'vectorized',
      t.bufferStore(C, t.broadcast(t.floatImm(1), 4), [t.ramp(t.mul(i, t.intImm(4)), t.intImm(1), 4)])))));
    expect(reasonOf(f)).toBe('the body already holds vectors (nested vectorized loops)');
  });

  it('a ProducerLoad left unlowered', () => {
    const P: t.DataProducer = { name: 'P', shape: [t.intImm(N)], dtype: 'float32' };
    const f = vectorizeLoop(kernel(t.producerLoad(P, [ix])));
    expect(reasonOf(f)).toBe('ProducerLoad in the body (lower the function first)');
  });

  it('an allocation inside the loop', () => {
    const T = t.buffer('T', [1], 'float32', 'local');
    const f = vectorizeLoop(t.primFunc('f', [A, B], t.forLoop(o, 0, 4, 'serial', t.forLoop(i, 0, 4, 'vectorized',
      t.allocate(T, t.bufferStore(B, load(ix), [ix]))))));
    expect(reasonOf(f)).toBe('an allocation (T) inside the loop');
  });

  it('an extent over the lane limit (and exactly at it, vectorized)', () => {
    const big = MAX_VECTOR_LANES + 1;
    const C = t.buffer('C', [big], 'float32');
    const f = vectorizeLoop(t.primFunc('f', [C], t.forLoop(o, 0, 1, 'serial', t.forLoop(i, 0, big, 'vectorized', t.bufferStore(C, t.floatImm(1), [i])))));
    expect(reasonOf(f)).toBe(`the extent ${big} is over the ${MAX_VECTOR_LANES}-lane limit; split the axis and vectorize the inner part (4 or 8 lanes)`);
    const D = t.buffer('D', [MAX_VECTOR_LANES], 'float32');
    const g = vectorizeLoop(t.primFunc('g', [D], t.forLoop(o, 0, 1, 'serial', t.forLoop(i, 0, MAX_VECTOR_LANES, 'vectorized', t.bufferStore(D, t.cast('float32', i), [i])))));
    const st = (g.body as t.For).body;
    expect(st.kind, print(g)).toBe('BufferStore');
    const d = new Float32Array(MAX_VECTOR_LANES);
    interpret(g, [d]);
    expect([...d]).toEqual(Array.from({ length: MAX_VECTOR_LANES }, (_, k) => k));
  });
});
