// relay/printer.ts — the graph IR as text, in the layout of TVM's `mod.astext()`: one `%n = op(args,
// attrs) /* ty=… */;` line per call, constants as meta[relay.Constant][i], fused functions inline.

import { assertNever } from '../tir/nodes.js';
import { postOrder } from './functor.js';
import type { AttrValue, Expr, IRModule, RelayFunction } from './nodes.js';
import { printType, type Type } from './ty.js';

function attrText(v: AttrValue): string {
  if (Array.isArray(v)) return `[${v.join(', ')}]`;
  if (typeof v === 'string') return `"${v}"`;
  return String(v);
}

function scalarText(e: Expr): string | undefined {
  if (e.kind !== 'Constant' || e.data.shape.length !== 0) return undefined;
  const v = e.data.values[0]!;
  return e.data.dtype === 'float32' ? `${Number.isInteger(v) ? v.toFixed(1) : String(v)}f` : String(v);
}

class Printer {
  private readonly names = new Map<Expr, string>();
  private readonly constants: Expr[] = [];
  private counter = 0;

  printFunction(f: RelayFunction, indent: string, header: string): string {
    const lines: string[] = [];
    for (const p of f.params) this.names.set(p, `%${p.name}`);
    const params = f.params.map((p) => `%${p.name}: ${printType(p.typeAnnotation)}`);
    if (f.attrs.primitive) params.push('Primitive=1');
    const ret = f.body.checkedType ? ` -> ${printType(f.body.checkedType)}` : '';
    lines.push(`${header}(${params.join(', ')})${ret} {`);
    for (const e of postOrder(f.body, false)) {
      if (e.kind === 'Var' || e.kind === 'Constant' || e.kind === 'Function' || this.names.has(e)) continue;
      // A fused function is printed right before its call, as TVM does.
      if (e.kind === 'Call' && typeof e.op !== 'string' && !this.names.has(e.op)) {
        const fname = `%${this.counter++}`;
        lines.push(`${indent}  ${fname} = ${this.printFunction(e.op, indent + '  ', 'fn ')};`);
        this.names.set(e.op, fname);
      }
      const name = `%${this.counter++}`;
      const span = e.kind === 'Call' && e.span !== undefined ? ` /* ${e.span} */` : '';
      lines.push(`${indent}  ${name} = ${this.node(e, indent + '  ')}${this.tyComment(e.checkedType)}${span};`);
      this.names.set(e, name);
    }
    lines.push(`${indent}  ${this.ref(f.body)}`);
    lines.push(`${indent}}`);
    return lines.join('\n');
  }

  private tyComment(t: Type | undefined): string {
    return t ? ` /* ty=${printType(t)} */` : '';
  }

  private ref(e: Expr): string {
    const n = this.names.get(e);
    if (n !== undefined) return n;
    const s = scalarText(e);
    if (s !== undefined) return s;
    if (e.kind === 'Constant') {
      let i = this.constants.indexOf(e);
      if (i < 0) i = this.constants.push(e) - 1;
      return `meta[relay.Constant][${i}]`;
    }
    throw new Error(`relay printer: ${e.kind} was not bound before use`);
  }

  private node(e: Expr, indent: string): string {
    switch (e.kind) {
      case 'Call': {
        const args = e.args.map((a) => this.ref(a));
        const attrs = Object.entries(e.attrs).map(([k, v]) => `${k}=${attrText(v)}`);
        const op = typeof e.op === 'string' ? e.op : this.ref(e.op);
        return `${op}(${[...args, ...attrs].join(', ')})`;
      }
      case 'Tuple': return `(${e.fields.map((f) => this.ref(f)).join(', ')})`;
      case 'TupleGetItem': return `${this.ref(e.tuple)}.${e.index}`;
      case 'Function': return this.printFunction(e, indent, 'fn ');
      case 'Var': case 'Constant': return this.ref(e);
      default: return assertNever(e, 'relay expression');
    }
  }
}

/** The text of one expression or function. */
export function printExpr(e: Expr): string {
  const p = new Printer();
  if (e.kind === 'Function') return p.printFunction(e, '', 'fn ');
  return p.printFunction({ kind: 'Function', params: [], body: e, attrs: {} }, '', 'fn ');
}

/** TVM's `mod.astext()`: `def @main(...) { ... }`, versioned header first. */
export function astext(mod: IRModule): string {
  return `#[version = "0.0.5"]\n${new Printer().printFunction(mod.main, '', 'def @main')}`;
}
