// tests/load_timeout.ts — hang guards for tests whose cost is known in CPU time. vitest's timeouts are wall
// clock, and on the shared 2-core machine a test's wall time is its CPU time divided by the share of a core
// it gets: about cores / load average, and less again for a `nice`d run (Linux CFS weighs each nice step
// by ~1.25: nice 10 weighs 1/9 of nice 0, nice 15 1/28). A WebGPU test of 1.5 s CPU (lavapipe compiling
// its shaders) ran 3.3 s at load 20 under nice 10, and past vitest's 180 s at load 40 under nice 10–15.

import { availableParallelism, getPriority, loadavg } from 'node:os';

/** vitest.config.ts's hang guard, the least any test gets. */
const FLOOR_MS = 180_000;
/** An hour: a guard that still ends a real hang within a CI job. */
const CEILING_MS = 3_600_000;

/**
 * A per-test timeout (ms) for a test that takes `cpuMs` of CPU time (measured: process.cpuUsage around the
 * test), scaled by this process's expected share of a core now: `margin` × cpuMs × max(1, load / cores) ×
 * 1.25^nice, within [180 s, 1 h]. The load is read when the test file is collected (its `it` calls).
 */
export function loadScaledTimeout(cpuMs: number, margin = 3): number {
  const load = Math.max(1, loadavg()[0]! / availableParallelism());
  const nice = Math.max(0, getPriority());
  return Math.min(CEILING_MS, Math.max(FLOOR_MS, Math.ceil(margin * cpuMs * load * 1.25 ** nice)));
}
