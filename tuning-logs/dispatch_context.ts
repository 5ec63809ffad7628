// tuning-logs/dispatch_context.ts — which config a template uses when instantiated outside tuning.
// Builds push a context (e.g. logs.applyHistoryBest(...)); templates query the innermost one.

/** A config as stored in a log record's "config" field. */
export interface ConfigData {
  readonly index: number;
  readonly code_hash: string | null;
  readonly entity: readonly (readonly [string, string, unknown])[];
}

export interface DispatchHit {
  readonly config: ConfigData;
  /** Set when the record came from another target of the same family, to be reported to the user. */
  readonly note?: string;
}

export interface DispatchContext {
  query(target: string, workloadKey: string): DispatchHit | undefined;
}

const stack: DispatchContext[] = [];

export function currentDispatchContext(): DispatchContext | undefined {
  return stack[stack.length - 1];
}

/** Runs `fn` (sync or async) with `ctx` as the innermost dispatch context. */
export async function withDispatchContext<T>(ctx: DispatchContext, fn: () => T | Promise<T>): Promise<T> {
  stack.push(ctx);
  try {
    return await fn();
  } finally {
    const i = stack.lastIndexOf(ctx);
    if (i >= 0) stack.splice(i, 1);
  }
}

/** Pushes a context until the returned function is called (for code that cannot nest a callback). */
export function pushDispatchContext(ctx: DispatchContext): () => void {
  stack.push(ctx);
  return () => {
    const i = stack.lastIndexOf(ctx);
    if (i >= 0) stack.splice(i, 1);
  };
}
