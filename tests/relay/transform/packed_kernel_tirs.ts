// tests/relay/transform/packed_kernel_tirs.ts — the TIR of every kernel a wasm build of a module makes, for the
// prepacking tests (AlterDenseLayout on dense, matmul and batch_matmul): whether a kernel still packs its weight
// ('_packed' stage) shows in the printed TIR.

import { buildPasses } from '../../../relay/backend/build.js';
import { teOf } from '../../../relay/backend/lower_function.js';
import { postOrder } from '../../../relay/functor.js';
import type { IRModule } from '../../../relay/nodes.js';
import { sequential } from '../../../relay/transform/pass.js';
import * as ops from '../../../ops/index.js';
import { lower } from '../../../schedule/lower.js';
import { parseTarget } from '../../../target/index.js';
import { print } from '../../../tir/printer.js';
import { applyHistoryBest } from '../../../tuning-logs/apply_history_best.js';
import { withDispatchContext } from '../../../tuning-logs/dispatch_context.js';
import type { LogRecord } from '../../../tuning-logs/record.js';

/** The TIR of every kernel of `mod` on 'wasm', lowered the way lowerFunction lowers it (same passes, same records). */
export async function kernelTirs(mod: IRModule, records: readonly LogRecord[], prepackDense: boolean): Promise<string[]> {
  const ctx = applyHistoryBest(records);
  const t = parseTarget('wasm');
  const fused = sequential(buildPasses(t, 'auto', { records: ctx }, prepackDense), mod);
  const out: string[] = [];
  for (const e of postOrder(fused.main.body, false)) {
    if (e.kind !== 'Call' || typeof e.op === 'string') continue;
    const fn = e.op;
    out.push(await withDispatchContext(ctx, () => {
      const { params, out: y } = teOf(fn);
      return print(lower(ops.defaultSchedule([y], t), [...params, y], { name: fn.attrs.name ?? 'fused' }));
    }));
  }
  return out;
}
