// cli/op_shapes.ts — the ops `--op` knows and what their `--shape` numbers mean (plain data, so
// help text needs none of the compiler loaded).

import type { WorkloadArg } from '../tuning-logs/workload_key.js';

function tensorArg(shape: readonly number[], dtype = 'float32'): WorkloadArg {
  return ['TENSOR', [...shape], dtype];
}

export interface OpShape {
  /** How --shape reads, for help and errors. */
  readonly shape: string;
  readonly example: string;
  readonly describe: string;
  readonly args: (dims: readonly number[]) => WorkloadArg[];
}

/** The ops the command knows and how their --shape maps to the template's tensor arguments. */
export const CLI_OPS: Readonly<Record<string, OpShape>> = {
  dense: {
    shape: 'M,K,N',
    example: '1,1024,1000',
    describe: 'Y[M,N] = X[M,K] · W[N,K]ᵀ (ONNX Gemm with transB, TVM dense)',
    args: ([m, k, n]) => [tensorArg([m!, k!]), tensorArg([n!, k!])],
  },
  matmul: {
    shape: 'M,K,N',
    example: '512,512,512',
    describe: 'C[M,N] = A[M,K] · B[K,N]',
    args: ([m, k, n]) => [tensorArg([m!, k!]), tensorArg([k!, n!])],
  },
};

/** The --help text listing ops and their shapes. */
export function opsHelp(): string {
  return Object.entries(CLI_OPS)
    .map(([name, s]) => `  ${name.padEnd(8)} --shape ${s.shape.padEnd(8)} ${s.describe}  (e.g. ${s.example})`)
    .join('\n');
}
