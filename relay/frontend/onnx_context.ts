// relay/frontend/onnx_context.ts — what an ONNX op converter sees: its node's inputs as typed relay
// expressions, attributes with defaults, constant inputs, and `make`, which types each new call and
// folds it to a constant when all its inputs are constants (so shape subgraphs vanish on import).

import { call, constant, withType, type Attrs, type Expr, type TensorData } from '../nodes.js';
import { opDef } from '../op/registry.js';
import { computeType } from '../transform/infer_type.js';
import { asTensor, type TensorType } from '../ty.js';
import type { NodeProto, OnnxAttr } from './onnx_model.js';

export class ConvertContext {
  constructor(
    readonly node: NodeProto,
    readonly opset: number,
    private readonly inputs: readonly (Expr | undefined)[],
    private readonly attrs: Map<string, OnnxAttr>,
  ) {}

  /** "Conv node 'conv1' (opset 11)": the prefix of every error about this node. */
  get where(): string {
    return `${this.node.opType} node '${this.node.name || this.node.output?.[0] || '?'}' (opset ${this.opset})`;
  }

  get numInputs(): number {
    return this.inputs.length;
  }

  /** Input `i`; a missing required input is an error. */
  input(i: number): Expr {
    const e = this.inputs[i];
    if (e === undefined) throw new Error(`${this.where}: input ${i} is missing`);
    return e;
  }

  /** Input `i`, or undefined when absent or given as '' (optional inputs). */
  optInput(i: number): Expr | undefined {
    return this.inputs[i];
  }

  type(e: Expr): TensorType {
    return asTensor(e.checkedType ?? computeType(e), this.where);
  }

  shapeOf(i: number): readonly number[] {
    return this.type(this.input(i)).shape;
  }

  /** The values of a constant input; `what` names it in the error when it is computed at run time. */
  constInput(i: number, what: string): TensorData {
    const e = this.input(i);
    if (e.kind !== 'Constant') {
      throw new Error(`${this.where}: input ${i} (${what}) must be known at import time, but it is computed from the model inputs; ` +
        'fix the input shapes with { shapes } so shape subgraphs fold, or export the model with static shapes');
    }
    return e.data;
  }

  constInts(i: number, what: string): number[] {
    return [...this.constInput(i, what).values];
  }

  /** Ints from attribute `attr` below opset `since`, else from input `input` (ONNX moved many attributes to inputs). */
  intsAttrOrInput(attr: string, input: number, since: number, what: string): number[] | undefined {
    if (this.opset < since) {
      const a = this.attrs.get(attr);
      return a === undefined ? undefined : this.ints(attr);
    }
    return this.optInput(input) === undefined ? undefined : this.constInts(input, what);
  }

  has(name: string): boolean {
    return this.attrs.has(name);
  }

  int(name: string, fallback?: number): number {
    const v = this.attrs.get(name) ?? fallback;
    if (typeof v !== 'number') throw new Error(`${this.where}: attribute '${name}' ${v === undefined ? 'is required' : 'must be an int'}`);
    return v;
  }

  float(name: string, fallback?: number): number {
    return this.int(name, fallback);
  }

  str(name: string, fallback?: string): string {
    const v = this.attrs.get(name) ?? fallback;
    if (typeof v !== 'string') throw new Error(`${this.where}: attribute '${name}' ${v === undefined ? 'is required' : 'must be a string'}`);
    return v;
  }

  ints(name: string, fallback?: readonly number[]): number[] {
    const v = this.attrs.get(name) ?? fallback;
    if (!Array.isArray(v)) throw new Error(`${this.where}: attribute '${name}' ${v === undefined ? 'is required' : 'must be a list of ints'}`);
    return (v as unknown[]).map(Number);
  }

  tensorAttr(name: string): TensorData | undefined {
    const v = this.attrs.get(name);
    return v !== undefined && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
  }

  /** Notes attributes this importer does not honour: an error rather than a silent wrong result. */
  reject(name: string, allowed: (v: OnnxAttr) => boolean, why: string): void {
    const v = this.attrs.get(name);
    if (v !== undefined && !allowed(v)) throw new Error(`${this.where}: attribute ${name}=${JSON.stringify(v)} is not supported (${why})`);
  }

  /** A typed call of relay op `op`, folded to a constant when every argument is one and the op can be evaluated. */
  make(op: string, args: readonly Expr[], attrs: Attrs = {}): Expr {
    const c = call(op, args, attrs, this.node.name || this.node.output?.[0] || undefined);
    let t;
    try {
      t = computeType(c);
    } catch (e) {
      throw new Error(`${this.where}: ${(e as Error).message}`);
    }
    const def = opDef(op);
    if (def.evaluate && args.every((a) => a.kind === 'Constant')) {
      const d = def.evaluate(args.map((a) => (a.kind === 'Constant' ? a.data : undefined!)), attrs);
      return constant(d.values, d.shape);
    }
    return withType(c, t);
  }

  /** A constant from data (already typed). */
  const(d: TensorData): Expr {
    return constant(d.values, d.shape);
  }
}
