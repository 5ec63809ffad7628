// ops/register.ts — registers the operator library's tunable templates into autotune, explicitly
// (no import side effects): call registerAll() once before creating tasks or building.

import { template, registerTemplateModule } from '../autotune/template.js';
import type { WorkloadArg } from '../tuning-logs/workload_key.js';
import { anchorTemplate, hasTemplate } from './templates/anchor_templates.js';
import { ANCHOR_TAGS } from './templates/workloads.js';

/** Template names, as tuning logs and `tensortune tune` write them (`<op>.<target kind>`). */
export const TEMPLATES: readonly string[] = Object.freeze(
  ANCHOR_TAGS.flatMap((tag) => (['wasm', 'webgpu'] as const).filter((k) => hasTemplate(tag, k)).map((k) => `${tag}.${k}`)),
);

function dims(a: WorkloadArg | undefined): readonly number[] {
  if (!Array.isArray(a) || a[0] !== 'TENSOR') throw new TypeError(`expected a tensor argument, got ${JSON.stringify(a)}`);
  return a[1] as readonly number[];
}

/** The `--shape` text of `tensortune tune --op <op>` for each op's args. */
const CLI_SHAPES: Partial<Record<string, (args: readonly WorkloadArg[]) => string>> = {
  /** M,K,N of matmul(A [M,K], B [K,N]). */
  matmul: (args) => [...dims(args[0]), dims(args[1])[1]].join(','),
  /** M,K,N of dense(X [M,K], W [N,K]). */
  dense: (args) => [...dims(args[0]), dims(args[1])[0]].join(','),
};

/** Registers every template of the operator library (idempotent). */
export function registerAll(): void {
  for (const tag of ANCHOR_TAGS) {
    for (const kind of ['wasm', 'webgpu'] as const) {
      if (!hasTemplate(tag, kind)) continue;
      const cliShape = CLI_SHAPES[tag];
      template(`${tag}.${kind}`, anchorTemplate(tag, kind), { op: tag, ...(cliShape ? { cliShape } : {}) });
    }
  }
  // Build workers import this module and call registerAll, so they know the same templates.
  registerTemplateModule(import.meta.url, 'registerAll');
}
