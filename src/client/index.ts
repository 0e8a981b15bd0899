/** The client: McpClient and its handlers. */
export * from './client.ts';
export type { ClientHandlers, ClientRequestContext } from './handlers.ts';
