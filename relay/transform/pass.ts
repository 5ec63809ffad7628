// relay/transform/pass.ts — graph passes and the sequence that runs them: a pass is a named
// IRModule → IRModule function; TENSORTUNE_DEBUG=relay prints the module after each pass.

import type { IRModule } from '../nodes.js';
import { astext } from '../printer.js';

export interface Pass {
  /** TVM's pass name ('FoldConstant'). */
  readonly name: string;
  run(mod: IRModule): IRModule;
}

function debugRelay(): boolean {
  const v = typeof process !== 'undefined' ? process.env['TENSORTUNE_DEBUG'] : undefined;
  return v !== undefined && v.split(/[,\s]+/).includes('relay');
}

export interface PassTrace {
  readonly name: string;
  readonly changed: boolean;
  readonly ms: number;
}

/** Runs passes in order (TVM's Sequential); prints each result under TENSORTUNE_DEBUG=relay. */
export function sequential(passes: readonly Pass[], mod: IRModule, trace?: PassTrace[]): IRModule {
  const debug = debugRelay();
  if (debug) process.stderr.write(`// relay: input\n${astext(mod)}\n`);
  let cur = mod;
  for (const p of passes) {
    const t0 = performance.now();
    const next = p.run(cur);
    const changed = next !== cur;
    trace?.push({ name: p.name, changed, ms: performance.now() - t0 });
    if (debug) process.stderr.write(`// relay: after ${p.name}${changed ? `\n${astext(next)}` : ': unchanged'}\n`);
    cur = next;
  }
  return cur;
}
