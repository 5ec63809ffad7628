// relay/transform/simplify_inference.ts — SimplifyInference: dropout removed; batch norm folded into
// the preceding conv2d/dense weights (W·s, bias·s + shift) when it is their only consumer, else
// rewritten as x·s + shift with s = γ/√(σ²+ε), shift = β − μ·s (TVM's simplify_inference.cc).

import { ExprMutator } from '../functor.js';
import { call, constant, irModule, opName, type Call, type Expr, type IRModule, type TensorData } from '../nodes.js';
import { numAttr } from '../op/op_def.js';
import { InferType } from './infer_type.js';
import type { Pass } from './pass.js';
import { useCounts } from './uses.js';

function constData(e: Expr): TensorData | undefined {
  return e.kind === 'Constant' ? e.data : undefined;
}

/** W scaled per output channel (axis 0): W'[o, ...] = W[o, ...] · s[o]. */
function scaleRows(w: TensorData, s: Float32Array): Float32Array {
  const per = w.values.length / w.shape[0]!;
  const out = new Float32Array(w.values.length);
  for (let i = 0; i < out.length; i++) out[i] = w.values[i]! * s[Math.floor(i / per)]!;
  return out;
}

class Simplifier extends ExprMutator {
  constructor(private readonly uses: Map<Expr, number>) {
    super();
  }

  protected override visitCall(c0: Call): Expr {
    const c = super.visitCall(c0) as Call;
    if (c.op === 'nn.dropout') return c.args[0]!;
    if (c.op !== 'nn.batch_norm') return c;
    const [, g, b, m, v] = c.args.map(constData);
    const data = c.args[0]!;
    const xt = c0.args[0]!.checkedType;
    if (!g || !b || !m || !v || xt?.kind !== 'TensorType') return c;
    const eps = numAttr(c.attrs, 'nn.batch_norm', 'epsilon', 1e-5);
    const axis = numAttr(c.attrs, 'nn.batch_norm', 'axis', 1);
    const n = g.values.length;
    const scale = new Float32Array(n);
    const shift = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      scale[i] = g.values[i]! / Math.sqrt(v.values[i]! + eps);
      shift[i] = b.values[i]! - m.values[i]! * scale[i]!;
    }
    const nd = xt.shape.length;
    const ax = axis < 0 ? axis + nd : axis;
    const bshape = xt.shape.map((d, i) => (i === ax ? d : 1)).slice(ax);
    const orig = c0.args[0]!;
    // Fold into the producing conv2d/dense (possibly already followed by a per-channel bias add).
    if (ax === 1 && (this.uses.get(orig) ?? 0) === 1) {
      const folded = this.foldInto(data, orig, scale, shift, bshape);
      if (folded !== undefined) return folded;
    }
    const mul = call('multiply', [data, constant(scale, bshape)], {}, c.span);
    return call('add', [mul, constant(shift, bshape)], {}, c.span);
  }

  /** `data` is the rewritten batch-norm input, `orig` the same node before rewriting (for use counts). */
  private foldInto(data: Expr, orig: Expr, scale: Float32Array, shift: Float32Array, bshape: readonly number[]): Expr | undefined {
    const op = opName(data);
    if (op === 'nn.conv2d' || op === 'nn.dense') {
      const c = data as Call;
      const w = constData(c.args[1]!);
      if (!w || w.shape[0] !== scale.length) return undefined;
      const conv = call(op, [c.args[0]!, constant(scaleRows(w, scale), w.shape)], c.attrs, c.span);
      return call('add', [conv, constant(shift, bshape)], {}, c.span);
    }
    if (op === 'add') {
      const a = data as Call;
      const inner = a.args[0]!;
      const bias = constData(a.args[1]!);
      const iop = opName(inner);
      const origInner = orig.kind === 'Call' ? orig.args[0] : undefined;
      if ((iop === 'nn.conv2d' || iop === 'nn.dense') && bias && bias.values.length === scale.length && origInner !== undefined && (this.uses.get(origInner) ?? 0) === 1) {
        const c = inner as Call;
        const w = constData(c.args[1]!);
        if (!w || w.shape[0] !== scale.length) return undefined;
        const nb = new Float32Array(scale.length);
        for (let i = 0; i < nb.length; i++) nb[i] = bias.values[i]! * scale[i]! + shift[i]!;
        const conv = call(iop, [c.args[0]!, constant(scaleRows(w, scale), w.shape)], c.attrs, c.span);
        return call('add', [conv, constant(nb, bshape)], {}, a.span);
      }
    }
    return undefined;
  }
}

/** relay.transform.SimplifyInference. Needs types (runs InferType before and after). */
export const SimplifyInference: Pass = {
  name: 'SimplifyInference',
  run(mod: IRModule): IRModule {
    const typed = InferType.run(mod);
    const s = new Simplifier(useCounts(typed.main));
    const main = s.mutate(typed.main);
    return main === typed.main ? typed : InferType.run(irModule(main as typeof typed.main));
  },
};
