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
  /** Where the record came from, when the context read it from a file (for "config 12 from dense.jsonl:40"). */
  readonly file?: string;
  readonly line?: number;
  /** The record's target as written, and its mean cost in seconds, when the context holds records. */
  readonly recordTarget?: string;
  readonly meanCost?: number;
}

/** Says why a logged config cannot be used for the task being built (undefined: it can). */
export type ConfigCheck = (config: ConfigData) => string | undefined;

/** A record a query passed over because its check refused it: which, where from, and why. */
export interface SkippedRecord {
  readonly config: ConfigData;
  readonly target: string;
  readonly reason: string;
  readonly file?: string;
  readonly line?: number;
}

export interface QueryOptions {
  /**
   * Refuses configs that do not fit the task (applyTemplate passes "fits the template's space and
   * its index matches its entity"); the context then answers with the best record that passes.
   */
  readonly check?: ConfigCheck;
  /** Receives each record the check refused, best first. */
  readonly onSkip?: (skipped: SkippedRecord) => void;
}

export interface DispatchContext {
  /** The config to build `workloadKey` on `target` with; undefined when the context has none that passes `opts.check`. */
  query(target: string, workloadKey: string, opts?: QueryOptions): DispatchHit | undefined;
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
