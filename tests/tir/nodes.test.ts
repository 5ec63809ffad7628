// tests/tir/nodes.test.ts — the TIR node builders (tir/nodes.ts): the dtype each builder gives
// (lanes carried through compares, loads, ramps, broadcasts), constants normalised (int32
// wrap, float32 rounding, bool 0/1), every refusal with its message (what the builder is, what
// is wrong), seq flattening, reducer identities and combiners checked by folding plain-JS
// values.

import { describe, expect, it } from 'vitest';
import * as t from '../../tir/nodes.js';

const i32 = (v: number): t.IntImm => t.intImm(v);
const f = (v: number): t.FloatImm => t.floatImm(v);
const x = t.variable('x');
const v = t.variable('v', 'float32');
const b = t.variable('b', 'bool');
const A = t.buffer('A', [4, 8], 'float32');

describe('constants', () => {
  it('normalise their values per dtype', () => {
    expect(t.intImm(2 ** 31).value).toBe(-(2 ** 31));
    expect(t.intImm(5, 'bool').value).toBe(1);
    expect(t.intImm(0, 'bool').value).toBe(0);
    expect(t.floatImm(0.1).value).toBe(Math.fround(0.1));
    // Rounded to float16 like float32's fround: 0.1 is the half 0x2E66 (exponent 11 − 15, mantissa 0x266).
    expect(t.floatImm(0.1, 'float16').value).toBe((1 + 0x266 / 1024) * 2 ** -4);
    expect(t.floatImm(65519, 'float16').value).toBe(65504);
    expect(t.floatImm(-65520, 'float16').value).toBe(-Infinity);
    expect(t.constant(2.7, 'int32')).toMatchObject({ kind: 'IntImm', value: 2 });
    expect(t.constant(-2.7, 'int32')).toMatchObject({ kind: 'IntImm', value: -2 });
    expect(t.constant(0.5, 'bool')).toMatchObject({ kind: 'IntImm', dtype: 'bool', value: 1 });
    expect(t.constant(0, 'bool')).toMatchObject({ value: 0 });
    expect(t.constant(2.5, 'float32')).toMatchObject({ kind: 'FloatImm', value: 2.5 });
    expect(t.asConstInt(i32(7))).toBe(7);
    expect(t.asConstInt(f(7))).toBeUndefined();
    expect(t.asConstInt(x)).toBeUndefined();
  });

  it('refuse what their dtype cannot hold', () => {
    expect(() => t.intImm(1.5)).toThrow('intImm: 1.5 is not an integer');
    expect(() => t.intImm(1, 'float32')).toThrow('intImm: dtype float32 is not an integer type');
    expect(() => t.floatImm(1, 'int32')).toThrow('floatImm: dtype int32 is not a float type');
    expect(() => t.variable('q', 'float13' as t.DataType)).toThrow(/variable q/);
  });

  it('variables get fresh ids', () => {
    expect(t.variable('x').id).not.toBe(x.id);
  });
});

