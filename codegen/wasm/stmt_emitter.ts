// codegen/wasm/stmt_emitter.ts — TIR statements → wasm control flow: loops (serial, unrolled,
// parallel via outlining), guards, lets, stores, and scratch allocations (memory or locals).

import binaryen from 'binaryen';
import { asConstInt, lanesOf, type Allocate, type For, type Stmt } from '../../tir/nodes.js';
import { promotedStride, promotionKind, unrollableLoop } from './analysis.js';
import { emitScalar, emitScalarStore } from './expr_emitter.js';
import { scalarWasmType, storeBytes, type FuncContext, type Ref } from './func_context.js';
import { PARALLEL_OUTLINE } from './outline_pass.js';
import { emitParallelCall } from './parallel_outline.js';
import { bindLet, emitVectorStore } from './simd.js';
import { emitInterleavedPair } from './simd_interleave.js';
import { beginReducedLoop, endReducedLoop, pointerBumps, pointerInits } from './strength_reduce.js';

export function emitStmt(ctx: FuncContext, s: Stmt): Ref {
  const m = ctx.m;
  switch (s.kind) {
    case 'SeqStmt': return m.block(null, emitSeq(ctx, s.seq));
    case 'For': {
      // Cached loads do not survive into or out of a loop (iterations and stores change memory).
      ctx.loadCache.clear();
      const r = emitFor(ctx, s);
      ctx.loadCache.clear();
      return r;
    }
    case 'IfThenElse': {
      if (lanesOf(s.condition.dtype) !== 1) throw new Error('wasm codegen: if with a vector condition');
      const cond = emitScalar(ctx, s.condition);
      ctx.loadCache.clear();
      const thenCase = emitStmt(ctx, s.thenCase);
      ctx.loadCache.clear();
      const elseCase = s.elseCase ? emitStmt(ctx, s.elseCase) : undefined;
      ctx.loadCache.clear();
      return m.if(cond, thenCase, elseCase);
    }
    case 'LetStmt':
      return ctx.withPrelude(() => {
        bindLet(ctx, s.variable, s.value);
        return emitStmt(ctx, s.body);
      });
    case 'BufferStore': {
      if (s.indices.length !== 1) {
        throw new Error(`wasm codegen: store to ${s.buffer.name} has ${s.indices.length} indices; buffers must be flattened to 1-D first`);
      }
      const index = s.indices[0]!;
      if (lanesOf(s.value.dtype) === 1) return emitScalarStore(ctx, s.buffer, index, emitScalar(ctx, s.value));
      return ctx.withPrelude(() => emitVectorStore(ctx, s.buffer, index, s.value));
    }
    case 'Allocate': return emitAllocate(ctx, s);
    case 'Evaluate': {
      const v = s.value;
      if (v.kind === 'IntImm' || (v.kind === 'Call' && v.op === 'tir.storage_sync')) return m.nop();
      if (lanesOf(v.dtype) !== 1) throw new Error('wasm codegen: evaluate of a vector expression');
      return m.drop(emitScalar(ctx, v));
    }
  }
}

/** A statement list, with sibling stride-2 stores that interleave (simd_interleave.ts) emitted as one. */
function emitSeq(ctx: FuncContext, seq: readonly Stmt[]): Ref[] {
  const out: Ref[] = [];
  for (let i = 0; i < seq.length; i++) {
    const pair = i + 1 < seq.length ? emitInterleavedPair(ctx, seq[i]!, seq[i + 1]!) : undefined;
    if (pair !== undefined) i++;
    out.push(pair ?? emitStmt(ctx, seq[i]!));
  }
  return out;
}

function emitFor(ctx: FuncContext, f: For): Ref {
  const m = ctx.m;
  if (f.forKind === 'threadBinding') {
    throw new Error(`wasm codegen: loop ${f.loopVar.name} is bound to ${f.threadTag ?? 'a GPU thread'}; thread bindings are for WebGPU targets, not wasm`);
  }
  if (unrollableLoop(f, ctx.opts)) {
    const min = asConstInt(f.min)!;
    const body: Ref[] = [];
    for (let i = 0; i < asConstInt(f.extent)!; i++) {
      ctx.bindings.set(f.loopVar, { kind: 'const', value: min + i });
      body.push(emitStmt(ctx, f.body));
    }
    ctx.bindings.delete(f.loopVar);
    return m.block(null, body);
  }
  if (f.forKind === 'parallel' && !ctx.insideParallel && f.annotations[PARALLEL_OUTLINE] !== undefined) return emitParallelCall(ctx, f, emitStmt);
  return emitSerialLoop(ctx, f);
}

