// autotune/measure/run_worker.ts — worker entry of the local runner: runs and times one candidate per job,
// isolated from the tuning job (a hang is terminated, a crash ends only this worker).

import { runCandidate, type RunAnswer, type RunJob } from './run_candidate.js';
import { serveJobs } from './serve_jobs.js';

serveJobs<RunJob, RunAnswer>(
  async () => {
    // Load the runtime before the first job, so module loading does not count toward its timeout.
    await import('../../runtime/build.js');
  },
  async (job, stage) => ({ res: await runCandidate(job, stage) }),
);
