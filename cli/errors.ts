// cli/errors.ts — the exit codes of the tensortune command and the errors that carry them.

/** 0: done. 1: the work failed (a build error, a failed run, a log with bad lines under validate). */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
/** 2: the command was called wrongly (unknown option, bad --shape, missing log file, bad target). */
export const EXIT_USAGE = 2;
/** 130: stopped by Ctrl-C (128 + SIGINT), after finishing cleanly; every finished record is kept. */
export const EXIT_INTERRUPTED = 130;

/** Bad usage or input: printed as `error: …` with exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A failure with a chosen exit code (e.g. validate found bad lines). */
export class ExitError extends Error {
  override readonly name = 'ExitError';
  constructor(message: string, readonly exitCode: number) {
    super(message);
  }
}
