// tuning-logs/workload_key.ts — the stable key of a tuning task: template name + argument signature.

/**
 * One argument of a task as AutoTVM writes it: ["TENSOR", shape, dtype] or a plain value. Logs of
 * other tools may carry more elements after the dtype (TopHub's cuda logs: ["TENSOR", shape, dtype,
 * [0, 0]]); they are kept, and are part of the workload key, as in AutoTVM.
 */
export type WorkloadArg =
  | readonly ['TENSOR', readonly number[], string]
  | readonly ['TENSOR', readonly number[], string, ...unknown[]]
  | number | string | boolean | null | readonly WorkloadArg[];

/** The key records are grouped and looked up by; equal workloads give equal keys. */
export function workloadKey(taskName: string, args: readonly WorkloadArg[]): string {
  return JSON.stringify([taskName, args]);
}
