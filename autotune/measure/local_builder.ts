// autotune/measure/local_builder.ts — the local Builder: compiles a batch of candidates in parallel worker
// threads, each with a build timeout; a hung or crashed build costs one error record.

import { availableParallelism } from 'node:os';
import { parseTarget } from '../../target/index.js';
import { buildCandidate, type BuildJob } from './build_candidate.js';
import { JobWorker } from './job_worker.js';
import { MeasureErrorNo, type BuildResult, type Builder, type MeasureInput } from './measure_types.js';
import { siblingModule } from './spawn_worker.js';
import { templateModules } from '../template.js';

export interface LocalBuilderOptions {
  /** Seconds one candidate may take to build (default 10, as AutoTVM). */
  readonly timeout?: number;
  /** Build workers (default: the machine's available parallelism). */
  readonly nParallel?: number;
  /**
   * Build on the calling thread, without workers or timeouts (debugging, or where workers are
   * unavailable). Default false.
   */
  readonly inProcess?: boolean;
}

/** The job of a candidate, or its error when it has no place in its task's space. */
function toJob(input: MeasureInput): BuildJob | BuildResult {
  const { task, config } = input;
  if (!Number.isInteger(config.index) || config.index < 0 || config.index >= task.space.length) {
    return {
      errorNo: MeasureErrorNo.INSTANTIATION_ERROR, timeCost: 0,
      errorMsg: `config index ${config.index} is not in the space of ${task.name} (0 … ${task.space.length - 1}); measure configs of task.space`,
    };
  }
  return { taskName: task.name, args: task.args, target: task.target, configIndex: config.index, entity: config.toData().entity };
}

function isJob(x: BuildJob | BuildResult): x is BuildJob {
  return 'taskName' in x;
}

export function localBuilder(opts: LocalBuilderOptions = {}): Builder {
  const timeout = opts.timeout ?? 10;
  const nParallel = opts.nParallel ?? availableParallelism();
  if (!(timeout > 0)) throw new RangeError(`localBuilder: timeout must be > 0 seconds, got ${timeout}`);
  if (!Number.isInteger(nParallel) || nParallel < 1) throw new RangeError(`localBuilder: nParallel must be an integer ≥ 1, got ${nParallel}`);
  const entry = siblingModule(import.meta.url, 'build_worker');
  let pool: JobWorker<BuildJob, BuildResult>[] = [];
  let poolModules = '';

  /** Workers are (re)started when the registered template modules change, so they know every template. */
  function workers(): JobWorker<BuildJob, BuildResult>[] {
    const modules = templateModules();
    const key = JSON.stringify(modules);
    if (key !== poolModules) {
      for (const w of pool) void w.close();
      pool = Array.from({ length: nParallel }, () => new JobWorker<BuildJob, BuildResult>(entry, { modules }));
      poolModules = key;
    }
    return pool;
  }

  async function buildOne(w: JobWorker<BuildJob, BuildResult>, job: BuildJob): Promise<{ result: BuildResult; atStartup: boolean }> {
    const out = await w.run(job, timeout * 1000);
    switch (out.kind) {
      case 'done':
        return { result: out.value, atStartup: false };
      case 'timeout':
        return { result: { errorNo: MeasureErrorNo.BUILD_TIMEOUT, errorMsg: `build exceeded the timeout of ${timeout} s`, timeCost: out.seconds }, atStartup: false };
      case 'crash': {
        const device = parseTarget(job.target).kind === 'webgpu';
        const result: BuildResult = {
          errorNo: device ? MeasureErrorNo.COMPILE_DEVICE : MeasureErrorNo.COMPILE_HOST,
          errorMsg: `build worker crashed: ${out.message}`,
          timeCost: out.seconds,
        };
        return { result, atStartup: out.atStartup === true };
      }
    }
  }

  return {
    async build(inputs) {
      const jobs = inputs.map(toJob);
      if (opts.inProcess) {
        const results: BuildResult[] = [];
        for (const j of jobs) results.push(isJob(j) ? await buildCandidate(j) : j);
        return results;
      }
      const ws = workers();
      const results = new Array<BuildResult>(jobs.length);
      let next = 0;
      // A worker that cannot start (a template module failing to import) fails the rest of the batch at once.
      let startFailure: BuildResult | undefined;
      // Each worker pulls the next job when free, so a slow candidate does not hold up the rest.
      await Promise.all(ws.map(async (w) => {
        while (next < jobs.length) {
          const i = next++;
          const job = jobs[i]!;
          if (!isJob(job)) { results[i] = job; continue; }
          if (startFailure) { results[i] = { ...startFailure, timeCost: 0 }; continue; }
          const { result, atStartup } = await buildOne(w, job);
          results[i] = result;
          if (atStartup) startFailure = result;
        }
      }));
      return results;
    },
    async close() {
      await Promise.all(pool.map((w) => w.close()));
      pool = [];
      poolModules = '';
    },
  };
}
