// relay/transform/layout_propagation.ts — the rewrite behind AlterOpLayout: 3×3 stride-1 nn.conv2d calls picked
// for Winograd become nn.contrib_conv2d_winograd_without_weight_transform on NCHW data (weights through
// nn.contrib_conv2d_winograd_weight_transform, folded at build time); other chosen nn.conv2d calls become
// packed nn.contrib_conv2d_NCHWc (depthwise ones, multiplier 1, nn.contrib_depthwise_conv2d_NCHWc), and the packed NCHW{b}c layout flows on through the ops that can take it
// (elementwise, broadcasts against per-channel constants, residual adds, max/avg/global pools, channel
// concat), with layout_transform only where a consumer needs NCHW; back-to-back inverse transforms cancel.
// As TVM's AlterOpLayout + layout inference (src/relay/transforms/alter_op_layout.cc, transform_layout.h:
// each op's FInferCorrectLayout says which layouts its inputs may keep), written over this IR's ops.

import * as ops from '../../ops/index.js';
import { postOrder } from '../functor.js';
import { call, constant, func, tuple, tupleGetItem, typeOf, type Call, type Expr, type RelayFunction } from '../nodes.js';
import { opDef } from '../op/registry.js';
import { numAttr, OpPattern } from '../op/op_def.js';
import { GEMM_CONV, GEMM_CONV_NCHWC } from '../op/conv2d_gemm.js';
import { WINOGRAD_CONV, WINOGRAD_WEIGHT_TRANSFORM } from '../op/winograd.js';
import { asTensor } from '../ty.js';
import { winogradConv, type WinogradConv } from './conv_impl.js';
import type { WinogradTileSize } from '../../ops/nn/winograd_matrices.js';

/** A rewritten value: `expr`, in NCHW (block undefined) or packed NCHW{block}c of the original NCHW tensor. */
interface Val {
  readonly expr: Expr;
  readonly block?: number;
}

const POOLS = new Set(['nn.max_pool2d', 'nn.avg_pool2d', 'nn.global_avg_pool2d', 'nn.global_max_pool2d']);

const shapeOf = (e: Expr): readonly number[] => asTensor(typeOf(e), 'AlterOpLayout').shape;

const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

function isTransform(e: Expr, src: string, dst: string): e is Call {
  return e.kind === 'Call' && e.op === 'layout_transform' && e.attrs['src_layout'] === src && e.attrs['dst_layout'] === dst;
}

/**
 * Whether a Winograd-eligible conv (conv_impl.ts `winogradConv`) runs as Winograd F(m×m, 3×3): m (2 or 4), or
 * undefined for the direct kernel; `packed`: whether that direct kernel is conv2d_NCHWc (else conv2d_nchw).
 */
export type UseWinograd = (c: Call, w: WinogradConv, packed: boolean) => WinogradTileSize | undefined;

/**
 * Rewrites a typed `main` function. `packConv(c, inputPacked)` says whether a groups-1 nn.conv2d with a
 * constant float32 weight is packed (`inputPacked`: its data arrives packed); `useWinograd` whether a 3×3
 * stride-1 one runs as Winograd instead, and its tile size (default: none); `useGemm(c, packed)` whether one not Winograd runs as
 * im2col + gemm in the layout it got (default: none): left in NCHW, nn.contrib_conv2d_gemm_without_weight_transform
 * (the weight reshaped to [O, C·KH·KW] on the host); packed, nn.contrib_conv2d_gemm_NCHWc (the packed weight viewed
 * as panels [O/ocb, C·KH·KW, ocb]). Returns `main` itself when no conv is rewritten.
 */
