// tests/autotune/spawn_orphan.test.ts — a measuring child process (spawnProcess, JobWorker's `isolation: 'process'`)
// must not outlive a parent that was SIGKILLed while the child's job spins: 'disconnect' never fires on a busy event
// loop, so serve_jobs.ts watches the parent from a worker thread. (Without that watch the child spun on for good.)

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const parentEntry = new URL('./fixtures/orphan_parent.ts', import.meta.url);

/** Gone: no such process, or a zombie nobody reaped yet (a container's pid 1 may not reap). */
function gone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') ?? false;
  } catch {
    return true;
  }
}

describe('spawnProcess child whose parent dies', () => {
  it('ends itself within seconds when its parent is SIGKILLed mid-job, while the job spins', async () => {
    const parent = spawn(process.execPath, ['--import', 'tsx', parentEntry.pathname], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    parent.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    const signal = await new Promise<string | null>((resolve) => parent.on('exit', (_code, sig) => resolve(sig)));
    expect(signal).toBe('SIGKILL');
    const pid = Number(/child (\d+)/.exec(out)?.[1]);
    expect(pid).toBeGreaterThan(0);
    try {
      const deadline = Date.now() + 20_000;
      while (!gone(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(gone(pid)).toBe(true);
    } finally {
      if (!gone(pid)) process.kill(pid, 'SIGKILL');
    }
  }, 240_000);
});
