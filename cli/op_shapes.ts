// cli/op_shapes.ts — the ops `--op` knows and how their `--shape` reads (ops/op_params.ts: plain data,
// so help text needs none of the compiler loaded).

import { OP_SPECS } from '../ops/op_params.js';

/** The --help text listing ops, their parameters and an example shape. */
export function opsHelp(): string {
  const pad = Math.max(...OP_SPECS.map((s) => s.op.length));
  const lines = OP_SPECS.map((s) => {
    const params = s.params.map((p) => (p.dflt !== undefined ? `${p.name}=${p.dflt.join('x')}` : p.name)).join(',');
    const form = s.positional ? `--shape ${s.positional.join(',')} (or ${s.positional.map((n) => `${n}=…`).join(',')})` : `--shape ${params}`;
    return `  ${s.op.padEnd(pad)} ${s.describe}\n  ${''.padEnd(pad)} ${form}\n  ${''.padEnd(pad)} e.g. --shape ${s.example}`;
  });
  return `${lines.join('\n')}

  Named parameters (any order, case-insensitive; defaults shown as name=value): kernel, stride and
  dilation take one number or HxW; pad one number (all sides), HxW, or TOPxLEFTxBOTTOMxRIGHT (also
  pad=0,1,1,2). --workload <id> takes the shape of an entry of the workloads file instead
  (../shared/workloads.json: C1-C12, D1-D9, MM-512, DENSE-fc, …; a conv2d entry with --op conv2d,
  conv2d_NCHWc or conv2d_winograd; a depthwise_conv2d entry with --op depthwise_conv2d or
  depthwise_conv2d_NCHWc); a --shape beside it holds name=value parameters that replace or add to
  the entry's (--workload C6 --op conv2d_winograd --shape transformed=1). --epilogue bias,relu fuses steps after the op (bias, relu, relu6,
  sigmoid, residual), as a model's fused layer.`;
}
