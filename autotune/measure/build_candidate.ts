// autotune/measure/build_candidate.ts — builds one candidate: instantiate the config, lower, compile to an
// artifact; each failure becomes a BuildResult with AutoTVM's error number (runs in a build worker).

import { compile } from '../../codegen/compile.js';
import type { CompiledArtifact } from '../../codegen/artifact.js';
import { parseTarget } from '../../target/index.js';
import { lower } from '../../schedule/lower.js';
import type { ConfigData } from '../../tuning-logs/dispatch_context.js';
import type { WorkloadArg } from '../../tuning-logs/workload_key.js';
import { MeasureErrorNo, type BuildResult } from './measure_types.js';
import { createTask } from '../task.js';

/** A candidate as plain data (it crosses into a worker thread): task identity and config index. */
export interface BuildJob {
  readonly taskName: string;
  readonly args: readonly WorkloadArg[];
  readonly target: string;
  readonly configIndex: number;
  /** The config's knob values as the caller sees them; checked against the worker's own space. */
  readonly entity?: ConfigData['entity'];
}

function message(stage: string, e: unknown): string {
  return `${stage}: ${e instanceof Error ? e.message : String(e)}`;
}

/**
 * Template or schedule errors → INSTANTIATION_ERROR (1); lowering and wasm codegen errors →
 * COMPILE_HOST (2); WGSL codegen errors → COMPILE_DEVICE (3).
 */
export async function buildCandidate(job: BuildJob): Promise<BuildResult> {
  const start = performance.now();
  const done = (r: Omit<BuildResult, 'timeCost'>): BuildResult => ({ ...r, timeCost: (performance.now() - start) / 1000 });
  let instantiated;
  try {
    const task = createTask(job.taskName, job.args, job.target);
    const config = task.space.entityAt(job.configIndex);
    if (job.entity && JSON.stringify(config.toData().entity) !== JSON.stringify(job.entity)) {
      throw new Error(`config ${job.configIndex} is ${JSON.stringify(config.toData().entity)} here but ${JSON.stringify(job.entity)} ` +
        'for the caller: the template registered in this thread differs from the caller\'s');
    }
    instantiated = task.instantiate(config);
  } catch (e) {
    return done({ errorNo: MeasureErrorNo.INSTANTIATION_ERROR, errorMsg: message('instantiate', e) });
  }
  let func;
  try {
    func = lower(instantiated.schedule, instantiated.tensors, { name: 'default_function' });
  } catch (e) {
    return done({ errorNo: MeasureErrorNo.COMPILE_HOST, errorMsg: message('lower', e) });
  }
  let artifact: CompiledArtifact;
  try {
    artifact = await compile(func, job.target);
  } catch (e) {
    const device = parseTarget(job.target).kind === 'webgpu';
    return done({ errorNo: device ? MeasureErrorNo.COMPILE_DEVICE : MeasureErrorNo.COMPILE_HOST, errorMsg: message('compile', e) });
  }
  // A private copy of the bytes: they may view a compiler's heap, and are transferred to the caller.
  return done({ errorNo: MeasureErrorNo.NO_ERROR, artifact: { ...artifact, bytes: artifact.bytes.slice() } });
}
