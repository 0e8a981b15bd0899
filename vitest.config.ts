import { defineConfig } from 'vitest/config';
import { FAILOVER_TESTS } from './vitest.failover.config.ts';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The checks against the spec's schema files run in their own step: `npm run test:schemas`;
    // the failover tests run after the rest, alone (see vitest.failover.config.ts).
    exclude: ['**/node_modules/**', '**/*.schema.test.ts', ...FAILOVER_TESTS],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
