/** Serves the reference server over stdio: `npm run --silent serve:stdio`. */
import { StdioServerTransport } from '../node/index.ts';
import { createReferenceServer } from './server.ts';

const server = createReferenceServer();
await server.connect(new StdioServerTransport());
