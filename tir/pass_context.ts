// tir/pass_context.ts — the pass configuration every lowering and target pass reads, as TVM's
// PassContext (python/tvm/ir/transform.py): typed config options, disabled passes, and user
// passes inserted by phase (TVM's `tir.add_lower_pass`). Scoped with withPassContext.

import type { PrimFunc } from './nodes.js';

/** Typed config options (TVM: `PassContext(config={...})`). */
export interface PassConfig {
  /**
   * Loops the IR still marks `unrolled` with more iterations than this stay loops in the code
   * generators (wasm and WGSL). Default 64.
   */
  readonly maxUnroll: number;
  /** Verify the IR after every pass (default true; the final contract check always runs). */
  readonly verify: boolean;
}

export const DEFAULT_PASS_CONFIG: PassConfig = Object.freeze({ maxUnroll: 64, verify: true });

/**
 * Where a user pass runs, as TVM's lowering phases: 0 before storage flatten (multi-dimensional
 * buffers, loops as scheduled), 1 after storage flatten, 2 after vectorize/unroll, 3 at the end
 * of the target-independent passes (before the target's passes: WGSL kernel split, barriers…).
 */
export type PassPhase = 0 | 1 | 2 | 3;

/** A pass: a pure PrimFunc → PrimFunc that returns the same object when nothing changed. */
export interface Pass {
  /** Dotted id, e.g. `tir.simplify`, `webgpu.insertBarriers`; named in traces, errors and disabledPasses. */
  readonly name: string;
  readonly run: (f: PrimFunc, ctx: PassContext) => PrimFunc;
}

export interface PassContextOptions {
  readonly config?: Partial<PassConfig>;
  /** Pass names to skip (TVM's disabled_pass), e.g. ['tir.loopPartition']. */
  readonly disabledPasses?: readonly string[];
  /** User passes, each run at its phase (several at one phase run in the order given). */
  readonly passes?: readonly { readonly phase: PassPhase; readonly pass: Pass }[];
}

export class PassContext {
  readonly config: PassConfig;
  readonly disabledPasses: ReadonlySet<string>;
  readonly userPasses: readonly { readonly phase: PassPhase; readonly pass: Pass }[];

  /** Throws on an unknown config key, a maxUnroll that is not a non-negative integer, or a bad phase. */
  constructor(opts: PassContextOptions = {}) {
    const given = opts.config ?? {};
    for (const k of Object.keys(given)) {
      if (!(k in DEFAULT_PASS_CONFIG)) {
        throw new Error(`PassContext: unknown config option '${k}' (known: ${Object.keys(DEFAULT_PASS_CONFIG).join(', ')})`);
      }
    }
    const config = { ...DEFAULT_PASS_CONFIG, ...given };
    if (!Number.isInteger(config.maxUnroll) || config.maxUnroll < 0) {
      throw new Error(`PassContext: config maxUnroll=${String(config.maxUnroll)} must be a non-negative integer`);
    }
    this.config = Object.freeze(config);
    this.disabledPasses = new Set(opts.disabledPasses ?? []);
    for (const { phase, pass } of opts.passes ?? []) {
      if (![0, 1, 2, 3].includes(phase)) throw new Error(`PassContext: user pass ${pass.name}: phase ${String(phase)} is not 0, 1, 2 or 3`);
      if (typeof pass.run !== 'function') throw new Error(`PassContext: user pass ${pass.name} has no run function`);
    }
    this.userPasses = Object.freeze([...(opts.passes ?? [])]);
  }

  /** The user passes of one phase, in the order given. */
  passesAt(phase: PassPhase): Pass[] {
    return this.userPasses.filter((p) => p.phase === phase).map((p) => p.pass);
  }
}

const stack: PassContext[] = [];
const DEFAULT_CONTEXT = new PassContext();

/** The innermost context of withPassContext, or the defaults. */
export function currentPassContext(): PassContext {
  return stack[stack.length - 1] ?? DEFAULT_CONTEXT;
}

/**
 * Runs `fn` (sync or async) with `ctx` as the current pass context, as TVM's
 * `with tvm.transform.PassContext(...)`: te.lower, compile and build inside read it.
 */
export function withPassContext<T>(ctx: PassContext | PassContextOptions, fn: () => T): T {
  const c = ctx instanceof PassContext ? ctx : new PassContext(ctx);
  stack.push(c);
  const pop = (): void => {
    const i = stack.lastIndexOf(c);
    if (i >= 0) stack.splice(i, 1);
  };
  let out: T;
  try {
    out = fn();
  } catch (e) {
    pop();
    throw e;
  }
  if (out instanceof Promise) return out.finally(pop) as T;
  pop();
  return out;
}