describe('expressions: dtypes and refusals', () => {
  it('binary ops keep the operand dtype and refuse mixed, bool or non-integer div/mod', () => {
    expect(t.add(x, i32(1)).dtype).toBe('int32');
    expect(t.div(v, f(2)).dtype).toBe('float32');
    expect(t.min(v, f(2))).toMatchObject({ kind: 'BinaryOp', op: 'min' });
    expect(() => t.add(x, f(1))).toThrow('add: operand dtypes differ (int32 vs float32); cast one of them first');
    expect(() => t.add(b, b)).toThrow('add: arithmetic on bool operands');
    for (const op of ['floordiv', 'floormod', 'mod'] as const) expect(() => t.binary(op, v, f(2))).toThrow(`${op}: needs integer operands, got float32`);
    expect(t.binary('div', v, f(2)).op).toBe('div');
  });

  it('comparisons give bool with the operand lanes', () => {
    expect(t.lt(x, i32(1)).dtype).toBe('bool');
    const r = t.ramp(x, i32(1), 4);
    expect(t.ge(r, t.broadcast(i32(0), 4)).dtype).toBe('boolx4');
    expect(() => t.eq(x, v)).toThrow('eq: operand dtypes differ');
  });

  it('logical ops and not need bool operands', () => {
    expect(t.and(b, t.lt(x, i32(0))).dtype).toBe('bool');
    expect(t.or(b, b).op).toBe('or');
    expect(t.not(b).dtype).toBe('bool');
    expect(() => t.and(b, x)).toThrow('and: operand must be bool, got int32');
    expect(() => t.and(x, b)).toThrow('and: operand must be bool, got int32');
    expect(() => t.or(b, x)).toThrow('or: operand must be bool, got int32');
    expect(() => t.or(x, b)).toThrow('or: operand must be bool, got int32');
    expect(() => t.not(x)).toThrow('not: operand must be bool, got int32');
    const b4 = t.lt(t.ramp(x, i32(1), 4), t.broadcast(i32(2), 4));
    expect(() => t.and(b, b4)).toThrow('and: operand dtypes differ');
    expect(() => t.or(b4, b)).toThrow('or: operand dtypes differ');
  });

  it('select and if_then_else: bool condition, equal arms, lane counts that fit', () => {
    expect(t.select(b, v, f(1)).dtype).toBe('float32');
    expect(() => t.select(x, v, v)).toThrow('select: operand must be bool, got int32');
    expect(() => t.select(b, v, x)).toThrow('select: operand dtypes differ');
    const e = t.ifThenElseExpr(b, x, i32(0));
    expect(e).toMatchObject({ kind: 'Call', op: 'tir.if_then_else', dtype: 'int32' });
    expect(e.args).toEqual([b, x, i32(0)]);
    const r4 = t.ramp(x, i32(1), 4);
    const c4 = t.lt(r4, t.broadcast(i32(2), 4));
    expect(t.ifThenElseExpr(c4, r4, r4).dtype).toBe('int32x4');
    expect(t.ifThenElseExpr(b, r4, r4).dtype).toBe('int32x4');
    expect(() => t.ifThenElseExpr(c4, t.ramp(x, i32(1), 8), t.ramp(x, i32(1), 8))).toThrow('if_then_else: a boolx4 condition for int32x8 arms (lane counts differ)');
    expect(() => t.ifThenElseExpr(x, x, x)).toThrow('if_then_else: operand must be bool');
    expect(() => t.ifThenElseExpr(b, x, v)).toThrow('if_then_else: operand dtypes differ');
    expect(t.call('tir.if_then_else', [b, v, f(0)])).toMatchObject({ op: 'tir.if_then_else', dtype: 'float32' });
  });

  it('cast returns the value itself for the same dtype, refuses a lane change', () => {
    expect(t.cast('int32', x)).toBe(x);
    expect(t.cast('float32', x)).toMatchObject({ kind: 'Cast', dtype: 'float32', value: x });
    expect(() => t.cast('float32x4', x)).toThrow('cast: lane count differs (int32 to float32x4)');
    expect(() => t.cast('float99' as t.DataType, x)).toThrow(/cast/);
  });

  it('calls check the intrinsic, its arity, float arguments and equal dtypes', () => {
    expect(t.call('exp', [v]).dtype).toBe('float32');
    expect(t.call('abs', [x]).dtype).toBe('int32');
    expect(t.call('fma', [v, v, v]).args.length).toBe(3);
    expect(t.call('tir.storage_sync', []).dtype).toBe('int32');
    expect(t.call('tir.storage_sync', [], 'float32').dtype).toBe('float32');
    expect(t.call('exp', [v], 'float16').dtype).toBe('float16');
    expect(() => t.call('nope' as t.IntrinsicName, [v])).toThrow("call: unknown intrinsic 'nope'");
    expect(() => t.call('pow', [v])).toThrow('call pow: expects 2 argument(s), got 1');
    expect(() => t.call('exp', [x])).toThrow('call exp: needs a float argument, got int32');
    expect(() => t.call('pow', [v, x])).toThrow('pow: operand dtypes differ');
    expect(() => t.call('fma', [v, v, x])).toThrow('fma: operand dtypes differ');
  });

  it('ramp and broadcast carry lanes; refuse bad lanes and non-scalar values', () => {
    expect(t.ramp(x, i32(2), 4)).toMatchObject({ dtype: 'int32x4', lanes: 4 });
    expect(t.broadcast(v, 8).dtype).toBe('float32x8');
    expect(() => t.ramp(x, i32(1), 1)).toThrow('ramp: lanes must be an integer ≥ 2, got 1');
    expect(() => t.ramp(x, i32(1), 2.5)).toThrow('ramp: lanes must be an integer ≥ 2, got 2.5');
    expect(() => t.ramp(v, f(1), 4)).toThrow('ramp: base must be a scalar int32, got float32');
    expect(() => t.ramp(t.ramp(x, i32(1), 4), t.broadcast(i32(1), 4), 4)).toThrow('ramp: base must be a scalar int32, got int32x4');
    expect(() => t.broadcast(v, 1)).toThrow('broadcast: lanes must be an integer ≥ 2, got 1');
    expect(() => t.broadcast(v, 3.5)).toThrow('broadcast: lanes must be an integer ≥ 2');
    expect(() => t.broadcast(t.broadcast(v, 4), 4)).toThrow('broadcast: value must be scalar, got float32x4');
  });

  it('let takes the body dtype and needs the value to match the variable', () => {
    expect(t.letExpr(x, i32(3), v).dtype).toBe('float32');
    expect(() => t.letExpr(x, f(3), v)).toThrow('let: operand dtypes differ');
  });

  it('loads: one index per dimension, int indices, lanes from vector indices', () => {
    expect(t.bufferLoad(A, [x, i32(0)]).dtype).toBe('float32');
    expect(t.bufferLoad(A, [x, t.ramp(i32(0), i32(1), 4)]).dtype).toBe('float32x4');
    expect(() => t.bufferLoad(A, [x])).toThrow('load A: 1 indices for a 2-d buffer');
    expect(() => t.bufferLoad(A, [x, v])).toThrow('load A: index must be int32, got float32');
    expect(() => t.bufferLoad(A, [t.ramp(i32(0), i32(1), 8), t.ramp(i32(0), i32(1), 4)])).toThrow('load A: indices disagree on lane count');
    expect(t.bufferLoad(A, [t.ramp(i32(0), i32(1), 4), t.ramp(i32(0), i32(1), 4)]).dtype).toBe('float32x4');
    const P = { name: 'P', shape: [3], dtype: 'float32' as t.DataType } as unknown as t.DataProducer;
    expect(t.producerLoad(P, [x]).dtype).toBe('float32');
    expect(() => t.producerLoad(P, [x, x])).toThrow('tensor P: accessed with 2 indices but has 1 dimensions');
    expect(() => t.producerLoad(P, [v])).toThrow('tensor P: index must be int32');
  });
});

