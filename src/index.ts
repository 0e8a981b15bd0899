/**
 * mcpkit: the Model Context Protocol for TypeScript. Runtime-neutral entry point: the server and
 * what both sides share (the protocol's messages and errors, schemas). The client is at
 * `mcpkit/client` and its transports at `mcpkit/transport`, so that a server does not load them.
 */
export * from './protocol/index.ts';
export type {
  AuthInfo,
  Middleware,
  MiddlewareRequest,
  RequestOptions,
  Transport,
  TransportSink,
} from './rpc/index.ts';
export { compileSchema, type SchemaInput } from './schema/index.ts';
export * from './server/index.ts';
