/** Interop: the official TypeScript SDK's client (v1) against the reference server over stdio. */
import { LEGACY_REVISIONS } from '../src/protocol/revisions.ts';
import { stdioInteropSuite } from './support/interop-stdio-suite.ts';

for (const revision of LEGACY_REVISIONS) stdioInteropSuite(revision);
