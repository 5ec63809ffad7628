// relay/op/registry.ts — the table of relay operators by name (string constants, as TVM's op
// registry): one explicit list, no registration by import side effect.

import { BATCH_MATMUL_PACK_OPS } from './batch_matmul_pack.js';
import { GEMM_CONV_OPS } from './conv2d_gemm.js';
import { CONV_PACKED_OPS } from './conv2d_packed.js';
import { DENSE_PACK_OPS } from './dense_pack.js';
import { ELEMENTWISE_OPS } from './elementwise.js';
import { LAYOUT_OPS } from './layout.js';
import { NN_OPS } from './nn.js';
import type { OpDef } from './op_def.js';
import { REDUCE_OPS } from './reduce.js';
import { TRANSFORM_OPS } from './transform.js';
import { WINOGRAD_OPS } from './winograd.js';

const TABLE: ReadonlyMap<string, OpDef> = new Map([...ELEMENTWISE_OPS, ...TRANSFORM_OPS, ...NN_OPS, ...REDUCE_OPS, ...LAYOUT_OPS, ...WINOGRAD_OPS, ...DENSE_PACK_OPS, ...BATCH_MATMUL_PACK_OPS, ...GEMM_CONV_OPS, ...CONV_PACKED_OPS].map((d) => [d.name, d]));

/** The definition of operator `name`; an unknown name is an error listing what exists. */
export function opDef(name: string): OpDef {
  const d = TABLE.get(name);
  if (d === undefined) throw new Error(`relay: unknown operator '${name}' (known: ${[...TABLE.keys()].sort().join(', ')})`);
  return d;
}

/** All registered operator names, sorted. */
export function listOps(): string[] {
  return [...TABLE.keys()].sort();
}
