/**
 * The stdio interop suite again, at every stateful revision, now also checking every message the server
 * wrote against that revision's own schema (run by `npm run test:schemas`).
 */
import { LEGACY_REVISIONS } from '../src/protocol/revisions.ts';
import { stdioInteropSuite } from './support/interop-stdio-suite.ts';
import { serverMessageProblems } from './support/sdk-client.ts';

for (const revision of LEGACY_REVISIONS) stdioInteropSuite(revision, serverMessageProblems);
