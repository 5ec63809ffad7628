// tests/relay/models/run_model.ts — imports a test model, builds it for a target, runs it on seeded
// inputs and returns the relative error against onnxruntime-node on the same file.

import { build, type BuildOptions, type BuildReport } from '../../../relay/backend/build.js';
import type { LayoutMode } from '../../../relay/transform/alter_op_layout.js';
import { fromOnnx } from '../../../relay/frontend/onnx.js';
import { inputData, ortRun, relError } from './reference.js';

export async function compareWithOrt(bytes: Uint8Array, inputs: Readonly<Record<string, readonly number[]>>, target: string, alterOpLayout?: boolean | LayoutMode, more: Omit<BuildOptions, 'target' | 'alterOpLayout'> = {}): Promise<{ errors: number[]; report: BuildReport }> {
  const data = Object.fromEntries(Object.entries(inputs).map(([k, s], i) => [k, { data: inputData(s, 11 + i), shape: s }]));
  const ref = await ortRun(bytes, data);
  const lib = await build(fromOnnx(bytes, { shapes: inputs }), { target, tuningLogs: [], alterOpLayout, ...more });
  try {
    const outs = await lib.run(Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v.data])));
    const errors = outs.map((o, i) => {
      const e = relError(o.toArray(), ref[i]!);
      o.free();
      return e;
    });
    return { errors, report: lib.report };
  } finally {
    lib.dispose();
  }
}
