// ops/default_schedule.ts — ops.defaultSchedule: a reasonable untuned schedule for any graph of library
// ops on wasm and WebGPU. As TVM's traverse_inline: every injective stage that is not an output is
// inlined into its consumers; each anchor (conv, dense, matmul…) goes to scheduleAnchor with the
// outputs its epilogue reaches; every other root stage gets the target's injective or reduce schedule.

import { parseTarget, type Target } from '../target/target.js';
import { createSchedule, type Schedule } from '../schedule/schedule.js';
import { inputTensors, Tensor, tensorOf, type Operation } from '../schedule/tensor.js';
import { scheduleAnchor } from './anchor.js';
import { isPoolStage, schedulePoolWasm } from './schedule_pool_wasm.js';
import { scheduleInjectiveWasm, scheduleReduceWasm } from './schedule_wasm.js';
import { scheduleInjectiveWebGPU, scheduleReduceWebGPU } from './schedule_webgpu.js';
import { isAnchorTag, TAG } from './tags.js';

const isReduction = (op: Operation): boolean => op.kind === 'compute' && op.reduceAxis.length > 0;
const isAnchor = (op: Operation): boolean => op.kind === 'compute' && isAnchorTag(op.tag);

/** The anchor an output reaches through injective stages only (itself if it is one), if any. */
function anchorOf(out: Operation): Operation | undefined {
  const seen = new Set<Operation>();
  const walk = (op: Operation): Operation | undefined => {
    if (seen.has(op) || op.kind !== 'compute') return undefined;
    seen.add(op);
    if (isAnchor(op)) return op;
    if (isReduction(op)) return undefined;
    for (const t of inputTensors(op)) {
      const a = walk(t.op);
      if (a) return a;
    }
    return undefined;
  };
  return walk(out);
}

/**
 * A schedule of `outs` for `target` ('wasm…' or 'webgpu…', or a parsed Target). Throws when outs is
 * empty or holds a placeholder, and (WebGPU) for a 0-D output, which has no axis to bind.
 */
export function defaultSchedule(outs: readonly Tensor[], target: string | Target): Schedule {
  if (!Array.isArray(outs as unknown) || outs.length === 0) throw new TypeError('defaultSchedule: needs a non-empty array of output tensors');
  outs.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new TypeError(`defaultSchedule: output ${i} is not a te.Tensor`);
    if (t.op.kind !== 'compute') throw new TypeError(`defaultSchedule: output ${i} (${t.name}) is a placeholder; outputs must be computed by ops`);
  });
  const tgt = parseTarget(target);
  const s = createSchedule(outs);
  const outOps = new Set(outs.map((t) => t.op));

  // traverse_inline: injective stages that are not outputs disappear into their consumers.
  // Softmax's exp stage stays (TOPI's x86 schedule_softmax keeps it too): inlined, the sum and the
  // quotient would each compute every exp (ops/nn/softmax.ts).
  for (const st of s.stages) {
    if (st.op.kind === 'compute' && !isReduction(st.op) && !outOps.has(st.op) && st.op.tag !== TAG.softmaxExp) st.computeInline();
  }

  // Anchors, each with the outputs its epilogue reaches. An epilogue output scheduleAnchor left
  // untouched (no steps, still at root) is scheduled below like any other root stage.
  const claimed = new Set<Operation>();
  const anchors = s.stages.filter((st) => isAnchor(st.op)).map((st) => st.op);
  for (const a of anchors) {
    const epilogue = outs.filter((t) => anchorOf(t.op) === a);
    scheduleAnchor(s, tensorOf(a), epilogue, tgt);
    claimed.add(a);
    for (const t of epilogue) {
      const st = s.stage(t);
      if (st.steps.length > 0 || st.attach.type !== 'root') claimed.add(t.op);
    }
  }

  // Pools (wasm): the pool and the output reading it scheduled together (ops/schedule_pool_wasm.ts).
  if (tgt.kind === 'wasm') {
    for (const st of [...s.stages]) {
      if (!isPoolStage(st.op) || st.attach.type !== 'root' || st.steps.length > 0 || claimed.has(st.op)) continue;
      for (const done of schedulePoolWasm(s, st, outs)) claimed.add(done.op);
    }
  }

  // Everything else left at root: reductions, norms, and injective outputs.
  for (const st of [...s.stages]) {
    if (st.op.kind !== 'compute' || st.attach.type !== 'root' || claimed.has(st.originOp) || claimed.has(st.op)) continue;
    if (st.scope !== 'global') continue;
    // Stages an anchor's template already scheduled (e.g. Winograd's transforms and products) keep it. A
    // stage it only placed at root (a conv's padded input, 'pad_inline' false: computeInline undone by
    // computeRoot) has no loop schedule yet and gets the injective one here; left alone it was a serial
    // scalar loop, PP-OCRv4 det's 2×2 stride-2 ConvTranspose spent ~6 of its 7 ms dilating the input.
    if (st.steps.some((x) => x.op !== 'computeInline' && x.op !== 'computeRoot')) continue;
    if (tgt.kind === 'wasm') {
      if (isReduction(st.op)) scheduleReduceWasm(s, st);
      else scheduleInjectiveWasm(st);
    } else if (isReduction(st.op)) {
      scheduleReduceWebGPU(s, st);
    } else {
      scheduleInjectiveWebGPU(st);
    }
  }
  return s;
}
