import { defineConfig } from 'vitest/config';

/**
 * The failover tests (a Redis primary killed under load) measure how long requests wait for a
 * promotion, against a 10 s deadline per request. They run in a step of their own, one file at a
 * time after the rest of `npm test`, so that the other test files' load on a small machine does not
 * stretch those waits.
 */
export const FAILOVER_TESTS = ['test/redis-*-failover.test.ts'];

export default defineConfig({
  test: {
    include: FAILOVER_TESTS,
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
