import { defineConfig } from 'vitest/config';

// `npm run bench`: benchmarks in real Chromium, run through vitest only for its TypeScript
// loading. Not part of `npm test`.
export default defineConfig({
  test: {
    include: ['bench/**/*.run.ts'],
    environment: 'node',
    testTimeout: 30 * 60_000,
    hookTimeout: 5 * 60_000,
    fileParallelism: false,
    reporters: ['default'],
  },
});
