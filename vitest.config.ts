// vitest.config.ts — test runner settings: tests live in tests/, mirroring the source folders.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // A hang guard, not a speed check: on a shared 2-core machine under load (load average 10+)
    // the heaviest tests (tuning a matmul, building records) took 30–65 s, over the old 60 s.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
  },
});
