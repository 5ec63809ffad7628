// tests/codegen/wgsl/tir_shapes.ts — small TIR builders and probes shared by the WebGPU pass tests: a nest of
// thread-bound loops around one store (launchConfig's input), and the widest vector in a statement
// (legalizeLanes' output must hold none over 4 lanes).

import { StmtExprVisitor } from '../../../tir/functor.js';
import * as T from '../../../tir/nodes.js';

const G = T.buffer('G', [8], 'float32');
/** G[v mod 8] = 1: the body threadNest puts in its innermost loop. */
export const storeG = (v: T.Var): T.Stmt => T.bufferStore(G, T.floatImm(1), [T.floormod(v, T.intImm(8))]);

/** Loops bound to `tags` (outermost first, each [tag, extent]) around G[innermost mod 8] = 1. */
export function threadNest(tags: [T.ThreadTag, number][]): T.Stmt {
  const vars = tags.map(([tag]) => T.variable(tag.replace('.', '_')));
  let body: T.Stmt = storeG(vars[vars.length - 1]!);
  for (let i = tags.length - 1; i >= 0; i--) body = T.forLoop(vars[i]!, 0, tags[i]![1], 'threadBinding', body, { threadTag: tags[i]![0] });
  return body;
}

/** The widest vector (in lanes) of any expression anywhere in `st`. */
export function widestLanes(st: T.Stmt): number {
  let w = 1;
  class V extends StmtExprVisitor {
    override visitExpr(e: T.PrimExpr): void {
      w = Math.max(w, T.lanesOf(e.dtype));
      super.visitExpr(e);
    }
  }
  new V().visitStmt(st);
  return w;
}
