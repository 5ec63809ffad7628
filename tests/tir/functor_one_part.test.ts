// tests/tir/functor_one_part.test.ts — StmtExprMutator rebuilds a node when any ONE of its parts
// changes, with exactly that change: every expression and statement kind, each part in turn
// (a marker variable substituted in that part only). Every other part of the rebuilt node is the
// very same object as before and every other field is kept; substituting a variable the node does
// not use returns the node itself. A buffer-mapping mutator changes a load's / store's /
// allocation's buffer alone. Before this file, every test changed all parts or none, so
// `a === e.a && b === e.b` written `||`, or one side `true`, went unseen (functor.ts:199 and kin).

import { describe, expect, it } from 'vitest';
import * as t from '../../tir/nodes.js';
import { StmtExprMutator, substituteExpr, substituteStmt } from '../../tir/functor.js';
import { print } from '../../tir/printer.js';
import { expectOnePart, type Node } from './one_part.js';

type Part = { dtype: t.DataType; stmt?: boolean };
type Case = { name: string; parts: Part[]; slots: [string, number?][]; build: (p: Node[]) => Node };

const A = t.buffer('A', [16, 16], 'float32');
const P: t.DataProducer = { name: 'P', shape: [t.intImm(16)], dtype: 'float32' };
const k = t.iterVar(t.range(0, 4), 'k', 'reduce');
const lv = t.variable('lv', 'float32');
const sv = t.variable('sv');
const loopVar = t.variable('i');

const E = (dtype: t.DataType): Part => ({ dtype });
const S: Part = { dtype: 'int32', stmt: true };
const f32 = E('float32');
const i32 = E('int32');
const bool = E('bool');

/** A statement holding expression `e` (the part of a statement slot). */
const wrap = (e: Node): t.Stmt => t.evaluate(e as t.PrimExpr);
const x = (p: Node[], i: number): t.PrimExpr => p[i] as t.PrimExpr;

const EXPRS: Case[] = [
  { name: 'BinaryOp', parts: [f32, f32], slots: [['a'], ['b']], build: (p) => t.sub(x(p, 0), x(p, 1)) },
  { name: 'CompareOp', parts: [i32, i32], slots: [['a'], ['b']], build: (p) => t.lt(x(p, 0), x(p, 1)) },
  { name: 'LogicalOp', parts: [bool, bool], slots: [['a'], ['b']], build: (p) => t.or(x(p, 0), x(p, 1)) },
  { name: 'Not', parts: [bool], slots: [['a']], build: (p) => t.not(x(p, 0)) },
  {
    name: 'Select', parts: [bool, f32, f32], slots: [['condition'], ['trueValue'], ['falseValue']],
    build: (p) => t.select(x(p, 0), x(p, 1), x(p, 2)),
  },
  { name: 'Cast', parts: [i32], slots: [['value']], build: (p) => t.cast('float32', x(p, 0)) },
  {
    name: 'Call', parts: [f32, f32, f32], slots: [['args', 0], ['args', 1], ['args', 2]],
    build: (p) => t.call('fma', [x(p, 0), x(p, 1), x(p, 2)]),
  },
  { name: 'Ramp', parts: [i32, i32], slots: [['base'], ['stride']], build: (p) => t.ramp(x(p, 0), x(p, 1), 4) },
  { name: 'Broadcast', parts: [f32], slots: [['value']], build: (p) => t.broadcast(x(p, 0), 4) },
  { name: 'Let', parts: [f32, f32], slots: [['value'], ['body']], build: (p) => t.letExpr(lv, x(p, 0), t.add(lv, x(p, 1))) },
  { name: 'BufferLoad', parts: [i32, i32], slots: [['indices', 0], ['indices', 1]], build: (p) => t.bufferLoad(A, [x(p, 0), x(p, 1)]) },
  { name: 'ProducerLoad', parts: [i32], slots: [['indices', 0]], build: (p) => t.producerLoad(P, [x(p, 0)]) },
  {
    name: 'Reduce', parts: [f32, bool], slots: [['source'], ['condition']],
    build: (p) => t.reduce('sum', x(p, 0), [k], x(p, 1)),
  },
];

const STMTS: Case[] = [
  {
    name: 'For', parts: [i32, i32, S], slots: [['min'], ['extent'], ['body']],
    build: (p) => t.forLoop(loopVar, x(p, 0), x(p, 1), 'parallel', wrap(p[2]!), { annotations: { pragma: 1 } }),
  },
  { name: 'LetStmt', parts: [i32, S], slots: [['value'], ['body']], build: (p) => t.letStmt(sv, x(p, 0), wrap(p[1]!)) },
  {
    name: 'IfThenElse', parts: [bool, S, S], slots: [['condition'], ['thenCase'], ['elseCase']],
    build: (p) => t.ifThenElse(x(p, 0), wrap(p[1]!), wrap(p[2]!)),
  },
  { name: 'IfThenElse without else', parts: [bool, S], slots: [['condition'], ['thenCase']], build: (p) => t.ifThenElse(x(p, 0), wrap(p[1]!)) },
  { name: 'SeqStmt', parts: [S, S, S], slots: [['seq', 0], ['seq', 1], ['seq', 2]], build: (p) => t.seq(p.map(wrap)) },
  {
    name: 'BufferStore', parts: [f32, i32, i32], slots: [['value'], ['indices', 0], ['indices', 1]],
    build: (p) => t.bufferStore(A, x(p, 0), [x(p, 1), x(p, 2)]),
  },
  { name: 'Allocate', parts: [S], slots: [['body']], build: (p) => t.allocate(t.buffer('L', [4], 'float32', 'local'), wrap(p[0]!)) },
  { name: 'Evaluate', parts: [i32], slots: [['value']], build: (p) => t.evaluate(x(p, 0)) },
];

