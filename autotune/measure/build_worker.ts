// autotune/measure/build_worker.ts — worker entry of the local builder: registers the templates, then builds
// one candidate per job.

import { workerData } from 'node:worker_threads';
import { buildCandidate, type BuildJob } from './build_candidate.js';
import type { BuildResult } from './measure_types.js';
import { serveJobs } from './serve_jobs.js';
import { loadTemplateModules, type TemplateModule } from '../template.js';

const { modules } = workerData as { modules: readonly TemplateModule[] };

serveJobs<BuildJob, BuildResult>(
  () => loadTemplateModules(modules),
  async (job) => {
    const res = await buildCandidate(job);
    // buildCandidate gave the artifact its own ArrayBuffer, so it can move without a copy.
    return { res, transfer: res.artifact ? [res.artifact.bytes.buffer as ArrayBuffer] : [] };
  },
);
