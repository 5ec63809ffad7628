// tuning-logs/workload_key.ts — the stable key of a tuning task: template name + argument signature.

/** One argument of a task as AutoTVM writes it: ["TENSOR", shape, dtype] or a plain value. */
export type WorkloadArg = readonly ['TENSOR', readonly number[], string] | number | string | boolean | null | readonly WorkloadArg[];

/** The key records are grouped and looked up by; equal workloads give equal keys. */
export function workloadKey(taskName: string, args: readonly WorkloadArg[]): string {
  return JSON.stringify([taskName, args]);
}
