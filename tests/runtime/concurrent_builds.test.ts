// Modules built at once share the thread pool's workers: every build must settle, in a process whose
// only pending work is those builds (a top-level await), and each module must compute its own answer.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

describe('threaded wasm modules built at once', () => {
  it('all settle at a top-level await and each computes n·A (plain JS)', async () => {
    const child = fileURLToPath(new URL('./fixtures/concurrent_builds_child.ts', import.meta.url));
    // Exit code 13 (unsettled top-level await) rejects here with the child's stderr.
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', child],
      { cwd: fileURLToPath(new URL('../..', import.meta.url)), timeout: 170_000 });
    const got = JSON.parse(stdout) as { n: number; out: number[] }[];
    expect(got.map((r) => r.n)).toEqual([64, 96, 80, 72, 88, 40]);
    for (const { n, out } of got) {
      expect(out).toEqual(Array.from({ length: n * n }, (_, i) => (i % 7) * n));
    }
    // A child Node compiles the sources again (tsx): slow on a loaded machine, so a long limit.
  }, 180_000);
});
