// relay/transform/fuse_ops.ts — FuseOps: groups operators into primitive functions, each built as
// one kernel, by TVM's OpPattern rules (src/relay/transforms/fuse_ops.cc), simplified to single-output
// groups: elementwise/broadcast ops join their producer (an anchor conv2d/dense/matmul/pool as its
// epilogue, keeping its output shape; a reduction; or an elementwise/injective chain); injective
// ops join injective chains, and elementwise groups only after the diamonds are merged (TVM's phases);
// a reduction absorbs the injective chain feeding it; opaque ops stay alone. A producer is fused
// only into its sole consumer, or into an elementwise diamond that holds all its consumers.

import { postOrder } from '../functor.js';
import { call, func, irModule, tuple, tupleGetItem, variable, type Call, type Expr, type IRModule, type RelayFunction, type Var } from '../nodes.js';
import { OpPattern } from '../op/op_def.js';
import { opDef } from '../op/registry.js';
import { asTensor, tensorType, typeEqual, type TensorType } from '../ty.js';
import { InferType } from './infer_type.js';
import type { Pass } from './pass.js';
import { useCounts } from './uses.js';

interface Group {
  /** The group's output: its last node. */
  root: Call;
  readonly nodes: Call[];
  /** The strongest pattern in the group: OUT_ELEMWISE_FUSABLE when it holds an anchor. */
  pattern: number;
}

function canJoin(op: number, group: number): boolean {
  if (op <= OpPattern.BROADCAST) return group <= OpPattern.OUT_ELEMWISE_FUSABLE;
  if (op === OpPattern.INJECTIVE) return group <= OpPattern.INJECTIVE;
  if (op === OpPattern.COMM_REDUCE) return group <= OpPattern.INJECTIVE;
  return false;
}

/** A scalar constant is inlined into the kernel rather than passed as a buffer. */
function isScalarConst(e: Expr): boolean {
  return e.kind === 'Constant' && e.data.shape.length === 0;
}

function opCall(e: Expr): Call | undefined {
  return e.kind === 'Call' && typeof e.op === 'string' ? e : undefined;
}

/** Partitions the main function's operator calls into fusion groups. */
export function fusionGroups(main: RelayFunction): Map<Call, Group> {
  const uses = useCounts(main);
  const outputs = new Set<Expr>(main.body.kind === 'Tuple' ? main.body.fields : [main.body]);
  const groupOf = new Map<Call, Group>();
  // Injective ops kept out of elementwise groups until the diamonds are merged (TVM's phase 1, below).
  const deferred: { readonly op: Call; readonly producer: Call }[] = [];
  for (const e of postOrder(main.body, false)) {
    const c = opCall(e);
    if (c === undefined) continue;
    const pattern = opDef(c.op as string).pattern;
    let joined: Group | undefined;
    for (const a of c.args) {
      const p = opCall(a);
      if (p === undefined || (uses.get(p) ?? 0) !== 1 || outputs.has(p)) continue;
      const g = groupOf.get(p)!;
      if (g.root !== p || !canJoin(pattern, g.pattern)) continue;
      if (pattern === OpPattern.INJECTIVE && g.pattern <= OpPattern.BROADCAST) {
        if (!deferred.some((d) => d.op === c)) deferred.push({ op: c, producer: p });
        continue;
      }
      // An epilogue of an anchor or a reduction must keep its output shape (a broadcast that grows
      // it, as squeeze-excite's scale, would recompute the anchor per output element).
      if (g.pattern >= OpPattern.COMM_REDUCE && !sameShape(c, p)) continue;
      joined = g;
      break;
    }
    if (joined) {
      joined.nodes.push(c);
      joined.root = c;
      joined.pattern = Math.max(joined.pattern, pattern);
      groupOf.set(c, joined);
    } else {
      groupOf.set(c, { root: c, nodes: [c], pattern });
    }
  }
  mergeDiamonds(groupOf, uses, outputs);
  joinDeferred(deferred, groupOf, uses, outputs);
  return groupOf;
}

/**
 * TVM's FuseOps phase 1 (src/relay/transforms/fuse_ops.cc, "defer injective fusion to second phase so
 * conv2d always finishes fusing"): an injective op (reshape, transpose, layout_transform, concatenate, …)
 * after an elementwise group joins it only once the diamonds are merged. Joined first, it would make the
 * group injective and keep, say, a conv's hard-swish diamond out of the conv's epilogue. Now it joins its
 * producer's group where that is still elementwise or injective (after a conv's epilogue it stays a kernel
 * of its own, as in TVM, where an out-elemwise-fusable group takes no injective op).
 */
function joinDeferred(deferred: readonly { op: Call; producer: Call }[], groupOf: Map<Call, Group>, uses: Map<Expr, number>, outputs: Set<Expr>): void {
  for (const { op: t, producer: p } of deferred) {
    const tg = groupOf.get(t)!;
    const pg = groupOf.get(p)!;
    if (tg === pg || tg.nodes[0] !== t || pg.root !== p || outputs.has(p) || (uses.get(p) ?? 0) !== 1 || !canJoin(OpPattern.INJECTIVE, pg.pattern)) continue;
    pg.nodes.push(...tg.nodes);
    pg.root = tg.root;
    pg.pattern = Math.max(pg.pattern, tg.pattern);
    for (const n of tg.nodes) groupOf.set(n, pg);
  }
}

