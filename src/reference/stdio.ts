/** Serves the reference server (with the Tasks and Skills extensions) over stdio: `npm run --silent serve:stdio`. */
import { StdioServerTransport } from '../node/index.ts';
import { createExtendedReferenceServer } from './extended.ts';

const server = await createExtendedReferenceServer();
await server.connect(new StdioServerTransport());
