import { defineConfig } from 'vitest/config';
import { REVISIONS } from './src/protocol/revisions.ts';
import { schemaDir } from './test/support/schema-check.ts';

// No silent skip: without the spec's schema files the run fails here, saying how to get them.
schemaDir(REVISIONS);

/**
 * `npm run test:schemas`: the tests that check messages against the MCP spec's own schema files, read
 * from the folder `MCPKIT_SCHEMA_DIR` names.
 */
export default defineConfig({
  test: {
    include: ['src/**/*.schema.test.ts', 'test/**/*.schema.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
