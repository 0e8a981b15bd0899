/** Serves the reference server (with the Tasks and Skills extensions) over stdio: `npm run --silent serve:stdio`. */
import { createExtendedReferenceServer } from '../reference/index.ts';
import { StdioServerTransport } from './stdio-server.ts';

const server = await createExtendedReferenceServer();
await server.connect(new StdioServerTransport());
