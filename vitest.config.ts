import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The checks against the spec's schema files run in their own step: `npm run test:schemas`.
    exclude: ['**/node_modules/**', '**/*.schema.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
