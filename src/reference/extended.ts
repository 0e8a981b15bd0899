/** The reference server with the Tasks and Skills extensions on it. */
import type { McpServer, McpServerOptions } from '../server/index.ts';
import { extensionTasks, registerSkillFixtures, registerTaskFixtures } from './extensions.ts';
import { createReferenceServer, type ReferenceHooks } from './server.ts';

/**
 * The reference server with every feature mcpkit has, the Tasks and Skills extensions included: what
 * `npm start`, `mcpkit serve` and the conformance suite's everything-server serve.
 */
export async function createExtendedReferenceServer(
  hooks: ReferenceHooks = {},
  options: Partial<McpServerOptions> = {},
): Promise<McpServer> {
  const tasks = extensionTasks();
  const server = createReferenceServer(hooks, {
    ...options,
    middleware: [tasks.middleware, ...(options.middleware ?? [])],
  });
  registerTaskFixtures(server, tasks);
  await registerSkillFixtures(server);
  return server;
}
