// ops/register.ts — registers the operator library's tunable templates into autotune, explicitly
// (no import side effects): call registerAll() once before creating tasks or building.

import { template, registerTemplateModule } from '../autotune/template.js';
import type { WorkloadArg } from '../tuning-logs/workload_key.js';
import { anchorTemplate, hasTemplate } from './templates/anchor_templates.js';
import { ANCHOR_TAGS } from './templates/workloads.js';
import { CONST_B_TAGS, constBHostInputs, constBTemplate, constBTemplateName } from './templates/gemm_const_b.js';
import { formatOpParams, opArgCount, opSpecOfTag, paramsOfArgs } from './op_params.js';

/** Template names, as tuning logs and `tensortune tune` write them (`<op>.<target kind>`). */
export const TEMPLATES: readonly string[] = Object.freeze([
  ...ANCHOR_TAGS.flatMap((tag) => (['wasm', 'webgpu'] as const).filter((k) => hasTemplate(tag, k)).map((k) => `${tag}.${k}`)),
  // Products on a constant weight, timed without the pack a build does once (`tensortune tune --const-b`).
  ...CONST_B_TAGS.map(constBTemplateName),
]);

/** The `--shape` text of `tensortune tune --op <op>` for a template's args (ops/op_params.ts). */
function cliShapeOf(tag: string): { op: string; cliShape: (args: readonly WorkloadArg[]) => string } | undefined {
  const spec = opSpecOfTag(tag);
  if (spec === undefined) return undefined;
  const n = opArgCount(spec);
  return {
    op: spec.op,
    // A fused epilogue (the list after the workload args) is the command's --epilogue.
    cliShape: (args) => {
      const steps = args[n];
      return formatOpParams(spec, paramsOfArgs(spec, args)) + (Array.isArray(steps) && steps.length > 0 ? ` --epilogue ${steps.join(',')}` : '');
    },
  };
}

/** Registers every template of the operator library (idempotent). */
export function registerAll(): void {
  for (const tag of ANCHOR_TAGS) {
    for (const kind of ['wasm', 'webgpu'] as const) {
      if (!hasTemplate(tag, kind)) continue;
      template(`${tag}.${kind}`, anchorTemplate(tag, kind), cliShapeOf(tag) ?? { op: tag });
    }
  }
  for (const tag of CONST_B_TAGS) {
    template(constBTemplateName(tag), constBTemplate(tag), {
      ...cliShapeOf(tag), cliFlags: ' --const-b', sharesSpaceWith: `${tag}.wasm`, hostInputs: constBHostInputs(tag),
    });
  }
  // Build workers import this module and call registerAll, so they know the same templates.
  registerTemplateModule(import.meta.url, 'registerAll');
}