describe('statements and functions', () => {
  it('range, iterVar and reduce', () => {
    expect(t.range(2, 5)).toMatchObject({ min: { value: 2 }, extent: { value: 5 } });
    expect(() => t.range(f(0), 4)).toThrow('range: min and extent must be int32');
    expect(() => t.range(0, f(4))).toThrow('range: min and extent must be int32');
    const k = t.iterVar(t.range(0, 4), 'k', 'reduce');
    expect(t.iterVar(t.range(0, 4), 'tx', 'data', 'threadIdx.x').threadTag).toBe('threadIdx.x');
    expect('threadTag' in t.iterVar(t.range(0, 4), 'i')).toBe(false);
    const r = t.reduce('sum', v, [k]);
    expect(r.condition).toMatchObject({ kind: 'IntImm', dtype: 'bool', value: 1 });
    expect(() => t.reduce('sum', v, [t.iterVar(t.range(0, 4), 'i')])).toThrow('sum: axis i is not a reduce axis (use te.reduceAxis)');
    expect(() => t.reduce('max', b, [k])).toThrow('max: cannot reduce bool values');
    expect(() => t.reduce('sum', v, [k], x)).toThrow('sum condition: operand must be bool, got int32');
  });

  it('reducer identities and combiners fold plain-JS values as sum / prod / max / min', () => {
    const xs = [3, -7, 5, 0, -2];
    const fold = (c: t.ReducerName, dtype: t.DataType): number => {
      let acc: t.PrimExpr = t.reducerIdentity(c, dtype);
      let val = (acc as t.IntImm | t.FloatImm).value;
      for (const n of xs) {
        const e = t.reducerCombine(c, acc, t.constant(n, dtype)) as t.BinaryOp;
        expect(e.a).toBe(acc);
        const a = val;
        val = { add: a + n, mul: a * n, max: Math.max(a, n), min: Math.min(a, n) }[e.op as 'add' | 'mul' | 'max' | 'min'];
        acc = t.constant(val, dtype);
      }
      return val;
    };
    for (const dtype of ['int32', 'float32'] as const) {
      expect(fold('sum', dtype)).toBe(-1);
      expect(fold('prod', dtype) + 0).toBe(0);
      expect(fold('max', dtype)).toBe(5);
      expect(fold('min', dtype)).toBe(-7);
    }
    expect(t.reducerIdentity('max', 'float32').value).toBe(-Infinity);
    expect(t.reducerIdentity('min', 'float32').value).toBe(Infinity);
    expect(t.reducerIdentity('max', 'int32').value).toBe(-2147483648);
    expect(t.reducerIdentity('min', 'int32').value).toBe(2147483647);
    expect(t.reducerIdentity('prod', 'int32')).toMatchObject({ kind: 'IntImm', value: 1 });
    expect(t.reducerIdentity('sum', 'float32')).toMatchObject({ kind: 'FloatImm', value: 0 });
  });

  it('buffers: scalar element dtypes, int dimensions, none negative', () => {
    expect(t.buffer('S', [4], 'float32', 'shared').scope).toBe('shared');
    expect(t.buffer('G', [4], 'float32').scope).toBe('global');
    expect(t.buffer('D', [x, 3], 'int32').shape[0]).toBe(x);
    expect(t.buffer('Z', [0], 'int32').shape[0]).toMatchObject({ value: 0 });
    expect(() => t.buffer('V', [4], 'float32x4')).toThrow('buffer V: element dtype must be scalar, got float32x4');
    expect(() => t.buffer('F', [f(4)], 'float32')).toThrow('buffer F: dimension 0 must be int32');
    expect(() => t.buffer('N', [4, -1], 'float32')).toThrow('buffer N: dimension 1 is negative (-1)');
    expect(t.buffer('A', [1], 'float32').id).not.toBe(A.id);
  });

  it('for loops: int loop variable, a thread tag exactly on threadBinding loops', () => {
    const body = t.evaluate(i32(0));
    const l = t.forLoop(x, 0, 4, 'serial', body);
    expect(l).toMatchObject({ min: { value: 0 }, extent: { value: 4 }, forKind: 'serial', annotations: {} });
    expect('threadTag' in l).toBe(false);
    expect(t.forLoop(x, i32(1), x, 'threadBinding', body, { threadTag: 'threadIdx.x' }).threadTag).toBe('threadIdx.x');
    expect(t.forLoop(x, 0, 4, 'parallel', body, { annotations: { pragma_unroll: 1 } }).annotations).toEqual({ pragma_unroll: 1 });
    expect(() => t.forLoop(v as unknown as t.Var, 0, 4, 'serial', body)).toThrow('for v: loop variable must be int32');
    expect(() => t.forLoop(x, 0, 4, 'threadBinding', body)).toThrow('for x: threadBinding loop needs a threadTag');
    expect(() => t.forLoop(x, 0, 4, 'serial', body, { threadTag: 'threadIdx.x' })).toThrow('for x: threadTag on a serial loop');
  });

  it('let, if, seq, store, allocate, no-op', () => {
    const s0 = t.evaluate(i32(0));
    expect(() => t.letStmt(x, f(1), s0)).toThrow('let: operand dtypes differ');
    expect(() => t.ifThenElse(x, s0)).toThrow('if: operand must be bool, got int32');
    expect('elseCase' in t.ifThenElse(b, s0)).toBe(false);
    expect(t.ifThenElse(b, s0, s0).elseCase).toBe(s0);
    const s1 = t.evaluate(i32(1)), s2 = t.evaluate(i32(2));
    expect(t.seq([s0])).toBe(s0);
    const nested = t.seq([s0, t.seq([s1, s2])]);
    expect(nested).toEqual({ kind: 'SeqStmt', seq: [s0, s1, s2] });
    expect(t.seq([])).toEqual({ kind: 'SeqStmt', seq: [] });
    expect(t.bufferStore(A, v, [x, i32(0)]).value).toBe(v);
    expect(t.bufferStore(A, t.broadcast(v, 4), [x, t.ramp(i32(0), i32(1), 4)]).indices.length).toBe(2);
    expect(() => t.bufferStore(A, v, [x])).toThrow('store A: 1 indices for a 2-d buffer');
    expect(() => t.bufferStore(A, x, [x, x])).toThrow('store A: value dtype int32 does not match buffer float32');
    expect(() => t.bufferStore(A, v, [x, t.ramp(i32(0), i32(1), 4)])).toThrow('store A: value dtype float32 does not match buffer float32x4');
    expect(t.allocate(A, s0)).toEqual({ kind: 'Allocate', buffer: A, body: s0 });
    expect(t.noOp()).toEqual({ kind: 'Evaluate', value: i32(0) });
  });

  it('primFunc: identifier names, each buffer once', () => {
    const B = t.buffer('B', [4], 'float32');
    const fn = t.primFunc('f_1', [A, B], t.noOp(), { k: 1 });
    expect(fn).toMatchObject({ kind: 'PrimFunc', name: 'f_1', attrs: { k: 1 } });
    expect(t.primFunc('g', [], t.noOp()).attrs).toEqual({});
    expect(() => t.primFunc('1f', [], t.noOp())).toThrow("primFunc: name '1f' is not an identifier");
    expect(() => t.primFunc('f-g', [], t.noOp())).toThrow("primFunc: name 'f-g' is not an identifier");
    expect(() => t.primFunc('f g', [], t.noOp())).toThrow('is not an identifier');
    expect(() => t.primFunc('f', [A, B, A], t.noOp())).toThrow('primFunc f: buffer A passed twice');
  });

  it('assertNever names the unexpected kind', () => {
    expect(() => t.assertNever({ kind: 'Weird' } as never, 'statement')).toThrow('unexpected statement: "Weird"');
    expect(() => t.assertNever(7 as never)).toThrow('unexpected node: 7');
  });
});
