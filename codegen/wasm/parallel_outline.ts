// codegen/wasm/parallel_outline.ts — a `parallel` loop becomes its own exported function
// `par_<i>(begin, end, args, scratch)` over [begin, end); the caller writes the captured
// variables and buffer bases into an argument block and asks the runtime's thread pool to
// run the range (import env.parallel_for), the calling thread taking a share.

import binaryen from 'binaryen';
import { elementType, lanesOf, type For, type Stmt } from '../../tir/nodes.js';
import { parallelCaptures } from './analysis.js';
import { emitScalar } from './expr_emitter.js';
import { FuncContext, scalarWasmType, type OutlinedInfo, type Ref } from './func_context.js';

export const PARALLEL_IMPORT = 'tt_parallel_for';
type EmitStmt = (ctx: FuncContext, s: Stmt) => Ref;

/** Emits the call site of a parallel loop (outlining its body on first use). */
export function emitParallelCall(ctx: FuncContext, f: For, emitStmt: EmitStmt): Ref {
  const m = ctx.m;
  const caps = parallelCaptures(f);
  for (const v of caps.vars) {
    if (lanesOf(v.dtype) !== 1) throw new Error(`wasm codegen: parallel loop ${f.loopVar.name} captures vector variable ${v.name}`);
  }
  const info = ctx.mod.outlinedByLoop.get(f) ?? outline(ctx, f, emitStmt);
  const saved = ctx.frameOffset;
  const slots = caps.vars.length + caps.buffers.length;
  const argsOff = ctx.reserve(4 * Math.max(1, slots));
  ctx.frameOffset = saved;
  const argPtr = (): Ref => ctx.get(ctx.scratchLocal);
  const stores: Ref[] = [];
  caps.vars.forEach((v, i) => {
    const val = emitScalar(ctx, v);
    stores.push(elementType(v.dtype) === 'float32'
      ? m.f32.store(argsOff + 4 * i, 4, argPtr(), val)
      : m.i32.store(argsOff + 4 * i, 4, argPtr(), val));
  });
  caps.buffers.forEach((b, i) => {
    const home = ctx.homes.get(b);
    if (!home || home.kind !== 'memory') throw new Error(`wasm codegen: parallel loop ${f.loopVar.name} uses buffer ${b.name}, which is not in memory here`);
    stores.push(m.i32.store(argsOff + 4 * (caps.vars.length + i), 4, argPtr(), ctx.get(home.baseLocal)));
  });
  const begin = ctx.addLocal(binaryen.i32);
  return m.block(null, [
    ...stores,
    m.local.set(begin, emitScalar(ctx, f.min)),
    m.call(PARALLEL_IMPORT, [
      m.i32.const(info.index), ctx.get(begin), m.i32.add(ctx.get(begin), emitScalar(ctx, f.extent)),
      m.i32.add(argPtr(), m.i32.const(argsOff)),
    ], binaryen.none),
  ]);
}

function outline(caller: FuncContext, f: For, emitStmt: EmitStmt): OutlinedInfo {
  const mod = caller.mod;
  const m = mod.m;
  const index = mod.outlined.length;
  const info: OutlinedInfo = { exportName: `par_${index}`, index, frameBytes: 0 };
  mod.outlined.push(info);
  mod.outlinedByLoop.set(f, info);
  const caps = parallelCaptures(f);
  // params: begin(0), end(1), args(2), scratch(3)
  const ctx = new FuncContext(mod, [binaryen.i32, binaryen.i32, binaryen.i32, binaryen.i32], 3, true);
  const setup: Ref[] = [];
  caps.vars.forEach((v, i) => {
    const type = scalarWasmType(v.dtype, `captured ${v.name}`);
    const l = ctx.addLocal(type);
    const ptr = m.local.get(2, binaryen.i32);
    setup.push(m.local.set(l, type === binaryen.f32 ? m.f32.load(4 * i, 4, ptr) : m.i32.load(4 * i, 4, ptr)));
    ctx.bindings.set(v, { kind: 'local', local: l });
  });
  caps.buffers.forEach((b, i) => {
    const l = ctx.addLocal(binaryen.i32);
    setup.push(m.local.set(l, m.i32.load(4 * (caps.vars.length + i), 4, m.local.get(2, binaryen.i32))));
    ctx.homes.set(b, { kind: 'memory', baseLocal: l });
  });
  const lv = ctx.addLocal(binaryen.i32);
  ctx.bindings.set(f.loopVar, { kind: 'local', local: lv });
  const label = ctx.label('P');
  const body = m.block(null, [
    ...setup,
    m.local.set(lv, m.local.get(0, binaryen.i32)),
    m.if(m.i32.lt_s(ctx.get(lv), m.local.get(1, binaryen.i32)), m.loop(label, m.block(null, [
      emitStmt(ctx, f.body),
      m.local.set(lv, m.i32.add(ctx.get(lv), m.i32.const(1))),
      m.br(label, m.i32.lt_s(ctx.get(lv), m.local.get(1, binaryen.i32))),
    ]))),
  ]);
  m.addFunction(info.exportName, binaryen.createType(ctx.paramTypes as binaryen.Type[]), binaryen.none, ctx.locals, body);
  m.addFunctionExport(info.exportName, info.exportName);
  info.frameBytes = ctx.frameMax;
  return info;
}