/**
 * The diamonds TVM's post-dominator analysis fuses: an elementwise group whose only outside input is
 * a producer p, and which holds every consumer of p (hard-swish `p · clip(p + 3) / 6` after a conv),
 * is merged into p's group.
 */
function mergeDiamonds(groupOf: Map<Call, Group>, uses: Map<Expr, number>, outputs: Set<Expr>): void {
  const groups = [...new Set(groupOf.values())];
  for (const g of groups) {
    if (g.pattern > OpPattern.BROADCAST) continue;
    const members = new Set<Expr>(g.nodes);
    const producers = new Set<Call>();
    let reads = 0;
    let foreign = false;
    for (const n of g.nodes) {
      for (const a of n.args) {
        if (members.has(a)) continue;
        const c = opCall(a);
        if (c === undefined) {
          if (a.kind !== 'Constant' && a.kind !== 'Var') foreign = true;
          continue;
        }
        producers.add(c);
        reads++;
      }
    }
    if (foreign || producers.size !== 1) continue;
    const p = [...producers][0]!;
    const pg = groupOf.get(p)!;
    if (pg === g || pg.root !== p || outputs.has(p) || (uses.get(p) ?? 0) !== reads || !canJoin(g.pattern, pg.pattern)) continue;
    if (pg.pattern >= OpPattern.COMM_REDUCE && !g.nodes.every((n) => sameShape(n, p))) continue;
    pg.nodes.push(...g.nodes);
    pg.root = g.root;
    pg.pattern = Math.max(pg.pattern, g.pattern);
    for (const n of g.nodes) groupOf.set(n, pg);
  }
}

function sameShape(a: Expr, b: Expr): boolean {
  const x = a.checkedType;
  const y = b.checkedType;
  return x !== undefined && y !== undefined && typeEqual(x, y);
}

function kernelName(g: Group): string {
  const parts = g.nodes.map((n) => (n.op as string).replace(/\./g, '_'));
  const name = `fused_${parts.join('_')}`;
  return name.length > 80 ? `${name.slice(0, 72)}_${g.nodes.length}ops` : name;
}

class Fuser {
  private readonly memo = new Map<Expr, Expr>();
  constructor(private readonly groupOf: Map<Call, Group>) {}

  rewrite(e: Expr): Expr {
    const hit = this.memo.get(e);
    if (hit) return hit;
    let out: Expr;
    if (e.kind === 'Tuple') out = tuple(e.fields.map((f) => this.rewrite(f)));
    else if (e.kind === 'TupleGetItem') out = tupleGetItem(this.rewrite(e.tuple), e.index);
    else if (e.kind === 'Call' && typeof e.op === 'string') out = this.fuse(this.groupOf.get(e)!);
    else out = e;
    this.memo.set(e, out);
    return out;
  }

  /** The call of the group's primitive function; external inputs become parameters p0, p1, … */
  private fuse(g: Group): Expr {
    const members = new Set<Expr>(g.nodes);
    const params: Var[] = [];
    const args: Expr[] = [];
    const inner = new Map<Expr, Expr>();
    const paramFor = (a: Expr): Expr => {
      if (members.has(a)) return inner.get(a)!;
      if (isScalarConst(a)) return a;
      const existing = args.indexOf(this.rewrite(a));
      if (existing >= 0) return params[existing]!;
      const t = asTensor(a.checkedType ?? typeOfLeaf(a), 'FuseOps');
      const p = variable(`p${params.length}`, t);
      params.push(p);
      args.push(this.rewrite(a));
      return p;
    };
    for (const n of g.nodes) inner.set(n, call(n.op, n.args.map(paramFor), n.attrs, n.span));
    const body = inner.get(g.root)!;
    return call(func(params, body, { primitive: true, name: kernelName(g) }), args, {}, g.root.span);
  }
}

function typeOfLeaf(a: Expr): TensorType {
  if (a.kind === 'Var') return a.typeAnnotation;
  if (a.kind === 'Constant') return tensorType(a.data.shape, a.data.dtype);
  throw new Error('FuseOps: run InferType first');
}

/** relay.transform.FuseOps: every operator call ends up inside exactly one primitive function. */
export const FuseOps: Pass = {
  name: 'FuseOps',
  run(mod: IRModule): IRModule {
    const typed = InferType.run(mod);
    if (postOrder(typed.main.body, false).some((e) => e.kind === 'Function')) return typed; // already fused
    const fuser = new Fuser(fusionGroups(typed.main));
    const body = fuser.rewrite(typed.main.body);
    return InferType.run(irModule(func(typed.main.params, body, typed.main.attrs)));
  },
};
