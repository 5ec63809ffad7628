// ops/register.ts — registers the operator library's tunable templates into autotune, explicitly
// (no import side effects): call registerAll() once before creating tasks or building.

import { template, registerTemplateModule } from '../autotune/template.js';
import type { WorkloadArg } from '../tuning-logs/workload_key.js';
import { denseWasm, matmulWasm } from './templates/gemm_wasm.js';
import { matmulWebGPU } from './templates/matmul_webgpu.js';

/** Template names, as tuning logs and `tensortune tune` write them. */
export const TEMPLATES = {
  denseWasm: 'dense.wasm',
  matmulWasm: 'matmul.wasm',
  matmulWebGPU: 'matmul.webgpu',
} as const;

function dims(a: WorkloadArg | undefined): readonly number[] {
  if (!Array.isArray(a) || a[0] !== 'TENSOR') throw new TypeError(`expected a tensor argument, got ${JSON.stringify(a)}`);
  return a[1] as readonly number[];
}

/** M,K,N of matmul(A [M,K], B [K,N]). */
const matmulShape = (args: readonly WorkloadArg[]): string => [...dims(args[0]), dims(args[1])[1]].join(',');
/** M,K,N of dense(X [M,K], W [N,K]). */
const denseShape = (args: readonly WorkloadArg[]): string => [...dims(args[0]), dims(args[1])[0]].join(',');

/** Registers every template of the operator library (idempotent). */
export function registerAll(): void {
  template(TEMPLATES.denseWasm, denseWasm, { op: 'dense', cliShape: denseShape });
  template(TEMPLATES.matmulWasm, matmulWasm, { op: 'matmul', cliShape: matmulShape });
  template(TEMPLATES.matmulWebGPU, matmulWebGPU, { op: 'matmul', cliShape: matmulShape });
  // Build workers import this module and call registerAll, so they know the same templates.
  registerTemplateModule(import.meta.url, 'registerAll');
}