/** Fresh, distinct variables for the parts (a statement part is an int32 variable, wrapped). */
function vars(parts: Part[]): t.Var[] {
  return parts.map((p, i) => t.variable(`p${i}`, p.dtype));
}

function runCases(cases: Case[], sub: (n: Node, m: Map<t.Var, t.PrimExpr>) => Node): void {
  for (const c of cases) {
    it(`${c.name}: each part alone`, () => {
      c.slots.forEach((slot, idx) => {
        const vs = vars(c.parts);
        const repl = t.variable(`r${idx}`, c.parts[idx]!.dtype);
        const orig = c.build(vs);
        const want = c.build(vs.map((v, j) => (j === idx ? repl : v)));
        const out = sub(orig, new Map<t.Var, t.PrimExpr>([[vs[idx]!, repl]]));
        expectOnePart(orig, out, want, slot);
      });
    });
    it(`${c.name}: nothing changed is the same object`, () => {
      const orig = c.build(vars(c.parts));
      expect(sub(orig, new Map<t.Var, t.PrimExpr>([[t.variable('unused'), t.intImm(3)]]))).toBe(orig);
    });
  }
}

describe('StmtExprMutator: expressions, one part changed at a time', () => {
  runCases(EXPRS, (n, m) => substituteExpr(n as t.PrimExpr, m));
});

describe('StmtExprMutator: statements, one part changed at a time', () => {
  runCases(STMTS, (n, m) => substituteStmt(n as t.Stmt, m));

  it('a For keeps its loop variable, kind, thread tag and annotations when its body changes', () => {
    const tx = t.variable('tx');
    const v = t.variable('v');
    const loop = t.forLoop(tx, 0, 64, 'threadBinding', t.evaluate(v), { threadTag: 'threadIdx.x' });
    const out = substituteStmt(loop, new Map<t.Var, t.PrimExpr>([[v, t.intImm(7)]])) as t.For;
    expect(out.threadTag).toBe('threadIdx.x');
    expect(out.forKind).toBe('threadBinding');
    expect(out.loopVar).toBe(tx);
    expect(out.annotations).toBe(loop.annotations);
    expect(print(out.body)).toBe(print(t.evaluate(t.intImm(7))));
  });

  it('a SeqStmt child that becomes a sequence is flattened into its parent', () => {
    const a = t.variable('a');
    const b = t.variable('b');
    class Split extends StmtExprMutator {
      override mutateStmt(s: t.Stmt): t.Stmt {
        if (s.kind === 'Evaluate' && s.value === a) return t.seq([t.evaluate(t.intImm(1)), t.evaluate(t.intImm(2))]);
        return super.mutateStmt(s);
      }
    }
    const first = t.evaluate(b);
    const out = new Split().mutateStmt(t.seq([first, t.evaluate(a)])) as t.SeqStmt;
    expect(out.kind).toBe('SeqStmt');
    expect(out.seq).toHaveLength(3);
    expect(out.seq[0]).toBe(first);
    expect(out.seq.map((s) => print(s).trim())).toEqual(['b', '1', '2']);
    // one child left after the rewrite: that child itself, not a sequence of one
    class Drop extends StmtExprMutator {
      override mutateStmt(s: t.Stmt): t.Stmt {
        return s.kind === 'Evaluate' && s.value === a ? { kind: 'SeqStmt', seq: [] } : super.mutateStmt(s);
      }
    }
    const kept = t.evaluate(b);
    expect(new Drop().mutateStmt(t.seq([t.evaluate(a), kept]))).toBe(kept);
  });
});

describe('StmtExprMutator.mutateBuffer: the buffer alone changes', () => {
  const B2 = t.buffer('A2', [16, 16], 'float32');
  class Rename extends StmtExprMutator {
    constructor(private readonly from: t.Buffer, private readonly to: t.Buffer) {
      super();
    }
    override mutateBuffer(b: t.Buffer): t.Buffer {
      return b === this.from ? this.to : b;
    }
  }
  const i = t.variable('i');
  const j = t.variable('j');
  it('BufferLoad, BufferStore and Allocate rebuilt with the new buffer and the same parts', () => {
    const load = t.bufferLoad(A, [i, j]);
    const l2 = new Rename(A, B2).mutateExpr(load) as t.BufferLoad;
    expect(l2).not.toBe(load);
    expect(l2.buffer).toBe(B2);
    expect(l2.indices[0]).toBe(i);
    expect(l2.indices[1]).toBe(j);
    expect(l2.dtype).toBe('float32');

    const val = t.variable('val', 'float32');
    const store = t.bufferStore(A, val, [j, i]);
    const s2 = new Rename(A, B2).mutateStmt(store) as t.BufferStore;
    expect(s2).not.toBe(store);
    expect(s2.buffer).toBe(B2);
    expect(s2.value).toBe(val);
    expect(s2.indices[0]).toBe(j);
    expect(s2.indices[1]).toBe(i);

    const L = t.buffer('L', [4], 'float32', 'local');
    const L2 = t.buffer('L2', [4], 'float32', 'local');
    const body = t.evaluate(i);
    const alloc = t.allocate(L, body);
    const a2 = new Rename(L, L2).mutateStmt(alloc) as t.Allocate;
    expect(a2).not.toBe(alloc);
    expect(a2.buffer).toBe(L2);
    expect(a2.body).toBe(body);
  });

  it('another buffer mapped: the same nodes', () => {
    const load = t.bufferLoad(A, [i, j]);
    const store = t.bufferStore(A, t.floatImm(1), [i, j]);
    const m = new Rename(B2, A);
    expect(m.mutateExpr(load)).toBe(load);
    expect(m.mutateStmt(store)).toBe(store);
  });
});
