// tests/codegen/wgsl/infer_storage_scope.test.ts — codegen.wgsl.inferStorageScope: global
// intermediates inside bound loops become shared (per block) or local (per thread).

import { describe, expect, it } from 'vitest';
import { inferStorageScope } from '../../../codegen/wgsl/infer_storage_scope.js';
import { StmtExprVisitor } from '../../../tir/functor.js';
import * as T from '../../../tir/nodes.js';

function scopes(s: T.Stmt): Record<string, [string, string[]]> {
  const out: Record<string, [string, string[]]> = {};
  const uses: Record<string, Set<string>> = {};
  class V extends StmtExprVisitor {
    override visitBufferAccess(b: T.Buffer): void {
      (uses[b.name] ??= new Set()).add(b.scope);
    }
    override visitStmt(st: T.Stmt): void {
      if (st.kind === 'Allocate') out[st.buffer.name] = [st.buffer.scope, []];
      super.visitStmt(st);
    }
  }
  new V().visitStmt(s);
  for (const k of Object.keys(out)) out[k]![1] = [...uses[k]!];
  return out;
}

const G = T.buffer('G', [16], 'float32');
const bx = T.variable('bx'), tx = T.variable('tx');
const bind = (v: T.Var, tag: T.ThreadTag, body: T.Stmt): T.Stmt => T.forLoop(v, 0, 4, 'threadBinding', body, { threadTag: tag });

describe('inferStorageScope', () => {
  it('makes a global allocation under blockIdx only shared, under threadIdx local, and retargets every access', () => {
    const perBlock = T.buffer('per_block', [4], 'float32');
    const perThread = T.buffer('per_thread', [1], 'float32');
    const body = bind(bx, 'blockIdx.x', T.allocate(perBlock, T.seq([
      bind(tx, 'threadIdx.x', T.allocate(perThread, T.seq([
        T.bufferStore(perThread, T.floatImm(1), [T.intImm(0)]),
        T.bufferStore(perBlock, T.bufferLoad(perThread, [T.intImm(0)]), [tx]),
      ]))),
      T.bufferStore(G, T.bufferLoad(perBlock, [T.intImm(0)]), [bx]),
    ])));
    expect(scopes(inferStorageScope(body))).toEqual({ per_block: ['shared', ['shared']], per_thread: ['local', ['local']] });
  });

  it('leaves allocations outside bound loops and non-global ones alone', () => {
    const tmp = T.buffer('tmp', [16], 'float32');
    const body = T.allocate(tmp, bind(tx, 'threadIdx.x', T.bufferStore(tmp, T.floatImm(0), [tx])));
    expect(inferStorageScope(body)).toBe(body);
  });
});