export function propagateLayouts(main: RelayFunction, packConv: (c: Call, inputPacked: boolean) => boolean, useWinograd: UseWinograd = () => undefined,
  useGemm: (c: Call, packed: boolean) => boolean = () => false): RelayFunction {
  const vals = new Map<Expr, Val>();
  const unpacked = new Map<Expr, Expr>();
  const packedAs = new Map<Expr, Map<number, Expr>>();
  let changed = false;

  /** v in NCHW: a packed value unpacked once (shared by every NCHW consumer); pack∘unpack cancels. */
  const nchw = (v: Val): Expr => {
    if (v.block === undefined) return v.expr;
    const hit = unpacked.get(v.expr);
    if (hit) return hit;
    const e = isTransform(v.expr, 'NCHW', `NCHW${v.block}c`) ? v.expr.args[0]! : call('layout_transform', [v.expr], { src_layout: `NCHW${v.block}c`, dst_layout: 'NCHW' });
    unpacked.set(v.expr, e);
    return e;
  };
  /**
   * v (4-D, channels divisible by b) in NCHW{b}c: itself, the source of an unpack, or one layout_transform
   * (of a constant too: FoldConstant, run after AlterOpLayout, folds it on the host at build time, as TVM's).
   */
  const toBlock = (v: Val, b: number): Expr => {
    if (v.block === b) return v.expr;
    const x = nchw(v);
    if (isTransform(x, `NCHW${b}c`, 'NCHW')) return x.args[0]!;
    let m = packedAs.get(x);
    if (!m) packedAs.set(x, (m = new Map()));
    let e = m.get(b);
    if (e === undefined) {
      e = call('layout_transform', [x], { src_layout: 'NCHW', dst_layout: `NCHW${b}c` });
      m.set(b, e);
    }
    return e;
  };

  /** A broadcast operand `arg` (original) against a packed NCHW{b}c value of C channels, or undefined if it cannot follow. */
  const broadcastOperand = (arg: Expr, v0: Val, b: number, C: number): Expr | undefined => {
    const s = shapeOf(arg);
    if (v0.block !== undefined && s[1] === C) return toBlock(v0, b);
    const v: Val = { expr: nchw(v0) };
    if (s.length === 0) return v.expr;
    if (s.length > 4) return undefined;
    const s4 = [...new Array<number>(4 - s.length).fill(1), ...s];
    if (s4[1] !== C && s4[1] !== 1) return undefined;
    const x4 = s.length === 4 ? v.expr : call('reshape', [v.expr], { newshape: s4 });
    if (s4[1] === 1) return call('reshape', [x4], { newshape: [s4[0]!, 1, s4[2]!, s4[3]!, 1] });
    return toBlock({ expr: x4 }, b);
  };

  const rewriteCall = (c: Call): Val => {
    const args = c.args.map((a) => vals.get(a)!);
    const keep = (): Val => {
      const xs = args.map(nchw);
      return { expr: xs.every((x, i) => x === c.args[i]) ? c : call(c.op, xs, c.attrs, c.span) };
    };
    if (typeof c.op !== 'string') return keep();
    const op = c.op;
    const w = c.args[1];
    const wc = op === 'nn.conv2d' ? winogradConv(c) : undefined;
    const tileSize = wc !== undefined ? useWinograd(c, wc, packConv(c, args[0]!.block !== undefined)) : undefined;
    if (tileSize !== undefined) {
      // TVM's _alter_conv2d_layout Winograd branch: the weight goes through the transform op (a constant:
      // FoldConstant, run next, evaluates it once on the host), the data in NCHW.
      changed = true;
      const u = call(WINOGRAD_WEIGHT_TRANSFORM, [w!], { tile_size: tileSize });
      return { expr: call(WINOGRAD_CONV, [nchw(args[0]!), u], { ...c.attrs, tile_size: tileSize }, c.span) };
    }
    const groups1 = op === 'nn.conv2d' && numAttr(c.attrs, op, 'groups', 1) === 1 && w?.kind === 'Constant' && w.data.dtype === 'float32';
    if (groups1 && !packConv(c, args[0]!.block !== undefined) && useGemm(c, false)) {
      // TVM's arm_cpu _alter_conv2d_layout gemm branch, in NCHW: the weight as [O, C·KH·KW] rows (a reshape of the
      // constant: FoldConstant, run next, folds it), the data in NCHW, the output NCHW.
      const [O, C, KH, KW] = (w as { data: { shape: readonly number[] } }).data.shape as [number, number, number, number];
      const { groups: _g, ...attrs } = c.attrs;
      changed = true;
      const w2 = call('reshape', [w!], { newshape: [O, C * KH * KW] });
      return { expr: call(GEMM_CONV, [nchw(args[0]!), w2], { ...attrs, kernel_size: [KH, KW] }, c.span) };
    }
    if (groups1 && packConv(c, args[0]!.block !== undefined)) {
      const [O, C, KH, KW] = w.data.shape as [number, number, number, number];
      const { icBlock, ocBlock } = ops.nchwcBlocks(C, O);
      const values = ops.packWeights(w.data.values as Float32Array, w.data.shape, icBlock, ocBlock);
      const { groups: _g, ...attrs } = c.attrs;
      changed = true;
      const data = toBlock(args[0]!, icBlock);
      if (useGemm(c, true)) {
        // The same packed weight, viewed as the gemm's panels [O/ocb, C·KH·KW, ocb] (no other host transform).
        const wp = constant(values, [O / ocBlock, C * KH * KW, ocBlock]);
        return { expr: call(GEMM_CONV_NCHWC, [data, wp], { ...attrs, kernel_size: [KH, KW] }, c.span), block: ocBlock };
      }
      const wp = constant(values, [O / ocBlock, C / icBlock, KH, KW, icBlock, ocBlock]);
      return { expr: call('nn.contrib_conv2d_NCHWc', [data, wp], attrs, c.span), block: ocBlock };
    }
    if (op === 'nn.conv2d' && w?.kind === 'Constant' && w.data.dtype === 'float32') {
      // Depthwise, multiplier 1 (TVM x86 _alter_conv2d_layout's depthwise branch): the block of packed data as it
      // comes (no transform), else 4 (one f32x4 per pixel) where it divides C and packConv picks the conv.
      const [O, one, KH, KW] = w.data.shape as [number, number, number, number];
      const C = numAttr(c.attrs, op, 'groups', 1); // depthwise: groups = C input channels, one per group
      const inBlock = args[0]!.block;
      if (C > 1 && O === C && one === 1) {
        const b = inBlock ?? (C % 4 === 0 && packConv(c, false) ? 4 : undefined);
        if (b !== undefined) {
          const wp = constant(ops.packDepthwiseWeights(w.data.values as Float32Array, w.data.shape, b), [C / b, 1, KH, KW, 1, b]);
          const { groups: _g, ...attrs } = c.attrs;
          changed = true;
          return { expr: call('nn.contrib_depthwise_conv2d_NCHWc', [toBlock(args[0]!, b), wp], attrs, c.span), block: b };
        }
      }
    }
    const first = args.find((a) => a.block !== undefined);
    if (first === undefined) return keep();
    const def = opDef(op);
    if (def.pattern === OpPattern.ELEMWISE && def.arity === 1) {
      return { expr: call(op, [args[0]!.expr], c.attrs, c.span), block: first.block };
    }
    if (def.pattern === OpPattern.BROADCAST && def.arity === 2) {
      // Only when a packed operand already has the output's shape (the other one broadcasts into it).
      // Operands packed with different blocks meet at the larger one (wider vectors for what follows).
      const out = shapeOf(c);
      const full = args.filter((a, i) => a.block !== undefined && sameShape(shapeOf(c.args[i]!), out));
      if (out.length !== 4 || full.length === 0) return keep();
      const C = out[1]!;
      const b = Math.max(...args.filter((a, i) => a.block !== undefined && shapeOf(c.args[i]!)[1] === C).map((a) => a.block!));
      const xs = c.args.map((a, i) => broadcastOperand(a, args[i]!, b, C));
      if (xs.some((x) => x === undefined)) return keep();
      return { expr: call(op, xs as Expr[], c.attrs, c.span), block: b };
    }
    if (POOLS.has(op) && args[0]!.block !== undefined) {
      return { expr: call(op, [args[0]!.expr], { ...c.attrs, layout: `NCHW${first.block}c` }, c.span), block: first.block };
    }
    if (op === 'concatenate' && shapeOf(c).length === 4) {
      // On channels, at the largest block of a packed input that divides every input's channels.
      const axis = numAttr(c.attrs, op, 'axis');
      const chans = c.args.map((a) => shapeOf(a)[1]!);
      const b = Math.max(...args.map((a) => a.block ?? 0).filter((x) => x > 0 && chans.every((ch) => ch % x === 0)));
      if ((axis === 1 || axis === -3) && b > 0) {
        return { expr: call(op, args.map((a) => toBlock(a, b)), { ...c.attrs, axis: 1 }, c.span), block: b };
      }
    }
    return keep();
  };

  for (const e of postOrder(main.body, false)) {
    switch (e.kind) {
      case 'Var': case 'Constant': case 'Function': vals.set(e, { expr: e }); break;
      case 'Call': vals.set(e, rewriteCall(e)); break;
      case 'Tuple': {
        const fs = e.fields.map((f) => nchw(vals.get(f)!));
        vals.set(e, { expr: fs.every((f, i) => f === e.fields[i]) ? e : tuple(fs) });
        break;
      }
      case 'TupleGetItem': {
        const t = nchw(vals.get(e.tuple)!);
        vals.set(e, { expr: t === e.tuple ? e : tupleGetItem(t, e.index) });
        break;
      }
    }
  }
  if (!changed) return main;
  return func(main.params, nchw(vals.get(main.body)!), main.attrs);
}