/** for (v = min; v < min + extent; v++) body, with the end test at the bottom of the loop. */
function emitSerialLoop(ctx: FuncContext, f: For): Ref {
  const m = ctx.m;
  const c = asConstInt(f.extent);
  if (c !== undefined && c <= 0) return m.nop();
  const begin = emitScalar(ctx, f.min);
  const lv = ctx.addLocal(binaryen.i32);
  ctx.bindings.set(f.loopVar, { kind: 'local', local: lv });
  const pre: Ref[] = [m.local.set(lv, begin)];
  let end: () => Ref;
  if (c !== undefined && asConstInt(f.min) !== undefined) {
    const e = asConstInt(f.min)! + c;
    end = () => m.i32.const(e);
  } else {
    const el = ctx.addLocal(binaryen.i32);
    pre.push(m.local.set(el, m.i32.add(ctx.get(lv), emitScalar(ctx, f.extent))));
    end = () => ctx.get(el);
  }
  const label = ctx.label('L');
  // An innermost loop's linear addresses become pointers (strength_reduce.ts): set once here, bumped below.
  const reduced = beginReducedLoop(ctx, f);
  const body = emitStmt(ctx, f.body);
  if (reduced) {
    endReducedLoop(ctx);
    pre.push(...pointerInits(ctx, reduced, lv, (e) => emitScalar(ctx, e)));
  }
  const loop = m.loop(label, m.block(null, [
    body,
    ...(reduced ? pointerBumps(ctx, reduced) : []),
    m.local.set(lv, m.i32.add(ctx.get(lv), m.i32.const(1))),
    m.br(label, m.i32.lt_s(ctx.get(lv), end())),
  ]));
  ctx.bindings.delete(f.loopVar);
  // A constant positive extent needs no entry test.
  return m.block(null, [...pre, c !== undefined ? loop : m.if(m.i32.lt_s(ctx.get(lv), end()), loop)]);
}

function emitAllocate(ctx: FuncContext, a: Allocate): Ref {
  const m = ctx.m;
  const buf = a.buffer;
  if (buf.shape.length !== 1) throw new Error(`wasm codegen: allocation ${buf.name} must be flattened to 1-D first`);
  const size = asConstInt(buf.shape[0]!);
  if (size === undefined) throw new Error(`wasm codegen: allocation ${buf.name} has a non-constant size; scratch buffers need constant sizes`);
  const outlines = !ctx.insideParallel && ctx.opts.threads > 1;
  const kind = promotionKind(a, ctx.opts, ctx.bindings, outlines);
  if (kind !== undefined) {
    const type = kind === 'v128' ? binaryen.v128 : scalarWasmType(buf.dtype, `allocation ${buf.name}`);
    const n = kind === 'v128' ? size / 4 : size;
    const locals = Array.from({ length: n }, () => ctx.addLocal(type));
    ctx.homes.set(buf, kind === 'v128' ? { kind: 'v128Locals', locals, stride: promotedStride(a) } : { kind: 'scalarLocals', locals });
    const body = emitStmt(ctx, a.body);
    ctx.homes.delete(buf);
    return body;
  }
  const saved = ctx.frameOffset;
  const off = ctx.reserve(Math.max(1, size) * storeBytes(buf.dtype));
  const base = ctx.addLocal(binaryen.i32);
  ctx.homes.set(buf, { kind: 'memory', baseLocal: base });
  const body = emitStmt(ctx, a.body);
  ctx.homes.delete(buf);
  ctx.frameOffset = saved;
  return m.block(null, [m.local.set(base, m.i32.add(ctx.get(ctx.scratchLocal), m.i32.const(off))), body]);
}
